"""The seed's SME judge output schema (a copy kept in the repo), compiled once.

Every CaseResult's ``judge`` document validates against it before it is stored.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parent / "golden" / "sme_judge_output_schema.json"
JUDGE_SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
JUDGE_VALIDATOR = Draft202012Validator(JUDGE_SCHEMA)


def validate_judge_output(document: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when ``document`` is not in the SME schema shape."""
    JUDGE_VALIDATOR.validate(document)
