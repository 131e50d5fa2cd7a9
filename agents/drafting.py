"""The ``draft_email`` agent: evidence, standards, composition, footer, approval queue.

Tools, in order: ``crm.read_contact``, ``crm.lookup_account`` (stop when the account is a
competitor, a customer or excluded), ``enrichment.enrich_contact`` (optional: a failure falls
back to the lead record's facts), ``knowledge.read_standards`` for the tier. A suppressed
recipient stops the agent before any tool call. The draft is submitted with
``approvals.queue.submit``, which runs the rubric and leaves it ``pending`` (or ``blocked``);
the agent never sends anything — ``email.send`` is not in its permissions.

Rejection feedback: ``draft_for_lead(lead, feedback_item=item)`` writes a new draft that
avoids every angle, subject and proof claim used by the rejected item and the items it
superseded, takes the rejection category into account (``length_issue`` → a shorter body) and
links the new item with ``supersedes``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings

from agents import gateway, jobs
from agents.choices import AgentJobStatus, LeadStatus, Tier
from agents.composer import EmailRequest, get_provider, instructions_in, pains_in
from agents.gateway import GatewayError, TransientGatewayError
from agents.icp import account_disqualifications, match_title, score_lead
from agents.models import Lead
from approvals import compliance, queue
from approvals.choices import QueueItemKind
from approvals.models import QueueItem
from approvals.rubric import run_rubric
from approvals.suppression import suppression_for
from traces.choices import AgentName
from traces.recorder import agent_step

logger = logging.getLogger(__name__)
AGENT = AgentName.DRAFT_EMAIL.value
CONTACTABLE = frozenset({Tier.TIER_1, Tier.TIER_2, Tier.TIER_3})
# A lead in one of these statuses gets no new first-touch draft.
NO_DRAFT_STATUSES = frozenset(
    {
        LeadStatus.DISQUALIFIED,
        LeadStatus.BOUNCED,
        LeadStatus.UNSUBSCRIBED,
        LeadStatus.REPLIED,
        LeadStatus.MEETING_BOOKED,
    }
)


@dataclass
class DraftOutcome:
    """What the agent did: ``queued`` (item pending/blocked) or why it stopped."""

    status: str  # queued | suppressed | disqualified | not_qualified | skipped
    reason: str = ""
    item: object = None
    tier: str = ""
    angle: str = ""
    subject: str = ""
    body: str = ""
    evidence: list[dict] = field(default_factory=list)
    flagged_instructions: list[str] = field(default_factory=list)
    payload: dict = field(default_factory=dict)

    def text(self) -> str:
        if self.item is None:
            return f"No email drafted: {self.reason}"
        state = getattr(self.item, "status", "")
        lines = [
            f"Draft for the approval queue (status {state}); it goes out only after the Head "
            "of Sales approves it.",
            f"Tier: {self.tier}. Angle: {self.angle}.",
            f"Subject: {self.subject}",
            "",
            self.body,
        ]
        if self.evidence:
            lines.append("")
            lines.append("Personalization evidence:")
            lines.extend(
                f"- {e['kind']}: {e['fact']} (source: {e['source']})" for e in self.evidence
            )
        if self.flagged_instructions:
            lines.append(
                "Note: the lead notes contain instructions; they were treated as data and ignored."
            )
        return "\n".join(lines)


def sender_name() -> str:
    name, _ = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "The CAIO team"


def build_evidence(lead: Lead, contact: dict | None, enrichment: dict) -> list[dict]:
    """Company- and role-specific facts, each with the source it came from."""
    evidence = []
    company = (enrichment or {}).get("company") or {}
    person = (enrichment or {}).get("person") or {}
    source = (enrichment or {}).get("source", "enrichment")
    if company.get("facts"):
        evidence.append({"kind": "company", "fact": company["facts"][0], "source": source})
    elif lead.company:
        size = f"{lead.employee_count}-person " if lead.employee_count else ""
        industry = (lead.industry or "").strip()
        what = f"a {size}{industry} business" if (size or industry) else "on our list"
        evidence.append(
            {"kind": "company", "fact": f"{lead.company} is {what}", "source": f"lead:{lead.pk}"}
        )
    if person.get("facts"):
        evidence.append({"kind": "role", "fact": person["facts"][0], "source": source})
    elif lead.title:
        family = match_title(lead.title)
        owns = family.owns if family else "the results of their team"
        evidence.append(
            {
                "kind": "role",
                "fact": f"As {lead.title}, you own {owns}",
                "source": f"lead:{lead.pk} title",
            }
        )
    notes = " ".join(x for x in (lead.notes, (contact or {}).get("notes", "")) if x)
    for pain in pains_in(notes)[:1]:
        evidence.append({"kind": "pain", "fact": pain, "source": "lead notes"})
    return evidence


def _feedback_context(item) -> dict:
    """Angles, subjects and claims of the rejected item and the chain it superseded."""
    avoid_angles, avoid_subjects, avoid_claims = set(), set(), set()
    seen = set()
    current = item
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if current.angle:
            avoid_angles.add(current.angle)
        avoid_subjects.update(s for s in (current.subject, current.original_subject) if s)
        claim = (current.payload or {}).get("proof_claim")
        if claim:
            avoid_claims.add(claim)
        current = current.supersedes
    category = getattr(item, "rejection_category", None)
    return {
        "avoid_angles": avoid_angles,
        "avoid_subjects": avoid_subjects,
        "avoid_claims": avoid_claims,
        "feedback": item.rejection_reason or item.feedback or "",
        "feedback_category": getattr(category, "key", "") if category else "",
    }


def draft_for_lead(lead: Lead, *, idempotency_key: str, feedback_item=None) -> DraftOutcome:
    """Draft one email for ``lead`` and submit it to the approval queue (see module docstring)."""
    refs = [f"lead:{lead.pk}"]
    with agent_step(AGENT, "draft_email", input={"lead": lead.pk}) as step:
        outcome = _draft(lead, refs, feedback_item)
        if outcome.status == "compose":
            outcome.item = queue.submit(
                kind=QueueItemKind.EMAIL,
                lead=lead,
                agent=AGENT,
                subject=outcome.subject,
                body=compliance.with_footer(outcome.body, lead.email),
                idempotency_key=idempotency_key,
                tier=outcome.tier,
                angle=outcome.angle,
                evidence=outcome.evidence,
                supersedes=feedback_item,
                payload=outcome.payload,
            )
            outcome.status = "queued"
            outcome.body = outcome.item.body
            refs.append(f"queue_item:{outcome.item.pk}")
        step.add_refs(*refs)
        step.output = {
            "status": outcome.status,
            "reason": outcome.reason,
            "tier": outcome.tier,
            "angle": outcome.angle,
            "queue_status": getattr(outcome.item, "status", None),
        }
    return outcome


def _draft(lead, refs, feedback_item) -> DraftOutcome:
    if suppression_for(lead.email) is not None:
        return DraftOutcome("suppressed", "the recipient is on the suppression list")
    if lead.status in NO_DRAFT_STATUSES:
        return DraftOutcome("skipped", f"lead status is {lead.status}")
    contact = gateway.call(AGENT, "crm.read_contact", email=lead.email, refs=refs)
    account = gateway.call(AGENT, "crm.lookup_account", domain=lead.domain, refs=refs)
    ruled_out = account_disqualifications(account, lead.domain)
    if ruled_out:
        reasons = "; ".join(found.reason for found in ruled_out)
        return DraftOutcome("disqualified", f"{reasons}: do not contact")
    tier = lead.tier
    if tier not in CONTACTABLE:
        tier = score_lead(lead.facts(), crm_account=account).tier
    if tier not in CONTACTABLE:
        return DraftOutcome("not_qualified", "the lead does not meet the ICP threshold", tier=tier)
    try:
        enrichment = gateway.call(
            AGENT,
            "enrichment.enrich_contact",
            email=lead.email,
            domain=lead.domain,
            refs=refs,
        )
    except GatewayError:
        enrichment = {}  # the lead record still gives company and role evidence
    standard = gateway.call(AGENT, "knowledge.read_standards", tier=tier, refs=refs)
    contact_record = contact.get("contact") or {}
    evidence = build_evidence(lead, contact_record, enrichment)
    notes = " ".join(x for x in (lead.notes, contact_record.get("notes", "")) if x)
    flagged = instructions_in(notes)
    context = _feedback_context(feedback_item) if feedback_item is not None else {}
    facts = lead.facts()
    request = EmailRequest(
        lead=facts,
        tier=tier,
        standard=standard,
        evidence=evidence,
        pains=[e["fact"] for e in evidence if e["kind"] == "pain"],
        sender_name=sender_name(),
        **context,
    )
    composed = _compose_checked(lead, request)
    outcome = DraftOutcome(
        "compose",
        tier=tier,
        angle=composed.angle,
        subject=composed.subject,
        body=composed.body,
        evidence=composed.evidence,
        flagged_instructions=flagged,
    )
    outcome.payload = {
        "proof_claim": composed.proof_claim_id,
        "standard": standard.get("id"),
        "feedback": context.get("feedback", ""),
        "notes_flagged_as_instructions": flagged,
    }
    return outcome


# Rubric checks a different subject exemplar can fix; the composer retries on these.
SUBJECT_CHECKS = frozenset(
    {
        "subject_length",
        "subject_not_all_caps",
        "subject_no_reply_prefix",
        "no_competitor_in_subject",
    }
)
MAX_SUBJECT_ATTEMPTS = 3


def _compose_checked(lead: Lead, request: EmailRequest):
    """Compose, self-check with the rubric, and try another subject when only the subject
    failed (e.g. an exemplar that names a competitor); the queue runs the rubric again."""
    provider = get_provider()
    composed = provider.compose_email(request)
    for _ in range(MAX_SUBJECT_ATTEMPTS - 1):
        results = run_rubric(
            composed.subject,
            compliance.with_footer(composed.body, lead.email),
            lead,
            composed.evidence,
        )
        if not any(not r["passed"] and r["id"] in SUBJECT_CHECKS for r in results):
            break
        request.avoid_subjects = {*request.avoid_subjects, composed.subject}
        retry = provider.compose_email(request)
        if retry.subject == composed.subject:
            break
        composed = retry
    return composed


def draft_input(lead: Lead, feedback_item_id) -> dict:
    return {**lead.facts(), "tier": lead.tier, "feedback_item": feedback_item_id}


def run_draft_job(lead_id: int, feedback_item_id: int | None = None) -> dict | None:
    """The ``draft_email`` task body: one queue item per (lead facts, feedback item)."""
    lead = Lead.objects.filter(pk=lead_id).first()
    if lead is None:
        return None
    feedback_item = None
    if feedback_item_id is not None:
        feedback_item = (
            QueueItem.objects.select_related("rejection_category", "supersedes")
            .filter(pk=feedback_item_id)
            .first()
        )
    payload = draft_input(lead, feedback_item_id)
    job = jobs.claim(AGENT, lead, payload)
    if job is None:
        return None
    try:
        outcome = draft_for_lead(
            lead, idempotency_key=job.idempotency_key, feedback_item=feedback_item
        )
    except TransientGatewayError:
        raise
    except GatewayError as exc:
        jobs.fail(job, exc)
        logger.warning("draft_email failed for lead %s: %s", lead_id, exc)
        return None
    result = {"status": outcome.status, "reason": outcome.reason, "angle": outcome.angle}
    item_id = getattr(outcome.item, "pk", None)
    jobs.finish(
        job,
        status=AgentJobStatus.SUCCEEDED if item_id else AgentJobStatus.SKIPPED,
        result=result,
        queue_item_id=item_id,
    )
    return result
