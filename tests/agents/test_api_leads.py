"""POST/GET /api/v1/leads/: create or update by email, qualification enqueued, 400s not 500s."""

from __future__ import annotations

import pytest

from agents.api.serializers import LeadInputSerializer
from agents.choices import LeadSource, LeadStatus
from agents.models import Lead
from approvals.models import QueueItem

pytestmark = pytest.mark.django_db
URL = "/api/v1/leads/"

PAYLOAD = {
    "email": "Maya.Chen@brightpath-agency.example",
    "first_name": "Maya",
    "title": "CEO",
    "company": "Brightpath Agency",
    "company_domain": "brightpath-agency.example",
    "industry": "Marketing agency",
    "employee_count": 140,
    "tech_stack": ["HubSpot"],
    "signals": {"page_views": 5},
}


def test_an_api_client_creates_a_lead_that_is_qualified_and_drafted(
    api_as, api_client_user, without_redis, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(api_client_user).post(URL, PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    lead = Lead.objects.get()
    assert lead.email == "maya.chen@brightpath-agency.example"
    assert lead.source == LeadSource.API
    assert (lead.status, lead.tier) == (LeadStatus.QUALIFIED, "tier_1")
    assert QueueItem.objects.filter(lead=lead).count() == 1
    assert response.json()["email"] == lead.email


def test_posting_the_same_email_updates_only_the_fields_sent(
    api_as, api_client_user, without_redis, django_capture_on_commit_callbacks
):
    client = api_as(api_client_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, PAYLOAD, format="json")
        response = client.post(
            URL, {"email": "maya.chen@brightpath-agency.example", "title": "Founder"}, format="json"
        )
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert (lead.title, lead.company) == ("Founder", "Brightpath Agency")


def test_an_operator_may_create_but_a_viewer_may_not(api_as, operator, viewer, without_redis):
    assert api_as(viewer).post(URL, PAYLOAD, format="json").status_code == 403
    assert api_as(operator).post(URL, PAYLOAD, format="json").status_code == 201


def test_an_anonymous_client_is_refused(api):
    response = api.post(URL, PAYLOAD, format="json")
    assert response.status_code in (401, 403)
    assert "code" in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({**PAYLOAD, "employee_count": "many"}, "employee_count"),
        ({**PAYLOAD, "employee_count": -3}, "employee_count"),
        ({**PAYLOAD, "tech_stack": "HubSpot"}, "tech_stack"),
        ({**PAYLOAD, "signals": ["x"]}, "signals"),
        ({**PAYLOAD, "company_domain": "not a domain"}, "company_domain"),
    ],
)
def test_bad_input_gets_400_with_field_errors(api_as, api_client_user, payload, field):
    response = api_as(api_client_user).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["errors"]
    assert not Lead.objects.exists()


def test_a_malformed_body_is_400(api_as, api_client_user):
    response = api_as(api_client_user).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_reading_a_lead_shows_its_icp_fields(api_as, viewer, without_redis):
    lead = Lead.objects.create(email="a@b.example", icp_score=85, tier="tier_1")
    response = api_as(viewer).get(f"{URL}{lead.pk}/")
    assert response.status_code == 200
    assert (response.json()["icp_score"], response.json()["tier"]) == (85, "tier_1")
    assert api_as(viewer).get(f"{URL}999999/").status_code == 404


def test_a_null_character_in_signals_is_a_field_error(api_as, api_client_user):
    body = {"email": "a@b.example", "signals": {"source": "web\x00"}}
    response = api_as(api_client_user).post(URL, body, format="json")
    assert response.status_code == 400
    assert "signals" in response.json()["errors"]


def test_the_api_takes_and_returns_exactly_the_leads_fact_fields(api_as, api_client_user):
    # LeadInputSerializer validates each field its own way; it must still name them all.
    assert set(LeadInputSerializer().fields) == set(Lead.FACT_FIELDS)
    api_as(api_client_user).post(URL, PAYLOAD, format="json")
    lead = Lead.objects.get()
    body = api_as(api_client_user).get(f"{URL}{lead.pk}/").json()
    assert {name: body[name] for name in Lead.FACT_FIELDS} == lead.facts()
