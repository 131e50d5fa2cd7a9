"""The weekly scorecard (DESIGN section 6): one ISO week's figures, stored, signed off, exported.

``build_scorecard`` computes every figure from the rows of the week (``[Monday 00:00 UTC,
next Monday)``) and stores it; with no argument it builds the last complete week, so a cron can
call it as is. ``sign_off`` records who signed it and when, and only for a user holding
``evaluation.signoff_scorecard`` (the Head of Sales; superusers); a signed-off week is never
rebuilt.
``to_markdown`` / ``to_json`` are the exports.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from approvals.choices import (
    QueueEventType,
    QueueItemKind,
    QueueStatus,
    SentMessageStatus,
    SlaState,
)
from approvals.models import QueueEvent, QueueItem, SentMessage, SlaPolicy
from approvals.sla import age_filter, cutoffs
from caio_site.models import scheduler_success
from evaluation.escalations import groundedness_failures
from evaluation.gate import full_runs
from evaluation.models import CaseResult, ReplayRun, Scorecard

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
TREND_WEEKS = 4


class ScorecardError(Exception):
    """Base of the scorecard's refusals."""


class ScorecardSignedOff(ScorecardError):
    """The week's scorecard is signed off: its figures are final and are not rebuilt."""


class ScorecardConflict(ScorecardError):
    """The scorecard was already signed off (or does not exist) when the sign-off arrived."""


class SignOffNotAllowed(ScorecardError):
    """The user may not sign scorecards off (only the Head of Sales, or a superuser, does)."""


SIGN_OFF_PERMISSION = "evaluation.signoff_scorecard"


# --- weeks --------------------------------------------------------------------------------------
def parse_week(week: str) -> date:
    """The Monday of ISO week ``YYYY-Www``; ValueError on anything else (incl. week 54)."""
    match = WEEK_RE.match(week or "")
    if not match:
        raise ValueError(f"week must look like 2026-W48, not {week!r}")
    year, number = int(match[1]), int(match[2])
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValueError(f"{week!r} is not an ISO week of {year}") from exc


def week_label(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def last_complete_week(now: datetime | None = None) -> str:
    """The ISO week before the one ``now`` falls in (UTC)."""
    today = (now or timezone.now()).astimezone(UTC).date()
    return week_label(today - timedelta(days=7))


def week_bounds(week: str) -> tuple[datetime, datetime]:
    monday = parse_week(week)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start, start + timedelta(days=7)


# --- figures ------------------------------------------------------------------------------------
def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation: the figure is an observed time)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _run_of_week(start: datetime, end: datetime) -> ReplayRun | None:
    """The week's last full replay run (a partial run is not the week's pass rate)."""
    return (
        full_runs()
        .filter(started_at__gte=start, started_at__lt=end)
        .order_by("-started_at", "-id")
        .first()
    )


def _replay_figures(week: str, start: datetime, end: datetime) -> dict:
    run = _run_of_week(start, end)
    trend = []
    for back in range(TREND_WEEKS, 0, -1):
        previous_start = start - timedelta(days=7 * back)
        previous = _run_of_week(previous_start, previous_start + timedelta(days=7))
        trend.append(
            {
                "week": week_label(previous_start.date()),
                "pass_rate": previous.pass_rate if previous else None,
            }
        )
    if run is None:
        return {
            "run_id": None,
            "pass_rate": None,
            "trend": trend,
            "critical_failures": 0,
            "groundedness_failures": 0,
            "negative_constraint_violations": 0,
        }
    violations = 0
    for judge in CaseResult.objects.filter(run=run).values_list("judge", flat=True):
        violated = ((judge or {}).get("constraints_evaluation") or {}).get(
            "negative_constraints_violated"
        )
        violations += len(violated or [])
    return {
        "run_id": run.pk,
        "golden_set": run.golden_set_label,
        "pass_rate": run.pass_rate,
        "passed": run.passed,
        "total": run.total,
        "trend": trend,
        "critical_failures": run.critical_failures,
        "groundedness_failures": groundedness_failures(run).count(),
        "negative_constraint_violations": violations,
    }


