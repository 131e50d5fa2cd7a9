"""Project-level records: the outcome of every scheduled (Inngest) run."""

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
