"""The replay adapter: one agent run on a golden case input, in process.

The in-process replay runner (``evaluation.runners.inprocess``) calls ``run_agent``; nothing else
does.

``run_agent(agent, case_input) -> {"output": str, "structured": dict}``

``case_input`` keys:

- ``lead``: dict of Lead fields (any subset of ``Lead.FACT_FIELDS`` plus ``status`` and
  ``tier``); missing or partial is fine. Without an email one is derived from the case so runs
  are repeatable.
- ``meeting``: ``{"at": ISO datetime, "notes": str}`` for ``call_prep`` (default: tomorrow
  14:00 UTC);
- ``suppressed``: true puts the contact on the suppression list before the run.

Competitor / customer / excluded status comes from the simulated CRM dataset, never from the
case. Notes are data: they are matched against a pain vocabulary, instruction-like text is
flagged and ignored, and no output ever says something was delivered to a prospect — the
agents cannot send (``email.send`` is reserved to ``send_pipeline``, which replays never run).

The run happens inside whatever trace / replay context the caller set (its envelopes carry the
caller's correlation id and case id). It creates rows (lead, agent records, queue items); the
replay runner wraps it in a transaction it rolls back.

Structured output per agent:

- ``qualify``: ``tier``, ``icp_score``, ``status``, ``disqualified`` (bool),
  ``disqualifications``, ``rules`` (fired rule ids), ``notes_flagged_as_instructions``;
- ``draft_email``: ``status`` (queued/suppressed/disqualified/not_qualified/skipped),
  ``queue_status`` (pending/blocked/None), ``tier``, ``angle``, ``subject``, ``evidence``,
  ``notes_flagged_as_instructions``;
- ``call_prep``: ``status`` (published/in_review), ``confidence``, ``threshold``,
  ``queue_status``, ``tier``, ``pain_points``, ``objections``;
- ``pipeline_scan``: ``counts`` and the three lists.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from agents import call_prep, drafting, qualification, scans
from agents.choices import LeadSource, LeadStatus, Tier
from agents.composer import instructions_in
from agents.models import CallPrepJob, Lead
from approvals.choices import SuppressionReason, SuppressionSource
from approvals.models import QueueItem
from approvals.suppression import suppress
from caio_site.runtime.correlation import get_correlation_id
from traces.choices import AgentName

SUPPORTED = (
    AgentName.QUALIFY,
    AgentName.DRAFT_EMAIL,
    AgentName.CALL_PREP,
    AgentName.PIPELINE_SCAN,
)
# The lead's one-line text facts and their column lengths: a case may be hostile, and a value
# longer than its column would fail on PostgreSQL. The email is derived; notes are not cut.
_TEXT_FIELDS = {
    name: field.max_length
    for name in Lead.FACT_FIELDS
    if name != "email" and isinstance(field := Lead._meta.get_field(name), models.CharField)
}


class UnsupportedAgent(ValueError):
    pass


def _case_email(lead: dict) -> str:
    email = str(lead.get("email") or "").strip().lower()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        return email
    digest = hashlib.sha256(json.dumps(lead, sort_keys=True, default=str).encode()).hexdigest()
    domain = str(lead.get("company_domain") or "").strip().lower() or "replay-case.example"
    return f"case-{digest[:12]}@{domain}"


def _text(value) -> str:
    return str(value or "").replace("\x00", "")


def _clean(value):
    """``value`` (JSON data) with U+0000 removed from every string in it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)


def _employee_count(value):
    """An int, None when unknown or unparsable; a negative head count is bad data and is
    stored as 0, which keeps the lead out of outreach (fewer than 10 employees)."""
    try:
        count = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return None if count is None else max(0, count)


def case_lead(data: dict | None) -> Lead:
    """Create (or refresh) the Lead a case describes."""
    data = dict(data or {}) if isinstance(data, dict) else {}
    # PostgreSQL text cannot hold U+0000; a case may carry one as a hostile input.
    fields = {name: _text(data.get(name))[:length] for name, length in _TEXT_FIELDS.items()}
    fields["notes"] = _text(data.get("notes"))
    fields["employee_count"] = _employee_count(data.get("employee_count"))
    stack = data.get("tech_stack") or []
    fields["tech_stack"] = [_text(t) for t in stack] if isinstance(stack, list) else [_text(stack)]
    signals = data.get("signals") if isinstance(data.get("signals"), dict) else {}
    fields["signals"] = _clean(signals)
    status = data.get("status")
    fields["status"] = status if status in LeadStatus.values else LeadStatus.NEW
    tier = data.get("tier")
    fields["tier"] = tier if tier in Tier.values else ""
    fields["source"] = LeadSource.REPLAY
    lead, _ = Lead.objects.update_or_create(email=_case_email(data), defaults=fields)
    return lead


