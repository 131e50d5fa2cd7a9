"""The in-process runner: our agents on the case input only, in a replay context."""

from __future__ import annotations

import time

import pytest

from agents.models import Lead
from evaluation.cases import CaseSpec
from evaluation.runners.inprocess import InProcessRunner
from traces.models import TraceEnvelope

pytestmark = pytest.mark.django_db

MAYA = {
    "lead": {
        "email": "maya.chen@brightpath-agency.example",
        "first_name": "Maya",
        "last_name": "Chen",
        "title": "CEO",
        "company": "Brightpath Agency",
        "industry": "Marketing agency",
        "employee_count": 140,
    }
}
CASE = CaseSpec(
    case_id="RUNNER_1",
    agent="draft_email",
    input=MAYA,
    expected_tools=("calendar.get_events",),  # deliberately wrong: the runner must not care
    positive_constraints=({"type": "icontains", "value": "ECHO-ME-IF-YOU-CHEAT"},),
)


def test_the_tool_log_is_what_the_envelopes_recorded_minus_agent_steps(fresh_gateway):
    result = InProcessRunner().run(CASE)
    assert not result.is_error, result.error
    recorded = list(
        TraceEnvelope.objects.filter(correlation_id=result.correlation_id)
        .order_by("timestamp")
        .values_list("tool_name", "case_id")
    )
    assert {case_id for _, case_id in recorded} == {"RUNNER_1"}
    assert any(name.startswith("step.") for name, _ in recorded)
    assert sorted(result.tool_trace_log) == sorted(
        name for name, _ in recorded if not name.startswith("step.")
    )
    assert "calendar.get_events" not in result.tool_trace_log


def test_the_context_is_what_the_tools_returned(fresh_gateway):
    result = InProcessRunner().run(CASE)
    context = "\n".join(result.rag_context_chunks)
    # From the simulated enrichment dataset, never from the case:
    assert "opened a second studio in Austin" in context
    assert "ECHO-ME-IF-YOU-CHEAT" not in context
    assert "ECHO-ME-IF-YOU-CHEAT" not in result.actual_output


def test_the_agent_sees_the_case_input_and_nothing_else(fresh_gateway, monkeypatch):
    import agents.replay

    seen = []
    real = agents.replay.run_agent

    def spy(agent, case_input):
        seen.append((agent, case_input))
        return real(agent, case_input)

    monkeypatch.setattr(agents.replay, "run_agent", spy)
    InProcessRunner().run(CASE)
    assert seen == [("draft_email", MAYA)]


def test_the_agents_database_writes_are_rolled_back(fresh_gateway):
    before = Lead.objects.count()
    from approvals.models import QueueItem

    items = QueueItem.objects.count()
    result = InProcessRunner().run(CASE)
    assert result.structured["queue_status"] == "pending"
    assert Lead.objects.count() == before
    assert QueueItem.objects.count() == items


def test_an_agent_that_raises_is_a_runner_error_with_its_tool_log(fresh_gateway, monkeypatch):
    import agents.qualification

    def broken(lead):
        raise RuntimeError("scoring exploded")

    monkeypatch.setattr(agents.qualification, "qualify", broken)
    result = InProcessRunner().run(CaseSpec(case_id="Q", agent="qualify", input=MAYA))
    assert result.error_code == "AGENT_ERROR"
    assert "scoring exploded" in result.error


def test_a_case_past_its_timeout_is_interrupted(fresh_gateway, monkeypatch):
    import agents.qualification

    def slow(lead):
        time.sleep(5)

    monkeypatch.setattr(agents.qualification, "qualify", slow)
    result = InProcessRunner(timeout=0.3).run(CaseSpec(case_id="Q", agent="qualify", input=MAYA))
    assert result.error_code == "TIMEOUT"


def test_a_case_without_an_agent_cannot_run_in_process():
    result = InProcessRunner().run(CaseSpec(case_id="CORE_001", input={"query": "Qualify"}))
    assert result.error_code == "NO_AGENT"


def test_an_agent_that_swallows_exceptions_still_times_out(fresh_gateway, monkeypatch):
    import agents.qualification

    def stubborn(lead):
        try:
            time.sleep(5)
        except Exception:  # a careless agent: must not be able to swallow the deadline
            time.sleep(5)

    monkeypatch.setattr(agents.qualification, "qualify", stubborn)
    result = InProcessRunner(timeout=0.3).run(CaseSpec(case_id="Q", agent="qualify", input=MAYA))
    assert result.error_code == "TIMEOUT"
