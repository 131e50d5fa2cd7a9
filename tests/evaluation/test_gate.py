"""evaluation.gate: the release bars and "the latest full replay run", read the same way by the
replay command, the judge, readiness, the escalations and the scorecard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import gate
from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.choices import EscalationRule, ReplayRunStatus
from evaluation.escalations import check_escalations, groundedness_failures
from evaluation.judge import judge_case
from evaluation.management.commands.replay import Command as ReplayCommand
from evaluation.readiness import release_readiness
from evaluation.replay import GateOptions
from evaluation.scorecards import build_scorecard
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.ops_helpers import judged
from tests.evaluation.scorecard_helpers import WEEK, WEEK_START

pytestmark = pytest.mark.django_db


def _check(report, name):
    return next(check for check in report.checks if check.name == name)


def _ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


# --- the latest full run ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "options",
    [{"tags": ["smoke"], "max_cases": None}, {"tags": [], "max_cases": 3}, {"max_cases": 1}],
)
def test_a_newer_partial_run_is_not_the_latest_full_run(options):
    full = ReplayRunFactory(started_at=_ago(2), options={"tags": [], "max_cases": None})
    partial = ReplayRunFactory(started_at=_ago(1), options=options)
    assert not gate.is_full_run(partial)
    assert gate.latest_full_run() == full


def test_a_run_without_recorded_restrictions_is_full_and_an_errored_one_never_counts():
    recorded = ReplayRunFactory(started_at=_ago(3), options={})
    ReplayRunFactory(started_at=_ago(1), status=ReplayRunStatus.ERROR, pass_rate=None)
    assert gate.is_full_run(recorded)
    assert gate.latest_full_run() == recorded


def test_there_is_no_latest_full_run_when_every_run_was_partial():
    ReplayRunFactory(options={"tags": ["smoke"]})
    assert gate.latest_full_run() is None
    assert _check(release_readiness(), "replay").status == "fail"


def test_readiness_and_escalations_judge_the_full_run_not_a_newer_green_partial_one():
    ReplayRunFactory(started_at=_ago(2), total=20, passed=10, pass_rate=0.5)
    ReplayRunFactory(started_at=_ago(1), pass_rate=1.0, options={"tags": ["smoke"]})
    assert _check(release_readiness(), "replay_pass_rate").status == "fail"
    assert EscalationRule.REPLAY_PASS_RATE in [e["rule"] for e in check_escalations()["raised"]]


def test_the_scorecard_reads_the_weeks_last_full_run():
    ReplayRunFactory(started_at=WEEK_START + timedelta(days=1), pass_rate=0.9)
    ReplayRunFactory(
        started_at=WEEK_START + timedelta(days=2), pass_rate=1.0, options={"max_cases": 2}
    )
    assert build_scorecard(WEEK).metrics["replay"]["pass_rate"] == 0.9


# --- the pass-rate bar -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rate", "ok"), [(gate.MIN_PASS_RATE, True), (gate.MIN_PASS_RATE - 0.001, False)]
)
def test_readiness_and_the_escalation_share_the_bar(rate, ok):
    ReplayRunFactory(total=1000, passed=round(rate * 1000), pass_rate=rate)
    assert (_check(release_readiness(), "replay_pass_rate").status == "ok") is ok
    raised = [e["rule"] for e in check_escalations()["raised"]]
    assert (EscalationRule.REPLAY_PASS_RATE not in raised) is ok


def test_readiness_says_it_does_not_trust_the_runs_own_verdict():
    # Started with --min-pass-rate 0.5, the run let itself through at 60 %; the release bar
    # does not.
    ReplayRunFactory(total=10, passed=6, pass_rate=0.6, min_pass_rate=0.5, block_build=False)
    report = release_readiness()
    line = _check(report, "replay").detail
    assert "own verdict (not blocked at minimum 50%) is not trusted" in line
    assert _check(report, "replay_pass_rate").status == "fail"
    assert report.ready is False


def test_the_replay_command_and_its_options_default_to_the_release_bar():
    parser = ReplayCommand().create_parser("manage.py", "replay")
    assert parser.parse_args([]).min_pass_rate == gate.MIN_PASS_RATE
    assert GateOptions().min_pass_rate == gate.MIN_PASS_RATE


# --- the judge's auto-fail bar ---------------------------------------------------------------
def test_the_groundedness_escalation_counts_exactly_the_judges_auto_fails():
    run = ReplayRunFactory()
    at_bar = judged(run, groundedness=gate.AUTO_FAIL_AT, case_id="AT_BAR")
    judged(run, groundedness=gate.AUTO_FAIL_AT + 1, case_id="ABOVE")
    assert list(groundedness_failures(run)) == [at_bar]


def test_the_judge_fails_a_case_at_the_auto_fail_bar():
    case = CaseSpec(case_id="C", agent="qualify", expected_tools=["crm.read_contact"])
    # Two invented numbers nobody retrieved: groundedness 1, below the bar.
    output = RunnerOutput(
        actual_output="Revenue grew 4200 and 3100.",
        tool_trace_log=["crm.read_contact"],
        rag_context_chunks=["nothing numeric"],
    )
    verdict = judge_case(case, output)
    assert verdict.scores["groundedness"] <= gate.AUTO_FAIL_AT
    assert not verdict.passed
    assert f"groundedness {verdict.scores['groundedness']} ≤ {gate.AUTO_FAIL_AT}" in (
        verdict.auto_fail_reasons
    )
