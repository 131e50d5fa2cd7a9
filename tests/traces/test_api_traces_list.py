"""GET /api/v1/traces/?correlation_id=…"""

from __future__ import annotations

import datetime

import pytest

from tests.factories import UserFactory
from tests.traces.factories import TraceEnvelopeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/traces/"
T0 = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def make_trace(correlation_id: str, count: int, **kwargs):
    return [
        TraceEnvelopeFactory(
            correlation_id=correlation_id,
            timestamp=T0 + datetime.timedelta(milliseconds=10 * n),
            tool_name=f"crm.step_{n}",
            **kwargs,
        )
        for n in range(count)
    ]


def test_it_lists_one_trace_in_start_order(api_as, viewer):
    make_trace("other", 2)
    spans = make_trace("wanted", 3)
    response = api_as(viewer).get(URL, {"correlation_id": "wanted"})
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [str(s.id) for s in spans]
    assert set(body["results"][0]) >= {"tool_input_summary", "retrieved_context_refs", "status"}


def test_it_filters_by_case_id(api_as, operator):
    make_trace("a", 1, case_id="golden-1")
    make_trace("b", 1, case_id="golden-2")
    response = api_as(operator).get(URL, {"case_id": "golden-2"})
    assert [r["correlation_id"] for r in response.json()["results"]] == ["b"]


def test_it_refuses_to_list_without_a_correlation_or_case_id(api_as, viewer):
    response = api_as(viewer).get(URL)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "correlation_id" in response.json()["errors"]


def test_pages_follow_a_cursor(api_as, api_client_user):
    make_trace("long", 5)
    client = api_as(api_client_user)
    first = client.get(URL, {"correlation_id": "long", "page_size": 2}).json()
    assert len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert [r["tool_name"] for r in second["results"]] == ["crm.step_2", "crm.step_3"]


def test_the_query_count_does_not_grow_with_the_page(api_as, viewer, django_assert_num_queries):
    make_trace("small", 2)
    make_trace("big", 40)
    client = api_as(viewer)
    client.get(URL, {"correlation_id": "small"})  # the user's permissions are cached after this
    with django_assert_num_queries(1):
        client.get(URL, {"correlation_id": "small"})
    with django_assert_num_queries(1):
        client.get(URL, {"correlation_id": "big"})


@pytest.mark.parametrize("who", ["anonymous", "outsider", "staff_without_group"])
def test_people_without_the_view_permission_are_refused(api, api_as, outsider, who):
    if who == "outsider":
        api_as(outsider)
    elif who == "staff_without_group":
        api_as(UserFactory(username="staff", is_staff=True))
    response = api.get(URL, {"correlation_id": "x"})
    assert response.status_code in {401, 403}
