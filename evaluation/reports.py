"""Replay run reports: the console summary, JSON, JUnit XML (for CI) and Markdown."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from evaluation.choices import CaseOutcome
from evaluation.models import CaseResult, ReplayRun


def _results(run: ReplayRun) -> list[CaseResult]:
    return list(run.results.order_by("case_id"))


def summary_lines(run: ReplayRun) -> list[str]:
    """The console summary; the last three lines are machine-read by CI."""
    lines = [
        f"replay run #{run.pk}: {run.golden_set_label} ({run.runner}, workers={run.workers})",
        f"cases: {run.total}  passed: {run.passed}  failed: {run.failed}"
        f"  runner_errors: {run.runner_errors}  mean_score: {run.mean_score}",
    ]
    failing = run.results.exclude(outcome=CaseOutcome.PASSED).order_by("case_id")
    for result in failing.only("case_id", "severity", "outcome", "judge", "error"):
        why = " ".join((result.error or result.judge.get("final_verdict", "")).split())[:300]
        lines.append(f"  FAIL {result.case_id} [{result.severity}] {why}")
    diff = run.baseline_diff or {}
    if diff:
        lines.append(
            f"baseline: run #{diff['baseline_run']} mean {diff['baseline_mean_score']}"
            f" → {run.mean_score} (drop {diff['mean_score_drop']})"
        )
        if diff["pass_to_fail"]:
            lines.append(f"  pass→fail: {', '.join(diff['pass_to_fail'])}")
        if diff["fail_to_pass"]:
            lines.append(f"  fail→pass: {', '.join(diff['fail_to_pass'])}")
        drops = [d for d in diff["score_deltas"] if d["delta"] < 0]
        for delta in drops[:10]:
            lines.append(
                f"  {delta['case_id']}: {delta['before']} → {delta['after']} ({delta['delta']:+})"
            )
        if len(drops) > 10:
            lines.append(
                f"  … {len(drops) - 10} more score drops (see --json or the admin run page)"
            )
        improved = len(diff["score_deltas"]) - len(drops)
        lines.append(f"  scores: {len(drops)} dropped, {improved} improved")
    else:
        lines.append("baseline: none")
    for reason in run.block_reasons:
        lines.append(f"blocked: {reason}")
    lines += [
        f"pass_rate: {run.pass_rate if run.pass_rate is not None else 0:.4f}",
        f"critical_failures: {run.critical_failures}",
        f"block_build: {'true' if run.block_build else 'false'}",
    ]
    return lines


def to_json(run: ReplayRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "golden_set": run.golden_set_label,
        "status": run.status,
        "runner": run.runner,
        "runner_cmd": run.runner_cmd,
        "workers": run.workers,
        "options": run.options,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "total": run.total,
        "passed": run.passed,
        "failed": run.failed,
        "runner_errors": run.runner_errors,
        "pass_rate": run.pass_rate,
        "mean_score": run.mean_score,
        "critical_failures": run.critical_failures,
        "min_pass_rate": run.min_pass_rate,
        "max_score_drop": run.max_score_drop,
        "block_build": run.block_build,
        "block_reasons": run.block_reasons,
        "baseline": run.baseline_diff or None,
        "results": [
            {
                "case_id": r.case_id,
                "agent": r.agent,
                "category": r.category,
                "severity": r.severity,
                "outcome": r.outcome,
                "overall_score": r.overall_score,
                "judge": r.judge,
                "unchecked_constraints": r.unchecked_constraints,
                "tool_trace_log": r.tool_trace_log,
                "correlation_id": r.correlation_id,
                "error": r.error,
                "duration_ms": r.duration_ms,
                "baseline_outcome": r.baseline_outcome or None,
                "score_delta": r.score_delta,
            }
            for r in _results(run)
        ],
    }


def to_json_text(run: ReplayRun) -> str:
    return json.dumps(to_json(run), indent=2, ensure_ascii=False)


def to_junit(run: ReplayRun) -> str:
    """One testsuite, one testcase per golden case; failures carry the judge's verdict."""
    results = _results(run)
    suite = ET.Element(
        "testsuite",
        {
            "name": f"replay {run.golden_set_label}",
            "tests": str(len(results)),
            "failures": str(run.failed),
            "errors": str(run.runner_errors),
            "time": f"{(run.duration_ms or 0) / 1000:.3f}",
        },
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"golden.{result.agent or 'external'}.{result.category}",
                "name": result.case_id,
                "time": f"{result.duration_ms / 1000:.3f}",
            },
        )
        if result.outcome == CaseOutcome.RUNNER_ERROR:
            node = ET.SubElement(case, "error", {"message": result.error[:500]})
            node.text = result.error
        elif result.outcome == CaseOutcome.FAILED:
            node = ET.SubElement(
                case, "failure", {"message": result.judge.get("final_verdict", "")[:500]}
            )
            node.text = json.dumps(result.judge, indent=2, ensure_ascii=False)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def to_markdown(run: ReplayRun) -> str:
    verdict = "BLOCKED" if run.block_build else "OK"
    lines = [
        f"# Replay run #{run.pk} — {run.golden_set_label}: {verdict}",
        "",
        f"- pass rate: **{(run.pass_rate or 0):.2%}** (minimum {run.min_pass_rate:.0%})",
        f"- cases: {run.total} (passed {run.passed}, failed {run.failed},"
        f" runner errors {run.runner_errors})",
        f"- mean score: {run.mean_score}",
        f"- critical failures: {run.critical_failures}",
    ]
    lines += [f"- blocked: {reason}" for reason in run.block_reasons]
    diff = run.baseline_diff or {}
    if diff:
        lines += [
            "",
            f"## Against baseline run #{diff['baseline_run']}",
            "",
            f"- mean score {diff['baseline_mean_score']} → {run.mean_score}"
            f" (drop {diff['mean_score_drop']})",
            f"- pass→fail: {', '.join(diff['pass_to_fail']) or 'none'}",
            f"- fail→pass: {', '.join(diff['fail_to_pass']) or 'none'}",
        ]
        if diff["score_deltas"]:
            lines += ["", "| case | before | after | delta |", "|---|---|---|---|"]
            lines += [
                f"| {d['case_id']} | {d['before']} | {d['after']} | {d['delta']:+} |"
                for d in diff["score_deltas"]
            ]
    lines += [
        "",
        "## Cases",
        "",
        "| case | agent | severity | outcome | score | tools | ground | complete | consist |"
        " verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in _results(run):
        rubric = result.judge.get("rubric", {})
        scores = [
            str(rubric.get(k, {}).get("score", "-"))
            for k in (
                "tool_selection_accuracy",
                "groundedness",
                "completeness",
                "reliability_consistency",
            )
        ]
        verdict_text = (result.error or result.judge.get("final_verdict", "")).replace("|", "\\|")
        lines.append(
            f"| {result.case_id} | {result.agent or '-'} | {result.severity} | {result.outcome}"
            f" | {result.overall_score} | {' | '.join(scores)} | {verdict_text} |"
        )
    return "\n".join(lines) + "\n"
