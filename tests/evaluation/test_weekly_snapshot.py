"""The weekly-replay-snapshot cron entry point."""

from __future__ import annotations

import pytest

from caio_site.scheduler import JOBS_BY_ID
from evaluation.models import ReplayRun

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_cron_replays_our_golden_set_against_the_last_run(our_golden_set, fresh_gateway):
    snapshot = JOBS_BY_ID["weekly-replay-snapshot"].entry_point
    first = snapshot()
    fresh_gateway()
    second = snapshot()
    run = ReplayRun.objects.get(pk=second["replay_run"])
    assert run.golden_set == our_golden_set
    assert run.triggered_by == "weekly-replay-snapshot"
    assert run.baseline_id == first["replay_run"]
    assert second["block_build"] is False
    assert run.baseline_diff["pass_to_fail"] == []
