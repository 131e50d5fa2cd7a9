"""approvals.queue.submit: idempotent, runs the rubric, blocks hard failures."""

from __future__ import annotations

import pytest

from approvals.choices import (
    QueueEventType,
    QueueItemKind,
    QueueStatus,
    RubricState,
    SuppressionReason,
    SuppressionSource,
)
from approvals.models import QueueEvent, QueueItem, RubricCheck
from approvals.suppression import suppress
from caio_site.runtime.correlation import bind_correlation_id

pytestmark = pytest.mark.django_db


def test_a_clean_draft_is_pending_with_its_rubric_and_one_created_event(make_item):
    with bind_correlation_id("job-123"):
        item = make_item()

    assert item.status == QueueStatus.PENDING
    assert item.rubric_state == RubricState.ALL_PASS
    assert item.rubric_passed == item.rubric_total > 10
    assert item.correlation_id == "job-123"
    event = QueueEvent.objects.get(item=item)
    assert (event.event_type, event.from_status, event.to_status) == (
        QueueEventType.CREATED,
        "",
        QueueStatus.PENDING,
    )


def test_the_same_idempotency_key_returns_the_existing_item(make_item):
    first = make_item(idempotency_key="draft_email:7:abc")
    second = make_item(lead=first.lead, idempotency_key="draft_email:7:abc", subject="Other")

    assert second.pk == first.pk
    assert QueueItem.objects.count() == 1
    assert QueueEvent.objects.count() == 1


def test_a_hard_failure_blocks_the_draft_with_its_reason(make_item):
    item = make_item(subject="Hello {{first_name}}")

    assert item.status == QueueStatus.BLOCKED
    assert item.rubric_state == RubricState.HARD_FAIL
    assert any("placeholder" in reason for reason in item.blocked_reasons)
    assert QueueEvent.objects.get(item=item).to_status == QueueStatus.BLOCKED


def test_a_soft_failure_stays_pending_with_a_flag(make_item):
    item = make_item(subject="A subject line that is far too long for a phone's inbox preview")

    assert item.status == QueueStatus.PENDING
    assert item.rubric_state == RubricState.SOFT_FLAGS
    assert item.rubric_passed == item.rubric_total - 1


def test_a_suppressed_lead_is_blocked_even_with_the_check_disabled(make_item):
    from tests.factories import LeadFactory

    RubricCheck.objects.filter(key="recipient_not_suppressed").update(enabled=False)
    lead = LeadFactory()
    suppress(
        email=lead.email, reason=SuppressionReason.UNSUBSCRIBED, source=SuppressionSource.ADMIN
    )

    item = make_item(lead=lead)

    assert item.status == QueueStatus.BLOCKED
    assert "suppression list" in " ".join(item.blocked_reasons)


def test_a_call_prep_brief_is_queued_with_the_brief_checks(make_item):
    item = make_item(
        kind=QueueItemKind.CALL_PREP,
        agent="call_prep",
        subject="Call prep: Northwind",
        body="Summary of the account.",
        payload={
            "summary": "x",
            "pain_points": ["a"],
            "objections": [],
            "recommended_approach": "",
        },
    )

    assert item.status == QueueStatus.PENDING
    failed = {r["id"] for r in item.rubric_results if not r["passed"]}
    assert failed == {
        "brief_min_pain_points",
        "brief_min_objections",
        "brief_has_objections",
        "brief_has_recommended_approach",
    }


def test_supersedes_links_the_regenerated_draft(make_item):
    first = make_item()
    second = make_item(lead=first.lead, supersedes=first)

    assert second.supersedes == first
    assert list(first.superseded_by.all()) == [second]
