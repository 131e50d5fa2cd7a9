"""Celery tasks of the agents app: thin callers of domain functions, taking primary keys.

Every task is idempotent (agent jobs are keyed, see ``agents.jobs``), acknowledged late so a
killed worker's task is redelivered, and retried with exponential back-off and jitter on the
transient errors below — including Redis being required and down, so an outage delays jobs
instead of losing them.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from agents.gateway import TransientGatewayError
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
    from agents.qualification import run_qualify_job

    return run_qualify_job(lead_id)


@shared_task(name="agents.draft_email", **RETRY_OPTIONS)
def draft_email(lead_id: int, feedback_item_id: int | None = None):
    from agents.drafting import run_draft_job

    return run_draft_job(lead_id, feedback_item_id)


@shared_task(name="agents.call_prep", **RETRY_OPTIONS)
def call_prep(job_id: int):
    from agents.call_prep import run_call_prep_job

    return run_call_prep_job(job_id)


@shared_task(name="agents.pipeline_scan", **RETRY_OPTIONS)
def pipeline_scan():
    from agents.scans import scan_pipeline

    result = scan_pipeline()
    return result.get("counts", result)
