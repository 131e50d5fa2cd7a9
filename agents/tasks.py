"""Celery tasks of the agents app, and the wiring of the agent pipeline.

Each task takes primary keys and calls one domain function; what follows from its outcome
(a qualified lead is drafted, a meeting gets a brief) is enqueued here, on commit, so the
domain modules never import the tasks that run them. Every task is idempotent (agent jobs are
keyed, see ``agents.jobs``), acknowledged late so a killed worker's task is redelivered, and
retried with exponential back-off and jitter on the transient errors below — including Redis
being required and down, so an outage delays jobs instead of losing them.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import OperationalError

from agents import call_prep as call_prep_agent
from agents import drafting, qualification, scans
from agents.gateway import TransientGatewayError
from agents.models import CallPrepJob, Lead
from caio_site.runtime.locks import LockNotAcquired
from caio_site.runtime.redis import RedisUnavailable

TRANSIENT_ERRORS = (TransientGatewayError, RedisUnavailable, LockNotAcquired, OperationalError)
RETRY_OPTIONS = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="agents.qualify_lead", **RETRY_OPTIONS)
def qualify_lead(lead_id: int):
    outcome = qualification.run_qualify_job(lead_id)
    if outcome and outcome.get("draft"):
        draft_email.delay_on_commit(lead_id)
    return outcome


@shared_task(name="agents.draft_email", **RETRY_OPTIONS)
def draft_email(lead_id: int, feedback_item_id: int | None = None):
    return drafting.run_draft_job(lead_id, feedback_item_id)


@shared_task(name="agents.call_prep", **RETRY_OPTIONS)
def call_prep(job_id: int):
    return call_prep_agent.run_call_prep_job(job_id)


@shared_task(name="agents.pipeline_scan", **RETRY_OPTIONS)
def pipeline_scan():
    result = scan_pipeline()
    return result.get("counts", result)


def request_call_prep(
    lead: Lead, meeting_at: datetime, *, requested_by=None, source="api", notes: str = ""
) -> tuple[CallPrepJob, bool]:
    """Create (or return) the call-prep job for this meeting; a new one runs on commit."""
    job, created = call_prep_agent.get_or_create_job(
        lead, meeting_at, requested_by=requested_by, source=source, notes=notes
    )
    if created:
        call_prep.delay_on_commit(job.pk)
    return job, created


def prepare_meetings(hours: int = scans.MEETING_LOOKAHEAD_HOURS) -> dict:
    """The meeting-prep cron: a call-prep job per upcoming meeting with a known lead."""
    result = scans.prepare_meetings(hours)
    _run_new_call_preps(result["meetings"])
    return result


def scan_pipeline() -> dict:
    """The pipeline-scan cron: stale, upcoming and ghosted leads; new meetings get a brief."""
    result = scans.scan_pipeline()
    _run_new_call_preps(result.get("upcoming_meetings", []))
    return result


def _run_new_call_preps(meetings: list[dict]) -> None:
    for row in meetings:
        if row.get("created"):
            call_prep.delay_on_commit(row["call_prep_job"])


def on_regeneration_requested(sender, *, item, **kwargs) -> None:
    """Receiver of ``approvals.regeneration.regeneration_requested`` (connected in
    ``AgentsConfig.ready``): the drafting agent writes a new version of the rejected item."""
    draft_email.delay_on_commit(item.lead_id, feedback_item_id=item.pk)
