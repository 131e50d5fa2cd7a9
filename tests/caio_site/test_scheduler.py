"""caio_site.scheduler: the cron table, run records, scheduler success."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from approvals import decisions
from caio_site.choices import SchedulerRunStatus
from caio_site.models import SchedulerRun, scheduler_success
from caio_site.runtime.correlation import correlation_id_var
from caio_site.scheduler import CRON_JOBS, CronJob, run_job
from tests.caio_site.inngest_jobs import CORRELATION_PROBE, RAISES


def test_every_cron_names_its_domain_function_and_lists_it_by_name():
    jobs = {job.fn_id: job for job in CRON_JOBS}
    assert jobs["expire-pending"].entry_point is decisions.expire_overdue
    assert jobs["expire-pending"].entry_point_name == "approvals.decisions.expire_overdue"
    # A Celery task is listed by its task name.
    assert jobs["send-due"].entry_point_name == "approvals.tasks.send_due"


def test_a_run_records_its_result_under_the_run_id(db):
    run = run_job(CORRELATION_PROBE, run_id="run-ok-1")
    run.refresh_from_db()
    assert run.status == SchedulerRunStatus.OK
    assert run.result == {"value": "run-ok-1"}
    assert run.duration_ms is not None
    # The run id is bound only for the run.
    assert correlation_id_var.get() != "run-ok-1"


def test_a_failing_run_is_recorded_and_the_error_re_raised(db):
    with pytest.raises(ValueError, match="Redis URL"):
        run_job(RAISES, run_id="run-fail-1")
    run = SchedulerRun.objects.get(run_id="run-fail-1")
    assert run.status == SchedulerRunStatus.FAILED
    assert run.detail.startswith("ValueError: Redis URL must specify")
    assert run.finished_at is not None


def test_a_model_instance_result_is_recorded_by_label_and_key(db):
    job = CronJob("mk", "TZ=UTC 0 * * * *", Group, "x", {"name": "g"})
    # Group(name=...) is an unsaved instance: recorded by label, with no primary key.
    run = run_job(job, run_id="run-model")
    assert run.result == {"model": "auth.Group", "pk": None, "str": "g"}


def test_scheduler_success_counts_finished_runs_since_a_time(db):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=10)):
        run_job(CORRELATION_PROBE, run_id="old")
    run_job(CORRELATION_PROBE, run_id="new-1")
    run_job(CORRELATION_PROBE, run_id="new-2")
    with pytest.raises(ValueError):
        run_job(RAISES, run_id="new-3")
    SchedulerRun.objects.create(
        function_id="x", run_id="running", started_at=now, status=SchedulerRunStatus.RUNNING
    )
    stats = scheduler_success(now - timedelta(days=1))
    assert stats == {"ok": 2, "failed": 1, "total": 3, "rate": pytest.approx(2 / 3)}


def test_scheduler_success_stops_at_until(db):
    now = timezone.now()
    run_job(CORRELATION_PROBE, run_id="inside")
    with time_machine.travel(now + timedelta(days=2)):
        run_job(CORRELATION_PROBE, run_id="after")
    stats = scheduler_success(now - timedelta(days=1), until=now + timedelta(days=1))
    assert (stats["ok"], stats["total"]) == (1, 1)


def test_scheduler_success_without_runs_has_no_rate(db):
    assert scheduler_success(timezone.now())["rate"] is None
