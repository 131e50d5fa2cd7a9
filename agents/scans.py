"""The ``pipeline_scan`` agent: stale leads, upcoming meetings, ghosted leads.

``scan_pipeline()`` runs every part under one lock (a second concurrent scan returns at once)
and bounds each list to ``MAX_ITEMS``. ``prepare_meetings(hours)`` reads the calendar (the next
``MEETING_LOOKAHEAD_HOURS`` by default) through the gateway and creates one CallPrepJob per
meeting with a known lead (rows say ``created``; the crons in ``agents.tasks`` run the new
ones); a meeting already prepared is not prepared twice.

- stale: ``qualified`` leads with no change for ``STALE_AFTER_DAYS`` and nothing waiting in the
  approval queue → next action: draft or re-qualify.
- ghosted: ``contacted`` leads whose last sent email is older than ``GHOSTED_AFTER_DAYS`` with no
  reply → next action: a follow-up draft for approval.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from agents import gateway
from agents.call_prep import get_or_create_job
from agents.choices import LeadStatus
from agents.models import Lead
from approvals.choices import QueueStatus
from caio_site.runtime.locks import LockNotAcquired, lock
from traces.choices import AgentName
from traces.recorder import agent_step

AGENT = AgentName.PIPELINE_SCAN.value
STALE_AFTER_DAYS = 7
GHOSTED_AFTER_DAYS = 5
MEETING_LOOKAHEAD_HOURS = 24
MAX_ITEMS = 200


def _lead_row(lead: Lead, action: str, **extra) -> dict:
    return {
        "lead_id": lead.pk,
        "email": lead.email,
        "company": lead.company,
        "tier": lead.tier,
        "next_action": action,
        **extra,
    }


def stale_leads(now=None) -> list[dict]:
    now = now or timezone.now()
    leads = (
        Lead.objects.filter(
            status=LeadStatus.QUALIFIED, updated_at__lt=now - timedelta(days=STALE_AFTER_DAYS)
        )
        .exclude(queue_items__status__in=[QueueStatus.PENDING, QueueStatus.APPROVED])
        .order_by("updated_at")[:MAX_ITEMS]
    )
    return [
        _lead_row(
            lead,
            "draft a first touch for approval",
            idle_days=(now - lead.updated_at).days,
        )
        for lead in leads
    ]


def ghosted_leads(now=None) -> list[dict]:
    now = now or timezone.now()
    leads = (
        Lead.objects.filter(status=LeadStatus.CONTACTED)
        .annotate(last_sent=Max("queue_items__sent_at"))
        .filter(last_sent__lt=now - timedelta(days=GHOSTED_AFTER_DAYS))
        .order_by("last_sent")[:MAX_ITEMS]
    )
    return [
        _lead_row(
            lead,
            "draft a follow-up for approval",
            days_since_last_email=(now - lead.last_sent).days,
        )
        for lead in leads
    ]


def prepare_meetings(hours: int = MEETING_LOOKAHEAD_HOURS) -> dict:
    """Create call-prep jobs for the calendar's meetings with known leads in the next ``hours``."""
    now = timezone.now()
    events = gateway.call(
        AGENT,
        "calendar.get_events",
        start=now.isoformat(),
        end=(now + timedelta(hours=hours)).isoformat(),
    ).get("events", [])
    meetings, unmatched = [], 0
    emails = {e["attendee"].lower() for e in events}
    leads = {lead.email.lower(): lead for lead in Lead.objects.filter(email__in=emails)}
    for event in events[:MAX_ITEMS]:
        lead = leads.get(event["attendee"].lower())
        if lead is None:
            unmatched += 1
            continue
        at = datetime.fromisoformat(event["at"])
        job, created = get_or_create_job(lead, at, source="scan")
        meetings.append(
            _lead_row(
                lead,
                "call prep brief queued" if created else "call prep already requested",
                meeting_at=event["at"],
                title=event["title"],
                call_prep_job=job.pk,
                call_prep_status=job.status,
                created=created,
            )
        )
    return {"meetings": meetings, "unmatched_events": unmatched, "hours": hours}


def scan_pipeline() -> dict:
    """Stale leads, upcoming meetings (→ call prep) and ghosted leads, with next actions."""
    try:
        with (
            lock("agents:pipeline_scan", ttl=300, blocking_timeout=0),
            agent_step(AGENT, "pipeline_scan") as step,
        ):
            now = timezone.now()
            result = {
                "stale": stale_leads(now),
                "upcoming_meetings": prepare_meetings(MEETING_LOOKAHEAD_HOURS)["meetings"],
                "ghosted": ghosted_leads(now),
            }
            result["counts"] = {k: len(v) for k, v in result.items()}
            step.output = result["counts"]
            return result
    except LockNotAcquired:
        return {"skipped": "another pipeline scan is running"}


def render_scan(result: dict) -> str:
    if "skipped" in result:
        return f"Pipeline scan skipped: {result['skipped']}."
    parts = []
    for key, label in (
        ("stale", "Stale leads"),
        ("upcoming_meetings", f"Upcoming meetings (next {MEETING_LOOKAHEAD_HOURS} hours)"),
        ("ghosted", "Ghosted leads"),
    ):
        rows = result.get(key, [])
        parts.append(f"{label}: {len(rows)}")
        parts.extend(
            f"- {r['company'] or r['email']} ({r['email']}): {r['next_action']}" for r in rows
        )
        if not rows:
            parts.append("- none found; no action needed")
    return "\n".join(parts)
