"""``manage.py import_leads FILE.csv``: import leads, report bad rows with their line numbers."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agents.importing import ImportFileError, import_leads_csv


class Command(BaseCommand):
    help = (
        "Import leads from a CSV file (header row; email required). Good rows are imported "
        "and qualified; bad rows are listed with their line numbers. Idempotent by email."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument(
            "--fail-on-error",
            action="store_true",
            help="Exit with status 1 when any row had errors (good rows are still imported).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file")
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                report = import_leads_csv(fh)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for column in report.ignored_columns:
            self.stderr.write(self.style.WARNING(f"ignored unknown column {column!r}"))
        for line, name, message in report.errors:
            self.stderr.write(self.style.ERROR(f"line {line}: {name}: {message}"))
        bad_lines = len({line for line, _, _ in report.errors})
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.imported} leads ({report.created} created, "
                f"{report.updated} updated); {bad_lines} rows with errors."
            )
        )
        if bad_lines and options["fail_on_error"]:
            raise CommandError(f"{bad_lines} rows had errors")
