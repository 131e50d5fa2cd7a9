"""ICP scoring: title taxonomy traps, one test per tier, one per disqualification."""

from __future__ import annotations

import pytest

from agents.choices import Tier
from agents.icp import account_disqualifications, match_title, score_lead
from agents.integrations import crm

TIER_1_LEAD = {
    "email": "maya@brightpath-agency.example",
    "title": "CEO",
    "industry": "Marketing agency",
    "employee_count": 140,
    "tech_stack": ["HubSpot", "Slack"],
    "signals": {"page_views": 4},
}


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("CTO", "tech_executive"),
        ("Director of Sales", "director"),
        ("President", "executive"),
        ("Vice President of Sales", "vp"),
        ("Executive Vice President", "vp"),
        ("Owner", "owner"),
        ("Product Owner", None),
        ("COO", "executive"),
        ("Cooperative Program Manager", "manager"),
        ("Co-Founder & CTO", "founder"),
        ("V.P. Strategy", "vp_operations_strategy"),
        ("IT Director", "director_ops_it_data"),
        ("Managing Partner", "managing_partner"),
        ("Chief Technology Officer", "tech_executive"),
        ("Chief Revenue Officer", "executive"),
    ],
)
def test_titles_match_by_word_boundary_and_family(title, family):
    matched = match_title(title)
    assert (matched.key if matched else None) == family


def test_cto_is_not_found_inside_director():
    assert match_title("Director").key == "director"
    assert match_title("Director").points < match_title("CTO").points


def test_president_is_not_found_inside_vice_president():
    assert match_title("Vice President").key == "vp"


def test_coo_is_not_found_inside_cooperative():
    assert match_title("Cooperative") is None


def test_owner_is_not_found_inside_product_owner():
    assert match_title("Senior Product Owner") is None


def test_a_c_suite_agency_lead_is_tier_1_with_the_rules_listed():
    result = score_lead(TIER_1_LEAD)
    assert result.tier == Tier.TIER_1
    assert result.score >= 80
    rules = [r["rule"] for r in result.rationale]
    assert {"title.executive", "industry.agency", "size", "tech_stack", "intent.page_views"} <= set(
        rules
    )


def test_a_cto_at_a_b2b_software_company_is_tier_2():
    result = score_lead(
        {"title": "CTO", "industry": "B2B SaaS", "employee_count": 200, "tech_stack": ["Slack"]}
    )
    assert result.tier == Tier.TIER_2
    assert 60 <= result.score < 80


def test_a_director_of_operations_in_manufacturing_is_tier_3():
    result = score_lead(
        {"title": "Director of Operations", "industry": "Manufacturing", "employee_count": 300}
    )
    assert result.tier == Tier.TIER_3
    assert 40 <= result.score < 60


def test_a_weak_fit_is_below_the_contact_threshold():
    result = score_lead({"title": "Analyst", "industry": "Mining", "employee_count": 5000})
    assert result.tier == Tier.DISQUALIFIED
    assert "below_threshold" in [r["rule"] for r in result.rationale]


def test_a_demo_request_multiplies_the_score_and_caps_it_at_100():
    base = score_lead({**TIER_1_LEAD, "signals": {}}).score
    boosted = score_lead({**TIER_1_LEAD, "signals": {"demo_request": True, "page_views": 12}})
    assert boosted.score == min(100, round((base + 6) * 1.2))
    assert boosted.score <= 100
    assert "multiplier.demo_request" in [r["rule"] for r in boosted.rationale]


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"industry": "Government agency"}, "disqualify.government"),
        ({"industry": "Non-profit"}, "disqualify.non_profit"),
        ({"industry": "Higher education"}, "disqualify.education"),
        ({"company_domain": "city.gov"}, "disqualify.government"),
        ({"company_domain": "state.edu"}, "disqualify.education"),
        ({"employee_count": 8}, "disqualify.too_small"),
    ],
)
def test_excluded_sectors_and_tiny_companies_are_disqualified(overrides, rule):
    result = score_lead({**TIER_1_LEAD, **overrides})
    assert result.tier == Tier.DISQUALIFIED
    assert result.score == 0
    assert rule in [r["rule"] for r in result.rationale]


def test_a_competitor_from_the_crm_is_disqualified():
    account = crm.Simulated().lookup_account(domain="outreachly.example")
    result = score_lead(
        {**TIER_1_LEAD, "company_domain": "outreachly.example"}, crm_account=account
    )
    assert result.tier == Tier.DISQUALIFIED
    assert any("competitor" in d for d in result.disqualifications)


def test_an_existing_customer_from_the_crm_is_disqualified():
    account = crm.Simulated().lookup_account(domain="lumenstaffing.example")
    result = score_lead(
        {**TIER_1_LEAD, "company_domain": "lumenstaffing.example"}, crm_account=account
    )
    assert result.tier == Tier.DISQUALIFIED
    assert any("existing customer" in d for d in result.disqualifications)


def test_an_excluded_domain_is_disqualified():
    account = crm.Simulated().lookup_account(domain="do-not-contact.example")
    result = score_lead(
        {**TIER_1_LEAD, "company_domain": "do-not-contact.example"}, crm_account=account
    )
    assert result.tier == Tier.DISQUALIFIED
    assert "disqualify.excluded_domain" in [r["rule"] for r in result.rationale]


def test_a_prospect_account_in_the_crm_is_not_disqualified():
    account = crm.Simulated().lookup_account(domain="brightpath-agency.example")
    result = score_lead(TIER_1_LEAD, crm_account=account)
    assert result.tier == Tier.TIER_1


def test_strong_intent_raises_the_score_but_not_the_segment():
    result = score_lead(
        {
            "title": "CTO",
            "industry": "B2B SaaS",
            "employee_count": 240,
            "tech_stack": ["Slack", "HubSpot", "Zapier"],
            "signals": {"page_views": 12, "downloads": 2, "demo_request": True},
        }
    )
    assert result.score >= 80
    assert result.tier == Tier.TIER_2
    assert "segment.cap" in [r["rule"] for r in result.rationale]


def test_a_c_suite_lead_outside_the_tier_1_size_band_is_tier_2_at_most():
    result = score_lead({**TIER_1_LEAD, "employee_count": 40, "signals": {"demo_request": True}})
    assert result.tier == Tier.TIER_2


@pytest.mark.parametrize(
    ("account", "rules"),
    [
        ({"relationship": "competitor", "name": "Outreachly"}, ["disqualify.competitor"]),
        ({"relationship": "customer"}, ["disqualify.existing_customer"]),
        ({"relationship": "", "excluded": True}, ["disqualify.excluded_domain"]),
        (
            {"relationship": "competitor", "excluded": True},
            ["disqualify.excluded_domain", "disqualify.competitor"],
        ),
        ({"relationship": "prospect", "excluded": False}, []),
        (None, []),
    ],
)
def test_the_account_rule_names_each_reason_and_score_lead_applies_it(account, rules):
    found = account_disqualifications(account, "rival.example")
    assert [f.rule for f in found] == rules
    result = score_lead({**TIER_1_LEAD, "company_domain": "rival.example"}, crm_account=account)
    assert result.disqualifications == [f.reason for f in found]
    assert (result.tier == Tier.DISQUALIFIED) is bool(rules)
