"""Statuses of the project-level records."""

from django.db import models


class SchedulerRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "OK"
    FAILED = "failed", "Failed"


SCHEDULER_RUN_TERMINAL_STATUSES = frozenset({SchedulerRunStatus.OK, SchedulerRunStatus.FAILED})
