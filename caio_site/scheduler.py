"""Scheduled jobs: what each cron calls, and the record of every run.

The Inngest functions in ``caio_site.inngest`` are thin wrappers around ``run_job``; so is
``manage.py run_scheduled_job`` for the embedded shape, where nothing runs the crons. Each job
names its domain function itself (this module sits above every app), so a renamed or mistyped
entry point fails the import — at start-up and in every test — never a cron at run time.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from agents import tasks as agent_tasks
from approvals import decisions, digest
from approvals import tasks as approval_tasks
from caio_site.choices import SchedulerRunStatus
from caio_site.models import SchedulerRun
from caio_site.runtime.correlation import bind_correlation_id
from evaluation import escalations, readiness, replay, scorecards
from traces import retention

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class CronJob:
    """One scheduled job: Inngest function id, cron expression (UTC) and entry point."""

    fn_id: str
    cron: str
    entry_point: Callable
    description: str
    kwargs: dict = dataclasses.field(default_factory=dict)

    @property
    def entry_point_name(self) -> str:
        """``package.module.function`` (a Celery task by its task name)."""
        fn = self.entry_point
        return getattr(fn, "name", None) or f"{fn.__module__}.{fn.__qualname__}"


# DESIGN section 7. Each entry point is the owning app's domain function.
CRON_JOBS: tuple[CronJob, ...] = (
    CronJob(
        "pipeline-scan",
        "TZ=UTC */15 * * * *",
        agent_tasks.scan_pipeline,
        "Scan the pipeline for leads that need an agent.",
    ),
    CronJob(
        "meeting-prep",
        "TZ=UTC 0 20 * * *",
        agent_tasks.prepare_meetings,
        "Prepare call briefs for tomorrow's meetings.",
        {"hours": 24},
    ),
    CronJob(
        "weekly-replay-snapshot",
        "TZ=UTC 0 9 * * 1",
        replay.weekly_snapshot,
        "Replay the golden set and keep the run as this week's snapshot.",
    ),
    CronJob(
        "rejection-review-digest",
        "TZ=UTC 0 9 * * 3",
        digest.send_rejection_review_digest,
        "Send the Head of Sales the digest of last week's rejections.",
    ),
    CronJob(
        "release-readiness",
        "TZ=UTC 0 9 * * 5",
        readiness.release_readiness,
        "Evaluate release readiness (READY / NOT READY with reasons).",
    ),
    CronJob(
        "escalation-check",
        "TZ=UTC 0 * * * *",
        escalations.check_escalations,
        "Raise escalations for the rules that are breached.",
    ),
    CronJob(
        "trace-retention",
        "TZ=UTC 30 3 * * *",
        retention.prune,
        "Delete trace envelopes older than TRACE_RETENTION_DAYS (held ones stay).",
    ),
    # Not in DESIGN's cron list, but DESIGN §6 makes the scorecard weekly: after the Monday
    # replay snapshot, last week's scorecard is built (or refreshed while unsigned).
    CronJob(
        "weekly-scorecard",
        "TZ=UTC 30 9 * * 1",
        scorecards.build_scorecard,
        "Build last week's scorecard.",
    ),
    # Not in DESIGN's list either, but without them production (where nothing runs manage.py by hand)
    # would never expire stale drafts nor pick up sends deferred by limits or retries.
    CronJob(
        "expire-pending",
        "TZ=UTC 5 * * * *",
        decisions.expire_overdue,
        "Expire pending drafts older than the SLA max age.",
        {"limit": 1000},
    ),
    CronJob(
        "send-due",
        "TZ=UTC */5 * * * *",
        approval_tasks.send_due,
        "Enqueue approved emails whose deferred send is now due.",
    ),
)
JOBS_BY_ID = {job.fn_id: job for job in CRON_JOBS}


def _summary(result) -> dict:
    """A JSON-safe record of what the entry point returned."""
    if result is None:
        return {}
    if isinstance(result, models.Model):
        return {"model": result._meta.label, "pk": result.pk, "str": str(result)}
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    try:
        value = json.loads(json.dumps(result, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return {"repr": repr(result)[:1000]}
    return value if isinstance(value, dict) else {"value": value}


def run_job(job: CronJob, *, run_id: str, attempt: int = 0) -> SchedulerRun:
    """Run ``job`` under ``run_id`` as correlation id and record the outcome.

    The row is written as ``running`` before the entry point starts, so a run that dies with
    its process stays visible. Failures are recorded and re-raised (the caller decides about
    retries).
    """
    with bind_correlation_id(run_id):
        run, _ = SchedulerRun.objects.update_or_create(
            function_id=job.fn_id,
            run_id=run_id,
            defaults={
                "attempt": attempt,
                "status": SchedulerRunStatus.RUNNING,
                "started_at": timezone.now(),
                "finished_at": None,
                "detail": "",
                "result": {},
            },
        )
        try:
            result = job.entry_point(**job.kwargs)
        except Exception as exc:
            _finish(run, SchedulerRunStatus.FAILED, f"{type(exc).__name__}: {exc}"[:4000], {})
            logger.exception(
                "scheduled job %s failed", job.fn_id, extra={"run_id": run_id, "attempt": attempt}
            )
            raise
        _finish(run, SchedulerRunStatus.OK, "", _summary(result))
        logger.info("scheduled job %s ok", job.fn_id, extra={"run_id": run_id})
        return run


def _finish(run: SchedulerRun, status: str, detail: str, result: dict) -> None:
    run.status = status
    run.detail = detail
    run.result = result
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "detail", "result", "finished_at"])
