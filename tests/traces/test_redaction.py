"""traces.redaction: secrets never survive; look-alikes pass untouched; summaries are canonical."""

from __future__ import annotations

import json

import pytest

from tests.traces.corpus import LOOKALIKES, SECRETS
from traces.redaction import (
    cut,
    redact,
    redact_summary_text,
    redact_text,
    secret_key_kind,
    summarize,
)


def test_the_corpus_has_at_least_forty_secret_bearing_inputs():
    assert len(SECRETS) >= 40


@pytest.mark.parametrize(("label", "value", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_redact_removes_every_secret(label, value, needles):
    text = json.dumps(redact(value))
    for needle in needles:
        assert needle not in text
    assert "[REDACTED:" in text


@pytest.mark.parametrize(("label", "value", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_summaries_remove_every_secret_and_stay_valid_json(label, value, needles):
    summary = summarize(value)
    for needle in needles:
        assert needle not in summary
    assert "[REDACTED:" in summary
    json.loads(summary)  # replacements never break the JSON around them


@pytest.mark.parametrize("value", LOOKALIKES, ids=[json.dumps(v)[:40] for v in LOOKALIKES])
def test_look_alike_values_come_through_unchanged(value):
    assert redact(value) == value
    assert json.loads(summarize(value)) == value


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("X-Api-Key", "api_key"),
        ("x_api_key", "api_key"),
        ("private_key", "private_key"),
        ("privateKey", "private_key"),
        ("ssn", "ssn"),
        ("Authorization", "authorization"),
        ("Proxy-Authorization", "authorization"),
        ("slack_bot_token", "token"),
        ("new_password_confirmation", "password"),
        ("Set-Cookie", "cookie"),
        ("card_number", "card_number"),
        ("CVV", "card_cvv"),
    ],
)
def test_secret_key_names_are_recognised_after_normalising(key, kind):
    assert secret_key_kind(key) == kind


@pytest.mark.parametrize(
    "key",
    [
        "author",
        "authority",
        "authored_by",
        "oauth_provider",
        "tokenizer_name",
        "max_tokens",
        "token_count",
        "secretary",
        "sort_key",
        "key",
        "keywords",
        "passed",
        "session_count",
    ],
)
def test_innocent_key_names_are_not_over_matched(key):
    assert secret_key_kind(key) is None


def test_the_replacement_names_what_was_removed():
    assert redact({"X-Api-Key": "abc12345"}) == {"X-Api-Key": "[REDACTED:api_key]"}
    assert redact_text("dsn postgres://bob:pw12345678@db/x") == (
        "dsn postgres://bob:[REDACTED:password]@db/x"
    )
    assert redact_text("SSN 219-09-9999") == "SSN [REDACTED:ssn]"


def test_a_card_number_failing_luhn_is_left_alone_and_a_valid_one_is_not():
    assert redact_text("ref 4111 1111 1111 1112") == "ref 4111 1111 1111 1112"
    assert redact_text("ref 4111 1111 1111 1111") == "ref [REDACTED:card_number]"


def test_values_json_cannot_carry_become_redacted_text():
    class Opaque:
        def __repr__(self):
            return "Opaque(password=opaque-secret-1)"

    clean = redact({"obj": Opaque(), "items": {3, 1, 2}, 7: "seven"})
    assert clean == {
        "obj": "Opaque(password=[REDACTED:password])",
        "items": [1, 2, 3],
        "7": "seven",
    }


def test_summaries_are_canonical_json():
    assert summarize({"b": 1, "a": [1, 2], "c": {"y": None, "x": True}}) == (
        '{"a":[1,2],"b":1,"c":{"x":true,"y":null}}'
    )
    assert summarize(None) == ""


def test_long_summaries_are_cut_at_500_characters_with_a_marker():
    summary = summarize({"text": "x" * 2000})
    assert len(summary) == 500
    dropped = (
        len(json.dumps({"text": "x" * 2000}, separators=(",", ":")))
        - 500
        + len(summary[summary.index("…") :])
    )
    assert summary.endswith(f"…[truncated {dropped} chars]")


def test_cut_leaves_short_text_alone():
    assert cut("short") == "short"


def test_a_secret_past_the_cut_is_still_redacted_before_cutting():
    summary = summarize({"padding": "p" * 480, "password": "late-secret-123"})
    assert "late-secret" not in summary


def test_summary_text_posted_as_json_is_parsed_so_its_keys_count():
    assert redact_summary_text('{"password": "x"}') == '{"password":"[REDACTED:password]"}'
    assert redact_summary_text("plain text token=abcdefgh123") == (
        "plain text token=[REDACTED:token]"
    )


def test_redaction_handles_cycles_by_cutting_depth():
    loop: list = []
    loop.append(loop)
    text = json.dumps(redact(loop))
    assert "[TRUNCATED:depth]" in text


def test_every_secret_key_name_can_be_found_in_free_text():
    from traces.redaction import _PAIR_WORDS, _SECRET_KEYS, _SECRET_SUFFIXES

    names = set(_SECRET_KEYS) | {suffix for suffix, _ in _SECRET_SUFFIXES}
    missing = {
        n for n in names if not any(w.replace("_", "").replace("-", "") in n for w in _PAIR_WORDS)
    }
    assert missing == set()


@pytest.mark.parametrize(
    "text",
    [
        "author: password=hidden-pw-1234",
        "company: token=hidden-tok-5678",
        'note "credit_card": "hidden-card-ref-9"',
        "İstanbul office, password=hidden-pw-İ-42",
    ],
)
def test_a_secret_pair_inside_an_innocent_pair_is_still_found(text):
    assert "hidden-" not in redact_text(text)


def test_a_bearer_token_after_a_line_break_is_found():
    assert "abcdefghijklmnop42" not in redact_text("Bearer\nabcdefghijklmnop42")


def test_a_repeated_string_gets_the_same_verdict_every_time():
    text = "call with password=repeat-secret-77 please"
    assert redact_text(text) == redact_text(text) == "call with password=[REDACTED:password] please"
    long_text = "x" * 300 + " password=long-secret-88"
    assert "long-secret-88" not in redact_text(long_text)


def test_a_marker_is_never_read_as_a_key_name():
    once = redact([4012888888881881, 0])
    assert once == ["[REDACTED:card_number]", 0]
    assert redact(once) == once
