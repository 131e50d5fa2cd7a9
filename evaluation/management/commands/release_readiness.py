"""``manage.py release_readiness``: READY / NOT READY with reasons. Exit 0 ready, 1 not."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from evaluation.readiness import release_readiness

EXIT_NOT_READY = 1


class Command(BaseCommand):
    help = (
        "Check replay pass rate, critical failures, queue health, scheduler success and open "
        "escalations; print READY or NOT READY with reasons. Exit 0 ready, 1 not ready."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the report as JSON instead of lines."
        )

    def handle(self, *args, **options):
        report = release_readiness()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            for check in report.checks:
                label = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}[check.status]
                line = f"{label} {check.name}: {check.detail}"
                style = self.style.ERROR if check.status == "fail" else self.style.SUCCESS
                if check.status == "warn":
                    style = self.style.WARNING
                self.stdout.write(style(line))
            if report.ready:
                self.stdout.write(self.style.SUCCESS("READY"))
            else:
                self.stdout.write(self.style.ERROR("NOT READY"))
                for reason in report.reasons:
                    self.stdout.write(f"  - {reason}")
        if not report.ready:
            sys.exit(EXIT_NOT_READY)
