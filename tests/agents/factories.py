"""Factories for the agents tests (leads live in tests/factories.py)."""

from __future__ import annotations

from tests.factories import LeadFactory

__all__ = ["LeadFactory", "agency_ceo"]


def agency_ceo(**overrides):
    """A tier-1 lead the simulated datasets know (enrichment facts, CRM prospect account)."""
    fields = {
        "email": "maya.chen@brightpath-agency.example",
        "first_name": "Maya",
        "last_name": "Chen",
        "title": "CEO",
        "company": "Brightpath Agency",
        "company_domain": "brightpath-agency.example",
        "industry": "Marketing agency",
        "employee_count": 140,
        "tech_stack": ["HubSpot", "Slack"],
        "signals": {"page_views": 4},
        **overrides,
    }
    return LeadFactory(**fields)
