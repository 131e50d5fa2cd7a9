"""/api/v1/emails/: list (filters, cursor pagination), detail, approve, reject."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.choices import QueueEventType, QueueStatus
from approvals.models import QueueEvent, QueueItem

pytestmark = pytest.mark.django_db

URL = "/api/v1/emails/"


def test_anonymous_callers_are_401(api):
    assert api.get(URL).status_code == 401


def test_a_user_without_queue_permission_is_403(api_as, outsider):
    assert api_as(outsider).get(URL).status_code == 403


@pytest.mark.parametrize("who", ["hos", "operator", "viewer", "api_client_user"])
def test_queue_readers_can_list(api_as, make_item, request, who):
    make_item()
    response = api_as(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_the_list_filters_by_status_tier_and_sla_state(api_as, hos, make_item):
    fresh = make_item()
    old = make_item(tier="tier_2")
    QueueItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=30))
    client = api_as(hos)

    def ids(query):
        return [row["id"] for row in client.get(URL + query).json()["results"]]

    assert ids("?sla_state=breached") == [old.pk]
    assert ids("?sla_state=within_target") == [fresh.pk]
    assert ids("?tier=tier_2") == [old.pk]
    assert ids("?status=rejected") == []
    assert client.get(URL + "?sla_state=soon").status_code == 400


def test_the_list_is_cursor_paginated_oldest_first(api_as, hos, make_item):
    items = [make_item() for _ in range(3)]
    client = api_as(hos)

    first = client.get(URL + "?page_size=2").json()
    second = client.get(first["next"]).json()

    assert [r["id"] for r in first["results"]] == [items[0].pk, items[1].pk]
    assert [r["id"] for r in second["results"]] == [items[2].pk]
    assert "count" not in first


def test_the_list_query_count_does_not_grow_with_rows(
    api_as, hos, make_item, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(hos)
    client.get(URL)  # the user's permission cache fills on the first request
    for _ in range(5):
        make_item()
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(URL).json()["results"]) == 5
    for _ in range(45):
        make_item()
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 50


def test_detail_shows_the_rubric_evidence_and_version(api_as, viewer, make_item):
    item = make_item()
    body = api_as(viewer).get(f"{URL}{item.pk}/").json()
    assert body["version"] == 1
    assert body["sla_state"] == "within_target"
    assert {r["id"] for r in body["rubric_results"]} >= {"unsubscribe_link", "groundedness"}
    assert {e["kind"] for e in body["evidence"]} == {"company", "role"}


def test_hos_approves_with_edits(api_as, hos, make_item):
    item = make_item()
    response = api_as(hos).post(
        f"{URL}{item.pk}/approve/",
        {"version": 1, "subject": "Shorter subject", "feedback": "Tighter."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["was_edited"] is True
    assert body["decided_by"] == "hos"
    assert body["status"] in {QueueStatus.APPROVED, QueueStatus.SENT}


def test_a_stale_version_is_409(api_as, hos, make_item):
    item = make_item()
    client = api_as(hos)
    assert client.post(f"{URL}{item.pk}/approve/", {"version": 1}, format="json").status_code == 200

    response = client.post(
        f"{URL}{item.pk}/reject/",
        {"version": 1, "category": "other", "reason": "late"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert QueueEvent.objects.filter(item=item, event_type=QueueEventType.REJECTED).count() == 0


@pytest.mark.parametrize("who", ["operator", "viewer", "api_client_user"])
def test_only_the_head_of_sales_decides(api_as, make_item, request, who):
    item = make_item()
    client = api_as(request.getfixturevalue(who))
    assert client.post(f"{URL}{item.pk}/approve/", {"version": 1}, format="json").status_code == 403
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_reject_runs_the_category_policy(api_as, hos, make_item):
    item = make_item()
    response = api_as(hos).post(
        f"{URL}{item.pk}/reject/",
        {"version": 1, "category": "tone_style_issue", "reason": "Too pushy."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["rejection_category"] == "tone_style_issue"
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.REJECTED


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"version", "category", "reason"}),
        ({"version": "x", "category": "nope", "reason": ""}, {"version", "category", "reason"}),
        ({"version": 1, "category": "other", "reason": "   "}, {"reason"}),
    ],
)
def test_bad_reject_input_is_400_with_field_errors(api_as, hos, make_item, payload, fields):
    item = make_item()
    response = api_as(hos).post(f"{URL}{item.pk}/reject/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields


def test_approve_edits_that_break_a_hard_check_are_400(api_as, hos, make_item):
    item = make_item()
    response = api_as(hos).post(
        f"{URL}{item.pk}/approve/", {"version": 1, "body": "Footer removed."}, format="json"
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_a_malformed_json_body_is_400(api_as, hos, make_item):
    item = make_item()
    response = api_as(hos).post(
        f"{URL}{item.pk}/approve/", data="{oops", content_type="application/json"
    )
    assert response.status_code == 400
