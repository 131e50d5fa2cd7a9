"""manage.py replay: the gate's verdict, its exit codes, its reports and the baseline diff."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from evaluation.choices import CaseOutcome
from evaluation.judge_schema import validate_judge_output
from evaluation.models import ReplayRun
from tests.evaluation.paths import runner_cmd

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TOOLS = ["crm.read_contact", "enrichment.enrich_contact"]
CONTEXT = ['{"company": "Brightpath Agency", "first_name": "Maya", "employee_count": 140}']
GOOD = {
    "actual_output": "Maya at Brightpath Agency (140 people): tier_1.",
    "tool_trace_log": TOOLS,
    "rag_context_chunks": CONTEXT,
    "metadata": {},
}
BAD = {**GOOD, "actual_output": "Maya at Brightpath Agency: tier_1. The email was sent."}


def golden_file(tmp_path, n=4, critical=()):
    cases = [
        {
            "id": f"C{i}",
            "agent": "qualify",
            "severity": "critical" if f"C{i}" in critical else "major",
            "tags": ["even" if i % 2 == 0 else "odd"],
            "input": {"lead": {"email": f"lead{i}@brightpath-agency.example"}},
            "expected_tools": TOOLS,
            "positive_constraints": [{"type": "icontains", "value": "tier_1"}],
            "negative_constraints": [{"type": "not_regex", "value": r"(?i)\bwas sent\b"}],
        }
        for i in range(n)
    ]
    path = tmp_path / "gate.json"
    path.write_text(json.dumps({"name": "gate", "version": 1, "cases": cases}))
    return path


def plan(tmp_path, answers):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(answers))
    return path


def replay(path, plan_path, *args):
    """Run the command; return (exit code, stdout lines)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command(
            "replay",
            "--golden-set",
            str(path),
            "--runner-cmd",
            runner_cmd("planned_runner.py", plan_path),
            *args,
            stdout=out,
        )
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def test_a_clean_run_passes_and_ends_with_the_three_machine_read_lines(tmp_path):
    code, lines = replay(golden_file(tmp_path), plan(tmp_path, {"*": GOOD}))
    assert code == 0
    assert lines[-3:] == ["pass_rate: 1.0000", "critical_failures: 0", "block_build: false"]
    run = ReplayRun.objects.get()
    assert (run.total, run.passed, run.block_build) == (4, 4, False)
    for result in run.results.all():
        validate_judge_output(result.judge)


def test_a_pass_rate_below_the_minimum_blocks_with_exit_one(tmp_path):
    code, lines = replay(golden_file(tmp_path), plan(tmp_path, {"*": GOOD, "C3": BAD}))
    assert code == 1
    assert lines[-3:] == ["pass_rate: 0.7500", "critical_failures: 0", "block_build: true"]
    assert any(line.startswith("blocked: pass rate 75.00% < minimum 95.00%") for line in lines)
    code, _ = replay(
        golden_file(tmp_path),
        plan(tmp_path, {"*": GOOD, "C3": BAD}),
        *[
            "--min-pass-rate",
            "0.75",
            "--baseline",
            "none",
        ],
    )
    assert code == 0


def test_one_failing_critical_case_blocks_whatever_the_pass_rate(tmp_path):
    path = golden_file(tmp_path, n=4, critical=("C2",))
    code, lines = replay(path, plan(tmp_path, {"*": GOOD, "C2": BAD}), "--min-pass-rate", "0.5")
    assert code == 1
    assert "critical_failures: 1" in lines
    assert ReplayRun.objects.get().block_reasons == ["1 critical case(s) failed: C2"]


def test_a_runner_error_is_a_failed_result_not_a_crash(tmp_path):
    code, lines = replay(golden_file(tmp_path), plan(tmp_path, {"*": GOOD, "C1": "not an object"}))
    assert code == 1
    result = ReplayRun.objects.get().results.get(case_id="C1")
    assert result.outcome == CaseOutcome.RUNNER_ERROR
    assert result.error.startswith("INVALID_OUTPUT")
    validate_judge_output(result.judge)


def test_the_baseline_diff_lists_flips_and_deltas_and_a_score_drop_blocks(tmp_path):
    path = golden_file(tmp_path)
    replay(path, plan(tmp_path, {"*": GOOD}))
    first = ReplayRun.objects.get()
    code, lines = replay(
        path,
        plan(tmp_path, {"*": GOOD, "C0": "crashed"}),  # a runner error scores 1
        "--min-pass-rate",
        "0.5",
        "--max-score-drop",
        "0.5",
    )
    second = ReplayRun.objects.exclude(pk=first.pk).get()
    assert second.baseline == first
    diff = second.baseline_diff
    assert diff["pass_to_fail"] == ["C0"]
    assert diff["fail_to_pass"] == []
    assert [d["case_id"] for d in diff["score_deltas"]][0] == "C0"
    assert diff["score_deltas"][0]["delta"] < 0
    assert second.results.get(case_id="C0").baseline_outcome == CaseOutcome.PASSED
    assert "  pass→fail: C0" in lines
    assert code == 1
    assert any("mean score dropped by" in r for r in second.block_reasons)


