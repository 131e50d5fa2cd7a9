"""Send (or print) the rejection-review digest; the Inngest cron runs it on Wednesdays."""

from django.core.management.base import BaseCommand, CommandError

from approvals.digest import rejection_review, render, send_rejection_review_digest


class Command(BaseCommand):
    help = "Email the Head of Sales last week's rejections by category (--dry-run prints it)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Period length (default 7).")
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")

    def handle(self, *args, days=7, dry_run=False, **options):
        if days <= 0:
            raise CommandError("--days must be a positive integer")
        if dry_run:
            self.stdout.write(render(rejection_review(days=days)))
            return
        review = send_rejection_review_digest(days=days)
        self.stdout.write(
            f"Sent the review of {review['rejected']} rejection(s) to "
            f"{review['recipients']} recipient(s)."
        )
