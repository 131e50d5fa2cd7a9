"""``manage.py export_golden_set NAME[@vN] [--output PATH]``: write a stored set as v2 JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.golden_io import export_golden_set
from evaluation.models import GoldenSet


class Command(BaseCommand):
    help = "Export a stored golden set as a v2 JSON document (stdout, or --output PATH)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Set name, optionally name@vN (default: newest version).")
        parser.add_argument("--output", default="", help="File to write (default: stdout).")

    def handle(self, *args, name, output, **options):
        set_name, _, version = name.partition("@v")
        sets = GoldenSet.objects.filter(name=set_name)
        if version:
            if not version.isdigit():
                raise CommandError(f"{name!r}: version must be a number", returncode=2)
            sets = sets.filter(version=int(version))
        golden_set = sets.order_by("-version").first()
        if golden_set is None:
            raise CommandError(f"no golden set named {name!r}", returncode=2)
        text = json.dumps(export_golden_set(golden_set), indent=2, ensure_ascii=False) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return
        target = Path(output)
        if not target.resolve().parent.is_dir():
            raise CommandError(f"--output: directory of {output} does not exist", returncode=2)
        target.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {golden_set} to {output}"))
