"""GET /api/v1/scorecards/: the stored scorecards, newest week first, read-only."""

from __future__ import annotations

import pytest

from evaluation.scorecards import build_scorecard, sign_off
from tests.evaluation.scorecard_helpers import WEEK

pytestmark = pytest.mark.django_db
URL = "/api/v1/scorecards/"


def test_it_lists_the_scorecards_newest_week_first(api_as, viewer, hos):
    build_scorecard("2026-W46")
    sign_off(build_scorecard(WEEK).pk, user=hos)

    response = api_as(viewer).get(URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["week"] for row in rows] == [WEEK, "2026-W46"]
    assert rows[0]["signed_off_by"] == "hos"
    assert rows[0]["signed_off_at"] is not None
    assert rows[1]["signed_off_by"] is None
    assert "approvals" in rows[0]["metrics"]


def test_it_is_forbidden_to_users_without_the_permission(api_as, outsider):
    assert api_as(outsider).get(URL).status_code == 403


def test_it_is_read_only(api_as, hos):
    response = api_as(hos).post(URL, {"week": WEEK}, format="json")
    assert response.status_code == 405
