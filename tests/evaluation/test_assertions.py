"""Each typed assertion, holding and not holding."""

from __future__ import annotations

import pytest

from evaluation.assertions import AssertionSpecError, evaluate, validate_assertion

OUTPUT = "Tier: tier_1. The CTO at Brightpath Agency asked about proposal automation."
STRUCTURED = {"tier": "tier_1", "icp_score": 85, "brief": {"confidence": 0.8}}
TOOLS = ["crm.read_contact", "enrichment.enrich_contact"]


def holds(assertion):
    return evaluate(assertion, output=OUTPUT, structured=STRUCTURED, tools=TOOLS).holds


@pytest.mark.parametrize(
    ("assertion", "expected"),
    [
        ({"type": "contains", "value": "Brightpath Agency"}, True),
        ({"type": "contains", "value": "brightpath agency"}, False),  # case-sensitive
        ({"type": "icontains", "value": "brightpath agency"}, True),
        ({"type": "icontains", "value": "cto"}, True),
        ({"type": "icontains", "value": "automat"}, False),  # word boundary: no partial word
        ({"type": "icontains", "value": "tier_1"}, True),
        ({"type": "regex", "value": r"tier_[123]"}, True),
        ({"type": "regex", "value": r"tier_[23]"}, False),
        ({"type": "not_contains", "value": "was sent"}, True),
        ({"type": "not_contains", "value": "proposal"}, False),
        ({"type": "not_regex", "value": r"(?i)\bsent\b"}, True),
        ({"type": "not_regex", "value": r"(?i)the cto"}, False),
        ({"type": "field_equals", "field": "tier", "value": "tier_1"}, True),
        ({"type": "field_equals", "field": "tier", "value": "tier_2"}, False),
        ({"type": "field_equals", "field": "icp_score", "value": "85"}, True),
        ({"type": "field_equals", "field": "brief.confidence", "value": 0.8}, True),
        ({"type": "field_equals", "field": "status", "value": "qualified"}, False),  # missing
        ({"type": "max_length", "value": len(OUTPUT)}, True),
        ({"type": "max_length", "value": len(OUTPUT) - 1}, False),
        ({"type": "tool_called", "value": "crm.read_contact"}, True),
        ({"type": "tool_called", "value": "calendar.get_events"}, False),
        ({"type": "tool_not_called", "value": "email.send"}, True),
        ({"type": "tool_not_called", "value": "enrichment.enrich_contact"}, False),
    ],
)
def test_each_assertion_type_holds_only_when_its_condition_is_true(assertion, expected):
    assert holds(assertion) is expected


def test_icontains_never_matches_cto_inside_director():
    result = evaluate({"type": "icontains", "value": "cto"}, output="Director of Ops")
    assert result.holds is False


def test_a_descriptive_assertion_is_reported_not_evaluated():
    result = evaluate({"type": "descriptive", "description": "Do not invent revenue."}, output="x")
    assert result.holds is None
    assert result.label == "Do not invent revenue."


@pytest.mark.parametrize(
    "assertion",
    [
        "free text",
        {"type": "startswith", "value": "x"},
        {"type": "icontains"},
        {"type": "icontains", "value": ""},
        {"type": "regex", "value": "("},
        {"type": "max_length", "value": "10"},
        {"type": "field_equals", "value": "tier_1"},
        {"type": "descriptive"},
    ],
)
def test_a_malformed_assertion_is_rejected_with_a_reason(assertion):
    with pytest.raises(AssertionSpecError):
        validate_assertion(assertion)
