"""The ``call_prep`` agent: a meeting brief with a confidence computed from field coverage.

Tools, in order: ``crm.read_contact``, ``enrichment.enrich_contact`` (optional),
``calendar.get_events`` (the meeting and its notes, ±2 hours around ``meeting_at``),
``knowledge.read_standards`` (segment angles, approved proof claims, objection library).

Brief fields: ``summary``, ``pain_points`` (``{point, source}``), ``objections``
(``{objection, response}``), ``recommended_approach``, ``meeting``, ``sources``.

Confidence (0–1, two decimals), from the MeetingPrepPolicy quality bar::

    confidence = 0.2 × required   (share of policy.required_fields that are filled)
               + 0.2 × pains      (min(1, lead-specific pain points / policy.min_pain_points);
                                   the segment's generic pains pad the brief but do not count)
               + 0.2 × objections (min(1, objections with responses / policy.min_objections))
               + 0.4 × evidence   (share of the three evidence sources that answered: company
                                   facts from enrichment, a CRM/person record, the meeting in
                                   the calendar or meeting notes)

At or above ``policy.confidence_threshold`` the brief is published; below it, it goes to the
approval queue as a ``call_prep`` item for a human to review.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from agents import gateway
from agents.choices import CALL_PREP_TERMINAL_STATUSES, CallPrepStatus, Tier
from agents.composer import BriefRequest, get_provider, pains_in
from agents.gateway import GatewayError, TransientGatewayError
from agents.icp import match_industry, score_lead
from agents.models import CallPrepJob, Lead
from approvals.choices import QueueItemKind
from approvals.models import MeetingPrepPolicy
from approvals.queue import submit
from caio_site.runtime.correlation import get_correlation_id
from traces.choices import AgentName
from traces.recorder import agent_step

logger = logging.getLogger(__name__)
AGENT = AgentName.CALL_PREP.value
SEGMENTS = (Tier.TIER_1, Tier.TIER_2, Tier.TIER_3)


def segment_for(lead: Lead) -> str:
    """The segment whose standard frames the brief (any lead can book a meeting)."""
    if lead.tier in SEGMENTS:
        return lead.tier
    scored = score_lead(lead.facts()).tier
    if scored in SEGMENTS:
        return scored
    industry = match_industry(lead.industry)
    return industry.segment if industry else Tier.TIER_2


def confidence(brief: dict, policy, evidence: dict[str, bool]) -> float:
    """The documented formula above; ``evidence`` maps each evidence source to found/not."""
    required = list(policy.required_fields or [])
    filled = sum(1 for name in required if brief.get(name)) / len(required) if required else 1.0
    specific = [p for p in brief.get("pain_points", []) if not p.get("generic")]
    pains = min(1.0, len(specific) / policy.min_pain_points) if policy.min_pain_points else 1.0
    answered = [o for o in brief.get("objections", []) if o.get("response")]
    objections = min(1.0, len(answered) / policy.min_objections) if policy.min_objections else 1.0
    found = sum(1 for ok in evidence.values() if ok) / len(evidence) if evidence else 0.0
    return round(0.2 * filled + 0.2 * pains + 0.2 * objections + 0.4 * found, 2)


def prepare_brief(lead: Lead, meeting_at: datetime, *, meeting_notes: str = "") -> dict:
    """Gather context through the gateway and compose the brief; returns brief + confidence."""
    refs = [f"lead:{lead.pk}"]
    with agent_step(AGENT, "call_prep", input={"lead": lead.pk, "meeting_at": meeting_at}) as step:
        contact = gateway.call(AGENT, "crm.read_contact", email=lead.email, refs=refs)
        try:
            enrichment = gateway.call(
                AGENT,
                "enrichment.enrich_contact",
                email=lead.email,
                domain=lead.domain,
                refs=refs,
            )
        except GatewayError:
            enrichment = {}
        events = gateway.call(
            AGENT,
            "calendar.get_events",
            attendee=lead.email,
            start=(meeting_at - timedelta(hours=2)).isoformat(),
            end=(meeting_at + timedelta(hours=2)).isoformat(),
            refs=refs,
        ).get("events", [])
        tier = segment_for(lead)
        standard = gateway.call(AGENT, "knowledge.read_standards", tier=tier, refs=refs)

        source = enrichment.get("source", "enrichment")
        company = enrichment.get("company") or {}
        person = enrichment.get("person") or {}
        record = contact.get("contact") or {}
        company_facts = [{"fact": f, "source": source} for f in company.get("facts") or []]
        person_facts = [{"fact": f, "source": source} for f in person.get("facts") or []]
        event = events[0] if events else None
        pains = []
        for text, origin in (
            (lead.notes, f"lead:{lead.pk} notes"),
            (record.get("notes", ""), contact.get("source", "crm")),
            (meeting_notes, "meeting notes"),
            ((event or {}).get("notes", ""), "calendar:event notes"),
        ):
            for point in pains_in(text):
                if point not in {p["point"] for p in pains}:
                    pains.append({"point": point, "source": origin})
        meeting = {
            "at": meeting_at.isoformat(),
            "title": (event or {}).get("title") or f"Meeting with {lead.company or lead.email}",
            "in_calendar": event is not None,
        }
        brief = get_provider().compose_brief(
            BriefRequest(
                lead=lead.facts(),
                tier=tier,
                standard=standard,
                company_facts=company_facts,
                person_facts=person_facts,
                pains=pains,
                meeting=meeting,
            )
        )
        specific = {p["point"] for p in pains}
        for point in brief["pain_points"]:
            point["generic"] = point["point"] not in specific
        policy = MeetingPrepPolicy.current()
        evidence = {
            "company_facts": bool(company_facts),
            "contact_record": bool(record) or bool(person_facts),
            "meeting_context": event is not None or bool(meeting_notes.strip()),
        }
        score = confidence(brief, policy, evidence)
        brief["confidence"] = score
        brief["confidence_inputs"] = evidence
        brief["tier"] = tier
        step.output = {"confidence": score, "tier": tier, "evidence": evidence}
    return {
        "brief": brief,
        "confidence": score,
        "threshold": policy.confidence_threshold,
        "publish": score >= policy.confidence_threshold,
    }


def render_brief(lead: Lead, brief: dict) -> str:
    """The brief as text (queue item body, replay output)."""
    lines = [f"Summary: {brief['summary']}", "", "Pain points:"]
    lines += [f"- {p['point']} (source: {p['source']})" for p in brief["pain_points"]]
    lines += ["", "Objections and responses:"]
    lines += [f"- {o['objection']} — {o['response']}" for o in brief["objections"]]
    lines += ["", f"Recommended approach: {brief['recommended_approach']}"]
    lines += ["", f"Confidence: {brief.get('confidence')}"]
    return "\n".join(lines)


def get_or_create_job(
    lead: Lead, meeting_at: datetime, *, requested_by=None, source="api", notes: str = ""
) -> tuple[CallPrepJob, bool]:
    """The job for this lead and meeting time: one brief per meeting, however often asked
    (``agents.tasks.request_call_prep`` runs a new one)."""
    return CallPrepJob.objects.get_or_create(
        lead=lead,
        meeting_at=meeting_at,
        defaults={
            "requested_by": requested_by,
            "source": source,
            "meeting_notes": notes or "",
            "correlation_id": get_correlation_id(),
        },
    )


def run_call_prep_job(job_id: int) -> dict | None:
    """The ``call_prep`` task body: publish the brief or queue it for review, once."""
    job = CallPrepJob.objects.select_related("lead").filter(pk=job_id).first()
    if job is None or job.status in CALL_PREP_TERMINAL_STATUSES:
        return None
    try:
        prepared = prepare_brief(job.lead, job.meeting_at, meeting_notes=job.meeting_notes)
    except TransientGatewayError:
        raise
    except GatewayError as exc:
        CallPrepJob.objects.filter(pk=job.pk, status=CallPrepStatus.PENDING).update(
            status=CallPrepStatus.FAILED, error=str(exc), completed_at=timezone.now()
        )
        return None
    brief = prepared["brief"]
    with transaction.atomic():
        item_id = None
        status = CallPrepStatus.PUBLISHED
        if not prepared["publish"]:
            item = submit(
                kind=QueueItemKind.CALL_PREP,
                lead=job.lead,
                agent=AGENT,
                subject=f"Call prep: {job.lead} — {job.meeting_at:%Y-%m-%d %H:%M} UTC",
                body=render_brief(job.lead, brief),
                idempotency_key=f"call_prep:{job.pk}",
                tier=brief.get("tier", ""),
                payload=brief,
            )
            item_id, status = item.pk, CallPrepStatus.IN_REVIEW
        CallPrepJob.objects.filter(pk=job.pk, status=CallPrepStatus.PENDING).update(
            status=status,
            brief=brief,
            confidence=prepared["confidence"],
            queue_item_id=item_id,
            completed_at=timezone.now(),
        )
    return {"status": status, "confidence": prepared["confidence"], "queue_item_id": item_id}
