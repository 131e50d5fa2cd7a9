"""Agent tasks: the eager pipeline, idempotent redelivery, retries, regeneration."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.core import mail

from agents.choices import AgentJobStatus, LeadStatus
from agents.models import AgentJob
from agents.tasks import draft_email, qualify_lead
from approvals import decisions
from approvals.choices import QueueItemKind, QueueStatus
from approvals.models import QueueItem, RejectionCategory
from caio_site.runtime.correlation import bind_correlation_id
from caio_site.runtime.redis import RedisUnavailable, reset_state
from tests.agents.factories import agency_ceo
from traces.models import TraceEnvelope

pytestmark = pytest.mark.django_db


def test_qualifying_a_lead_queues_one_pending_draft_under_one_correlation_id(
    without_redis, django_capture_on_commit_callbacks
):
    lead = agency_ceo()
    # As in a request: the middleware binds one id, the eager tasks inherit it.
    with bind_correlation_id() as correlation_id, django_capture_on_commit_callbacks(execute=True):
        qualify_lead.delay(lead.pk)
    lead.refresh_from_db()
    assert (lead.status, lead.tier) == (LeadStatus.QUALIFIED, "tier_1")
    item = QueueItem.objects.get()
    assert (item.kind, item.status, item.tier) == (
        QueueItemKind.EMAIL,
        QueueStatus.PENDING,
        "tier_1",
    )
    assert mail.outbox == []
    correlation_ids = set(TraceEnvelope.objects.values_list("correlation_id", flat=True))
    assert correlation_ids == {item.correlation_id} == {correlation_id}
    tools = set(TraceEnvelope.objects.values_list("tool_name", flat=True))
    assert {"crm.lookup_account", "knowledge.read_standards", "step.draft_email"} <= tools


def test_a_disqualified_lead_gets_no_draft(without_redis, django_capture_on_commit_callbacks):
    lead = agency_ceo(email="ceo@outreachly.example", company_domain="outreachly.example")
    with django_capture_on_commit_callbacks(execute=True):
        qualify_lead.delay(lead.pk)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISQUALIFIED
    assert not QueueItem.objects.exists()


def test_a_task_delivered_twice_yields_one_queue_item(without_redis):
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    draft_email.apply(args=[lead.pk])
    draft_email.apply(args=[lead.pk])
    assert QueueItem.objects.count() == 1
    job = AgentJob.objects.get(agent="draft_email")
    assert (job.status, job.attempts, job.queue_item_id) == (
        AgentJobStatus.SUCCEEDED,
        1,
        QueueItem.objects.get().pk,
    )


def test_a_redelivery_after_a_crash_mid_job_creates_nothing_twice(without_redis):
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    draft_email.apply(args=[lead.pk])
    # The worker died after submitting but before recording the outcome.
    AgentJob.objects.update(status=AgentJobStatus.RUNNING)
    draft_email.apply(args=[lead.pk])
    assert QueueItem.objects.count() == 1
    assert AgentJob.objects.get().attempts == 2


@pytest.mark.slow
@pytest.mark.redis_server
def test_with_redis_required_and_down_the_job_is_retried_and_not_lost(redis_process, settings):
    settings.REDIS_URL = redis_process.url
    settings.REDIS_REQUIRED = True
    reset_state()
    lead = agency_ceo()
    redis_process.stop()
    with pytest.raises(Retry) as raised:
        qualify_lead.apply(args=[lead.pk])
    # Celery schedules the retry with back-off instead of dropping the job.
    assert isinstance(raised.value.exc, RedisUnavailable)
    job = AgentJob.objects.get(agent="qualify")
    assert job.status == AgentJobStatus.RUNNING  # still claimable: nothing was lost
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW

    redis_process.start()
    reset_state()
    qualify_lead.apply(args=[lead.pk], retries=1)  # the retry, delivered after the back-off
    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED
    assert AgentJob.objects.get(agent="qualify").status == AgentJobStatus.SUCCEEDED


def test_a_regenerate_rejection_drafts_again_avoiding_the_rejected_angle_and_subject(
    without_redis, hos, django_capture_on_commit_callbacks
):
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    draft_email.apply(args=[lead.pk])
    first = QueueItem.objects.get()
    category = RejectionCategory.objects.get(key="weak_subject")
    with django_capture_on_commit_callbacks(execute=True):
        decisions.reject(first, actor=hos, category=category, reason="Subject is bland")
    second = QueueItem.objects.exclude(pk=first.pk).get()
    assert second.supersedes_id == first.pk
    assert second.status == QueueStatus.PENDING
    assert second.angle != first.angle
    assert second.subject != first.subject
    assert second.payload["feedback"] == "Subject is bland"


def test_a_length_rejection_gets_a_shorter_draft(
    without_redis, hos, django_capture_on_commit_callbacks
):
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    draft_email.apply(args=[lead.pk])
    first = QueueItem.objects.get()
    category = RejectionCategory.objects.get(key="length_issue")
    with django_capture_on_commit_callbacks(execute=True):
        decisions.reject(first, actor=hos, category=category, reason="Too long")
    second = QueueItem.objects.exclude(pk=first.pk).get()
    assert len(second.body) < len(first.body)
