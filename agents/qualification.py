"""The ``qualify`` agent: CRM and enrichment look-ups through the gateway, then ICP scoring.

Tools, always in this order: ``crm.read_contact``, ``crm.lookup_account`` (competitor /
customer / excluded domain), ``enrichment.enrich_contact``. Enrichment and the CRM contact only
fill fields the lead lacks; they never overwrite what the lead arrived with. The lead's status
moves to ``qualified``/``disqualified`` only from ``new`` or ``qualified`` (a contacted or
suppressed lead keeps its status; its ICP fields are still refreshed).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from agents import gateway, jobs
from agents.choices import BEFORE_CONTACT_STATUSES, LeadStatus
from agents.gateway import GatewayError, TransientGatewayError
from agents.icp import IcpResult, score_lead
from agents.leads import transition_status
from agents.models import Lead
from traces.choices import AgentName
from traces.recorder import agent_step

logger = logging.getLogger(__name__)
AGENT = AgentName.QUALIFY.value

_FILLABLE = ("first_name", "last_name", "title", "industry", "employee_count", "revenue_band")


def _fill_missing(lead: Lead, contact: dict | None, enrichment: dict) -> list[str]:
    """Copy fields the lead lacks from the CRM contact and enrichment; returns what changed."""
    sources = [contact or {}, (enrichment or {}).get("person") or {}]
    sources.append((enrichment or {}).get("company") or {})
    changed = []
    for name in _FILLABLE:
        if getattr(lead, name) not in (None, ""):
            continue
        for source in sources:
            value = source.get(name)
            if value not in (None, ""):
                setattr(lead, name, value)
                changed.append(name)
                break
    stack = ((enrichment or {}).get("company") or {}).get("tech_stack")
    if not lead.tech_stack and stack:
        lead.tech_stack = list(stack)
        changed.append("tech_stack")
    if not lead.company_domain:
        lead.company_domain = lead.email_domain
        changed.append("company_domain")
    return changed


def qualify(lead: Lead) -> IcpResult:
    """Score ``lead`` and store score, tier, rationale and (from new/qualified) its status."""
    refs = [f"lead:{lead.pk}"]
    with agent_step(AGENT, "qualify", input={"lead": lead.pk}) as step:
        domain = lead.domain
        contact = gateway.call(AGENT, "crm.read_contact", email=lead.email, refs=refs)
        account = gateway.call(AGENT, "crm.lookup_account", domain=domain, refs=refs)
        enrichment_note = None
        try:
            enrichment = gateway.call(
                AGENT, "enrichment.enrich_contact", email=lead.email, domain=domain, refs=refs
            )
        except GatewayError as exc:
            # Scoring on the lead's own data beats not scoring; the rationale says so.
            enrichment, enrichment_note = {}, f"enrichment unavailable ({exc.error_code})"
        changed = _fill_missing(lead, contact.get("contact"), enrichment)
        result = score_lead(lead.facts(), crm_account=account)
        if enrichment_note:
            result.rationale.append(
                {"rule": "enrichment.unavailable", "points": 0, "detail": enrichment_note}
            )
        now = timezone.now()
        status = LeadStatus.QUALIFIED if result.contactable else LeadStatus.DISQUALIFIED
        with transaction.atomic():
            if changed:
                lead.save(update_fields=[*changed, "updated_at"])
            Lead.objects.filter(pk=lead.pk).update(
                icp_score=result.score,
                tier=result.tier,
                icp_rationale=result.rationale,
                qualified_at=now,
                updated_at=now,
            )
            transition_status(lead.pk, status, allowed_from=BEFORE_CONTACT_STATUSES)
        lead.refresh_from_db()
        step.output = {
            "icp_score": result.score,
            "tier": result.tier,
            "status": lead.status,
            "disqualifications": result.disqualifications,
            "rationale": result.rationale,
            "lead": lead.facts(),
        }
    return result


def run_qualify_job(lead_id: int) -> dict | None:
    """The ``qualify_lead`` task body: idempotent per lead facts; ``draft`` says whether the
    lead now gets a first-touch draft."""
    lead = Lead.objects.filter(pk=lead_id).first()
    if lead is None:
        logger.info("qualify: lead %s no longer exists", lead_id)
        return None
    job = jobs.claim(AGENT, lead, lead.facts())
    if job is None:
        return None
    try:
        result = qualify(lead)
    except TransientGatewayError:
        raise  # the task retries with back-off; the job stays claimable
    except GatewayError as exc:
        jobs.fail(job, exc)
        logger.warning("qualify failed for lead %s: %s", lead_id, exc)
        return None
    outcome = {"tier": result.tier, "icp_score": result.score, "status": lead.status}
    jobs.finish(job, result=outcome)
    # A qualified lead gets a first-touch draft (the task enqueues it).
    return {**outcome, "draft": result.contactable and lead.status == LeadStatus.QUALIFIED}
