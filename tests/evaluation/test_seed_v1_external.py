"""The seed's v1 file runs through the external runner path end to end."""

from __future__ import annotations

import json
import shlex
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from evaluation.choices import CaseOutcome
from evaluation.judge_schema import validate_judge_output
from evaluation.models import ReplayRun
from tests.evaluation.paths import ROOT, V1_SEED, runner_cmd

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def run(*args):
    out = StringIO()
    try:
        call_command("replay", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def test_the_imported_seed_replays_through_the_trivial_runner_with_two_workers(tmp_path):
    call_command("import_golden_set", str(V1_SEED), "--name", "seed")
    report = tmp_path / "seed.json"
    code, lines = run(
        "--golden-set",
        "seed",
        "--runner-cmd",
        shlex.join([sys.executable, str(ROOT / "bench" / "trivial_runner.py")]),
        "--workers",
        "2",
        "--json",
        str(report),
    )
    # The trivial runner calls no tool and answers nothing: the gate blocks, and says why.
    assert code == 1
    assert lines[-1] == "block_build: true"
    run_row = ReplayRun.objects.get()
    assert (run_row.total, run_row.passed, run_row.runner) == (50, 0, "external")
    results = list(run_row.results.all())
    assert {r.outcome for r in results} == {CaseOutcome.FAILED}
    for result in results:
        validate_judge_output(result.judge)
        assert result.unchecked_constraints  # the seed's negatives, reported not judged
    assert len(json.loads(report.read_text())["results"]) == 50


def test_the_seed_file_replays_by_path_and_the_runner_sees_only_id_and_query():
    code, _ = run(
        "--golden-set",
        str(V1_SEED),
        "--runner-cmd",
        runner_cmd("misbehaving_runner.py", "ok"),
        "--max-cases",
        "3",
    )
    received = [r.metadata["received"] for r in ReplayRun.objects.get().results.all()]
    assert [sorted(r) for r in received] == [["id", "input_query"]] * 3
    assert code == 1


def test_echoing_the_seed_answers_meets_every_phrase_but_fails_tools_and_groundedness():
    code, _ = run(
        "--golden-set", str(V1_SEED), "--runner-cmd", runner_cmd("echo_runner.py", V1_SEED)
    )
    assert code == 1
    for result in ReplayRun.objects.get().results.all():
        rubric = result.judge["rubric"]
        assert rubric["completeness"]["score"] == 5
        assert rubric["tool_selection_accuracy"]["score"] == 1
        assert rubric["groundedness"]["score"] == 1
        assert result.outcome == CaseOutcome.FAILED
