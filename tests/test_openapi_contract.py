"""The committed OpenAPI document is the API contract: the schema generated from the code must
match docs/openapi.yaml byte for byte, so every payload change is deliberate and reviewed."""

from __future__ import annotations

import difflib
from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


def test_the_generated_schema_matches_the_committed_contract(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated))
    expected = COMMITTED.read_text(encoding="utf-8")
    actual = generated.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile="docs/openapi.yaml (committed)",
                tofile="generated from the code",
                n=2,
            )
        )
        lines = diff.splitlines()
        shown = "\n".join(lines[:80]) + (
            f"\n… {len(lines) - 80} more lines" if len(lines) > 80 else ""
        )
        raise AssertionError(
            "The API schema changed. If the change is intended, regenerate the contract with "
            "`make schema` and commit docs/openapi.yaml.\n" + shown
        )
