"""evaluation.readiness.release_readiness and ``manage.py release_readiness``."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from approvals.choices import QueueStatus
from caio_site.choices import SchedulerRunStatus
from caio_site.models import SchedulerRun
from evaluation.choices import EscalationRule, EscalationStatus, Severity
from evaluation.models import Escalation
from evaluation.readiness import release_readiness
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.ops_helpers import aged_item

pytestmark = pytest.mark.django_db
_run_ids = itertools.count()


def _check(report, name):
    return next(check for check in report.checks if check.name == name)


def _scheduler_runs(ok: int, failed: int, *, days_ago: float = 1) -> None:
    started = timezone.now() - timedelta(days=days_ago)
    for index in range(ok + failed):
        SchedulerRun.objects.create(
            function_id="pipeline-scan",
            run_id=f"run-{next(_run_ids)}",
            status=SchedulerRunStatus.OK if index < ok else SchedulerRunStatus.FAILED,
            started_at=started,
            finished_at=started,
        )


def _escalation(severity, status=EscalationStatus.OPEN, rule=EscalationRule.REDIS_UNAVAILABLE):
    return Escalation.objects.create(
        rule=rule,
        day=timezone.now().date(),
        severity=severity,
        status=status,
        title=f"{rule} is breached",
        created_at=timezone.now(),
    )


@pytest.fixture
def green():
    """Everything a release needs: a fresh passing run and healthy scheduled jobs."""
    run = ReplayRunFactory(total=20, passed=20, pass_rate=1.0)
    _scheduler_runs(ok=10, failed=0)
    return run


def test_a_green_system_is_ready(green):
    report = release_readiness()
    assert report.ready is True
    assert report.reasons == []
    assert {check.name for check in report.checks} == {
        "replay",
        "replay_recent",
        "replay_pass_rate",
        "critical_failures",
        "queue_health",
        "scheduler_success",
        "open_escalations",
    }
    assert all(check.status == "ok" for check in report.checks)


def test_without_any_replay_run_it_is_not_ready():
    _scheduler_runs(ok=5, failed=0)
    report = release_readiness()
    assert report.ready is False
    assert report.reasons == ["replay: no full replay run (partial runs do not count)"]


def test_a_pass_rate_below_95_percent_is_not_ready(green):
    ReplayRunFactory(total=20, passed=18, pass_rate=0.9)
    report = release_readiness()
    assert report.ready is False
    assert _check(report, "replay_pass_rate").ok is False
    assert report.reasons == ["replay_pass_rate: 90.0% (18/20), minimum 95%"]


def test_exactly_95_percent_passes(green):
    ReplayRunFactory(total=20, passed=19, pass_rate=0.95)
    assert _check(release_readiness(), "replay_pass_rate").ok is True


def test_only_the_latest_completed_run_counts(green):
    ReplayRunFactory(
        total=20,
        passed=10,
        pass_rate=0.5,
        started_at=timezone.now() - timedelta(days=1),
    )
    assert release_readiness().ready is True


def test_a_critical_failure_is_not_ready(green):
    ReplayRunFactory(total=20, passed=20, pass_rate=1.0, critical_failures=1)
    report = release_readiness()
    assert report.ready is False
    assert _check(report, "critical_failures").ok is False


def test_a_replay_older_than_seven_days_is_not_ready():
    _scheduler_runs(ok=3, failed=0)
    run = ReplayRunFactory(pass_rate=1.0, started_at=timezone.now() - timedelta(days=8))
    report = release_readiness()
    assert report.ready is False
    assert report.reasons == [f"replay_recent: run #{run.pk} started 8 day(s) ago (> 7 days)"]


def test_a_breached_pending_draft_is_not_ready(green):
    aged_item(hours=30)
    report = release_readiness()
    assert report.ready is False
    assert _check(report, "queue_health").detail == "1 pending draft(s) past the 24 h SLA"


def test_young_or_decided_drafts_keep_the_queue_healthy(green):
    aged_item(hours=10)
    aged_item(hours=30, status=QueueStatus.REJECTED)
    assert _check(release_readiness(), "queue_health").ok is True


def test_scheduler_success_below_90_percent_is_not_ready(green):
    _scheduler_runs(ok=0, failed=2)  # 10 ok + 2 failed = 83 %
    report = release_readiness()
    assert report.ready is False
    assert _check(report, "scheduler_success").detail.startswith("83% of 12 run(s) ok")


def test_scheduler_runs_older_than_seven_days_do_not_count(green):
    _scheduler_runs(ok=0, failed=5, days_ago=8)
    assert _check(release_readiness(), "scheduler_success").ok is True


def test_no_scheduled_run_at_all_is_a_warning_not_a_failure():
    ReplayRunFactory(pass_rate=1.0)
    report = release_readiness()
    check = _check(report, "scheduler_success")
    assert (check.status, check.ok) == ("warn", True)
    assert report.ready is True


def test_an_unresolved_critical_escalation_is_not_ready(green):
    _escalation(Severity.CRITICAL, status=EscalationStatus.ACKNOWLEDGED)
    report = release_readiness()
    assert report.ready is False
    assert _check(report, "open_escalations").detail == (
        "1 critical escalation(s) unresolved: redis_unavailable is breached"
    )


def test_resolved_or_non_critical_escalations_do_not_block(green):
    _escalation(Severity.CRITICAL, status=EscalationStatus.RESOLVED)
    _escalation(Severity.MAJOR, rule=EscalationRule.QUEUE_AGING)
    report = release_readiness()
    assert report.ready is True
    assert _check(report, "open_escalations").detail == (
        "no critical escalation unresolved (1 other(s) open)"
    )


# --- the command -------------------------------------------------------------------------------
def test_the_command_prints_each_check_and_ready_with_exit_0(green):
    out = StringIO()
    call_command("release_readiness", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "READY"
    assert len(lines) == 8
    assert all(line.startswith("OK   ") for line in lines[:-1])


def test_the_command_exits_1_with_reasons_when_not_ready(green):
    aged_item(hours=30)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("release_readiness", stdout=out)
    assert exit_info.value.code == 1
    text = out.getvalue()
    assert "FAIL queue_health: 1 pending draft(s) past the 24 h SLA" in text
    assert text.splitlines()[-2:] == [
        "NOT READY",
        "  - queue_health: 1 pending draft(s) past the 24 h SLA",
    ]


def test_the_command_prints_warnings_as_warn():
    ReplayRunFactory(pass_rate=1.0)
    out = StringIO()
    call_command("release_readiness", stdout=out)
    assert "WARN scheduler_success: no scheduled run in the last 7 days" in out.getvalue()


def test_the_command_json_is_the_report(green):
    out = StringIO()
    ReplayRunFactory(pass_rate=0.5, total=2, passed=1)
    with pytest.raises(SystemExit):
        call_command("release_readiness", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ready"] is False
    assert report["reasons"] == ["replay_pass_rate: 50.0% (1/2), minimum 95%"]
    assert {"name", "ok", "detail", "status"} <= set(report["checks"][0])
