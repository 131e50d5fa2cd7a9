"""The weekly rejection-review digest for the Head of Sales (Inngest cron, Wednesdays).

What the Head of Sales rejected last week, by category, with sample reasons, and the edit rate
of what was approved: the input for tuning the standards, the rubric and the taxonomy.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count
from django.utils import timezone

from approvals.choices import QueueStatus
from approvals.models import QueueItem
from approvals.notifications import head_of_sales_recipients

SAMPLE_REASONS = 3


def rejection_review(*, days: int = 7, now=None) -> dict:
    """Figures for the ``days`` before ``now``: decisions, rejections by category, edit rate."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    decided = QueueItem.objects.filter(decided_at__gte=since, decided_at__lt=now)
    rejected = decided.filter(status=QueueStatus.REJECTED)
    approved = decided.exclude(status=QueueStatus.REJECTED).filter(decided_by__isnull=False)
    by_category = dict(
        rejected.order_by()
        .values("rejection_category__key")
        .annotate(n=Count("id"))
        .values_list("rejection_category__key", "n")
    )
    samples: dict[str, list[str]] = defaultdict(list)
    for key, reason in rejected.order_by("-decided_at").values_list(
        "rejection_category__key", "rejection_reason"
    ):
        if len(samples[key]) < SAMPLE_REASONS:
            samples[key].append(reason)
    approved_count = approved.count()
    edited = approved.filter(was_edited=True).count()
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "decided": decided.filter(decided_by__isnull=False).count(),
        "rejected": sum(by_category.values()),
        "approved": approved_count,
        "edit_rate": round(edited / approved_count, 3) if approved_count else None,
        "by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sample_reasons": dict(samples),
    }


def render(review: dict) -> str:
    lines = [
        f"Rejection review {review['since'][:10]} – {review['until'][:10]}",
        "",
        f"Decided: {review['decided']} (approved {review['approved']}, "
        f"rejected {review['rejected']})",
        "Edit rate of approvals: "
        + ("n/a" if review["edit_rate"] is None else f"{review['edit_rate']:.0%}"),
        "",
    ]
    for key, count in review["by_category"].items():
        lines.append(f"{key}: {count}")
        lines.extend(f"  - {reason}" for reason in review["sample_reasons"].get(key, []))
    if not review["by_category"]:
        lines.append("No rejections in this period.")
    return "\n".join(lines) + "\n"


def send_rejection_review_digest(*, days: int = 7, now=None) -> dict:
    """Email the review to the Head of Sales (and OPS_NOTIFICATION_EMAILS); returns it."""
    review = rejection_review(days=days, now=now)
    recipients = head_of_sales_recipients()
    if recipients:
        send_mail(
            subject=f"Rejection review: {review['rejected']} rejected of {review['decided']}",
            message=render(review),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    return {**review, "recipients": len(recipients)}
