"""GET /api/v1/replay-runs/ and /api/v1/replay-runs/{id}/."""

from __future__ import annotations

import pytest

from evaluation.choices import CaseOutcome
from tests.evaluation.factories import CaseResultFactory, ReplayRunFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/replay-runs/"


def test_the_list_is_newest_first_for_anyone_in_a_group(api_as, viewer):
    older = ReplayRunFactory()
    newer = ReplayRunFactory()
    response = api_as(viewer).get(URL)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [newer.pk, older.pk]


def test_the_list_filters_by_golden_set_and_verdict(api_as, operator):
    ReplayRunFactory(golden_set_label="a@v1", block_build=True)
    keep = ReplayRunFactory(golden_set_label="a@v1", block_build=False)
    ReplayRunFactory(golden_set_label="b@v1", block_build=False)
    response = api_as(operator).get(URL, {"golden_set": "a@v1", "block_build": "false"})
    assert [r["id"] for r in response.json()["results"]] == [keep.pk]


def test_the_list_query_count_does_not_grow_with_runs(api_as, api_client_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(api_client_user)
    ReplayRunFactory.create_batch(2)
    client.get(URL)  # warm the permission cache
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).json()["results"]) == 2
    ReplayRunFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 22
    assert len(many) == len(few)


def test_the_detail_carries_every_case_verdict_and_the_baseline_diff(api_as, hos):
    run = ReplayRunFactory(baseline_diff={"pass_to_fail": ["B"]})
    CaseResultFactory(run=run, case_id="B", outcome=CaseOutcome.FAILED)
    CaseResultFactory(run=run, case_id="A")
    body = api_as(hos).get(f"{URL}{run.pk}/").json()
    assert [r["case_id"] for r in body["results"]] == ["A", "B"]
    assert body["results"][1]["outcome"] == "failed"
    assert body["baseline_diff"] == {"pass_to_fail": ["B"]}


def test_an_unknown_run_is_a_404_with_a_code(api_as, viewer):
    response = api_as(viewer).get(f"{URL}999999/")
    assert response.status_code == 404
    assert "code" in response.json()


@pytest.mark.parametrize("params", [{"block_build": "maybe"}, {"status": "exploded"}])
def test_a_malformed_filter_is_a_400_not_a_500(api_as, viewer, params):
    response = api_as(viewer).get(URL, params)
    assert response.status_code == 400


def test_outsiders_and_anonymous_callers_are_refused(api, api_as, outsider):
    assert api.get(URL).status_code in (401, 403)
    assert api_as(outsider).get(URL).status_code == 403
