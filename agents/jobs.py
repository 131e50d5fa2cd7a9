"""Agent job idempotency: one ``AgentJob`` per (agent, lead, input hash).

A task claims its key before working. A redelivered task (worker killed mid-job, ``acks_late``)
finds the key: a finished job is not run again; an unfinished one runs again, and the queue
item it submits carries the same key, so ``approvals.queue.submit`` returns the item the first
delivery may already have created instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import F

from agents.choices import AGENT_JOB_DONE_STATUSES, AgentJobStatus
from agents.models import AgentJob
from caio_site.runtime.correlation import get_correlation_id


def input_hash(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def job_key(agent: str, lead_id, payload) -> str:
    return hashlib.sha256(f"{agent}:{lead_id}:{input_hash(payload)}".encode()).hexdigest()


def claim(agent: str, lead, payload) -> AgentJob | None:
    """The job to run now, or None when this exact job already finished."""
    key = job_key(agent, getattr(lead, "pk", lead), payload)
    defaults = {
        "agent": agent,
        "lead": lead if hasattr(lead, "pk") else None,
        "input_hash": input_hash(payload),
        "correlation_id": get_correlation_id(),
    }
    try:
        with transaction.atomic():
            job, _ = AgentJob.objects.get_or_create(idempotency_key=key, defaults=defaults)
    except IntegrityError:  # two deliveries raced on the insert
        job = AgentJob.objects.get(idempotency_key=key)
    if job.status in AGENT_JOB_DONE_STATUSES:
        return None
    AgentJob.objects.filter(pk=job.pk).update(
        attempts=F("attempts") + 1, status=AgentJobStatus.RUNNING, error=""
    )
    job.refresh_from_db()
    return job


def finish(job: AgentJob, *, status=AgentJobStatus.SUCCEEDED, result=None, queue_item_id=None):
    AgentJob.objects.filter(pk=job.pk).update(
        status=status, result=result or {}, queue_item_id=queue_item_id
    )


def fail(job: AgentJob, error: BaseException) -> None:
    AgentJob.objects.filter(pk=job.pk).update(
        status=AgentJobStatus.FAILED,
        error=f"{getattr(error, 'error_code', type(error).__name__)}: {error}",
    )
