"""Enqueue approved emails whose send was deferred (sending limits, transient retries)."""

from django.core.management.base import BaseCommand

from approvals.tasks import send_due


class Command(BaseCommand):
    help = "Send approved emails whose deferred send is now due (limits or retry backoff)."

    def handle(self, *args, **options):
        count = send_due.apply().get()
        self.stdout.write(f"Enqueued {count} due send(s).")