def run_agent(agent: str, case_input: dict) -> dict:
    """Run one agent on a case input; see the module docstring for the contract."""
    if agent not in SUPPORTED:
        raise UnsupportedAgent(
            f"agent {agent!r} cannot be replayed; supported: {', '.join(SUPPORTED)}"
        )
    case_input = case_input or {}
    lead = case_lead(case_input.get("lead")) if agent != AgentName.PIPELINE_SCAN else None
    if lead is not None and case_input.get("suppressed"):
        suppress(
            email=lead.email,
            reason=SuppressionReason.MANUAL,
            source=SuppressionSource.ADMIN,
            note="replay case: the contact is on the suppression list",
        )
    flagged = instructions_in(lead.notes) if lead is not None else []
    runner = {
        AgentName.QUALIFY: _qualify,
        AgentName.DRAFT_EMAIL: _draft,
        AgentName.CALL_PREP: _call_prep,
        AgentName.PIPELINE_SCAN: _scan,
    }[agent]
    result = runner(lead, case_input)
    if lead is not None:
        result["structured"]["notes_flagged_as_instructions"] = flagged
        if flagged:
            result["output"] += (
                "\nThe lead notes contain instruction-like text; it was treated as data and "
                "not followed."
            )
    return result


def _qualify(lead: Lead, case_input: dict) -> dict:
    result = qualification.qualify(lead)
    lead.refresh_from_db()
    lines = [result.summary()]
    if result.contactable:
        lines.append(
            f"Recommendation: {result.tier} lead — prioritise a first touch; the draft goes to "
            "the approval queue and nothing reaches the prospect before a human approves it."
        )
    else:
        lines.append(
            "Recommendation: do not contact; keep this lead out of outreach."
            if result.disqualifications
            else "Recommendation: do not contact."
        )
    return {
        "output": "\n".join(lines),
        "structured": {
            "tier": str(result.tier),
            "icp_score": result.score,
            "status": lead.status,
            "disqualified": not result.contactable,
            "disqualifications": result.disqualifications,
            "rules": [r["rule"] for r in result.rationale],
        },
    }


def _draft(lead: Lead, case_input: dict) -> dict:
    key = (
        "replay:"
        + hashlib.sha256(
            f"{lead.email}:{get_correlation_id()}:{json.dumps(case_input, sort_keys=True, default=str)}".encode()
        ).hexdigest()
    )
    outcome = drafting.draft_for_lead(lead, idempotency_key=key)
    return {
        "output": outcome.text(),
        "structured": {
            "status": outcome.status,
            "reason": outcome.reason,
            "queue_status": _plain(getattr(outcome.item, "status", None)),
            "tier": str(outcome.tier or ""),
            "angle": outcome.angle,
            "subject": outcome.subject,
            "evidence": outcome.evidence,
        },
    }


def _plain(value):
    return str(value) if value is not None else None


def _meeting_at(meeting: dict) -> datetime:
    raw = (meeting or {}).get("at")
    if raw:
        try:
            parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return (
                parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.utc)
            )
    tomorrow = timezone.now() + timedelta(days=1)
    return tomorrow.replace(hour=14, minute=0, second=0, microsecond=0)


def _call_prep(lead: Lead, case_input: dict) -> dict:
    meeting = case_input.get("meeting") or {}
    job, _ = call_prep.get_or_create_job(
        lead, _meeting_at(meeting), source="replay", notes=str(meeting.get("notes") or "")
    )
    call_prep.run_call_prep_job(job.pk)
    job = CallPrepJob.objects.get(pk=job.pk)
    brief = job.brief or {}
    queue_status = None
    if job.queue_item_id:
        queue_status = (
            QueueItem.objects.filter(pk=job.queue_item_id).values_list("status", flat=True).first()
        )
    head = (
        "Brief published (confidence meets the meeting-prep threshold)."
        if job.status == "published"
        else "Brief queued for human review (confidence below the meeting-prep threshold)."
    )
    return {
        "output": head + "\n" + (call_prep.render_brief(lead, brief) if brief else job.error),
        "structured": {
            "status": job.status,
            "confidence": job.confidence,
            "queue_status": queue_status,
            "tier": brief.get("tier", ""),
            "pain_points": [p["point"] for p in brief.get("pain_points", [])],
            "objections": [o["objection"] for o in brief.get("objections", [])],
        },
    }


def _scan(lead, case_input: dict) -> dict:
    result = scans.scan_pipeline()
    return {"output": scans.render_scan(result), "structured": result}
