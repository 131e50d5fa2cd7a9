"""Escalations: the hourly check of DESIGN section 6's rules, notification, ack and resolve.

``check_escalations`` (``manage.py check_escalations`` and the ``escalation-check`` cron)
evaluates every rule; a breached rule raises at most one ``Escalation`` per UTC day, and only a
newly raised one is notified (email to ``OPS_NOTIFICATION_EMAILS`` and the superusers, plus the
optional Slack incoming webhook). ``acknowledge`` and ``resolve`` are the only ways its status
changes. A rule that has cleared does not resolve its escalation by itself: a person says it is
dealt with.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Min
from django.utils import timezone

from approvals.choices import SlaState
from approvals.models import QueueItem, SlaPolicy
from approvals.sla import cutoffs, sla_filter
from caio_site.runtime.dependencies import FAIL, check_inngest, check_redis
from evaluation.choices import (
    ESCALATION_OPEN_STATUSES,
    CaseOutcome,
    EscalationRule,
    EscalationStatus,
    Severity,
)
from evaluation.gate import AUTO_FAIL_AT, MIN_PASS_RATE, latest_full_run
from evaluation.models import CaseResult, Escalation, ReplayRun
from traces.retention import hold, release

logger = logging.getLogger(__name__)

SLACK_TIMEOUT_SECONDS = 5.0
# Detail lists are for a human to start from, not a full export.
MAX_LISTED = 20


class EscalationConflict(Exception):
    """The escalation is not in a state that allows the transition (someone got there first)."""


@dataclass(frozen=True)
class Finding:
    """A breached rule, before it becomes (or matches) an Escalation."""

    rule: str
    severity: str
    title: str
    detail: dict
    correlation_ids: list[str] = field(default_factory=list)


def groundedness_failures(run: ReplayRun):
    """Results of ``run`` the judge failed on groundedness (score at or below the auto-fail
    bar: the output made claims nothing retrieved supports). Runner errors score 1 everywhere
    because nothing ran; they count against the pass rate, not as unsupported claims."""
    return (
        CaseResult.objects.filter(run=run, judge__rubric__groundedness__score__lte=AUTO_FAIL_AT)
        .exclude(outcome=CaseOutcome.RUNNER_ERROR)
        .order_by("case_id")
    )


# --- rules: each returns a Finding when breached, None when clear ------------------------------
def rule_replay_pass_rate(now: datetime) -> Finding | None:
    run = latest_full_run()
    if run is None or run.pass_rate is None or run.pass_rate >= MIN_PASS_RATE:
        return None
    failed = list(
        run.results.exclude(outcome=CaseOutcome.PASSED)
        .order_by("case_id")
        .values_list("case_id", "correlation_id")[:MAX_LISTED]
    )
    return Finding(
        EscalationRule.REPLAY_PASS_RATE,
        Severity.MAJOR,
        f"Replay #{run.pk} ({run.golden_set_label}) passed {run.pass_rate:.1%} "
        f"< {MIN_PASS_RATE:.0%}",
        {
            "replay_run": run.pk,
            "golden_set": run.golden_set_label,
            "pass_rate": run.pass_rate,
            "passed": run.passed,
            "total": run.total,
            "failed_cases": [case_id for case_id, _ in failed],
        },
        [cid for _, cid in failed if cid],
    )


def rule_groundedness(now: datetime) -> Finding | None:
    run = latest_full_run()
    if run is None:
        return None
    failures = list(
        groundedness_failures(run).values_list("case_id", "correlation_id")[:MAX_LISTED]
    )
    if not failures:
        return None
    total = groundedness_failures(run).count()
    return Finding(
        EscalationRule.GROUNDEDNESS_FAILURE,
        Severity.CRITICAL,
        f"Replay #{run.pk}: {total} case(s) with unsupported claims (groundedness "
        f"≤ {AUTO_FAIL_AT})",
        {
            "replay_run": run.pk,
            "golden_set": run.golden_set_label,
            "count": total,
            "cases": [case_id for case_id, _ in failures],
        },
        [cid for _, cid in failures if cid],
    )


def rule_redis(now: datetime) -> Finding | None:
    if not settings.REDIS_REQUIRED:
        return None

    result = check_redis()
    if result.status != FAIL:
        return None
    return Finding(
        EscalationRule.REDIS_UNAVAILABLE,
        Severity.CRITICAL,
        "Redis is unavailable and REDIS_REQUIRED=true: rate limits and locks fail closed",
        {"detail": result.detail, "latency_ms": result.latency_ms},
    )


def rule_inngest(now: datetime) -> Finding | None:
    if not settings.INNGEST_REQUIRED:
        return None

    result = check_inngest()
    if result.status != FAIL:
        return None
    return Finding(
        EscalationRule.INNGEST_UNUSABLE,
        Severity.CRITICAL,
        f"Inngest is required but unusable: {result.detail}"[:300],
        {"detail": result.detail, "mode": result.data.get("mode")},
    )


def rule_queue_aging(now: datetime) -> Finding | None:
    policy = SlaPolicy.current()
    breached = QueueItem.objects.filter(sla_filter(SlaState.BREACHED, cutoffs(policy, now)))
    count = breached.count()
    if not count:
        return None
    oldest = breached.aggregate(oldest=Min("created_at"))["oldest"]
    ids = list(breached.order_by("created_at", "id").values_list("pk", flat=True)[:MAX_LISTED])
    oldest_hours = round((now - oldest).total_seconds() / 3600, 1)
    return Finding(
        EscalationRule.QUEUE_AGING,
        Severity.MAJOR,
        f"{count} pending draft(s) older than the {policy.breached_after_hours} h SLA "
        f"(oldest {oldest_hours} h)",
        {
            "count": count,
            "breached_after_hours": policy.breached_after_hours,
            "oldest_age_hours": oldest_hours,
            "queue_items": ids,
        },
    )


RULES: dict[str, Callable[[datetime], Finding | None]] = {
    EscalationRule.REPLAY_PASS_RATE: rule_replay_pass_rate,
    EscalationRule.GROUNDEDNESS_FAILURE: rule_groundedness,
    EscalationRule.REDIS_UNAVAILABLE: rule_redis,
    EscalationRule.INNGEST_UNUSABLE: rule_inngest,
    EscalationRule.QUEUE_AGING: rule_queue_aging,
}


# --- raising and notifying ---------------------------------------------------------------------
def raise_escalation(finding: Finding, *, now: datetime | None = None) -> tuple[Escalation, bool]:
    """The escalation of ``finding``'s rule for today: created (True) or the one already raised.

    ``get_or_create`` inserts inside a savepoint and, when a concurrent check inserted the same
    (rule, day) first, catches the IntegrityError of ``escalation_rule_day_uniq`` and returns
    that row, so two overlapping checks raise one escalation.
    """
    now = now or timezone.now()
    escalation, created = Escalation.objects.get_or_create(
        rule=finding.rule,
        day=now.astimezone(UTC).date(),
        defaults={
            "severity": finding.severity,
            "title": finding.title[:300],
            # What is held is recorded so an operator can open the timelines.
            "detail": {**finding.detail, "correlation_ids": finding.correlation_ids},
            "created_at": now,
        },
    )
    if created and finding.correlation_ids:
        hold_traces(escalation, finding.correlation_ids)
    return escalation, created


def hold_traces(escalation: Escalation, correlation_ids) -> None:
    """Keep the envelopes behind ``escalation`` until it is resolved."""
    for correlation_id in dict.fromkeys(correlation_ids):
        hold(
            correlation_id=correlation_id,
            holder=escalation,
            reason=f"escalation {escalation.pk} ({escalation.rule})",
        )


def recipients() -> list[str]:
    """``OPS_NOTIFICATION_EMAILS`` and every active superuser with an address."""
    superusers = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({*settings.OPS_NOTIFICATION_EMAILS, *superusers})


def _message(escalation: Escalation) -> str:
    path = f"/admin/evaluation/escalation/{escalation.pk}/change/"
    return (
        f"[{escalation.get_severity_display()}] {escalation.get_rule_display()}\n\n"
        f"{escalation.title}\n\n"
        f"{json.dumps(escalation.detail, indent=2, sort_keys=True, default=str)}\n\n"
        f"Acknowledge or resolve it: {settings.SITE_URL}{path}\n"
    )


def notify(escalation: Escalation) -> dict:
    """Email and Slack for a newly raised escalation. A failing channel is logged and skipped:
    the escalation is stored either way and stays visible in admin and readiness."""
    sent = {"email": 0, "slack": False}
    to = recipients()
    if to:
        try:
            sent["email"] = send_mail(
                subject=f"Escalation: {escalation.title}"[:200],
                message=_message(escalation),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=to,
            )
        except (SMTPException, OSError):
            logger.exception("escalation %s: email notification failed", escalation.pk)
    else:
        logger.warning("escalation %s raised but nobody is set up to be told", escalation.pk)
    if settings.SLACK_WEBHOOK_URL:
        sent["slack"] = post_to_slack(
            settings.SLACK_WEBHOOK_URL,
            f":rotating_light: *{escalation.get_severity_display()}* {escalation.title}\n"
            f"{settings.SITE_URL}/admin/evaluation/escalation/{escalation.pk}/change/",
        )
    return sent


def post_to_slack(url: str, text: str) -> bool:
    """POST ``{"text": …}`` to a Slack incoming webhook; True when it answered 2xx."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=SLACK_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # HTTPError is a URLError; ValueError is a malformed URL. The check must go on.
        logger.warning("slack webhook failed: %s: %s", type(exc).__name__, exc)
        return False


