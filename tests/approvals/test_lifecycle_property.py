"""Property: any sequence of transitions leaves an event log that replays to the status, and
nothing moves an item out of a terminal status."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals import decisions
from approvals.choices import TERMINAL_STATUSES, QueueEventType
from approvals.models import QueueEvent, QueueItem


def _apply(op: str, item: QueueItem, hos) -> None:
    if op == "approve":
        decisions.approve(item, actor=hos)
    elif op == "approve_edited":
        decisions.approve(item, actor=hos, subject=item.subject + " (edited)", body=item.body)
    elif op == "approve_stale":
        decisions.approve(item, actor=hos, expected_version=item.version - 1)
    elif op == "reject":
        decisions.reject(item, actor=hos, category="weak_cta", reason="Two asks.")
    elif op == "block":
        decisions.block(item, reasons=["manual block"])
    elif op == "expire":
        decisions.expire(item)
    elif op == "cancel":
        decisions.cancel(item, reason="lead replied")
    elif op == "mark_sent":
        decisions.mark_sent(item, message_id="<m@x>")
    elif op == "mark_failed":
        decisions.mark_failed(item, error="relay down")
    elif op == "retry_failed":
        decisions.retry_failed(item, actor=hos)
    else:  # pragma: no cover - the strategy only draws the names above
        raise AssertionError(op)


OPS = st.sampled_from(
    [
        "approve",
        "approve_edited",
        "approve_stale",
        "reject",
        "block",
        "expire",
        "cancel",
        "mark_sent",
        "mark_failed",
        "retry_failed",
    ]
)


def replay(events: list[QueueEvent]) -> str:
    status = ""
    for event in events:
        assert event.from_status == status, f"event {event.pk} does not follow {status!r}"
        status = event.to_status
    return status


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, max_size=12))
def test_events_replay_to_the_status_and_terminal_items_never_change(make_item, hos, ops):
    item = make_item()
    terminal_at = None
    for op in ops:
        before = QueueItem.objects.get(pk=item.pk)
        events_before = QueueEvent.objects.filter(item=item).count()
        try:
            _apply(op, item, hos)
        except (decisions.DecisionConflict, decisions.InvalidDecision):
            item = QueueItem.objects.get(pk=item.pk)
            assert (item.status, item.version) == (before.status, before.version)
            assert QueueEvent.objects.filter(item=item).count() == events_before
            continue
        assert terminal_at is None, f"{op} moved a terminal item out of {terminal_at}"
        assert QueueEvent.objects.filter(item=item).count() == events_before + 1
        if item.status in TERMINAL_STATUSES:
            terminal_at = item.status

    stored = QueueItem.objects.get(pk=item.pk)
    events = list(QueueEvent.objects.filter(item=item).order_by("created_at", "id"))
    assert replay(events) == stored.status
    assert events[0].event_type == QueueEventType.CREATED
    # Every transition bumped the version once: version 1 at creation.
    assert stored.version == len(events)
