"""Lead status changes shared by agents, webhooks and the approval pipeline."""

from __future__ import annotations

from django.utils import timezone

from agents.choices import LEAD_TERMINAL_STATUSES, LeadStatus
from agents.models import Lead


def transition_status(lead_id: int, status: LeadStatus, *, force: bool = False) -> bool:
    """Move a lead to ``status`` unless it already sits in a terminal status.

    Claimed with a conditional UPDATE so a late ``opened`` event can never overwrite
    ``bounced``/``unsubscribed``. ``force`` is for terminal events themselves (a bounce after an
    unsubscribe still records the bounce). Returns whether the row changed.
    """
    rows = Lead.objects.filter(pk=lead_id)
    if not force:
        rows = rows.exclude(status__in=LEAD_TERMINAL_STATUSES)
    return bool(rows.exclude(status=status).update(status=status, updated_at=timezone.now()))
