"""Our committed golden set: size, spread, and the edge cases the gate must cover."""

from __future__ import annotations

import collections

import pytest

from evaluation.golden_io import load_file
from tests.evaluation.paths import OUR_SET

CASES = load_file(OUR_SET).cases
REQUIRED_EDGE_TAGS = {
    "pii",
    "secrets",
    "prompt_injection",
    "sql_injection",
    "competitor",
    "existing_customer",
    "suppressed",
    "missing_title",
    "missing_company",
    "size_out_of_range",
    "no_lead_data",
}
TOOLS = {
    "crm.read_contact",
    "crm.lookup_account",
    "enrichment.enrich_contact",
    "calendar.get_events",
    "knowledge.read_standards",
    "email.send",
}


def test_it_has_at_least_eighty_active_cases_over_the_four_agents():
    assert len([c for c in CASES if c["active"]]) >= 80
    assert {c["agent"] for c in CASES} == {"qualify", "draft_email", "call_prep", "pipeline_scan"}


def test_every_category_and_severity_is_used():
    assert {c["category"] for c in CASES} == {"core", "edge", "multi"}
    assert {c["severity"] for c in CASES} == {"critical", "major", "minor"}


def test_the_required_edge_cases_are_covered():
    tags = collections.Counter(tag for c in CASES for tag in c["tags"])
    assert set(tags) >= REQUIRED_EDGE_TAGS


def test_expected_tools_are_the_agents_exact_tool_names():
    used = {tool for c in CASES for tool in c["expected_tools"]}
    assert used <= TOOLS


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_every_case_states_something_machine_checkable(case):
    checkable = [
        a
        for a in (*case["positive_constraints"], *case["negative_constraints"])
        if a["type"] != "descriptive"
    ]
    assert checkable
    assert case["negative_constraints"]  # every case has a guard rail
