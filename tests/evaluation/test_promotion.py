"""Golden Set v2 from production misses: promoting rejected/edited queue items, activating."""

from __future__ import annotations

import re

import pytest

from approvals import decisions
from approvals.choices import QueueItemKind
from approvals.compliance import with_footer
from approvals.models import RubricCheck
from approvals.queue import submit
from evaluation.choices import CaseSource
from evaluation.models import GoldenCase
from evaluation.promotion import PRODUCTION_MISSES_SET, activate_cases, promote_queue_items
from tests.factories import LeadFactory
from traces.models import TraceHold

pytestmark = pytest.mark.django_db

BODY = (
    "Hi {first},\n\n{company} opened a second studio this year, which usually means more "
    "proposals than partners to write them.\n\nAgencies cut proposal turnaround by 38% with "
    "CAIO.\n\nWorth a 15-minute look next week?\n\nSam"
)


def queued(n=1, **lead_fields):
    lead = LeadFactory(tier="tier_1", notes="Met at the webinar.", **lead_fields)
    body = with_footer(BODY.format(first=lead.first_name, company=lead.company), lead.email)
    return submit(
        kind=QueueItemKind.EMAIL,
        lead=lead,
        agent="draft_email",
        subject=f"Proposal turnaround at {lead.company}",
        body=body,
        idempotency_key=f"promotion-test-{lead.email}-{n}",
        tier="tier_1",
        evidence=[
            {"kind": "company", "fact": f"{lead.company} opened a studio", "source": "crm"},
            {"kind": "role", "fact": "CEOs own proposal turnaround", "source": "crm"},
        ],
        correlation_id=f"corr-{lead.email}",
    )


def test_a_rejected_item_becomes_an_inactive_draft_case_with_a_derived_negative(hos):
    item = queued()
    assert item.status == "pending", item.blocked_reasons
    decisions.reject(item, actor=hos, category="tone_style_issue", reason="Too salesy")
    item.refresh_from_db()

    result = promote_queue_items([item])

    case = result.created[0]
    assert case.golden_set.name == PRODUCTION_MISSES_SET
    assert (case.active, case.source, case.source_ref) == (
        False,
        CaseSource.QUEUE_ITEM,
        f"queue_item:{item.pk}",
    )
    assert case.agent == "draft_email"
    assert case.input["lead"]["email"] == item.lead.email
    assert case.input["lead"]["notes"] == "Met at the webinar."
    assert case.negative_constraints[0]["type"] == "not_regex"
    assert "I hope this email finds you" in case.negative_constraints[0]["value"]
    assert case.negative_constraints[-1] == {
        "type": "descriptive",
        "description": "Rejected as " + item.rejection_category.name + ": Too salesy",
    }
    assert "tone_style_issue" in case.tags
    assert TraceHold.objects.filter(correlation_id=item.correlation_id).count() == 1


def test_an_edited_item_forbids_the_sentences_the_head_of_sales_removed(hos):
    item = queued()
    removed = "Agencies cut proposal turnaround by 38% with CAIO."
    decisions.approve(item, actor=hos, subject=item.subject, body=item.body.replace(removed, ""))
    item.refresh_from_db()
    assert item.was_edited

    case = promote_queue_items([item]).created[0]

    assert {
        "type": "not_contains",
        "value": removed,
        "description": "removed by the Head of Sales",
    } in case.negative_constraints


@pytest.mark.parametrize(
    ("category", "check", "banned", "allowed"),
    [
        ("tone_style_issue", "banned_opener", "Hope you had a great weekend.", "I came across"),
        ("compliance_issue", "spam_words", "Act fast: it is risk-free!", "click here"),
    ],
)
def test_the_derived_negative_bans_what_the_rubric_bans_now(hos, category, check, banned, allowed):
    RubricCheck.objects.filter(key=check).update(
        params={"phrases": ["Hope you had a great weekend", "risk-free"]}
    )
    item = queued()
    decisions.reject(item, actor=hos, category=category, reason="Reads like spam.")
    item.refresh_from_db()

    [negative, *_] = promote_queue_items([item]).created[0].negative_constraints

    assert negative["type"] == "not_regex"
    assert re.search(negative["value"], banned)
    assert not re.search(negative["value"], allowed)


def test_pending_items_and_items_already_promoted_are_skipped(hos):
    pending = queued(1)
    rejected = queued(2)
    decisions.reject(rejected, actor=hos, category="weak_cta", reason="No clear ask")
    rejected.refresh_from_db()
    promote_queue_items([rejected])

    result = promote_queue_items([pending, rejected])

    assert result.created == []
    assert [reason for _, reason in result.skipped] == [
        "neither rejected nor edited",
        "already promoted",
    ]
    assert GoldenCase.objects.count() == 1


def test_activation_turns_drafts_on_once_and_records_the_reviewer(hos, operator):
    item = queued()
    decisions.reject(item, actor=hos, category="length_issue", reason="Too long")
    item.refresh_from_db()
    case = promote_queue_items([item]).created[0]
    assert case.negative_constraints[0] == {"type": "max_length", "value": len(item.body) - 1}

    assert activate_cases([case], reviewer=operator) == 1
    assert activate_cases([case], reviewer=hos) == 0
    case.refresh_from_db()
    assert case.active
    assert case.reviewed_by == operator
    assert case.reviewed_at is not None


def test_a_rejected_call_prep_brief_keeps_its_meeting_in_the_case_input(hos):
    lead = LeadFactory(tier="tier_1")
    brief = {
        "summary": "Meeting with the founder.",
        "pain_points": [],
        "objections": [],
        "recommended_approach": "Discovery.",
        "meeting": {"at": "2026-12-01T15:00:00+00:00", "title": "Intro", "in_calendar": False},
    }
    item = submit(
        kind=QueueItemKind.CALL_PREP,
        lead=lead,
        agent="call_prep",
        subject=f"Call prep: {lead.company}",
        body="Brief",
        idempotency_key=f"promotion-brief-{lead.email}",
        payload=brief,
    )
    decisions.reject(item, actor=hos, category="other", reason="Thin brief")
    item.refresh_from_db()

    case = promote_queue_items([item]).created[0]

    assert case.agent == "call_prep"
    assert case.input["meeting"] == {"at": "2026-12-01T15:00:00+00:00", "notes": ""}
    assert case.negative_constraints == [
        {"type": "descriptive", "description": "Rejected as Other: Thin brief"}
    ]
