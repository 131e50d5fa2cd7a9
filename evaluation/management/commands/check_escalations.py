"""``manage.py check_escalations``: evaluate the escalation rules now (what the hourly cron
does); prints what it raised. Exit 0 whatever it found: raising is its job, not a failure."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from evaluation.escalations import check_escalations


class Command(BaseCommand):
    help = (
        "Raise (and notify) an escalation for each breached rule, once per rule per day: replay "
        "pass rate, groundedness, Redis, Inngest, queue aging."
    )

    def handle(self, *args, **options):
        result = check_escalations()
        for entry in result["raised"]:
            notified = entry["notified"]
            self.stdout.write(
                self.style.ERROR(
                    f"RAISED #{entry['id']} [{entry['severity']}] {entry['rule']}: "
                    f"{entry['title']} (emailed {notified['email']}, "
                    f"slack {'yes' if notified['slack'] else 'no'})"
                )
            )
        for entry in result["already_raised_today"]:
            self.stdout.write(
                self.style.WARNING(
                    f"ALREADY RAISED TODAY #{entry['id']} ({entry['status']}) {entry['rule']}: "
                    f"{entry['title']}"
                )
            )
        self.stdout.write(
            f"clear: {', '.join(result['clear']) or 'none'}; raised {len(result['raised'])}, "
            f"already raised today {len(result['already_raised_today'])}"
        )
