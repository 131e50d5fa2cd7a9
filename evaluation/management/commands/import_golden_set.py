"""``manage.py import_golden_set PATH``: store a v1 (seed array) or v2 golden set file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from evaluation.golden_io import GoldenSetFormatError, import_golden_set


class Command(BaseCommand):
    help = "Import a golden set file (v1 seed array or v2 document) as a versioned GoldenSet."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--name", default=None, help="Store under this name (default: file's).")
        parser.add_argument("--set-version", dest="set_version", type=int, default=None)

    def handle(self, *args, path, name, set_version, **options):
        if set_version is not None and set_version < 1:
            raise CommandError("--set-version must be a positive integer", returncode=2)
        try:
            golden_set, count = import_golden_set(path, name=name, version=set_version)
        except GoldenSetFormatError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {count} cases into {golden_set} (schema v{golden_set.schema_version})"
            )
        )
