"""Agents admin: changelists with a constant query count; agent records are read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from agents.models import AgentJob
from tests.agents.factories import LeadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _jobs(n):
    for i in range(n):
        lead = LeadFactory()
        AgentJob.objects.create(
            agent="qualify", lead=lead, idempotency_key=f"k{i}-{lead.pk}", input_hash="h"
        )


@pytest.mark.parametrize("path", ["/admin/agents/agentjob/", "/admin/agents/lead/"])
def test_changelists_use_a_constant_number_of_queries(
    admin_client_, path, django_assert_num_queries, django_assert_max_num_queries
):
    _jobs(2)
    admin_client_.get(path)  # warm caches (content types, session)
    with django_assert_max_num_queries(50) as few:
        assert admin_client_.get(path).status_code == 200
    _jobs(8)
    with django_assert_num_queries(len(few.captured_queries)):
        assert admin_client_.get(path).status_code == 200


def test_agent_jobs_cannot_be_edited(admin_client_):
    _jobs(1)
    job = AgentJob.objects.get()
    assert admin_client_.get("/admin/agents/agentjob/add/").status_code == 403
    page = admin_client_.get(f"/admin/agents/agentjob/{job.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_a_leads_email_and_status_are_read_only_and_leads_are_not_added_by_hand(admin_client_):
    lead = LeadFactory(status="qualified")
    url = f"/admin/agents/lead/{lead.pk}/change/"
    form = admin_client_.get(url).context["adminform"].form
    assert {"email", "status"}.isdisjoint(form.fields)

    posted = {name: form[name].value() for name in form.fields}
    posted.update(email="someone-else@example.com", status="new", title="Chief of Staff")
    posted["tech_stack"] = '["HubSpot"]'
    posted["signals"] = "{}"
    assert admin_client_.post(url, posted).status_code == 302

    email = lead.email
    lead.refresh_from_db()
    assert (lead.email, lead.status, lead.title) == (email, "qualified", "Chief of Staff")
    assert admin_client_.get("/admin/agents/lead/add/").status_code == 403


@pytest.mark.parametrize(("who", "enqueued"), [("operator", 1), ("viewer", 0), ("hos", 0)])
def test_only_the_operator_requalifies_leads(client, request, who, enqueued, monkeypatch):
    calls = []
    monkeypatch.setattr("agents.admin.qualify_lead.delay_on_commit", calls.append)
    lead = LeadFactory()
    client.force_login(request.getfixturevalue(who))

    client.post("/admin/agents/lead/", {"action": "requalify", "_selected_action": [lead.pk]})

    assert calls == [lead.pk] * enqueued
