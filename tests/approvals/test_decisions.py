"""Lifecycle transitions of approvals.decisions: claims, events, conflicts, policies."""

from __future__ import annotations

import pytest

from agents.choices import LeadStatus
from approvals import decisions
from approvals.choices import QueueEventType, QueueStatus, SuppressionReason
from approvals.models import QueueEvent, QueueItem, RejectionCategory
from approvals.suppression import suppression_for
from approvals.tasks import send_item

pytestmark = pytest.mark.django_db


def _events(item):
    return list(QueueEvent.objects.filter(item=item).values_list("event_type", flat=True))


def test_approving_a_pending_item_moves_it_and_writes_one_event(
    make_item, hos, mailoutbox, django_capture_on_commit_callbacks
):
    item = make_item()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decisions.approve(item, actor=hos)
        assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.APPROVED

    # The send is enqueued on commit, not run in the request; the other callbacks are the trace
    # sink's, for the envelope of the send's email.send call.
    sends = [
        cb
        for cb in callbacks
        if getattr(cb, "args", None) == (item.pk,) and send_item.name in repr(cb.func)
    ]
    assert len(sends) == 1
    item.refresh_from_db()
    assert item.status == QueueStatus.SENT  # eager Celery ran the send task after commit
    assert len(mailoutbox) == 1
    assert item.decided_by == hos
    assert item.was_edited is False
    assert _events(item) == [
        QueueEventType.CREATED,
        QueueEventType.APPROVED,
        QueueEventType.SENT,
    ]


def test_a_second_decision_on_the_same_version_is_a_conflict(make_item, hos):
    item = make_item()
    stale = QueueItem.objects.get(pk=item.pk)
    decisions.reject(item, actor=hos, category="weak_cta", reason="Three asks.")

    with pytest.raises(decisions.DecisionConflict):
        decisions.approve(stale, actor=hos)

    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.REJECTED
    assert _events(item).count(QueueEventType.REJECTED) == 1
    assert QueueEventType.APPROVED not in _events(item)


def test_a_stale_expected_version_is_a_conflict_even_on_a_fresh_row(make_item, hos):
    item = make_item()

    with pytest.raises(decisions.DecisionConflict):
        decisions.approve(item, actor=hos, expected_version=item.version + 3)

    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_an_operator_cannot_decide(make_item, operator):
    item = make_item()

    with pytest.raises(decisions.DecisionNotAllowed):
        decisions.approve(item, actor=operator)
    with pytest.raises(decisions.DecisionNotAllowed):
        decisions.reject(item, actor=operator, category="other", reason="no")

    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_edits_are_detected_server_side_and_the_diff_is_stored(make_item, hos):
    item = make_item()
    new_subject = "A shorter subject"

    decisions.approve(item, actor=hos, subject=new_subject, body=item.body)

    item.refresh_from_db()
    assert item.was_edited is True
    assert item.subject == new_subject
    assert item.original_subject.startswith("Proposal turnaround")
    assert "+Subject: A shorter subject" in item.edit_diff
    event = QueueEvent.objects.get(item=item, event_type=QueueEventType.APPROVED_WITH_EDITS)
    assert event.payload["was_edited"] is True


def test_saving_unchanged_text_is_not_an_edit(make_item, hos):
    item = make_item()

    decisions.approve(item, actor=hos, subject=item.subject, body=item.body)

    item.refresh_from_db()
    assert item.was_edited is False
    assert QueueEventType.APPROVED in _events(item)


def test_edits_that_break_a_hard_check_are_refused(make_item, hos):
    item = make_item()
    body_without_footer = "Hi Dana,\n\nShort note without any footer at all.\n\nSam"

    with pytest.raises(decisions.InvalidDecision) as exc:
        decisions.approve(item, actor=hos, subject=item.subject, body=body_without_footer)

    assert "body" in exc.value.errors
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_reject_needs_a_category_and_a_reason(make_item, hos):
    item = make_item()

    with pytest.raises(decisions.InvalidDecision) as exc:
        decisions.reject(item, actor=hos, category="not-a-category", reason="  ")

    assert set(exc.value.errors) == {"category", "reason"}
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_reject_refuses_an_inactive_category(make_item, hos):
    item = make_item()
    RejectionCategory.objects.filter(key="other").update(active=False)

    with pytest.raises(decisions.InvalidDecision):
        decisions.reject(item, actor=hos, category="other", reason="Holding.")


