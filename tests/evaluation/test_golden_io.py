"""Golden set files: the seed's v1 array and our v2 document, in and out."""

from __future__ import annotations

import json

import pytest

from evaluation.golden_io import (
    GoldenSetFormatError,
    export_golden_set,
    import_golden_set,
    load_file,
    parse,
)
from evaluation.models import GoldenCase
from tests.evaluation.factories import GoldenCaseFactory

pytestmark = pytest.mark.django_db


def test_the_seed_v1_file_imports_as_fifty_cases(v1_seed_path):
    golden_set, count = import_golden_set(v1_seed_path)
    assert count == 50
    assert golden_set.cases.count() == 50
    assert golden_set.schema_version == 1
    assert set(golden_set.cases.values_list("category", flat=True)) == {"core", "edge", "multi"}


def test_v1_positives_become_icontains_and_negatives_stay_descriptive(v1_seed_path):
    golden_set, _ = import_golden_set(v1_seed_path)
    case = golden_set.cases.get(case_id="CORE_002")
    assert case.input == {
        "query": "A lead works at a direct competitor. Decide if they should stay in the pipeline "
        "and explain why."
    }
    assert case.positive_constraints[0] == {"type": "icontains", "value": "disqualified"}
    assert case.negative_constraints[0] == {
        "type": "descriptive",
        "description": "Do not recommend sending an email.",
    }


def test_importing_the_same_version_again_replaces_its_cases(tmp_path):
    path = tmp_path / "set.json"
    doc = {"name": "s", "version": 1, "cases": [{"id": "A"}, {"id": "B"}]}
    path.write_text(json.dumps(doc))
    golden_set, _ = import_golden_set(path)
    doc["cases"] = [{"id": "B", "severity": "critical"}, {"id": "C"}]
    path.write_text(json.dumps(doc))
    import_golden_set(path)
    assert sorted(golden_set.cases.values_list("case_id", "severity")) == [
        ("B", "critical"),
        ("C", "major"),
    ]


def test_a_v2_export_imports_back_to_the_same_cases(tmp_path):
    case = GoldenCaseFactory(
        severity="critical",
        category="edge",
        tags=["pii"],
        negative_constraints=[{"type": "not_regex", "value": "(?i)sent"}],
        active=False,
    )
    exported = export_golden_set(case.golden_set)
    path = tmp_path / "out.json"
    path.write_text(json.dumps(exported))
    again, count = import_golden_set(path, name="copy")
    assert count == 1
    copy = again.cases.get()
    for field in ("case_id", "agent", "input", "expected_tools", "severity", "category", "tags"):
        assert getattr(copy, field) == getattr(case, field)
    assert copy.negative_constraints == case.negative_constraints
    assert copy.active is False


def test_our_committed_golden_set_is_a_valid_v2_file_of_at_least_eighty_cases(our_set_path):
    parsed = load_file(our_set_path)
    assert parsed.schema_version == 2
    assert len(parsed.cases) >= 80


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cases": "nope"}, "cases: expected a list"),
        ({"cases": [{"id": "A"}, {"id": "A"}]}, "duplicate case id"),
        ({"cases": [{"id": "A", "severity": "urgent"}]}, "cases[0].severity"),
        ({"cases": [{"id": "A", "agent": "hacker"}]}, "cases[0].agent"),
        ({"cases": [{"id": "A", "positive_constraints": ["tier"]}]}, "must be an object"),
        ({"cases": [{"id": "A", "negative_constraints": [{"type": "nope"}]}]}, "unknown"),
        ({"cases": [{"id": "A", "input": "text"}]}, "cases[0].input"),
        ({"version": 0, "cases": []}, "version"),
        ([{"id": "A"}], "[0].input_query"),
        ([{"id": "A", "input_query": "q", "expected_tools": "crm"}], "expected_tools"),
        ("text", "expected a v1 array"),
    ],
)
def test_a_malformed_file_is_refused_with_where_and_why(data, message):
    with pytest.raises(GoldenSetFormatError, match=message.replace("[", r"\[")):
        parse(data)
    assert not GoldenCase.objects.exists()


def test_a_missing_or_non_json_file_is_refused(tmp_path):
    with pytest.raises(GoldenSetFormatError, match="no such file"):
        load_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    with pytest.raises(GoldenSetFormatError, match="not valid JSON"):
        load_file(bad)
