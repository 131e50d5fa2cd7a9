"""evaluation.knowledge: the judge's approved policy knowledge is rendered from the constants
the agents run on, so editing a docstring changes no verdict and changing a constant does."""

from __future__ import annotations

import pytest

from agents import icp, scans
from agents.choices import Tier
from evaluation.judge import Claim, Corpus
from evaluation.knowledge import policy_knowledge

pytestmark = pytest.mark.django_db


def _supports(agent: str, token: str) -> bool:
    return Corpus(policy_knowledge(agent)).supports(Claim(token, "number"))


def test_editing_the_module_docstrings_changes_nothing(monkeypatch):
    before = {agent: policy_knowledge(agent) for agent in ("qualify", "pipeline_scan")}
    monkeypatch.setattr(icp, "__doc__", "Scores leads. Tier 1 at 97 points, 4242 employees.")
    monkeypatch.setattr(scans, "__doc__", "Looks 99 hours ahead.")
    assert {agent: policy_knowledge(agent) for agent in before} == before
    assert not _supports("qualify", "4242")


def test_changing_a_threshold_changes_the_score_and_the_knowledge_alike(monkeypatch):
    lead = {"title": "CEO", "industry": "agency", "employee_count": 140, "signals": {}}
    assert icp.score_lead(lead).tier == Tier.TIER_1
    assert not _supports("qualify", "97")

    monkeypatch.setattr(
        icp, "TIER_THRESHOLDS", ((Tier.TIER_1, 97), (Tier.TIER_2, 60), (Tier.TIER_3, 40))
    )

    assert icp.score_lead(lead).tier == Tier.TIER_2
    assert "tier_1 ≥ 97" in policy_knowledge("qualify")[0]
    assert _supports("qualify", "97")


def test_changing_a_size_band_changes_the_rationale_and_the_knowledge_alike(monkeypatch):
    monkeypatch.setattr(icp, "SIZE_BANDS", ((21, ((51, 500),), "51–500 sweet spot"),))
    result = icp.score_lead({"title": "CEO", "industry": "agency", "employee_count": 140})
    assert {"rule": "size", "points": 21, "detail": "140 employees (51–500 sweet spot)"} in (
        result.rationale
    )
    assert "51–500 employees: 21" in policy_knowledge("qualify")[0]


def test_the_scan_window_is_the_one_the_scan_reports(monkeypatch):
    monkeypatch.setattr(scans, "MEETING_LOOKAHEAD_HOURS", 48)
    rendered = scans.render_scan({"stale": [], "upcoming_meetings": [], "ghosted": []})
    assert "Upcoming meetings (next 48 hours)" in rendered
    assert "meetings in the next 48 hours" in policy_knowledge("pipeline_scan")[0]
    assert _supports("pipeline_scan", "48")


def test_other_agents_have_no_policy_knowledge():
    assert policy_knowledge("draft_email") == ()