def _approval_figures(start: datetime, end: datetime, policy) -> dict:
    """Decisions on emails in the week, from the decision events (one per item at most)."""
    decisions = QueueEvent.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        item__kind=QueueItemKind.EMAIL,
        event_type__in=[
            QueueEventType.APPROVED,
            QueueEventType.APPROVED_WITH_EDITS,
            QueueEventType.REJECTED,
        ],
    )
    rows = list(
        decisions.order_by().values(
            "event_type",
            "created_at",
            "item__created_at",
            "item__decided_at",
            "item__rejection_category__key",
        )
    )
    approved = [r for r in rows if r["event_type"] != QueueEventType.REJECTED]
    edited = sum(1 for r in rows if r["event_type"] == QueueEventType.APPROVED_WITH_EDITS)
    rejected = [r for r in rows if r["event_type"] == QueueEventType.REJECTED]
    mix: dict[str, int] = {}
    for row in rejected:
        key = row["item__rejection_category__key"] or "uncategorised"
        mix[key] = mix.get(key, 0) + 1
    hours = [
        ((r["item__decided_at"] or r["created_at"]) - r["item__created_at"]).total_seconds() / 3600
        for r in approved
    ]
    p50, p90 = _percentile(hours, 0.5), _percentile(hours, 0.9)
    breach_hours = policy.breached_after_hours
    return {
        "decided": len(rows),
        "approved": len(approved),
        "edited": edited,
        "rejected": len(rejected),
        "approval_rate": _ratio(len(approved), len(rows)),
        "edit_rate": _ratio(edited, len(approved)),
        "rejection_mix": dict(sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))),
        "time_to_approve": {
            "p50_hours": p50,
            "p90_hours": p90,
            "target_hours": policy.target_hours,
            "p90_within_target": None if p90 is None else p90 <= policy.target_hours,
        },
        "decided_after_breach": sum(
            1
            for r in rows
            if ((r["item__decided_at"] or r["created_at"]) - r["item__created_at"])
            >= timedelta(hours=breach_hours)
        ),
    }


def _queue_figures(end: datetime, policy) -> dict:
    """Items pending when the week ended: still pending, or decided/closed after it ended."""
    cuts = cutoffs(policy, end)
    pending_then = QueueItem.objects.filter(created_at__lt=end).filter(
        Q(status=QueueStatus.PENDING) | Q(decided_at__gte=end)
    )
    return pending_then.aggregate(
        **{state.value: Count("id", filter=age_filter(state, cuts)) for state in SlaState}
    )


def _send_figures(start: datetime, end: datetime) -> dict:
    counts = SentMessage.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        sent=Count("id", filter=Q(status=SentMessageStatus.SENT)),
        failed=Count("id", filter=Q(status=SentMessageStatus.FAILED)),
    )
    attempted = counts["sent"] + counts["failed"]
    return {**counts, "attempted": attempted, "rate": _ratio(counts["sent"], attempted)}


def compute_metrics(week: str) -> dict:
    """Every figure of ``week`` from the rows in the database (nothing stored)."""
    start, end = week_bounds(week)
    policy = SlaPolicy.current()
    approvals = _approval_figures(start, end, policy)
    aging = _queue_figures(end, policy)
    decided_late = approvals.pop("decided_after_breach")
    return {
        "week": week,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "replay": _replay_figures(week, start, end),
        "approvals": approvals,
        "queue_aging": aging,
        "sla": {
            "breached_after_hours": policy.breached_after_hours,
            "pending_past_breach_at_week_end": aging["breached"],
            "decided_after_breach": decided_late,
            "breaches": aging["breached"] + decided_late,
        },
        "sends": _send_figures(start, end),
        "scheduler": scheduler_success(start, end),
    }


# --- storing and signing off --------------------------------------------------------------------
def build_scorecard(week: str | None = None, *, now: datetime | None = None) -> Scorecard:
    """Compute and store the scorecard of ``week`` (default: the last complete week).

    An unsigned week is updated in place; a signed-off week raises ``ScorecardSignedOff``.
    ValueError on a malformed week.
    """
    now = now or timezone.now()
    week = last_complete_week(now) if week is None else week
    parse_week(week)
    metrics = compute_metrics(week)
    # Claimed like every state change: only an unsigned row is updated.
    updated = Scorecard.objects.filter(week=week, signed_off_at__isnull=True).update(
        metrics=metrics, created_at=now
    )
    if not updated:
        if Scorecard.objects.filter(week=week).exists():
            raise ScorecardSignedOff(f"the {week} scorecard is signed off and is not rebuilt")
        try:
            with transaction.atomic():
                Scorecard.objects.create(week=week, metrics=metrics, created_at=now)
        except IntegrityError:
            # A concurrent build created it first; take its row the same conditional way.
            if not Scorecard.objects.filter(week=week, signed_off_at__isnull=True).update(
                metrics=metrics, created_at=now
            ):
                raise ScorecardSignedOff(
                    f"the {week} scorecard is signed off and is not rebuilt"
                ) from None
    return Scorecard.objects.get(week=week)


