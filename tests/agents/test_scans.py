"""pipeline_scan: stale leads, meetings in the next 24 hours (→ call prep), ghosted leads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from agents.choices import LeadStatus
from agents.models import CallPrepJob, Lead
from agents.scans import render_scan, scan_pipeline
from agents.tasks import prepare_meetings
from approvals.choices import QueueItemKind, QueueStatus
from approvals.models import QueueItem
from caio_site.runtime.locks import lock
from tests.agents.factories import LeadFactory, agency_ceo

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _item(lead, status, **fields):
    return QueueItem.objects.create(
        kind=QueueItemKind.EMAIL,
        lead=lead,
        agent="draft_email",
        subject="s",
        body="b",
        status=status,
        idempotency_key=f"test:{lead.pk}:{status}",
        **fields,
    )


@time_machine.travel(NOW, tick=False)
def test_stale_and_ghosted_leads_are_found_with_next_actions(without_redis):
    stale = LeadFactory(status=LeadStatus.QUALIFIED)
    waiting = LeadFactory(status=LeadStatus.QUALIFIED)
    fresh = LeadFactory(status=LeadStatus.QUALIFIED)
    ghosted = LeadFactory(status=LeadStatus.CONTACTED)
    recent = LeadFactory(status=LeadStatus.CONTACTED)
    Lead.objects.filter(pk__in=[stale.pk, waiting.pk]).update(updated_at=NOW - timedelta(days=10))
    _item(waiting, QueueStatus.PENDING)
    _item(ghosted, QueueStatus.SENT, sent_at=NOW - timedelta(days=6))
    _item(recent, QueueStatus.SENT, sent_at=NOW - timedelta(days=1))

    result = scan_pipeline()
    assert [r["lead_id"] for r in result["stale"]] == [stale.pk]
    assert [r["lead_id"] for r in result["ghosted"]] == [ghosted.pk]
    assert result["stale"][0]["idle_days"] == 10
    assert fresh.pk not in {r["lead_id"] for r in result["stale"]}
    text = render_scan(result)
    assert "Stale leads: 1" in text
    assert "Ghosted leads: 1" in text
    assert "draft a follow-up for approval" in text


@time_machine.travel(NOW, tick=False)
def test_meetings_in_the_next_24_hours_get_one_call_prep_each(
    without_redis, django_capture_on_commit_callbacks
):
    maya = agency_ceo()
    with django_capture_on_commit_callbacks(execute=True):
        result = prepare_meetings(hours=24)
    assert [m["email"] for m in result["meetings"]] == [maya.email]
    assert result["unmatched_events"] == 2  # calendar attendees we hold no lead for
    job = CallPrepJob.objects.get()
    assert job.meeting_at == NOW.replace(hour=20)
    assert job.status != "pending"  # the agent ran on commit

    with django_capture_on_commit_callbacks(execute=True):
        prepare_meetings(hours=24)
    assert CallPrepJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_concurrent_scan_steps_aside(without_redis):
    with lock("agents:pipeline_scan", ttl=30):
        assert scan_pipeline() == {"skipped": "another pipeline scan is running"}
