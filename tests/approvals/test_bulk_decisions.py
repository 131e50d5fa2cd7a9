"""approvals.decisions.bulk_approve / bulk_reject / bulk_retry_failed: the rules behind the
admin's bulk actions."""

from __future__ import annotations

import pytest

from approvals import decisions
from approvals.choices import QueueEventType, QueueStatus
from approvals.models import QueueEvent, QueueItem, RejectionCategory

pytestmark = pytest.mark.django_db


def test_bulk_approve_decides_only_pending_drafts_that_pass_every_check(make_item, hos):
    clean = make_item()
    soft_flagged = make_item(subject="y" * 70)  # subject over 60 characters: a soft flag
    already_rejected = make_item()
    decisions.reject(
        already_rejected,
        actor=hos,
        category=RejectionCategory.objects.get(key="weak_cta"),
        reason="No clear ask.",
    )

    outcome = decisions.bulk_approve([clean, soft_flagged, already_rejected], actor=hos)

    assert outcome == decisions.BulkOutcome(done=1, skipped=2, conflicts=0)
    statuses = dict(QueueItem.objects.values_list("pk", "status"))
    assert statuses[soft_flagged.pk] == QueueStatus.PENDING
    assert statuses[already_rejected.pk] == QueueStatus.REJECTED
    assert statuses[clean.pk] != QueueStatus.PENDING


def test_bulk_approve_counts_a_draft_decided_meanwhile_as_a_conflict(make_item, hos):
    item = make_item()
    stale = QueueItem.objects.get(pk=item.pk)  # read before someone else approves it
    decisions.approve(item, actor=hos)

    outcome = decisions.bulk_approve([stale], actor=hos)

    assert outcome == decisions.BulkOutcome(done=0, skipped=0, conflicts=1)
    approvals = QueueEvent.objects.filter(item=item, event_type=QueueEventType.APPROVED)
    assert approvals.count() == 1


def test_bulk_reject_runs_the_category_policy_on_each_pending_draft(make_item, hos):
    first, second = make_item(), make_item()
    approved = make_item()
    decisions.approve(approved, actor=hos)
    category = RejectionCategory.objects.get(key="factual_inaccuracy")

    outcome = decisions.bulk_reject(
        [first, second, approved], actor=hos, category=category, reason="Wrong headcount."
    )

    assert outcome == decisions.BulkOutcome(done=2, skipped=1, conflicts=0)
    for item in (first, second):
        item.refresh_from_db()
        assert (item.status, item.rejection_category) == (QueueStatus.REJECTED, category)


def _failed(make_item, hos):
    item = make_item()
    decisions.approve(item, actor=hos)
    decisions.mark_failed(item, error="relay down")
    return QueueItem.objects.get(pk=item.pk)


def test_bulk_retry_requeues_only_failed_sends_and_counts_the_rest(make_item, hos):
    failed, pending = _failed(make_item, hos), make_item()
    stale = _failed(make_item, hos)
    decisions.retry_failed(QueueItem.objects.get(pk=stale.pk), actor=hos)  # someone was first

    outcome = decisions.bulk_retry_failed([failed, pending, stale], actor=hos)

    assert outcome == decisions.BulkOutcome(done=1, skipped=1, conflicts=1)
    assert QueueItem.objects.get(pk=failed.pk).status == QueueStatus.APPROVED
    assert QueueItem.objects.get(pk=pending.pk).status == QueueStatus.PENDING
    retried = QueueEvent.objects.filter(event_type=QueueEventType.RETRIED)
    assert sorted(retried.values_list("item_id", flat=True)) == sorted([failed.pk, stale.pk])


def test_bulk_retry_is_refused_to_anyone_who_does_not_decide(make_item, hos, operator):
    failed = _failed(make_item, hos)
    with pytest.raises(decisions.DecisionNotAllowed):
        decisions.bulk_retry_failed([failed], actor=operator)
    assert QueueItem.objects.get(pk=failed.pk).status == QueueStatus.FAILED
