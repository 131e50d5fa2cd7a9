"""``manage.py replay``: the regression gate. Exit 0 passed, 1 blocked, 2 bad input."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.gate import MIN_PASS_RATE
from evaluation.golden_io import DEFAULT_GOLDEN_SET, GoldenSetFormatError, resolve_golden_set
from evaluation.replay import GateOptions, ReplayInputError, run_replay
from evaluation.reports import summary_lines, to_json_text, to_junit, to_markdown
from evaluation.runners import ExternalRunner, InProcessRunner

EXIT_BLOCKED = 1


def _rate(value: str) -> float:
    rate = float(value)
    if not 0 <= rate <= 1:
        raise ValueError
    return rate


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError
    return number


def _non_negative_float(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    # The gate judges agents, not deployment settings (`manage.py check` does that, in CI and
    # in `make test`); skipping the system checks keeps a third of a second off every gate.
    requires_system_checks = []
    help = (
        "Replay a golden set through the agents (or --runner-cmd), judge every case and decide "
        "block_build. Exit 0 passed, 1 blocked, 2 bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--golden-set",
            default=DEFAULT_GOLDEN_SET,
            help="Stored set name (name or name@vN) or a path to a v1/v2 JSON file.",
        )
        parser.add_argument("--min-pass-rate", type=_rate, default=MIN_PASS_RATE, metavar="0..1")
        parser.add_argument(
            "--runner-cmd", default="", help="External runner command (JSON in on stdin/out)."
        )
        parser.add_argument("--workers", type=_positive_int, default=1)
        parser.add_argument(
            "--baseline", default="last", help="'last' (default), 'none' or a replay run id."
        )
        parser.add_argument("--max-score-drop", type=_non_negative_float, default=0.25)
        parser.add_argument("--json", dest="json_path", default="")
        parser.add_argument("--junit", dest="junit_path", default="")
        parser.add_argument("--markdown", dest="markdown_path", default="")
        parser.add_argument("--max-cases", type=_positive_int, default=None)
        parser.add_argument("--tag", action="append", default=[], dest="tags")
        parser.add_argument(
            "--timeout", type=_positive_float, default=30.0, help="Per-case timeout in seconds."
        )

    def handle(self, *args, **options):
        try:
            golden_set, golden_file = resolve_golden_set(options["golden_set"])
        except GoldenSetFormatError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for key in ("json_path", "junit_path", "markdown_path"):
            if options[key] and not Path(options[key]).resolve().parent.is_dir():
                raise CommandError(
                    f"--{key[:-5]}: directory of {options[key]} does not exist", returncode=2
                )
        if options["runner_cmd"]:
            try:
                runner = ExternalRunner(options["runner_cmd"], timeout=options["timeout"])
            except ValueError as exc:
                raise CommandError(f"--runner-cmd: {exc}", returncode=2) from exc
        else:
            runner = InProcessRunner(timeout=options["timeout"])
        gate = GateOptions(
            min_pass_rate=options["min_pass_rate"],
            max_score_drop=options["max_score_drop"],
            baseline=options["baseline"],
            max_cases=options["max_cases"],
            tags=tuple(options["tags"]),
            workers=options["workers"],
        )
        try:
            run = run_replay(
                runner=runner, golden_set=golden_set, golden_file=golden_file, options=gate
            )
        except ReplayInputError as exc:
            raise CommandError(str(exc), returncode=2) from exc

        writers = {"json_path": to_json_text, "junit_path": to_junit, "markdown_path": to_markdown}
        for key, render in writers.items():
            if options[key]:
                Path(options[key]).write_text(render(run), encoding="utf-8")
        for line in summary_lines(run):
            self.stdout.write(line)
        if run.block_build:
            sys.exit(EXIT_BLOCKED)
