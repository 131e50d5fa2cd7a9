"""Call prep: the documented confidence formula, publish vs review by the policy threshold."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from agents.call_prep import confidence, get_or_create_job, run_call_prep_job
from agents.choices import CallPrepStatus
from agents.models import CallPrepJob
from approvals.choices import QueueItemKind
from approvals.models import MeetingPrepPolicy, QueueItem
from tests.agents.factories import LeadFactory, agency_ceo

POLICY = SimpleNamespace(
    required_fields=["summary", "pain_points", "objections", "recommended_approach"],
    min_pain_points=2,
    min_objections=2,
)
FULL = {
    "summary": "s",
    "pain_points": [{"point": "a"}, {"point": "b"}],
    "objections": [{"objection": "o1", "response": "r1"}, {"objection": "o2", "response": "r2"}],
    "recommended_approach": "x",
}
ALL_EVIDENCE = {"company_facts": True, "contact_record": True, "meeting_context": True}
MEETING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_a_complete_brief_with_all_evidence_scores_one():
    assert confidence(FULL, POLICY, ALL_EVIDENCE) == 1.0


def test_generic_pains_and_missing_evidence_lower_the_confidence():
    brief = {**FULL, "pain_points": [{"point": "a", "generic": True}, {"point": "b"}]}
    evidence = {"company_facts": True, "contact_record": False, "meeting_context": False}
    # 0.2·1 + 0.2·(1/2) + 0.2·1 + 0.4·(1/3)
    assert confidence(brief, POLICY, evidence) == round(0.2 + 0.1 + 0.2 + 0.4 / 3, 2)


def test_a_missing_required_field_counts_against_it():
    brief = {**FULL, "recommended_approach": ""}
    assert confidence(brief, POLICY, ALL_EVIDENCE) == round(0.2 * 0.75 + 0.8, 2)


@pytest.mark.django_db
def test_a_well_known_lead_gets_a_published_brief(without_redis):
    lead = agency_ceo(notes="Proposal backlog; intake is slow.")
    job, created = get_or_create_job(lead, MEETING, notes="Wants to see the proposal flow")
    assert created
    run_call_prep_job(job.pk)
    job.refresh_from_db()
    assert job.status == CallPrepStatus.PUBLISHED
    assert job.confidence >= MeetingPrepPolicy.current().confidence_threshold
    assert len(job.brief["pain_points"]) >= 2
    assert len(job.brief["objections"]) >= 2
    assert not QueueItem.objects.exists()


@pytest.mark.django_db
def test_a_thin_brief_goes_to_the_queue_for_review(without_redis):
    lead = LeadFactory(email="someone@unknown-co.example", company="Unknown Co", notes="")
    job, _ = get_or_create_job(lead, MEETING)
    run_call_prep_job(job.pk)
    job.refresh_from_db()
    assert job.status == CallPrepStatus.IN_REVIEW
    assert job.confidence < MeetingPrepPolicy.current().confidence_threshold
    item = QueueItem.objects.get(pk=job.queue_item_id)
    assert item.kind == QueueItemKind.CALL_PREP
    assert item.payload["summary"] == job.brief["summary"]


@pytest.mark.django_db
def test_running_a_finished_job_again_does_nothing(without_redis):
    lead = LeadFactory(email="someone@unknown-co.example", company="Unknown Co")
    job, _ = get_or_create_job(lead, MEETING)
    run_call_prep_job(job.pk)
    assert run_call_prep_job(job.pk) is None
    assert QueueItem.objects.count() == 1
    assert CallPrepJob.objects.count() == 1


@pytest.mark.django_db
def test_the_threshold_comes_from_the_policy(without_redis):
    policy = MeetingPrepPolicy.current()
    policy.confidence_threshold = 0.1
    policy.save()
    lead = LeadFactory(email="someone@unknown-co.example", company="Unknown Co")
    job, _ = get_or_create_job(lead, MEETING)
    run_call_prep_job(job.pk)
    job.refresh_from_db()
    assert job.status == CallPrepStatus.PUBLISHED
