"""draft_email: standards drive the draft; competitors and customers get none; rubric passes."""

from __future__ import annotations

import pytest

from agents.choices import LeadStatus, Tier
from agents.drafting import draft_for_lead
from agents.qualification import qualify
from approvals.choices import QueueStatus
from approvals.models import QueueItem, SegmentStandard
from tests.agents.factories import agency_ceo
from traces.recorder import trace_scope

pytestmark = pytest.mark.django_db


def test_the_draft_follows_the_segment_standard_the_head_of_sales_edited(without_redis):
    standard = SegmentStandard.objects.get(tier="tier_1")
    standard.angles = [
        {
            "key": "referrals",
            "label": "Referral engine",
            "hook": "Your best clients came from referrals.",
            "value_prop": "CAIO turns every closed project into a referral ask.",
            "cta": "Worth a 15-minute look next week?",
        }
    ]
    standard.save()
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    outcome = draft_for_lead(lead, idempotency_key="t1")
    assert outcome.angle == "referrals"
    assert "CAIO turns every closed project into a referral ask." in outcome.item.body


def test_every_check_of_the_rubric_passes_for_a_known_lead(without_redis):
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    item = draft_for_lead(lead, idempotency_key="t2").item
    assert item.status == QueueStatus.PENDING
    failed = [r["id"] for r in item.rubric_results if not r["passed"]]
    assert failed == []
    assert {e["source"] for e in item.evidence} == {"enrichment:simulated", "lead notes"}


@pytest.mark.parametrize(
    ("domain", "reason"),
    [("outreachly.example", "competitor"), ("lumenstaffing.example", "existing customer")],
)
def test_competitors_and_customers_get_no_draft(without_redis, domain, reason):
    lead = agency_ceo(email=f"ceo@{domain}", company_domain=domain, tier="tier_1")
    with trace_scope(hold=True) as scope:
        outcome = draft_for_lead(lead, idempotency_key="t3")
    assert outcome.status == "disqualified"
    assert reason in outcome.reason
    assert not QueueItem.objects.exists()
    tools = [e["tool_name"] for e in scope.envelopes if not e["tool_name"].startswith("step.")]
    assert tools == ["crm.read_contact", "crm.lookup_account"]


@pytest.mark.parametrize(
    "domain",
    [
        "outreachly.example",  # competitor
        "lumenstaffing.example",  # existing customer
        "do-not-contact.example",  # excluded domain
        "eu.do-not-contact.example",  # a subdomain of an excluded one
    ],
)
def test_drafting_rules_out_the_accounts_qualification_rules_out_for_the_same_reasons(
    without_redis, domain
):
    lead = agency_ceo(email=f"ceo@{domain}", company_domain=domain, tier="tier_1")
    outcome = draft_for_lead(lead, idempotency_key=f"same:{domain}")
    scored = qualify(lead)
    assert scored.tier == Tier.DISQUALIFIED
    assert outcome.status == "disqualified"
    assert outcome.reason == "; ".join(scored.disqualifications) + ": do not contact"


def test_a_prospect_account_is_ruled_out_by_neither(without_redis):
    lead = agency_ceo(tier="tier_1")
    assert draft_for_lead(lead, idempotency_key="prospect").status == "queued"
    assert qualify(lead).disqualifications == []


def test_a_lead_that_replied_gets_no_first_touch(without_redis):
    lead = agency_ceo(status=LeadStatus.REPLIED, tier="tier_1")
    assert draft_for_lead(lead, idempotency_key="t4").status == "skipped"


def test_a_subject_that_fails_the_rubric_is_replaced(without_redis):
    standard = SegmentStandard.objects.get(tier="tier_2")
    standard.subject_exemplars = ["Outreach help for {company}", "Account research at {company}"]
    standard.save()
    lead = agency_ceo(
        email="jordan@cloudkite.example",
        company="CloudKite",
        company_domain="cloudkite.example",
        status=LeadStatus.QUALIFIED,
        tier="tier_2",
    )
    item = draft_for_lead(lead, idempotency_key="t5").item
    assert item.subject == "Account research at CloudKite"
    assert all(r["passed"] for r in item.rubric_results if r["id"] == "no_competitor_in_subject")
