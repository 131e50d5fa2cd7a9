"""manage.py run_scheduled_job: run a cron by hand, recorded like an Inngest run."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from caio_site import scheduler
from caio_site.management.commands import run_scheduled_job
from caio_site.models import SchedulerRun
from tests.caio_site.inngest_jobs import CORRELATION_PROBE, RAISES


@pytest.fixture
def probe_jobs(monkeypatch):
    """Let the command run the test jobs (real entry points) by id."""
    monkeypatch.setattr(
        run_scheduled_job, "JOBS_BY_ID", {job.fn_id: job for job in (CORRELATION_PROBE, RAISES)}
    )


def test_list_shows_every_cron():
    out = StringIO()
    call_command("run_scheduled_job", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(scheduler.CRON_JOBS)
    assert lines[0].split()[0] == "pipeline-scan"


def test_an_unknown_job_is_a_usage_error(db):
    with pytest.raises(CommandError, match="unknown job 'nope'"):
        call_command("run_scheduled_job", "nope")


def test_a_manual_run_is_recorded(db, probe_jobs):
    out = StringIO()
    call_command("run_scheduled_job", "correlation-probe", stdout=out)
    run = SchedulerRun.objects.get(function_id="correlation-probe")
    assert run.run_id.startswith("manual-")
    assert run.result == {"value": run.run_id}
    assert "correlation-probe ok" in out.getvalue()


def test_a_failing_job_is_a_command_error_and_a_failed_run(db, probe_jobs):
    with pytest.raises(CommandError, match="raises failed"):
        call_command("run_scheduled_job", "raises")
    assert SchedulerRun.objects.get(function_id="raises").status == "failed"
