"""Expire pending drafts older than the SLA policy's max age."""

from django.core.management.base import BaseCommand, CommandError

from approvals.decisions import expire_overdue
from approvals.models import SlaPolicy


class Command(BaseCommand):
    help = "Expire pending drafts nobody decided within the SLA max age (SlaPolicy.max_age_hours)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--limit", type=int, default=None, help="Expire at most N items.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        if limit is not None and limit <= 0:
            raise CommandError("--limit must be a positive integer")
        ids = expire_overdue(limit=limit, dry_run=dry_run)
        max_age = SlaPolicy.current().max_age_hours
        verb = "Would expire" if dry_run else "Expired"
        self.stdout.write(f"{verb} {len(ids)} pending draft(s) older than {max_age} h.")
        for pk in ids:
            self.stdout.write(f"  #{pk}")
