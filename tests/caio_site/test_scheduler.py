"""caio_site.scheduler: entry point resolution, run records, scheduler success."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from caio_site.choices import SchedulerRunStatus
from caio_site.models import SchedulerRun, scheduler_success
from caio_site.runtime.correlation import correlation_id_var, get_correlation_id
from caio_site.scheduler import (
    CronJob,
    EntryPointMissing,
    resolve_entry_point,
    run_job,
)
from tests.caio_site.inngest_jobs import CORRELATION_PROBE, MISSING, RAISES


def test_an_entry_point_resolves_to_the_function():
    assert resolve_entry_point("caio_site.runtime.correlation:get_correlation_id") is (
        get_correlation_id
    )


def test_a_missing_module_is_reported_as_not_implemented():
    with pytest.raises(EntryPointMissing, match="module caio_site.nothing_here does not exist"):
        resolve_entry_point("caio_site.nothing_here:run")


def test_a_missing_package_is_reported_as_not_implemented():
    with pytest.raises(EntryPointMissing, match="module nopackage.sub does not exist"):
        resolve_entry_point("nopackage.sub:run")


def test_a_missing_function_is_reported_as_not_implemented():
    with pytest.raises(EntryPointMissing, match="caio_site.scheduler.no_such_job does not exist"):
        resolve_entry_point("caio_site.scheduler:no_such_job")


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


def test_a_missing_entry_point_is_a_failed_run(db):
    with pytest.raises(EntryPointMissing):
        run_job(MISSING, run_id="run-missing-1")
    run = SchedulerRun.objects.get(run_id="run-missing-1")
    assert run.status == SchedulerRunStatus.FAILED
    assert "not implemented" in run.detail


def test_a_model_instance_result_is_recorded_by_label_and_key(db):
    job = CronJob("mk", "TZ=UTC 0 * * * *", "django.contrib.auth.models:Group", "x", {"name": "g"})
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
