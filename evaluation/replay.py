"""The replay gate: run a golden set through a runner, judge every case, decide ``block_build``.

``run_replay`` is the one domain function behind ``manage.py replay`` and the weekly Inngest
cron. It stores a ReplayRun with one CaseResult per case and returns the run.

A build is blocked when the pass rate is below ``min_pass_rate``, when any critical-severity
case fails, or when the mean score dropped by more than ``max_score_drop`` against the
baseline run (``"last"``: the newest completed run of the same golden set).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.choices import CaseOutcome, ReplayRunStatus, RunnerKind, Severity
from evaluation.gate import MIN_PASS_RATE
from evaluation.golden_io import DEFAULT_GOLDEN_SET, GoldenSetFile, resolve_golden_set
from evaluation.judge import judge_case
from evaluation.judge_schema import validate_judge_output
from evaluation.knowledge import Knowledge
from evaluation.models import CaseResult, GoldenCase, GoldenSet, ReplayRun
from evaluation.runners import InProcessRunner
from traces.retention import hold

logger = logging.getLogger(__name__)

BASELINE_LAST = "last"
BASELINE_NONE = "none"


class ReplayInputError(ValueError):
    """The replay was asked for something that does not exist (no cases, unknown baseline)."""


@dataclass(frozen=True)
class GateOptions:
    min_pass_rate: float = MIN_PASS_RATE
    max_score_drop: float | None = 0.25
    baseline: str | int | None = BASELINE_LAST
    max_cases: int | None = None
    tags: tuple[str, ...] = ()
    workers: int = 1


def select_cases(
    golden_set: GoldenSet | None,
    golden_file: GoldenSetFile | None,
    *,
    tags: Sequence[str] = (),
    max_cases: int | None = None,
) -> list[CaseSpec]:
    """Active cases of the set, optionally only those carrying any of ``tags``, capped."""
    if golden_set is not None:
        cases = [
            CaseSpec.from_model(case)
            for case in GoldenCase.objects.filter(golden_set=golden_set, active=True)
            .select_related("golden_set")
            .order_by("case_id")
        ]
    elif golden_file is not None:
        cases = sorted(golden_file.specs(), key=lambda c: c.case_id)
    else:
        raise ReplayInputError("name a golden set or a golden set file")
    if tags:
        cases = [c for c in cases if set(tags) & set(c.tags)]
    if max_cases is not None:
        cases = cases[:max_cases]
    if not cases:
        raise ReplayInputError("no active cases match (check --golden-set and --tag)")
    return cases


def resolve_baseline(label: str, baseline: str | int | None) -> ReplayRun | None:
    if baseline in (None, "", BASELINE_NONE):
        return None
    completed = ReplayRun.objects.filter(status=ReplayRunStatus.COMPLETED)
    if baseline == BASELINE_LAST:
        return completed.filter(golden_set_label=label).order_by("-started_at", "-id").first()
    try:
        run_id = int(baseline)
    except (TypeError, ValueError):
        raise ReplayInputError(
            f"--baseline must be 'last', 'none' or a replay run id (got {baseline!r})"
        ) from None
    run = completed.filter(pk=run_id).first()
    if run is None:
        raise ReplayInputError(f"baseline replay run {run_id} does not exist or did not complete")
    return run


def run_replay(
    *,
    runner,
    golden_set: GoldenSet | None = None,
    golden_file: GoldenSetFile | None = None,
    options: GateOptions = GateOptions(),
    triggered_by: str = "command",
) -> ReplayRun:
    """Replay a golden set (stored, or a parsed file) through ``runner`` and judge it."""
    label = golden_set.label if golden_set is not None else golden_file.label
    cases = select_cases(golden_set, golden_file, tags=options.tags, max_cases=options.max_cases)
    problems = runner.preflight() if hasattr(runner, "preflight") else []
    if problems:
        raise ReplayInputError("; ".join(problems))
    agentless = [c.case_id for c in cases if not c.agent]
    if agentless and runner.kind == RunnerKind.IN_PROCESS:
        raise ReplayInputError(
            f"{len(agentless)} case(s) name no agent (e.g. {agentless[0]}): seed v1 cases run "
            "only through an external runner (--runner-cmd)"
        )
    baseline = resolve_baseline(label, options.baseline)
    run = ReplayRun.objects.create(
        golden_set=golden_set,
        golden_set_label=label,
        runner=runner.kind,
        runner_cmd=getattr(runner, "command", "") or "",
        workers=options.workers,
        options={
            "tags": list(options.tags),
            "max_cases": options.max_cases,
            "timeout": getattr(runner, "timeout", None),
            "baseline": options.baseline,
        },
        baseline=baseline,
        min_pass_rate=options.min_pass_rate,
        max_score_drop=options.max_score_drop,
        triggered_by=triggered_by,
        started_at=timezone.now(),
    )
    try:
        # A runner that can stream its outputs is judged while it is still running.
        run_cases = getattr(runner, "iter_all", runner.run_all)
        _judge_and_store(run, cases, run_cases(cases, workers=options.workers), baseline)
    except Exception as exc:
        ReplayRun.objects.filter(pk=run.pk).update(
            status=ReplayRunStatus.ERROR,
            error=f"{type(exc).__name__}: {exc}",
            block_build=True,
            block_reasons=["the replay itself failed"],
            finished_at=timezone.now(),
        )
        raise
    run.refresh_from_db()
    return run


def _judge_and_store(
    run: ReplayRun,
    cases: Sequence[CaseSpec],
    outputs: Iterable[RunnerOutput],
    baseline: ReplayRun | None,
) -> None:
    before = {}
    if baseline is not None:
        before = {
            r["case_id"]: r
            for r in baseline.results.values("case_id", "outcome", "overall_score", "actual_output")
        }
    knowledge = Knowledge()
    results = []
    for case, output in zip(cases, outputs, strict=True):
        previous = before.get(case.case_id)
        verdict = judge_case(
            case,
            output,
            baseline_output=previous["actual_output"]
            if previous and previous["outcome"] != CaseOutcome.RUNNER_ERROR
            else None,
            knowledge=knowledge.for_agent(case.agent),
        )
        judged = verdict.as_schema()
        validate_judge_output(judged)
        if output.is_error:
            outcome = CaseOutcome.RUNNER_ERROR
        else:
            outcome = CaseOutcome.PASSED if verdict.passed else CaseOutcome.FAILED
        results.append(
            CaseResult(
                run=run,
                golden_case_id=case.golden_case_pk,
                case_id=case.case_id,
                agent=case.agent,
                category=case.category,
                severity=case.severity,
                outcome=outcome,
                overall_score=verdict.overall_score,
                judge=judged,
                unchecked_constraints=verdict.unchecked,
                actual_output=output.actual_output,
                structured_output=output.structured,
                tool_trace_log=output.tool_trace_log,
                rag_context_chunks=output.rag_context_chunks,
                metadata=output.metadata,
                correlation_id=output.correlation_id,
                error=f"{output.error_code}: {output.error}" if output.is_error else "",
                duration_ms=round(output.duration_ms, 3),
                baseline_outcome=previous["outcome"] if previous else "",
                score_delta=round(verdict.overall_score - previous["overall_score"], 2)
                if previous
                else None,
            )
        )
    summary = summarise(run, results, before)
    with transaction.atomic():
        CaseResult.objects.bulk_create(results)
        ReplayRun.objects.filter(pk=run.pk).update(**summary, finished_at=timezone.now())
        _hold_traces(run, results)


def _hold_traces(run: ReplayRun, results: Sequence[CaseResult]) -> None:
    """Keep the envelopes each result points at from retention pruning while the run exists."""
    for result in results:
        if result.correlation_id:
            hold(
                correlation_id=result.correlation_id,
                holder=run,
                reason=f"replay run {run.pk} case {result.case_id}",
            )


def summarise(run: ReplayRun, results: Sequence[CaseResult], before: dict) -> dict:
    """Totals, the baseline diff and the block decision for a run's results."""
    total = len(results)
    passed = sum(r.outcome == CaseOutcome.PASSED for r in results)
    runner_errors = sum(r.outcome == CaseOutcome.RUNNER_ERROR for r in results)
    pass_rate = passed / total if total else 0.0
    mean_score = round(sum(r.overall_score for r in results) / total, 3) if total else 0.0
    critical = [
        r.case_id
        for r in results
        if r.severity == Severity.CRITICAL and r.outcome != CaseOutcome.PASSED
    ]
    diff = baseline_diff(run.baseline, results, before)
    reasons = []
    if pass_rate < run.min_pass_rate:
        reasons.append(f"pass rate {pass_rate:.2%} < minimum {run.min_pass_rate:.2%}")
    if critical:
        reasons.append(f"{len(critical)} critical case(s) failed: {', '.join(critical)}")
    drop = diff.get("mean_score_drop")
    if run.max_score_drop is not None and drop is not None and drop > run.max_score_drop:
        reasons.append(
            f"mean score dropped by {drop:.2f} against run #{run.baseline_id}"
            f" (> {run.max_score_drop:.2f})"
        )
    return {
        "status": ReplayRunStatus.COMPLETED,
        "total": total,
        "passed": passed,
        "failed": total - passed - runner_errors,
        "runner_errors": runner_errors,
        "pass_rate": round(pass_rate, 4),
        "mean_score": mean_score,
        "critical_failures": len(critical),
        "block_build": bool(reasons),
        "block_reasons": reasons,
        "baseline_diff": diff,
    }


