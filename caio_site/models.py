"""Project-level records: the outcome of every scheduled run, and the database lock leases."""

from django.db import models

from caio_site.choices import SchedulerRunStatus


class SchedulerRun(models.Model):
    """One run of an Inngest cron function, written by the wrapper in ``caio_site.inngest``.

    Inngest retries a failed run under the same run id, so a run is one row keyed by
    (function_id, run_id) and ``attempt`` says which attempt wrote it last. "Scheduler success"
    is the share of finished rows with status ``ok``.
    """

    function_id = models.CharField(max_length=100)
    run_id = models.CharField(max_length=128)
    attempt = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=SchedulerRunStatus.choices, default=SchedulerRunStatus.RUNNING
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    detail = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "scheduler run"
        constraints = [
            models.UniqueConstraint(
                fields=["function_id", "run_id"], name="schedulerrun_function_run_uniq"
            )
        ]
        indexes = [
            # The admin changelist and "last run of each function" read newest-first per function.
            models.Index(fields=["function_id", "-started_at"], name="schedulerrun_fn_started_idx"),
            # Scheduler success over a period: finished runs by status and time.
            models.Index(fields=["status", "-started_at"], name="schedulerrun_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.function_id} {self.run_id} ({self.status})"

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds() * 1000)


def scheduler_success(since, until=None) -> dict:
    """Finished runs started in [since, until): counts and the share that succeeded (for
    readiness, which looks back from now, and the scorecard, which looks at one week)."""
    finished = SchedulerRun.objects.filter(
        started_at__gte=since,
        status__in=[SchedulerRunStatus.OK, SchedulerRunStatus.FAILED],
    )
    if until is not None:
        finished = finished.filter(started_at__lt=until)
    # order_by() drops Meta.ordering, which would otherwise split the GROUP BY.
    counts = dict(
        finished.order_by()
        .values("status")
        .annotate(n=models.Count("id"))
        .values_list("status", "n")
    )
    ok = counts.get(SchedulerRunStatus.OK, 0)
    failed = counts.get(SchedulerRunStatus.FAILED, 0)
    total = ok + failed
    return {"ok": ok, "failed": failed, "total": total, "rate": (ok / total) if total else None}


class RuntimeLock(models.Model):
    """A lease row backing ``caio_site.runtime.locks`` while Redis is unavailable.

    The primary key is the lock name, so a second insert fails: that is the mutual exclusion.
    An expired lease is taken over with a conditional UPDATE on ``expires_at``.
    """

    name = models.CharField(max_length=200, primary_key=True)
    token = models.CharField(max_length=64)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        # Declared here, with the runtime's own record: the detail of
        # /api/v1/runtime/dependencies/ (hosts, latencies, fallbacks).
        permissions = [("view_runtime_detail", "Can view the runtime dependency detail")]

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%H:%M:%S}"
