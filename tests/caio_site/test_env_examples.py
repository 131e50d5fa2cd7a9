"""The committed .env*.example files: complete, and valid for their mode once the placeholders
are replaced (so the examples and the validator cannot drift apart)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caio_site.runtime import env_grammar
from caio_site.runtime import env_validation as ev

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "development": ROOT / ".env.example",
    "staging": ROOT / ".env.staging.example",
    "production": ROOT / ".env.production.example",
}
# Every way settings.py reads a key: env.str("KEY"…), grammar.boolean(env, "KEY"…), …
READ = re.compile(r'(?:env\.[a-z_]+\(|grammar\.[a-z_]+\(\s*env,)\s*"([A-Z_]+)"')
# Keys read through a grammar function that names them itself.
READ_INSIDE_GRAMMAR = {"DATABASE_URL", "EMAIL_URL", "INTEGRATION_MODES"}
# CAIO_ENV_FILE names the file itself, so it cannot live inside one.
NOT_IN_FILES = {"CAIO_ENV_FILE"}


def _settings_keys() -> set[str]:
    found = set(READ.findall((ROOT / "caio_site" / "settings.py").read_text()))
    return (found | READ_INSIDE_GRAMMAR) - NOT_IN_FILES


def _listed_keys(path: Path) -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", path.read_text(), flags=re.MULTILINE))


def _filled(values: dict[str, str]) -> dict[str, str]:
    """The example with its placeholders replaced by values an operator would paste in."""
    filled = {}
    for key, value in values.items():
        if key == "SECRET_KEY":
            value = "Kq2v-" + "R7xTm9LpW3sZ8nB4cY6hJ1dF5gA0" * 2
        elif key == "INNGEST_SIGNING_KEY":
            value = value.replace("changeme", "a1b2c3d4e5f60718" * 4)
        else:
            value = value.replace("changeme", "Pr0d-s3cret-9f2")
        filled[key] = value
    return filled


@pytest.mark.parametrize("mode", list(EXAMPLES))
def test_each_example_lists_every_key_settings_reads(mode):
    missing = _settings_keys() - _listed_keys(EXAMPLES[mode])
    assert not missing, f"{EXAMPLES[mode].name} does not document: {sorted(missing)}"


def test_the_development_example_passes_as_is():
    values = env_grammar.read_env_file(EXAMPLES["development"])
    assert ev.passed(ev.validate(ev.Environment(values, process={}), "development"))


@pytest.mark.parametrize("mode", ["staging", "production"])
def test_the_production_shaped_examples_fail_until_the_placeholders_are_replaced(mode):
    values = env_grammar.read_env_file(EXAMPLES[mode])
    checks = ev.validate(ev.Environment(values, process={}), mode)
    assert not ev.passed(checks)
    assert "placeholders" in {c.name for c in checks if c.level == ev.FAIL}
    filled = ev.validate(ev.Environment(_filled(values), process={}), mode)
    assert ev.passed(filled), [c.line() for c in filled if c.level == ev.FAIL]