def baseline_diff(baseline: ReplayRun | None, results: Sequence[CaseResult], before: dict) -> dict:
    """Per-case pass→fail / fail→pass flips and score deltas against the baseline run."""
    if baseline is None:
        return {}
    now = {r.case_id: r for r in results}
    flips_to_fail, flips_to_pass, deltas = [], [], []
    for case_id, result in now.items():
        previous = before.get(case_id)
        if previous is None:
            continue
        was_passing = previous["outcome"] == CaseOutcome.PASSED
        if was_passing and result.outcome != CaseOutcome.PASSED:
            flips_to_fail.append(case_id)
        elif not was_passing and result.outcome == CaseOutcome.PASSED:
            flips_to_pass.append(case_id)
        delta = round(result.overall_score - previous["overall_score"], 2)
        if delta:
            deltas.append(
                {
                    "case_id": case_id,
                    "before": previous["overall_score"],
                    "after": result.overall_score,
                    "delta": delta,
                }
            )
    deltas.sort(key=lambda d: (d["delta"], d["case_id"]))
    # Compare like with like: a run narrowed by --tag or --max-cases against a full baseline
    # is judged on the cases both ran.
    common = [case_id for case_id in now if case_id in before]
    drop = None
    if common:
        mean_before = sum(before[c]["overall_score"] for c in common) / len(common)
        mean_after = sum(now[c].overall_score for c in common) / len(common)
        drop = round(mean_before - mean_after, 3)
    return {
        "baseline_run": baseline.pk,
        "baseline_mean_score": baseline.mean_score,
        "common_cases": len(common),
        "mean_score_drop": drop,
        "pass_to_fail": sorted(flips_to_fail),
        "fail_to_pass": sorted(flips_to_pass),
        "score_deltas": deltas,
        "new_cases": sorted(set(now) - set(before)),
        "dropped_cases": sorted(set(before) - set(now)),
    }


def weekly_snapshot() -> dict:
    """The ``weekly-replay-snapshot`` cron: our golden set through the real agents, compared
    with the last run. Returns a JSON summary for the scheduler's run record."""
    golden_set, golden_file = resolve_golden_set(DEFAULT_GOLDEN_SET)
    run = run_replay(
        runner=InProcessRunner(),
        golden_set=golden_set,
        golden_file=golden_file,
        triggered_by="weekly-replay-snapshot",
    )
    return {
        "replay_run": run.pk,
        "golden_set": run.golden_set_label,
        "pass_rate": run.pass_rate,
        "critical_failures": run.critical_failures,
        "block_build": run.block_build,
    }
