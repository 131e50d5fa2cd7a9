"""Lead status changes shared by agents, webhooks and the approval pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from agents.choices import LEAD_TERMINAL_STATUSES, LeadStatus
from agents.models import Lead


def transition_status(
    lead_id: int,
    status: LeadStatus,
    *,
    allowed_from: Iterable[LeadStatus] | None = None,
    force: bool = False,
) -> bool:
    """Move a lead to ``status`` unless it already sits in a terminal status.

    Claimed with a conditional UPDATE so a late ``opened`` event can never overwrite
    ``bounced``/``unsubscribed``. ``allowed_from`` narrows the move to those statuses (a first
    send moves only a lead nobody contacted yet). ``force`` is for terminal events themselves
    (a bounce after an unsubscribe still records the bounce). Returns whether the row changed.
    """
    rows = Lead.objects.filter(pk=lead_id)
    if allowed_from is not None:
        rows = rows.filter(status__in=list(allowed_from))
    if not force:
        rows = rows.exclude(status__in=LEAD_TERMINAL_STATUSES)
    return bool(rows.exclude(status=status).update(status=status, updated_at=timezone.now()))
