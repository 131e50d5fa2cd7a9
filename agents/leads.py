"""Lead status changes shared by agents, webhooks and the approval pipeline."""

from __future__ import annotations

from agents.choices import LEAD_TERMINAL_STATUSES, LeadStatus
from agents.models import Lead


def transition_status(lead_id: int, status: LeadStatus, *, force: bool = False) -> bool:
    """Move a lead to ``status`` unless it already sits in a terminal status.

    Claimed with a conditional UPDATE so a late ``opened`` event can never overwrite
    ``bounced``/``unsubscribed``. ``force`` is for terminal events themselves (a bounce after an
    unsubscribe still records the bounce). Returns whether the row changed.
    """
    from django.utils import timezone

    rows = Lead.objects.filter(pk=lead_id)
    if not force:
        rows = rows.exclude(status__in=LEAD_TERMINAL_STATUSES)
    return bool(rows.exclude(status=status).update(status=status, updated_at=timezone.now()))


# Fields a lead may arrive with (API, CSV, webhook); ICP fields are the qualify agent's.
LEAD_INPUT_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "company",
    "company_domain",
    "industry",
    "employee_count",
    "revenue_band",
    "tech_stack",
    "signals",
    "notes",
)


def upsert_lead(data: dict, *, source: str) -> tuple[Lead, bool]:
    """Create or update the lead with ``data["email"]`` and enqueue ``qualify`` on commit.

    Only the fields present in ``data`` change on update (a partial update keeps the rest).
    Re-qualifying unchanged facts is a no-op: the qualify job is keyed by the lead's facts.
    Returns ``(lead, created)``.
    """
    from django.db import transaction

    from agents.tasks import qualify_lead

    email = data["email"].strip().lower()
    fields = {k: v for k, v in data.items() if k in LEAD_INPUT_FIELDS}
    if "company_domain" in fields:
        fields["company_domain"] = (fields["company_domain"] or "").strip().lower()
    with transaction.atomic():
        lead, created = Lead.objects.get_or_create(
            email=email, defaults={**fields, "source": source}
        )
        if not created:
            changed = [k for k, v in fields.items() if getattr(lead, k) != v]
            for name in changed:
                setattr(lead, name, fields[name])
            if changed:
                lead.save(update_fields=[*changed, "updated_at"])
        qualify_lead.delay_on_commit(lead.pk)
    return lead, created