def test_a_regenerate_policy_calls_the_regeneration_hook_after_commit(
    make_item, hos, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("approvals.regeneration.request_regeneration", calls.append)
    item = make_item()

    with django_capture_on_commit_callbacks(execute=True):
        decisions.reject(item, actor=hos, category="weak_subject", reason="Reads like spam.")

    assert [c.pk for c in calls] == [item.pk]
    item.refresh_from_db()
    assert item.rejection_category.key == "weak_subject"
    assert item.feedback == "Reads like spam."


def test_a_suppress_lead_policy_suppresses_and_cancels_the_leads_other_items(make_item, hos):
    item = make_item()
    other = make_item(lead=item.lead)

    decisions.reject(item, actor=hos, category="icp_mismatch", reason="Four employees.")

    assert suppression_for(item.lead.email).reason == SuppressionReason.REJECTED
    assert QueueItem.objects.get(pk=other.pk).status == QueueStatus.CANCELLED


def test_a_manual_rewrite_policy_changes_nothing_else(make_item, hos, monkeypatch):
    calls = []
    monkeypatch.setattr("approvals.regeneration.request_regeneration", calls.append)
    item = make_item()
    other = make_item(lead=item.lead)

    decisions.reject(item, actor=hos, category="factual_inaccuracy", reason="No SOC 2 yet.")

    assert calls == []
    assert suppression_for(item.lead.email) is None
    assert QueueItem.objects.get(pk=other.pk).status == QueueStatus.PENDING


@pytest.mark.parametrize(
    "terminal", [QueueStatus.REJECTED, QueueStatus.EXPIRED, QueueStatus.CANCELLED]
)
def test_no_transition_leaves_a_terminal_status(make_item, hos, terminal):
    item = make_item()
    if terminal == QueueStatus.REJECTED:
        decisions.reject(item, actor=hos, category="other", reason="x")
    elif terminal == QueueStatus.EXPIRED:
        decisions.expire(item)
    else:
        decisions.cancel(item, reason="test")
    attempts = [
        lambda: decisions.approve(item, actor=hos),
        lambda: decisions.reject(item, actor=hos, category="other", reason="x"),
        lambda: decisions.expire(item),
        lambda: decisions.cancel(item, reason="again"),
        lambda: decisions.mark_sent(item, message_id="<x>"),
        lambda: decisions.mark_failed(item, error="x"),
        lambda: decisions.retry_failed(item, actor=hos),
        lambda: decisions.block(item, reasons=["x"]),
    ]
    for attempt in attempts:
        with pytest.raises(decisions.DecisionConflict):
            attempt()
    assert QueueItem.objects.get(pk=item.pk).status == terminal


def test_cancel_open_items_for_lead_skips_finished_items(make_item, hos):
    first = make_item()
    lead = first.lead
    decisions.reject(first, actor=hos, category="other", reason="x")
    second = make_item(lead=lead)

    count = decisions.cancel_open_items_for_lead(lead.pk, reason="lead replied")

    assert count == 1
    assert QueueItem.objects.get(pk=second.pk).status == QueueStatus.CANCELLED
    assert QueueItem.objects.get(pk=first.pk).status == QueueStatus.REJECTED
    lead.refresh_from_db()  # cancelling the lead's items must leave the lead's status alone
    assert lead.status == LeadStatus.NEW


def test_a_failed_send_can_be_retried_back_to_approved(make_item, hos):
    item = make_item()
    decisions.approve(item, actor=hos)
    decisions.mark_failed(item, error="relay down")

    decisions.retry_failed(item, actor=hos)

    item.refresh_from_db()
    assert item.status == QueueStatus.APPROVED
    assert _events(item)[-2:] == [QueueEventType.FAILED, QueueEventType.RETRIED]


def test_approving_a_call_prep_brief_publishes_it_without_a_send(
    make_item, hos, mailoutbox, django_capture_on_commit_callbacks
):
    from approvals.choices import QueueItemKind

    brief = make_item(kind=QueueItemKind.CALL_PREP, agent="call_prep", payload={"summary": "x"})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decisions.approve(brief, actor=hos)

    assert callbacks == []
    assert QueueItem.objects.get(pk=brief.pk).status == QueueStatus.APPROVED
    assert mailoutbox == []
