"""The release bars and the run they are read from, in one place.

- ``MIN_PASS_RATE``: the share of cases that must pass to release — the replay command's
  default ``--min-pass-rate``, the readiness check, the pass-rate escalation and the line on the
  scorecard chart;
- ``PASS_MARK`` and ``AUTO_FAIL_AT``: the judge's bars for one case — the mean score it needs,
  and the tool-selection or groundedness score at or below which it fails outright (the
  groundedness escalation counts exactly those cases as hard fails);
- ``full_runs()`` / ``latest_full_run()``: completed runs of a whole golden set. A run narrowed
  by ``--tag`` or ``--max-cases`` (both recorded in ``ReplayRun.options``) says nothing about
  the cases it skipped, so it is never "the latest run" readiness and the escalations judge,
  nor a scorecard's run of the week. A run's options name its restrictions, not whether the
  golden set changed since: a run of an older, smaller set version still counts as full.
"""

from __future__ import annotations

from django.db.models import Q

from evaluation.choices import ReplayRunStatus
from evaluation.models import ReplayRun

MIN_PASS_RATE = 0.95
PASS_MARK = 4.0
AUTO_FAIL_AT = 2

# No tag filter and no case cap recorded (a missing key is no restriction either).
_UNRESTRICTED = (Q(options__tags=[]) | ~Q(options__has_key="tags")) & (
    Q(options__max_cases=None) | ~Q(options__has_key="max_cases")
)


def is_full_run(run: ReplayRun) -> bool:
    """Whether ``run`` replayed its whole golden set (no ``--tag`` / ``--max-cases``)."""
    options = run.options or {}
    return not options.get("tags") and options.get("max_cases") is None


def full_runs():
    """Completed, unrestricted replay runs."""
    return ReplayRun.objects.filter(_UNRESTRICTED, status=ReplayRunStatus.COMPLETED)


def latest_full_run() -> ReplayRun | None:
    """The newest completed replay run of a whole golden set (an errored run has no pass rate
    to judge; a partial one judged only some cases)."""
    return full_runs().order_by("-started_at", "-id").first()
