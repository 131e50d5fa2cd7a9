"""evaluation.scorecards: every figure from the week's rows, storage, sign-off, exports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from approvals.choices import QueueEventType, QueueItemKind, QueueStatus, SentMessageStatus
from approvals.models import SlaPolicy
from caio_site.choices import SchedulerRunStatus
from evaluation.choices import CaseOutcome, ReplayRunStatus, Severity
from evaluation.models import Scorecard
from evaluation.scorecards import (
    ScorecardConflict,
    ScorecardSignedOff,
    SignOffNotAllowed,
    build_scorecard,
    last_complete_week,
    parse_week,
    sign_off,
    to_json,
    to_markdown,
)
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.ops_helpers import judged
from tests.evaluation.scorecard_helpers import (
    NOW,
    WEEK,
    WEEK_END,
    WEEK_START,
    decided_item,
    queue_item,
    rejection_category,
    scheduler_run,
    sent_message,
)

pytestmark = pytest.mark.django_db


def run_at(when, pass_rate, **fields):
    return ReplayRunFactory(started_at=when, finished_at=when, pass_rate=pass_rate, **fields)


# --- weeks ----------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_the_default_week_is_the_last_complete_one():
    assert last_complete_week() == WEEK
    assert build_scorecard().week == WEEK


@time_machine.travel(datetime(2026, 11, 23, 0, 30, tzinfo=UTC), tick=False)
def test_just_after_monday_midnight_the_week_that_just_ended_is_the_default():
    assert build_scorecard().week == WEEK


@pytest.mark.parametrize("week", ["2026-48", "2026-W4", "W48-2026", "", "2025-W53", "2026-W00"])
def test_it_rejects_a_malformed_or_impossible_week(week):
    with pytest.raises(ValueError):
        parse_week(week)
    with pytest.raises(ValueError):
        build_scorecard(week)


def test_weeks_crossing_the_year_follow_the_iso_calendar():
    assert parse_week("2026-W01").isoformat() == "2025-12-29"
    assert parse_week("2026-W53").isoformat() == "2026-12-28"


# --- replay ---------------------------------------------------------------------------------
def test_the_pass_rate_is_the_latest_completed_run_of_the_week():
    run_at(WEEK_START + timedelta(days=1), 0.80)
    latest = run_at(WEEK_START + timedelta(days=3), 0.90)
    run_at(WEEK_START + timedelta(days=4), None, status=ReplayRunStatus.ERROR)
    run_at(WEEK_END + timedelta(hours=1), 0.50)

    replay = build_scorecard(WEEK).metrics["replay"]

    assert replay["pass_rate"] == 0.90
    assert replay["run_id"] == latest.pk


def test_a_week_without_a_run_has_no_pass_rate():
    replay = build_scorecard(WEEK).metrics["replay"]
    assert replay["pass_rate"] is None
    assert replay["critical_failures"] == 0


def test_the_trend_is_the_previous_four_weeks_oldest_first():
    for back, rate in ((4, 0.70), (2, 0.85), (1, 0.92)):
        run_at(WEEK_START - timedelta(days=7 * back) + timedelta(days=2), rate)
    run_at(WEEK_START - timedelta(days=7 * 5), 0.10)  # five weeks back: outside the trend

    trend = build_scorecard(WEEK).metrics["replay"]["trend"]

    assert trend == [
        {"week": "2026-W43", "pass_rate": 0.70},
        {"week": "2026-W44", "pass_rate": None},
        {"week": "2026-W45", "pass_rate": 0.85},
        {"week": "2026-W46", "pass_rate": 0.92},
    ]


def test_critical_groundedness_and_negative_constraint_failures_come_from_the_run():
    run = run_at(WEEK_START + timedelta(days=2), 0.6, critical_failures=2)
    judged(run, groundedness=2, severity=Severity.CRITICAL)
    judged(run, groundedness=1)
    judged(run, groundedness=3)
    judged(run, groundedness=1, outcome=CaseOutcome.RUNNER_ERROR)  # nothing ran: not counted
    violating = judged(run, groundedness=4)
    violating.judge["constraints_evaluation"] = {
        "negative_constraints_violated": ["mentions a competitor", "promises a discount"]
    }
    violating.save()
    other = judged(run, groundedness=5)
    other.judge["constraints_evaluation"] = {"negative_constraints_violated": ["invents a stat"]}
    other.save()

    replay = build_scorecard(WEEK).metrics["replay"]

    assert replay["critical_failures"] == 2
    assert replay["groundedness_failures"] == 2
    assert replay["negative_constraint_violations"] == 3


# --- approvals ------------------------------------------------------------------------------
def test_approval_edit_rates_and_rejection_mix_come_from_the_weeks_email_decisions():
    day = WEEK_START + timedelta(days=2)
    tone, facts = rejection_category("tone"), rejection_category("facts")
    decided_item(QueueEventType.APPROVED, decided_at=day)
    decided_item(QueueEventType.APPROVED, decided_at=day)
    decided_item(QueueEventType.APPROVED_WITH_EDITS, decided_at=day)
    decided_item(QueueEventType.REJECTED, decided_at=day, category=tone)
    decided_item(QueueEventType.REJECTED, decided_at=day, category=tone)
    decided_item(QueueEventType.REJECTED, decided_at=day, category=facts)
    # Not counted: a call-prep brief, and decisions outside the week.
    decided_item(QueueEventType.REJECTED, decided_at=day, kind=QueueItemKind.CALL_PREP)
    decided_item(QueueEventType.APPROVED, decided_at=WEEK_END + timedelta(minutes=1))
    decided_item(QueueEventType.REJECTED, decided_at=WEEK_START - timedelta(minutes=1))

    approvals = build_scorecard(WEEK).metrics["approvals"]

    assert (approvals["decided"], approvals["approved"], approvals["edited"]) == (6, 3, 1)
    assert approvals["approval_rate"] == pytest.approx(3 / 6)
    assert approvals["edit_rate"] == pytest.approx(1 / 3)
    assert approvals["rejection_mix"] == {"tone": 2, "facts": 1}


def test_time_to_approve_percentiles_are_reported_against_the_sla_target():
    policy = SlaPolicy.current()
    policy.target_hours = 6
    policy.save()
    day = WEEK_START + timedelta(days=3)
    for taken in (1, 2, 3, 10):
        decided_item(QueueEventType.APPROVED, decided_at=day, hours_to_decide=taken)
    decided_item(QueueEventType.REJECTED, decided_at=day, hours_to_decide=50)  # not an approval

    tta = build_scorecard(WEEK).metrics["approvals"]["time_to_approve"]

    assert tta == {
        "p50_hours": pytest.approx(2),
        "p90_hours": pytest.approx(10),
        "target_hours": 6,
        "p90_within_target": False,
    }


def test_a_week_without_decisions_has_no_rates():
    approvals = build_scorecard(WEEK).metrics["approvals"]
    assert approvals["approval_rate"] is None
    assert approvals["edit_rate"] is None
    assert approvals["time_to_approve"]["p50_hours"] is None


# --- queue ----------------------------------------------------------------------------------
def test_queue_aging_counts_what_was_pending_when_the_week_ended():
    # Default policy: at risk after 8 h, breached after 24 h.
    queue_item(created_at=WEEK_END - timedelta(hours=2))
    queue_item(created_at=WEEK_END - timedelta(hours=10))
    queue_item(created_at=WEEK_END - timedelta(hours=30))
    queue_item(created_at=WEEK_END - timedelta(hours=40))
    # Decided after the week ended: it was pending then (within target).
    queue_item(
        created_at=WEEK_END - timedelta(hours=1),
        status=QueueStatus.APPROVED,
        decided_at=WEEK_END + timedelta(hours=1),
    )
    # Not pending at the end of the week: drafted later, or decided before.
    queue_item(created_at=WEEK_END + timedelta(hours=1))
    queue_item(
        created_at=WEEK_END - timedelta(hours=50),
        status=QueueStatus.REJECTED,
        decided_at=WEEK_END - timedelta(hours=45),
    )

    metrics = build_scorecard(WEEK).metrics

    assert metrics["queue_aging"] == {"within_target": 2, "at_risk": 1, "breached": 2}
    assert metrics["sla"]["pending_past_breach_at_week_end"] == 2


def test_sla_breaches_add_late_decisions_in_the_week_to_drafts_left_past_the_threshold():
    queue_item(created_at=WEEK_END - timedelta(hours=30))
    day = WEEK_START + timedelta(days=2)
    decided_item(QueueEventType.APPROVED, decided_at=day, hours_to_decide=30)
    decided_item(QueueEventType.REJECTED, decided_at=day, hours_to_decide=25)
    decided_item(QueueEventType.APPROVED, decided_at=day, hours_to_decide=5)

    sla = build_scorecard(WEEK).metrics["sla"]

    assert sla["decided_after_breach"] == 2
    assert sla["breaches"] == 3


# --- sends and scheduler --------------------------------------------------------------------
def test_send_success_is_sent_over_attempted_in_the_week():
    day = WEEK_START + timedelta(days=1)
    for _ in range(3):
        sent_message(SentMessageStatus.SENT, created_at=day)
    sent_message(SentMessageStatus.FAILED, created_at=day)
    sent_message(SentMessageStatus.QUEUED, created_at=day)  # not attempted yet
    sent_message(SentMessageStatus.SENT, created_at=WEEK_END + timedelta(hours=1))

    sends = build_scorecard(WEEK).metrics["sends"]

    assert (sends["sent"], sends["failed"], sends["attempted"]) == (3, 1, 4)
    assert sends["rate"] == pytest.approx(0.75)


def test_scheduler_success_counts_the_finished_runs_of_the_week_only():
    day = WEEK_START + timedelta(days=1)
    for _ in range(4):
        scheduler_run(SchedulerRunStatus.OK, started_at=day)
    scheduler_run(SchedulerRunStatus.FAILED, started_at=day)
    scheduler_run(SchedulerRunStatus.RUNNING, started_at=day)
    scheduler_run(SchedulerRunStatus.FAILED, started_at=WEEK_START - timedelta(hours=1))
    scheduler_run(SchedulerRunStatus.FAILED, started_at=WEEK_START + timedelta(days=7))

    scheduler = build_scorecard(WEEK).metrics["scheduler"]

    assert (scheduler["ok"], scheduler["failed"], scheduler["total"]) == (4, 1, 5)
    assert scheduler["rate"] == pytest.approx(0.8)


# --- storage and sign-off -------------------------------------------------------------------
def test_rebuilding_an_unsigned_week_updates_the_same_row():
    first = build_scorecard(WEEK)
    run_at(WEEK_START + timedelta(days=1), 0.97)

    second = build_scorecard(WEEK)

    assert second.pk == first.pk
    assert second.metrics["replay"]["pass_rate"] == 0.97
    assert Scorecard.objects.count() == 1


def test_a_signed_off_week_is_never_rewritten(hos):
    run_at(WEEK_START + timedelta(days=1), 0.97)
    scorecard = build_scorecard(WEEK)
    sign_off(scorecard.pk, user=hos)
    run_at(WEEK_START + timedelta(days=2), 0.40)

    with pytest.raises(ScorecardSignedOff, match="signed off"):
        build_scorecard(WEEK)

    scorecard.refresh_from_db()
    assert scorecard.metrics["replay"]["pass_rate"] == 0.97


@time_machine.travel(NOW, tick=False)
def test_sign_off_records_who_and_when(hos):
    scorecard = sign_off(build_scorecard(WEEK).pk, user=hos)
    assert scorecard.signed_off_by == hos
    assert scorecard.signed_off_at == NOW


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@caio.example", "pw")


def test_a_second_sign_off_is_a_conflict(hos, root):
    scorecard = build_scorecard(WEEK)
    sign_off(scorecard.pk, user=hos)

    with pytest.raises(ScorecardConflict):
        sign_off(scorecard.pk, user=root)

    scorecard.refresh_from_db()
    assert scorecard.signed_off_by == hos


@pytest.mark.parametrize("who", ["operator", "viewer", "api_client_user", "outsider"])
def test_only_the_head_of_sales_signs_off_whoever_calls(request, who):
    user = request.getfixturevalue(who)
    # Being allowed to change scorecards in admin is not the sign-off permission.
    user.user_permissions.add(Permission.objects.get(codename="change_scorecard"))
    scorecard = build_scorecard(WEEK)

    with pytest.raises(SignOffNotAllowed, match="Only the Head of Sales signs off"):
        sign_off(scorecard.pk, user=get_user_model().objects.get(pk=user.pk))

    scorecard.refresh_from_db()
    assert scorecard.signed_off_at is None


def test_the_permission_not_the_group_name_decides(outsider):
    outsider.user_permissions.add(Permission.objects.get(codename="signoff_scorecard"))
    user = get_user_model().objects.get(pk=outsider.pk)
    assert sign_off(build_scorecard(WEEK).pk, user=user).signed_off_by == user


def test_a_superuser_stands_in_but_not_once_deactivated(root):
    scorecard = build_scorecard(WEEK)
    root.is_active = False
    with pytest.raises(SignOffNotAllowed):
        sign_off(scorecard.pk, user=root)
    root.is_active = True
    assert sign_off(scorecard.pk, user=root).signed_off_by == root


# --- exports --------------------------------------------------------------------------------
def test_the_markdown_export_contains_the_figures(hos):
    run_at(WEEK_START + timedelta(days=1), 0.925, critical_failures=1)
    decided_item(QueueEventType.APPROVED, decided_at=WEEK_START + timedelta(days=1))
    decided_item(
        QueueEventType.REJECTED,
        decided_at=WEEK_START + timedelta(days=1),
        category=rejection_category("tone"),
    )
    scorecard = sign_off(build_scorecard(WEEK).pk, user=hos)

    markdown = to_markdown(scorecard)

    assert markdown.startswith(f"# Scorecard {WEEK}\n")
    assert "Signed off by hos" in markdown
    assert "| Replay pass rate | 92.5% |" in markdown
    assert "| Critical failures | 1 |" in markdown
    assert "| Approval rate | 50.0% (1/2) |" in markdown
    assert "| Rejection mix | tone 1 |" in markdown


def test_the_json_export_parses_and_carries_the_metrics():
    run_at(WEEK_START + timedelta(days=1), 0.9)
    scorecard = build_scorecard(WEEK)

    payload = json.loads(to_json(scorecard))

    assert payload["week"] == WEEK
    assert payload["signed_off_by"] is None
    assert payload["metrics"]["replay"]["pass_rate"] == 0.9
    assert payload["metrics"] == scorecard.metrics
