"""approvals.decisions.bulk_approve / bulk_reject: the rules behind the admin's bulk actions."""

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
