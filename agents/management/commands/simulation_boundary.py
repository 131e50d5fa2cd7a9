"""``manage.py simulation_boundary``: which integrations are simulated and what that means."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from agents.gateway import PERMISSIONS, TOOLS
from agents.integrations import simulation_boundary
from caio_site.runtime.dependencies import settings_send_boundary


class Command(BaseCommand):
    help = "List each integration's mode (simulated/live), its tools and the send boundary."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, **options):
        rows = simulation_boundary()
        for row in rows:
            row["tools"] = sorted(t for t, (i, _) in TOOLS.items() if i == row["integration"])
        boundary = settings_send_boundary()
        send_simulated = boundary.simulated
        senders = sorted(a for a, tools in PERMISSIONS.items() if "email.send" in tools)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "integrations": rows,
                        "email_send_simulated": send_simulated,
                        "allow_simulated_send": boundary.allowed,
                        "agents_that_send": senders,
                    },
                    indent=2,
                )
            )
            return
        for row in rows:
            self.stdout.write(
                f"{row['integration']:<11} {row['mode'].upper():<10} "
                f"{', '.join(row['tools'])} — {row['description']}"
            )
        where = "simulated (no real email leaves)" if send_simulated else "LIVE"
        self.stdout.write(f"email send: {where}; only {', '.join(senders)} may call email.send")
        if boundary.refused:
            self.stdout.write(
                self.style.WARNING(
                    "email is simulated in production and ALLOW_SIMULATED_SEND is off: "
                    "validate_runtime_env and manage.py check fail this."
                )
            )
