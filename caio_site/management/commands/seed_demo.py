"""Load demo data idempotently: users, then each app's ``demo.seed`` in dependency order."""

import importlib

from django.core.management.base import BaseCommand

# Order matters: leads feed the agents, the agents fill the queue, replay reads both.
DEMO_MODULES = ("caio_site.demo", "approvals.demo", "agents.demo", "traces.demo", "evaluation.demo")


class Command(BaseCommand):
    help = "Load demo data (safe to run more than once)."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            module.seed(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
