"""manage.py prune_traces [--days N] [--dry-run] [--batch-size N]"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from traces.retention import DEFAULT_BATCH_SIZE, prune


class Command(BaseCommand):
    help = (
        "Delete trace envelopes older than --days (default TRACE_RETENTION_DAYS) in bounded "
        "batches; envelopes held by golden cases, replay results or open escalations stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days.")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args, days=None, dry_run=False, batch_size=DEFAULT_BATCH_SIZE, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        days = settings.TRACE_RETENTION_DAYS if days is None else days
        result = prune(days=days, dry_run=dry_run, batch_size=batch_size)
        cutoff = result.cutoff.isoformat(timespec="seconds")
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.due} envelopes older than {days} days (before {cutoff}) "
                f"would be deleted; {result.held} held ones kept; "
                f"{result.orphaned_holds} holds of deleted holders would be dropped."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Deleted {result.deleted} envelopes older than {days} days "
                    f"(before {cutoff}); {result.held} held ones kept; "
                    f"{result.orphaned_holds} holds of deleted holders dropped."
                )
            )
