"""caio_site.runtime.env_grammar: env files read the way the app reads them (django-environ's
reader), the casts settings.py and the validator share, and the same verdict from the validator
as from the app's own start-up on the values that used to divide them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from caio_site.runtime import env_grammar as grammar
from caio_site.runtime import env_validation as ev
from tests.caio_site.test_env_validation import PRODUCTION, SECRET

ROOT = Path(__file__).resolve().parents[2]


def _env(**values) -> environ.Env:
    env = environ.Env()
    env.ENVIRON = dict(values)
    return env


def _write(tmp_path, values: dict[str, str] | str) -> Path:
    path = tmp_path / "deploy.env"
    if isinstance(values, dict):
        values = "".join(f"{key}={value}\n" for key, value in values.items())
    path.write_text(values)
    return path


# --- the reader ------------------------------------------------------------------------------
def test_the_reader_keeps_inline_hashes_strips_quotes_and_unescapes_double_quotes(tmp_path):
    path = _write(
        tmp_path,
        "# a comment\n\n"
        "export A=1\n"
        "B='two words # kept'\n"
        'C="x\\$y"\n'
        "D=plain # trailing\n"
        "E=\n"
        "ADDRESS=548 Market St #12345, San Francisco\n"
        "A=2\n",
    )
    assert grammar.read_env_file(path) == {
        "A": "2",  # a later line wins
        "B": "two words # kept",
        "C": "x$y",
        "D": "plain # trailing",  # django-environ has no inline comments
        "E": "",
        "ADDRESS": "548 Market St #12345, San Francisco",
    }


@pytest.mark.parametrize("line", ["B = spaced", "  INDENTED=1", "this is not an assignment"])
def test_a_line_the_app_would_skip_is_an_error_that_does_not_repeat_it(tmp_path, line):
    path = _write(tmp_path, f"GOOD=1\n{line}\n")
    with pytest.raises(grammar.EnvFileError, match=":2: not KEY=VALUE") as error:
        grammar.read_env_file(path)
    assert line.strip() not in str(error.value)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(grammar.EnvFileError, match="does not exist"):
        grammar.read_env_file(tmp_path / "nope.env")


def test_a_dollar_value_is_a_reference_and_dangles_when_its_target_is_unset():
    env = _env(SECRET_KEY="$VAULT_KEY", DEBUG="$DEBUG_FLAG", DEBUG_FLAG="true")
    assert grammar.text(env, "SECRET_KEY", "the-default") == "the-default"
    assert grammar.boolean(env, "DEBUG", False) is True
    assert grammar.dangling_references(env, ["SECRET_KEY", "DEBUG"]) == ["SECRET_KEY"]


# --- the casts -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value"), [("", False), ("yes", True), (" On ", True), ("0", False), ("off", False)]
)
def test_booleans(raw, value):
    assert grammar.boolean(_env(FLAG=raw), "FLAG", False) is value


@pytest.mark.parametrize("raw", ["maybe", "false # prod", "tru"])
def test_a_malformed_boolean_is_refused(raw):
    with pytest.raises(grammar.InvalidValue, match="FLAG is not a boolean"):
        grammar.boolean(_env(FLAG=raw), "FLAG", False)


def test_mappings_name_the_bad_entry_without_its_value():
    assert grammar.mapping(_env(M="Sendgrid:abc, ,postmark:x:y"), "M") == {
        "sendgrid": "abc",
        "postmark": "x:y",
    }
    with pytest.raises(grammar.InvalidValue, match=r"entry 2\)$") as error:
        grammar.mapping(_env(M="sendgrid:abc,hunter2"), "M")
    assert "hunter2" not in str(error.value)


def test_integration_modes_default_to_simulated_and_refuse_unknowns():
    modes = grammar.integration_modes(_env(INTEGRATION_MODES="email:live"))
    assert modes == {**dict.fromkeys(grammar.INTEGRATIONS, "simulated"), "email": "live"}
    for raw, message in (("fax:live", "unknown integration"), ("crm:on", "crm:on is not")):
        with pytest.raises(grammar.InvalidValue, match=message):
            grammar.integration_modes(_env(INTEGRATION_MODES=raw))


def test_url_schemes_and_retention_choices():
    assert grammar.url(_env(REDIS_URL="rediss://cache:6380/0"), "REDIS_URL")
    with pytest.raises(grammar.InvalidValue, match="REDIS_URL scheme 'http'"):
        grammar.url(_env(REDIS_URL="http://cache"), "REDIS_URL")
    assert grammar.int_choice(_env(DAYS="90"), "DAYS", 30, grammar.TRACE_RETENTION_DAYS) == 90
    with pytest.raises(grammar.InvalidValue, match="not one of 14, 30, 90"):
        grammar.int_choice(_env(DAYS="45"), "DAYS", 30, grammar.TRACE_RETENTION_DAYS)


@pytest.mark.parametrize(
    ("cast", "keys"),
    [
        ("boolean", grammar.BOOL_KEYS),
        ("positive_int", grammar.POSITIVE_INT_KEYS),
        ("positive_number", grammar.POSITIVE_NUMBER_KEYS),
        ("mapping", tuple(k for k in grammar.MAPPING_KEYS if k != "INTEGRATION_MODES")),
    ],
)
def test_the_validators_key_lists_are_exactly_what_settings_reads_with_each_cast(cast, keys):
    source = (ROOT / "caio_site" / "settings.py").read_text()
    read = set(re.findall(rf'grammar\.{cast}\(\s*env,\s*"([A-Z_]+)"', source))
    assert read == set(keys)


# --- the app's verdict and the validator's ---------------------------------------------------
def _app_reads(path: Path, *names: str) -> dict:
    """Start Django's settings the way a deployed process does (CAIO_ENV_FILE, nothing else
    in the environment) and return the named settings, or the start-up error."""
    script = (
        "import json, sys\n"
        "from django.conf import settings\n"
        "try:\n"
        "    values = {n: getattr(settings, n) for n in sys.argv[1:]}\n"
        "except Exception as exc:\n"
        "    values = {'error': f'{type(exc).__name__}: {exc}'}\n"
        "print(json.dumps(values, default=str))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "caio_site.settings",
        "CAIO_ENV_FILE": str(path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _validator_failures(path: Path) -> dict[str, str]:
    env = ev.Environment(grammar.read_env_file(path), process={})
    return {c.name: c.reason for c in ev.validate(env, "production") if c.level == ev.FAIL}


@pytest.mark.slow
def test_an_inline_comment_breaks_the_app_and_fails_the_validator(tmp_path):
    path = _write(tmp_path, {**PRODUCTION, "DEBUG": "false # never on in production"})
    assert "DEBUG is not a boolean" in _app_reads(path, "DEBUG")["error"]
    assert "DEBUG is not a boolean" in _validator_failures(path)["formats"]


@pytest.mark.slow
def test_a_secret_key_starting_with_a_dollar_is_the_insecure_default_to_both(tmp_path):
    path = _write(tmp_path, {**PRODUCTION, "SECRET_KEY": "$" + SECRET})
    app = _app_reads(path, "SECRET_KEY", "INSECURE_DEV_SECRET_KEY")
    assert app["SECRET_KEY"] == app["INSECURE_DEV_SECRET_KEY"]
    failures = _validator_failures(path)
    assert "SECRET_KEY" in failures["references"]
    assert SECRET not in failures["references"]  # the reference's name is the secret itself


@pytest.mark.slow
def test_a_resolving_reference_and_a_hash_inside_a_value_read_the_same_in_both(tmp_path):
    address = "CAIO Inc., 548 Market St #12345, San Francisco, CA 94104"
    values = {
        **PRODUCTION,
        "VAULT_SECRET_KEY": SECRET,
        "SECRET_KEY": "$VAULT_SECRET_KEY",
        "SENDER_POSTAL_ADDRESS": address,
    }
    path = _write(tmp_path, values)
    app = _app_reads(path, "SECRET_KEY", "SENDER_POSTAL_ADDRESS")
    assert app == {"SECRET_KEY": SECRET, "SENDER_POSTAL_ADDRESS": address}
    env = ev.Environment(grammar.read_env_file(path), process={})
    assert (env.get("SECRET_KEY"), env.get("SENDER_POSTAL_ADDRESS")) == (SECRET, address)
    assert _validator_failures(path) == {}
