"""Queue health figures for the API and the console."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone

from approvals.choices import QueueStatus, SentMessageStatus, SlaState
from approvals.models import QueueItem, SendingLimits, SentMessage, SlaPolicy
from approvals.sla import age_filter, cutoffs


def queue_stats(now=None) -> dict:
    """Counts by status and kind, the oldest pending age, aging buckets, SLA breaches and
    today's sends against the limits."""
    now = now or timezone.now()
    policy = SlaPolicy.current()
    rows = QueueItem.objects.values("status", "kind").annotate(count=Count("id")).order_by()
    counts = sorted(rows, key=lambda r: (r["status"], r["kind"]))
    by_status = dict.fromkeys(QueueStatus.values, 0)
    for row in counts:
        by_status[row["status"]] += row["count"]
    # The oldest pending draft and the aging buckets: one aggregate over the pending rows.
    cuts = cutoffs(policy, now)
    aging = QueueItem.objects.filter(status=QueueStatus.PENDING).aggregate(
        **{state.value: Count("id", filter=age_filter(state, cuts)) for state in SlaState},
        oldest=Min("created_at"),
    )
    oldest = aging.pop("oldest")
    limits = SendingLimits.current()
    sent = SentMessage.objects.filter(status=SentMessageStatus.SENT)
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "counts": counts,
        "by_status": by_status,
        "oldest_pending_age_seconds": (now - oldest).total_seconds() if oldest else None,
        "aging": aging,
        "sla_breaches": aging[SlaState.BREACHED],
        "sends": {
            "today": sent.filter(sent_at__gte=day_start).count(),
            "last_hour": sent.filter(sent_at__gt=now - timedelta(hours=1)).count(),
            "limit_per_day": limits.per_day,
            "limit_per_hour": limits.per_hour,
            "limit_per_domain_per_hour": limits.per_domain_per_hour,
        },
    }
