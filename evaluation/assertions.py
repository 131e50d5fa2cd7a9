"""Typed assertions: the constraints a golden case states about an agent's output.

An assertion is a dict ``{"type", "value", "field"?, "description"?}``. Every type is a
predicate that must hold: a positive constraint that holds is "met"; a negative constraint
(a guard rail: ``not_contains``, ``tool_not_called``, ``max_length`` …) that does not hold is
"violated". ``descriptive`` assertions come from free-text v1 rules and are never evaluated —
the judge lists them as not machine-checkable instead of pretending.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evaluation.choices import AssertionType

_MISSING = object()


class AssertionSpecError(ValueError):
    """An assertion dict is malformed (unknown type, missing value, bad regex)."""


@dataclass(frozen=True)
class AssertionResult:
    holds: bool | None  # None: descriptive, not machine-checkable
    label: str
    detail: str = ""


def describe(assertion: Mapping[str, Any]) -> str:
    """Short human-readable label, used in the judge's met/missed/violated lists."""
    kind = assertion.get("type", "")
    if kind == AssertionType.DESCRIPTIVE:
        return str(assertion.get("description") or assertion.get("value") or "")
    if kind == AssertionType.FIELD_EQUALS:
        return f"field_equals {assertion.get('field')}={assertion.get('value')!r}"
    label = f"{kind} {assertion.get('value')!r}"
    if assertion.get("description"):
        label += f" ({assertion['description']})"
    return label


def validate_assertion(assertion: Any) -> dict:
    """Return a normalised copy of ``assertion`` or raise AssertionSpecError."""
    if isinstance(assertion, str):
        raise AssertionSpecError(f"assertion must be an object, got text {assertion!r}")
    if not isinstance(assertion, Mapping):
        raise AssertionSpecError(f"assertion must be an object, got {type(assertion).__name__}")
    kind = assertion.get("type")
    if kind not in AssertionType.values:
        raise AssertionSpecError(
            f"unknown assertion type {kind!r} (expected one of {', '.join(AssertionType.values)})"
        )
    spec = {"type": kind}
    value = assertion.get("value", _MISSING)
    if kind == AssertionType.DESCRIPTIVE:
        text = assertion.get("description") or (value if value is not _MISSING else "")
        if not isinstance(text, str) or not text.strip():
            raise AssertionSpecError("descriptive assertion needs a description")
        spec["description"] = text.strip()
        return spec
    if value is _MISSING:
        raise AssertionSpecError(f"{kind} assertion needs a value")
    if kind == AssertionType.MAX_LENGTH:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise AssertionSpecError("max_length value must be a non-negative integer")
    elif kind == AssertionType.FIELD_EQUALS:
        field = assertion.get("field")
        if not isinstance(field, str) or not field:
            raise AssertionSpecError("field_equals assertion needs a field name")
        spec["field"] = field
    elif not isinstance(value, str) or not value:
        raise AssertionSpecError(f"{kind} value must be a non-empty string")
    if kind in (AssertionType.REGEX, AssertionType.NOT_REGEX):
        try:
            _compiled(value, 0)
        except re.error as exc:
            raise AssertionSpecError(f"invalid regex {value!r}: {exc}") from exc
    spec["value"] = value
    if assertion.get("description"):
        spec["description"] = str(assertion["description"])
    return spec


@lru_cache(maxsize=2048)
def _compiled(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def phrase_pattern(phrase: str) -> re.Pattern:
    """Case-insensitive match of ``phrase`` on word boundaries ("cto" never matches "director")."""
    return _compiled(r"(?<!\w)" + re.escape(phrase.strip()) + r"(?!\w)", re.IGNORECASE)


def contains_phrase(text: str, phrase: str) -> bool:
    return bool(phrase_pattern(phrase).search(text))


def structured_field(structured: Mapping[str, Any], path: str) -> Any:
    """Look up a dotted path (``brief.confidence``) in the structured output."""
    current: Any = structured
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, Sequence) and not isinstance(current, str) and part.isdigit():
            index = int(part)
            if index >= len(current):
                return _MISSING
            current = current[index]
        else:
            return _MISSING
    return current


def evaluate(
    assertion: Mapping[str, Any],
    *,
    output: str,
    structured: Mapping[str, Any] | None = None,
    tools: Sequence[str] = (),
) -> AssertionResult:
    """Evaluate one assertion against a runner's output, structured output and tool log."""
    spec = validate_assertion(assertion)
    kind = spec["type"]
    label = describe(spec)
    value = spec.get("value")
    output = output or ""
    if kind == AssertionType.DESCRIPTIVE:
        return AssertionResult(None, label, "not machine-checkable")
    if kind == AssertionType.CONTAINS:
        return AssertionResult(value in output, label)
    if kind == AssertionType.NOT_CONTAINS:
        return AssertionResult(value not in output, label)
    if kind == AssertionType.ICONTAINS:
        return AssertionResult(contains_phrase(output, value), label)
    if kind == AssertionType.REGEX:
        return AssertionResult(bool(_compiled(value, 0).search(output)), label)
    if kind == AssertionType.NOT_REGEX:
        match = _compiled(value, 0).search(output)
        return AssertionResult(match is None, label, f"matched {match.group(0)!r}" if match else "")
    if kind == AssertionType.MAX_LENGTH:
        return AssertionResult(len(output) <= value, label, f"length {len(output)}")
    if kind == AssertionType.TOOL_CALLED:
        return AssertionResult(value in tools, label)
    if kind == AssertionType.TOOL_NOT_CALLED:
        return AssertionResult(value not in tools, label)
    # field_equals: compare as text so "85" in a JSON file equals 85 in the output
    actual = structured_field(structured or {}, spec["field"])
    if actual is _MISSING:
        return AssertionResult(False, label, f"no field {spec['field']!r} in structured output")
    holds = actual == value or str(actual) == str(value)
    return AssertionResult(holds, label, f"actual {actual!r}")
