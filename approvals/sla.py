"""Queue aging against the SLA policy, and the expiry sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from approvals import decisions
from approvals.choices import QueueStatus, SlaState
from approvals.models import QueueItem, SlaPolicy

logger = logging.getLogger(__name__)


def sla_filter(state: SlaState, policy: SlaPolicy | None = None, now=None) -> Q:
    """A filter selecting pending items in ``state`` (age thresholds from the SLA policy)."""
    policy = policy or SlaPolicy.current()
    now = now or timezone.now()
    at_risk = now - timedelta(hours=policy.at_risk_after_hours)
    breached = now - timedelta(hours=policy.breached_after_hours)
    pending = Q(status=QueueStatus.PENDING)
    if state == SlaState.BREACHED:
        return pending & Q(created_at__lte=breached)
    if state == SlaState.AT_RISK:
        return pending & Q(created_at__lte=at_risk, created_at__gt=breached)
    return pending & Q(created_at__gt=at_risk)


def expire_overdue(*, now=None, limit: int | None = None, dry_run: bool = False) -> list[int]:
    """Expire pending drafts older than the SLA max age; returns the ids (to be) expired.

    Each item goes through ``decisions.expire``; one decided meanwhile is skipped.
    """
    policy = SlaPolicy.current()
    cutoff = (now or timezone.now()) - timedelta(hours=policy.max_age_hours)
    overdue = QueueItem.objects.filter(status=QueueStatus.PENDING, created_at__lte=cutoff)
    overdue = overdue.order_by("created_at", "id")
    if limit:
        overdue = overdue[:limit]
    if dry_run:
        return list(overdue.values_list("pk", flat=True))
    expired = []
    for item in overdue:
        try:
            decisions.expire(item, max_age_hours=policy.max_age_hours)
        except decisions.DecisionConflict:
            logger.info("item %s was decided before it could expire", item.pk)
            continue
        expired.append(item.pk)
    return expired
