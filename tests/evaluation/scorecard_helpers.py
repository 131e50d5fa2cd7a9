"""Test data for the scorecard tests: decided queue items, sends and scheduler runs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from approvals.choices import QueueEventType, QueueItemKind, QueueStatus
from approvals.models import QueueEvent, QueueItem, RejectionCategory, SentMessage
from caio_site.models import SchedulerRun
from tests.factories import LeadFactory

# ISO week 2026-W47 runs from Monday 16 November to Monday 23 November 2026 (UTC).
WEEK = "2026-W47"
WEEK_START = datetime(2026, 11, 16, tzinfo=UTC)
WEEK_END = WEEK_START + timedelta(days=7)
# "Now" in the tests: Thursday of the following week, so 2026-W47 is the last complete week.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

_keys = itertools.count()


def queue_item(*, created_at, status=QueueStatus.PENDING, kind=QueueItemKind.EMAIL, **fields):
    return QueueItem.objects.create(
        lead=LeadFactory(),
        kind=kind,
        agent="draft_email",
        subject="Proposal turnaround",
        status=status,
        idempotency_key=f"scorecard-test:{next(_keys)}",
        created_at=created_at,
        **fields,
    )


def decided_item(
    event_type: str,
    *,
    decided_at,
    hours_to_decide: float = 1,
    kind=QueueItemKind.EMAIL,
    category: RejectionCategory | None = None,
) -> QueueItem:
    """An item decided at ``decided_at``, ``hours_to_decide`` after it was drafted, with its
    decision event."""
    status = QueueStatus.REJECTED if event_type == QueueEventType.REJECTED else QueueStatus.SENT
    item = queue_item(
        created_at=decided_at - timedelta(hours=hours_to_decide),
        status=status,
        kind=kind,
        decided_at=decided_at,
        was_edited=event_type == QueueEventType.APPROVED_WITH_EDITS,
        rejection_category=category,
    )
    QueueEvent.objects.create(
        item=item,
        event_type=event_type,
        from_status=QueueStatus.PENDING,
        to_status=status,
        created_at=decided_at,
    )
    return item


def rejection_category(key: str) -> RejectionCategory:
    category, _ = RejectionCategory.objects.get_or_create(
        key=key, defaults={"name": key.title(), "description": f"{key} problems"}
    )
    return category


def sent_message(status: str, *, created_at) -> SentMessage:
    item = queue_item(created_at=created_at - timedelta(hours=2), status=QueueStatus.SENT)
    return SentMessage.objects.create(
        item=item,
        status=status,
        to_email=item.lead.email,
        recipient_domain=item.lead.email.split("@")[1],
        created_at=created_at,
    )


def scheduler_run(status: str, *, started_at) -> SchedulerRun:
    return SchedulerRun.objects.create(
        function_id="weekly-scorecard",
        run_id=f"run-{next(_keys)}",
        status=status,
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=1),
    )
