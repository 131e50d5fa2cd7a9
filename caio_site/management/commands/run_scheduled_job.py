"""``manage.py run_scheduled_job JOB``: run one of the Inngest crons by hand (embedded shape)."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from caio_site.scheduler import CRON_JOBS, JOBS_BY_ID, run_job


class Command(BaseCommand):
    help = "Run a scheduled job now, recorded as a SchedulerRun like an Inngest run. --list shows them."

    def add_arguments(self, parser):
        parser.add_argument("job", nargs="?", help="function id, e.g. pipeline-scan")
        parser.add_argument("--list", action="store_true", help="list the jobs and their crons")

    def handle(self, *args, job=None, list=False, **options):
        if list:
            for spec in CRON_JOBS:
                self.stdout.write(f"{spec.fn_id:<26} {spec.cron:<22} {spec.entry_point_name}")
            return
        if job not in JOBS_BY_ID:
            raise CommandError(f"unknown job {job!r}; one of: {', '.join(JOBS_BY_ID)}")
        run_id = f"manual-{uuid.uuid4().hex}"
        try:
            run = run_job(JOBS_BY_ID[job], run_id=run_id)
        except Exception as exc:
            raise CommandError(f"{job} failed (run {run_id}): {type(exc).__name__}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{job} ok (run {run.run_id}): {run.result}"))
