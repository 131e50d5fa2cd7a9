"""The external command runner: the seed's contract, minus the answers."""

from __future__ import annotations

import json

import pytest

from evaluation.cases import CaseSpec
from evaluation.runners.external import ExternalRunner
from tests.evaluation.paths import runner_cmd

pytestmark = pytest.mark.slow

V1_CASE = CaseSpec(
    case_id="CORE_001",
    input={"query": "Qualify this lead"},
    expected_tools=("crm.read_contact",),
    positive_constraints=({"type": "icontains", "value": "tier"},),
    negative_constraints=({"type": "descriptive", "description": "Do not send"},),
    schema_version=1,
)
V2_CASE = CaseSpec(
    case_id="QUAL_001",
    agent="qualify",
    input={"lead": {"email": "maya.chen@brightpath-agency.example"}},
    expected_tools=("crm.read_contact",),
    positive_constraints=({"type": "field_equals", "field": "tier", "value": "tier_1"},),
)


@pytest.mark.parametrize(
    ("case", "payload"),
    [
        (V1_CASE, {"id": "CORE_001", "input_query": "Qualify this lead"}),
        (
            V2_CASE,
            {
                "id": "QUAL_001",
                "agent": "qualify",
                "input": {"lead": {"email": "maya.chen@brightpath-agency.example"}},
            },
        ),
    ],
)
def test_stdin_holds_the_case_id_and_input_and_nothing_else(case, payload):
    result = ExternalRunner(runner_cmd("misbehaving_runner.py", "ok")).run(case)
    assert not result.is_error
    assert result.metadata["received"] == payload
    assert "expected_tools" not in json.dumps(result.metadata)


@pytest.mark.parametrize(
    ("mode", "code", "message"),
    [
        ("exit1", "NONZERO_EXIT", "boom: agent crashed"),
        ("empty", "EMPTY_OUTPUT", "printed nothing"),
        ("invalid", "INVALID_JSON", "not JSON"),
        ("list", "INVALID_OUTPUT", "not a JSON object"),
        ("wrong_shape", "INVALID_OUTPUT", "actual_output must be a string"),
    ],
)
def test_a_broken_answer_becomes_a_runner_error(mode, code, message):
    result = ExternalRunner(runner_cmd("misbehaving_runner.py", mode)).run(V2_CASE)
    assert result.error_code == code
    assert message in result.error


def test_a_case_past_its_timeout_becomes_a_runner_error():
    result = ExternalRunner(runner_cmd("misbehaving_runner.py", "sleep", "5"), timeout=0.5).run(
        V2_CASE
    )
    assert result.error_code == "TIMEOUT"


def test_a_command_that_cannot_start_is_a_runner_error():
    result = ExternalRunner("/nonexistent/runner --x").run(V2_CASE)
    assert result.error_code == "NOT_STARTED"


def test_workers_run_cases_at_the_same_time_and_keep_their_order(tmp_path):
    # Each case waits until all four are running at once: only parallel workers get through.
    cases = [CaseSpec(case_id=f"C{i}", agent="qualify") for i in range(4)]
    runner = ExternalRunner(runner_cmd("misbehaving_runner.py", "barrier", tmp_path, 4))
    results = runner.run_all(cases, workers=4)
    assert [r.error_code for r in results] == ["", "", "", ""]
    assert [r.metadata["received"]["id"] for r in results] == ["C0", "C1", "C2", "C3"]


def test_one_worker_runs_cases_one_at_a_time(tmp_path):
    cases = [CaseSpec(case_id=f"C{i}", agent="qualify") for i in range(2)]
    runner = ExternalRunner(runner_cmd("misbehaving_runner.py", "barrier", tmp_path, 2))
    results = runner.run_all(cases, workers=1)
    assert results[0].error_code == "NONZERO_EXIT"
