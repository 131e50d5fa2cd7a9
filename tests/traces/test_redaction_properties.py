"""Property tests of traces.redaction: wherever a secret sits in a structure, it is gone."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.traces.corpus import JWT
from traces.redaction import redact, secret_key_kind, summarize

# Secrets whose shape alone gives them away, wherever they appear in text.
SHAPED = [
    "Bearer 9f8e7d6c5b4a39281706",
    JWT,
    "sk-proj-Zq8Xw7Vu6Ts5Rq4Po3Nm2",
    "xoxb-2233445566-abcdefghij",
    "AKIAZZYYXXWWVVUUTTSS",
    "ghp_Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc3Vb",
    "4111 1111 1111 1111",
    "219-09-9999",
    "postgres://svc:Pr0pP4ssw0rd@db:5432/x",
    "password=Pr0pPlainPw9",
]
NEEDLES = {
    SHAPED[0]: "9f8e7d6c5b4a39281706",
    SHAPED[1]: "dozjgNryP4J3jVmNHl0w5N",
    SHAPED[2]: "Zq8Xw7Vu6Ts5Rq4Po3Nm2",
    SHAPED[3]: "2233445566-abcdefghij",
    SHAPED[4]: "AKIAZZYYXXWWVVUUTTSS",
    SHAPED[5]: "Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc3Vb",
    SHAPED[6]: "4111 1111 1111 1111",
    SHAPED[7]: "219-09-9999",
    SHAPED[8]: "Pr0pP4ssw0rd",
    SHAPED[9]: "Pr0pPlainPw9",
}

words = st.text(alphabet="abcdefghij klmnop,.;()", max_size=20)
# Key names that do not name a secret (those are covered by their own test).
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).filter(
    lambda k: secret_key_kind(k) is None
)


def structures_of(leaves):
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
        ),
        max_leaves=12,
    )


structures = structures_of(st.one_of(st.none(), st.booleans(), st.integers(), words))
# Nothing here can look like a secret: short numbers, words without separators.
plain_structures = structures_of(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**9), 10**9), words)
)


def plant(structure, text: str):
    """``structure`` with ``text`` planted at its first string leaf, or wrapped around it."""
    if isinstance(structure, str):
        return text
    if isinstance(structure, dict):
        for key, value in structure.items():
            return {**structure, key: plant(value, text)}
        return {"note": text}
    if isinstance(structure, list) and structure:
        return [plant(structure[0], text), *structure[1:]]
    return [structure, text]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    structure=structures,
    secret=st.sampled_from(SHAPED),
    before=words,
    after=words,
    left=st.sampled_from([" ", "(", "\n", "\t", ", ", '"', "'", "[", "<"]),
    right=st.sampled_from([" ", ")", "\n", "\t", ", ", '"', "'", "]", ">", ".", ";"]),
)
def test_a_shaped_secret_planted_anywhere_never_survives(
    structure, secret, before, after, left, right
):
    value = plant(structure, f"{before}{left}{secret}{right}{after}")
    needle = NEEDLES[secret]
    assert needle not in json.dumps(redact(value))
    assert needle not in summarize(value)


@settings(max_examples=200, deadline=None)
@given(structure=structures)
def test_redaction_is_idempotent_and_gives_json(structure):
    once = redact(structure)
    assert redact(once) == once
    assert json.loads(json.dumps(once)) == once


@settings(max_examples=200, deadline=None)
@given(structure=plain_structures)
def test_plain_data_comes_through_unchanged(structure):
    assert redact(structure) == structure
    summary = summarize(structure)
    if structure is None:
        assert summary == ""  # nothing recorded
    elif len(summary) < 500:
        assert json.loads(summary) == structure


@settings(max_examples=200, deadline=None)
@given(structure=structures, secret=st.sampled_from(["hunter2-prop-99", "x" * 9]))
def test_a_value_under_a_secret_key_never_survives_at_any_depth(structure, secret):
    value = plant(structure, "placeholder")
    wrapped = {"outer": [value, {"Client-Secret": secret}]}
    assert secret not in json.dumps(redact(wrapped))
    assert secret not in summarize(wrapped)
