"""Release readiness: may we ship? ``READY`` or ``NOT READY`` with the reasons.

One domain function, ``release_readiness``, behind ``manage.py release_readiness`` and the
``release-readiness`` cron (Fridays). The checks (DESIGN section 6):

- ``replay``: there is a full replay run (``evaluation.gate.latest_full_run``: completed, not
  narrowed by ``--tag``/``--max-cases``); ``replay_recent``: it started within
  ``REPLAY_MAX_AGE`` (an old green run says nothing about this week's agents);
- ``replay_pass_rate``: its pass rate is at least the release bar (``gate.MIN_PASS_RATE``);
  ``critical_failures``: none. Readiness does not trust the run's own verdict
  (``block_build``): that was decided against whatever ``--min-pass-rate`` and baseline the
  run was started with, so the bars are re-applied here, and the ``replay`` line says so;
- ``queue_health``: no pending draft is past the SLA breach threshold;
- ``scheduler_success``: at least 90 % of the scheduled runs of the last 7 days succeeded.
  No finished run at all is a *warning*, not a failure: in the embedded shape nothing runs the
  crons unless an operator calls ``run_scheduled_job``, and that must not block a release by
  itself (with Inngest required, its absence is caught by the escalation check instead);
- ``open_escalations``: no unresolved escalation of critical severity (others are listed).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from django.utils import timezone

from approvals.choices import SlaState
from approvals.models import QueueItem, SlaPolicy
from approvals.sla import cutoffs, sla_filter
from caio_site.models import scheduler_success
from evaluation.choices import Severity
from evaluation.escalations import open_escalations
from evaluation.gate import MIN_PASS_RATE, latest_full_run

OK, WARN, FAIL = "ok", "warn", "fail"
REPLAY_MAX_AGE = timedelta(days=7)
SCHEDULER_WINDOW = timedelta(days=7)
SCHEDULER_SUCCESS_MINIMUM = 0.9


@dataclasses.dataclass(frozen=True)
class ReadinessCheck:
    """One line of the report. ``ok`` is False only for a failure; a warning is ok."""

    name: str
    ok: bool
    detail: str
    status: str = OK  # ok | warn | fail


@dataclasses.dataclass(frozen=True)
class ReadinessReport:
    ready: bool
    reasons: list[str]
    checks: list[ReadinessCheck]
    evaluated_at: str = ""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _check(name: str, status: str, detail: str) -> ReadinessCheck:
    return ReadinessCheck(name=name, ok=status != FAIL, detail=detail, status=status)


def _replay_checks(now: datetime) -> list[ReadinessCheck]:
    run = latest_full_run()
    if run is None:
        return [_check("replay", FAIL, "no full replay run (partial runs do not count)")]
    age = now - run.started_at
    verdict = "blocked" if run.block_build else "not blocked"
    checks = [
        _check(
            "replay",
            OK,
            f"latest full run #{run.pk} ({run.golden_set_label}); its own verdict ({verdict} "
            f"at minimum {run.min_pass_rate:.0%}) is not trusted: the release bars are "
            "re-checked here",
        ),
        _check(
            "replay_recent",
            OK if age <= REPLAY_MAX_AGE else FAIL,
            f"run #{run.pk} started {age.days} day(s) ago"
            + ("" if age <= REPLAY_MAX_AGE else f" (> {REPLAY_MAX_AGE.days} days)"),
        ),
    ]
    rate = run.pass_rate or 0.0
    checks.append(
        _check(
            "replay_pass_rate",
            OK if rate >= MIN_PASS_RATE else FAIL,
            f"{rate:.1%} ({run.passed}/{run.total}), minimum {MIN_PASS_RATE:.0%}",
        )
    )
    checks.append(
        _check(
            "critical_failures",
            OK if run.critical_failures == 0 else FAIL,
            f"{run.critical_failures} critical case(s) failed in run #{run.pk}",
        )
    )
    return checks


def _queue_check(now: datetime) -> ReadinessCheck:
    policy = SlaPolicy.current()
    breached = QueueItem.objects.filter(sla_filter(SlaState.BREACHED, cutoffs(policy, now))).count()
    return _check(
        "queue_health",
        OK if breached == 0 else FAIL,
        f"{breached} pending draft(s) past the {policy.breached_after_hours} h SLA",
    )


def _scheduler_check(now: datetime) -> ReadinessCheck:
    success = scheduler_success(now - SCHEDULER_WINDOW)
    if not success["total"]:
        return _check(
            "scheduler_success", WARN, f"no scheduled run in the last {SCHEDULER_WINDOW.days} days"
        )
    rate = success["rate"]
    return _check(
        "scheduler_success",
        OK if rate >= SCHEDULER_SUCCESS_MINIMUM else FAIL,
        f"{rate:.0%} of {success['total']} run(s) ok in {SCHEDULER_WINDOW.days} days, "
        f"minimum {SCHEDULER_SUCCESS_MINIMUM:.0%}",
    )


def _escalation_check() -> ReadinessCheck:
    unresolved = list(open_escalations().order_by("-created_at").values_list("severity", "title"))
    critical = [title for severity, title in unresolved if severity == Severity.CRITICAL]
    if critical:
        return _check(
            "open_escalations",
            FAIL,
            f"{len(critical)} critical escalation(s) unresolved: {'; '.join(critical[:3])}",
        )
    return _check(
        "open_escalations",
        OK,
        f"no critical escalation unresolved ({len(unresolved)} other(s) open)",
    )


def release_readiness(*, now: datetime | None = None) -> ReadinessReport:
    """Evaluate every check; ready when none fails. The cron records the returned report."""
    now = now or timezone.now()
    checks = [
        *_replay_checks(now),
        _queue_check(now),
        _scheduler_check(now),
        _escalation_check(),
    ]
    reasons = [f"{check.name}: {check.detail}" for check in checks if not check.ok]
    return ReadinessReport(
        ready=not reasons, reasons=reasons, checks=checks, evaluated_at=now.isoformat()
    )
