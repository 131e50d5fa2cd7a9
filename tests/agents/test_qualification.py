"""The qualify agent: CRM and enrichment fill gaps, never overwrite; status rules."""

from __future__ import annotations

import pytest

from agents.choices import LeadStatus
from agents.qualification import qualify, run_qualify_job
from agents.tasks import qualify_lead
from approvals.models import QueueItem
from tests.agents.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_enrichment_fills_missing_fields_without_overwriting(without_redis):
    lead = LeadFactory(
        email="dev.patel@acmeai.example",
        company_domain="acmeai.example",
        title="Head of Revenue",
        industry="",
        employee_count=None,
        tech_stack=[],
    )
    qualify(lead)
    lead.refresh_from_db()
    assert lead.title == "Head of Revenue"  # provided, kept
    assert (lead.industry, lead.employee_count) == ("B2B SaaS", 180)  # from enrichment
    assert lead.tech_stack == ["Salesforce", "HubSpot", "Slack"]
    assert lead.status == LeadStatus.QUALIFIED
    assert lead.qualified_at is not None
    assert lead.icp_rationale


def test_a_contacted_lead_keeps_its_status_when_rescored(without_redis):
    lead = LeadFactory(
        status=LeadStatus.CONTACTED,
        email="x@outreachly.example",
        company_domain="outreachly.example",
    )
    result = qualify(lead)
    lead.refresh_from_db()
    assert result.tier == "disqualified"
    assert lead.status == LeadStatus.CONTACTED
    assert lead.tier == "disqualified"


def test_an_enrichment_outage_still_scores_on_the_lead_data(without_redis):
    lead = LeadFactory(email="ceo@brokenprovider.example", company_domain="brokenprovider.example")
    result = qualify(lead)
    assert "enrichment.unavailable" in [r["rule"] for r in result.rationale]
    assert result.tier == "tier_1"


def test_the_job_runs_once_per_set_of_facts(without_redis, django_capture_on_commit_callbacks):
    lead = LeadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = qualify_lead.delay(lead.pk).get()
        again = qualify_lead.delay(lead.pk).get()
    assert first["tier"] == "tier_1"
    assert first["draft"] is True
    assert again is None
    assert QueueItem.objects.filter(lead=lead).count() == 1


def test_the_job_says_a_qualified_lead_is_to_be_drafted_and_enqueues_nothing_itself(
    without_redis, django_capture_on_commit_callbacks
):
    lead = LeadFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = run_qualify_job(lead.pk)
    assert outcome["draft"] is True
    assert callbacks == []
    assert not QueueItem.objects.filter(lead=lead).exists()


def test_a_deleted_lead_is_skipped(without_redis):
    assert run_qualify_job(987654) is None
