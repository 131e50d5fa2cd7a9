"""``manage.py scorecard [--week 2026-W48] [--markdown PATH] [--json PATH]``: build and store the
weekly scorecard (default: the last complete ISO week), print its figures, optionally export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.scorecards import (
    ScorecardSignedOff,
    build_scorecard,
    figure_rows,
    parse_week,
    to_json,
    to_markdown,
)


class Command(BaseCommand):
    help = "Build and store the weekly scorecard, print its figures, export Markdown/JSON."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, e.g. 2026-W48 (default: last complete).")
        parser.add_argument("--markdown", metavar="PATH", help="Write the Markdown export here.")
        parser.add_argument("--json", metavar="PATH", help="Write the JSON export here.")

    def handle(self, *args, **options):
        week = options["week"]
        if week is not None:
            try:
                parse_week(week)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        try:
            scorecard = build_scorecard(week)
        except ScorecardSignedOff as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Scorecard {scorecard.week}"))
        for label, value in figure_rows(scorecard):
            self.stdout.write(f"{label}: {value}")
        for path, render in ((options["markdown"], to_markdown), (options["json"], to_json)):
            if path:
                try:
                    Path(path).write_text(render(scorecard), encoding="utf-8")
                except OSError as exc:
                    raise CommandError(f"cannot write {path}: {exc}") from exc
                self.stdout.write(f"wrote {path}")