def test_baseline_none_and_an_explicit_run_id(tmp_path):
    path = golden_file(tmp_path)
    replay(path, plan(tmp_path, {"*": GOOD}))
    first = ReplayRun.objects.get()
    replay(path, plan(tmp_path, {"*": GOOD}), "--baseline", "none")
    assert ReplayRun.objects.order_by("-id").first().baseline is None
    replay(path, plan(tmp_path, {"*": GOOD}), "--baseline", str(first.pk))
    assert ReplayRun.objects.order_by("-id").first().baseline == first


def test_tags_and_max_cases_narrow_the_run(tmp_path):
    replay(golden_file(tmp_path), plan(tmp_path, {"*": GOOD}), "--tag", "odd")
    assert sorted(ReplayRun.objects.get().results.values_list("case_id", flat=True)) == [
        "C1",
        "C3",
    ]
    replay(golden_file(tmp_path), plan(tmp_path, {"*": GOOD}), "--max-cases", "1")
    assert ReplayRun.objects.order_by("-id").first().total == 1


def test_it_writes_json_junit_and_markdown_reports(tmp_path):
    paths = {k: tmp_path / f"report.{k}" for k in ("json", "xml", "md")}
    replay(
        golden_file(tmp_path),
        plan(tmp_path, {"*": GOOD, "C1": BAD}),
        "--json",
        str(paths["json"]),
        "--junit",
        str(paths["xml"]),
        "--markdown",
        str(paths["md"]),
    )
    report = json.loads(paths["json"].read_text())
    assert (report["total"], report["passed"], report["block_build"]) == (4, 3, True)
    suite = ET.parse(paths["xml"]).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["C1"]
    markdown = paths["md"].read_text()
    assert "BLOCKED" in markdown
    assert "| C1 | qualify | major | failed |" in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--golden-set", "no-such-set"], "no golden set named"),
        (["--golden-set", "missing.json"], "no such file"),
        (["--tag", "nothing-has-this"], "no active cases match"),
        (["--baseline", "999999"], "baseline replay run 999999"),
        (["--baseline", "yesterday"], "--baseline must be"),
        (["--json", "/no/such/dir/out.json"], "does not exist"),
        (["--runner-cmd", "   "], "--runner-cmd"),
    ],
)
def test_bad_input_is_a_command_error_with_exit_code_two(tmp_path, args, message):
    base = ["--golden-set", str(golden_file(tmp_path)), "--runner-cmd", "true"]
    with pytest.raises(CommandError, match=message) as error:
        call_command("replay", *base, *args)
    assert error.value.returncode == 2


@pytest.mark.parametrize(
    "args", [["--min-pass-rate", "1.5"], ["--workers", "0"], ["--timeout", "-1"]]
)
def test_out_of_range_options_are_refused(tmp_path, args):
    with pytest.raises(CommandError):
        call_command("replay", "--golden-set", str(golden_file(tmp_path)), *args)
    assert not ReplayRun.objects.exists()


def test_without_a_golden_set_it_replays_ours_in_process(fresh_gateway):
    from io import StringIO

    out = StringIO()
    call_command("replay", "--max-cases", "4", "--tag", "qualify", stdout=out)
    run = ReplayRun.objects.get()
    assert (run.golden_set_label, run.runner, run.total) == ("caio-gtm@v1", "in_process", 4)
    assert out.getvalue().splitlines()[-1] == "block_build: false"


def test_seed_cases_without_an_agent_need_an_external_runner(v1_seed_path):
    with pytest.raises(CommandError, match="--runner-cmd") as error:
        call_command("replay", "--golden-set", str(v1_seed_path))
    assert error.value.returncode == 2
    assert not ReplayRun.objects.exists()


def test_an_in_process_replay_refuses_live_integrations(settings):
    settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "enrichment": "live"}
    with pytest.raises(CommandError, match="live: enrichment") as error:
        call_command("replay", "--max-cases", "1")
    assert error.value.returncode == 2
    assert not ReplayRun.objects.exists()


def test_the_score_drop_is_measured_on_the_cases_both_runs_judged(tmp_path):
    path = golden_file(tmp_path)
    replay(path, plan(tmp_path, {"*": GOOD, "C3": "crashed"}), "--min-pass-rate", "0")
    # Only C0 and C1 now, both unchanged: no drop, although the baseline's mean included C3.
    code, _ = replay(path, plan(tmp_path, {"*": GOOD}), "--max-cases", "2", "--max-score-drop", "0")
    second = ReplayRun.objects.order_by("-id").first()
    assert second.baseline_diff["common_cases"] == 2
    assert second.baseline_diff["dropped_cases"] == ["C2", "C3"]
    assert second.baseline_diff["mean_score_drop"] <= 0
    assert code == 0


def test_an_in_process_replay_refuses_to_run_without_trace_envelopes(settings):
    settings.TRACE_ENVELOPE_ENABLED = False
    with pytest.raises(CommandError, match="TRACE_ENVELOPE_ENABLED") as error:
        call_command("replay", "--max-cases", "1")
    assert error.value.returncode == 2
