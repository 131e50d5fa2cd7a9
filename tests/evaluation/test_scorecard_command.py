"""manage.py scorecard: builds the week, prints the figures, exports, refuses bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from evaluation.models import Scorecard
from evaluation.scorecards import build_scorecard, sign_off
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.scorecard_helpers import NOW, WEEK, WEEK_START

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("scorecard", *args, stdout=out)
    return out.getvalue()


def test_it_builds_the_named_week_and_prints_its_figures():
    when = WEEK_START + timedelta(days=2)
    ReplayRunFactory(started_at=when, finished_at=when, pass_rate=0.96, critical_failures=0)

    output = run("--week", WEEK)

    assert f"Scorecard {WEEK}" in output
    assert "Replay pass rate: 96.0%" in output
    assert "Approval rate: —" in output
    assert Scorecard.objects.get(week=WEEK).metrics["replay"]["pass_rate"] == 0.96


@time_machine.travel(NOW, tick=False)
def test_without_a_week_it_builds_the_last_complete_one():
    output = run()
    assert f"Scorecard {WEEK}" in output
    assert list(Scorecard.objects.values_list("week", flat=True)) == [WEEK]


def test_it_writes_the_markdown_and_json_exports(tmp_path):
    markdown, payload = tmp_path / "scorecard.md", tmp_path / "scorecard.json"

    output = run("--week", WEEK, "--markdown", str(markdown), "--json", str(payload))

    assert f"wrote {markdown}" in output
    assert markdown.read_text().startswith(f"# Scorecard {WEEK}")
    assert "| Replay pass rate |" in markdown.read_text()
    assert json.loads(payload.read_text())["week"] == WEEK


@pytest.mark.parametrize("week", ["2026-48", "2026-W99", "last week"])
def test_a_malformed_week_is_a_command_error(week):
    with pytest.raises(CommandError, match="week"):
        run("--week", week)
    assert not Scorecard.objects.exists()


def test_a_signed_off_week_is_a_command_error(hos):
    sign_off(build_scorecard(WEEK).pk, user=hos)
    with pytest.raises(CommandError, match="signed off"):
        run("--week", WEEK)


def test_an_unwritable_export_path_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        run("--week", WEEK, "--json", str(tmp_path / "missing" / "scorecard.json"))


def test_the_weekly_cron_builds_last_weeks_scorecard():
    from caio_site.choices import SchedulerRunStatus
    from caio_site.scheduler import JOBS_BY_ID, run_job

    run = run_job(JOBS_BY_ID["weekly-scorecard"], run_id="01JSCORECARD")

    assert run.status == SchedulerRunStatus.OK, run.detail
    scorecard = Scorecard.objects.get()
    assert run.result == {
        "model": "evaluation.Scorecard",
        "pk": scorecard.pk,
        "str": str(scorecard),
    }