def check_escalations(*, now: datetime | None = None) -> dict:
    """Evaluate every rule, raise (and notify) what is newly breached today; the cron's entry
    point. Returns what was raised, what was already raised today, and what is clear."""
    now = now or timezone.now()
    raised, already, clear = [], [], []
    for rule, evaluate in RULES.items():
        finding = evaluate(now)
        if finding is None:
            clear.append(str(rule))
            continue
        escalation, created = raise_escalation(finding, now=now)
        entry = {
            "id": escalation.pk,
            "rule": str(rule),
            "severity": escalation.severity,
            "status": escalation.status,
            "title": escalation.title,
        }
        if created:
            entry["notified"] = notify(escalation)
            logger.warning("escalation raised: %s", escalation.title, extra={"rule": str(rule)})
            raised.append(entry)
        else:
            already.append(entry)
    return {"raised": raised, "already_raised_today": already, "clear": clear}


# --- transitions -------------------------------------------------------------------------------
def _current_status(escalation_id: int) -> str:
    return (
        Escalation.objects.filter(pk=escalation_id).values_list("status", flat=True).first()
        or "missing"
    )


def acknowledge(escalation_id: int, *, actor) -> Escalation:
    """Someone is on it: open → acknowledged. Raises EscalationConflict otherwise."""
    updated = Escalation.objects.filter(pk=escalation_id, status=EscalationStatus.OPEN).update(
        status=EscalationStatus.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=timezone.now()
    )
    if updated != 1:
        raise EscalationConflict(
            f"escalation {escalation_id} is {_current_status(escalation_id)}, not open"
        )
    return Escalation.objects.get(pk=escalation_id)


def resolve(escalation_id: int, *, actor) -> Escalation:
    """Dealt with: open or acknowledged → resolved; its traces are released to retention."""
    updated = Escalation.objects.filter(
        pk=escalation_id, status__in=ESCALATION_OPEN_STATUSES
    ).update(status=EscalationStatus.RESOLVED, resolved_by=actor, resolved_at=timezone.now())
    if updated != 1:
        raise EscalationConflict(
            f"escalation {escalation_id} is {_current_status(escalation_id)}, not open"
        )
    escalation = Escalation.objects.get(pk=escalation_id)
    release(escalation)
    return escalation


def open_escalations():
    """Escalations not yet resolved (open or acknowledged)."""
    return Escalation.objects.filter(status__in=ESCALATION_OPEN_STATUSES)
