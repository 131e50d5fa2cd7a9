"""POST/GET /api/v1/call-prep/: 202 with the job, the brief once the agent ran."""

from __future__ import annotations

import pytest

from agents.models import CallPrepJob
from tests.agents.factories import agency_ceo

pytestmark = pytest.mark.django_db
URL = "/api/v1/call-prep/"


def test_a_call_prep_request_is_accepted_and_the_brief_is_readable(
    api_as, api_client_user, without_redis, django_capture_on_commit_callbacks
):
    lead = agency_ceo()
    client = api_as(api_client_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"lead": lead.pk, "meeting_at": "2026-12-01T15:00:00Z"}, format="json"
        )
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]
    detail = client.get(f"{URL}{job_id}/").json()
    assert detail["status"] in {"published", "in_review"}
    assert detail["brief"]["summary"]
    assert len(detail["brief"]["objections"]) >= 2
    assert 0 <= detail["confidence"] <= 1


def test_the_same_meeting_returns_the_same_job(api_as, api_client_user, without_redis):
    lead = agency_ceo()
    client = api_as(api_client_user)
    body = {"lead": lead.pk, "meeting_at": "2026-12-01T15:00:00Z"}
    first = client.post(URL, body, format="json").json()["id"]
    second = client.post(URL, body, format="json").json()["id"]
    assert first == second
    assert CallPrepJob.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meeting_at": "2026-12-01T15:00:00Z"}, "lead"),
        ({"lead": 999999, "meeting_at": "2026-12-01T15:00:00Z"}, "lead"),
        ({"lead": "abc", "meeting_at": "2026-12-01T15:00:00Z"}, "lead"),
        ({"lead": 1, "meeting_at": "next tuesday"}, "meeting_at"),
    ],
)
def test_bad_requests_get_400_with_field_errors(api_as, api_client_user, body, field):
    response = api_as(api_client_user).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_viewer_cannot_request_call_prep(api_as, viewer):
    lead = agency_ceo()
    body = {"lead": lead.pk, "meeting_at": "2026-12-01T15:00:00Z"}
    assert api_as(viewer).post(URL, body, format="json").status_code == 403