def may_sign_off(user) -> bool:
    """The scorecard's owner signs it off: the Head of Sales holds ``signoff_scorecard``, and an
    active superuser has every permission, so may stand in."""
    return bool(user is not None and user.has_perm(SIGN_OFF_PERMISSION))


def sign_off(scorecard_id: int, *, user, now: datetime | None = None) -> Scorecard:
    """Record that ``user`` signed the scorecard off. ``SignOffNotAllowed`` for anyone but the
    Head of Sales (and superusers); ``ScorecardConflict`` when it already is signed off."""
    if not may_sign_off(user):
        raise SignOffNotAllowed("Only the Head of Sales signs off scorecards.")
    claimed = Scorecard.objects.filter(pk=scorecard_id, signed_off_at__isnull=True).update(
        signed_off_by=user, signed_off_at=now or timezone.now()
    )
    if not claimed:
        raise ScorecardConflict(f"scorecard #{scorecard_id} is already signed off or gone")
    return Scorecard.objects.select_related("signed_off_by").get(pk=scorecard_id)


# --- exports ------------------------------------------------------------------------------------
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def figure_rows(scorecard: Scorecard) -> list[tuple[str, str]]:
    """The headline figures as (label, value) rows: the Markdown table and the admin page."""
    m = scorecard.metrics
    replay, approvals, sla = m["replay"], m["approvals"], m["sla"]
    tta, aging, sends, sched = (
        approvals["time_to_approve"],
        m["queue_aging"],
        m["sends"],
        m["scheduler"],
    )
    trend = ", ".join(f"{t['week']}: {percent(t['pass_rate'])}" for t in replay["trend"])
    mix = ", ".join(f"{k} {v}" for k, v in approvals["rejection_mix"].items()) or "none"
    return [
        ("Replay pass rate", percent(replay["pass_rate"])),
        ("Pass-rate trend (previous weeks)", trend),
        ("Critical failures", str(replay["critical_failures"])),
        ("Groundedness failures", str(replay["groundedness_failures"])),
        ("Negative-constraint violations", str(replay["negative_constraint_violations"])),
        (
            "Approval rate",
            f"{percent(approvals['approval_rate'])} "
            f"({approvals['approved']}/{approvals['decided']})",
        ),
        (
            "Edit rate",
            f"{percent(approvals['edit_rate'])} ({approvals['edited']}/{approvals['approved']})",
        ),
        ("Rejection mix", mix),
        (
            "Time to approve p50 / p90",
            f"{hours(tta['p50_hours'])} / {hours(tta['p90_hours'])} "
            f"(target {tta['target_hours']} h)",
        ),
        (
            "Queue aging at week end",
            f"within target {aging['within_target']}, at risk {aging['at_risk']}, "
            f"breached {aging['breached']}",
        ),
        ("SLA breaches", str(sla["breaches"])),
        ("Send success", f"{percent(sends['rate'])} ({sends['sent']}/{sends['attempted']})"),
        ("Scheduler success", f"{percent(sched['rate'])} ({sched['ok']}/{sched['total']})"),
    ]


def to_markdown(scorecard: Scorecard) -> str:
    lines = [f"# Scorecard {scorecard.week}", ""]
    if scorecard.signed_off_at:
        who = scorecard.signed_off_by.get_username() if scorecard.signed_off_by else "(deleted)"
        lines += [f"Signed off by {who} at {scorecard.signed_off_at.isoformat()}.", ""]
    else:
        lines += ["Not signed off.", ""]
    lines += ["| Figure | Value |", "| --- | --- |"]
    lines += [f"| {label} | {value.replace('|', '/')} |" for label, value in figure_rows(scorecard)]
    return "\n".join(lines) + "\n"


def to_json(scorecard: Scorecard) -> str:
    return json.dumps(
        {
            "week": scorecard.week,
            "created_at": scorecard.created_at.isoformat(),
            "signed_off_by": (
                scorecard.signed_off_by.get_username() if scorecard.signed_off_by else None
            ),
            "signed_off_at": (
                scorecard.signed_off_at.isoformat() if scorecard.signed_off_at else None
            ),
            "metrics": scorecard.metrics,
        },
        indent=2,
    )
