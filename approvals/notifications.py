"""Who hears about queue events (whoever decides drafts, and OPS_NOTIFICATION_EMAILS), and
the hot-lead notification."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from approvals.models import WebhookEvent

logger = logging.getLogger(__name__)


def head_of_sales_recipients() -> list[str]:
    """The active users holding the decide permission (through a group or their own; being a
    superuser is not enough) and the ops list."""
    users = (
        get_user_model()
        .objects.with_perm("approvals.decide_queueitem", include_superusers=False)
        .exclude(email="")
    )
    return sorted({*users.values_list("email", flat=True), *settings.OPS_NOTIFICATION_EMAILS})


def send_hot_lead_notification(webhook_event_id: int) -> None:
    event = WebhookEvent.objects.select_related("lead").filter(pk=webhook_event_id).first()
    if event is None or event.lead is None:
        return
    recipients = head_of_sales_recipients()
    if not recipients:
        logger.warning("hot lead %s replied but nobody is set up to be told", event.lead_id)
        return
    lead = event.lead
    path = f"/admin/agents/lead/{lead.pk}/change/"
    send_mail(
        subject=f"Hot lead: {lead.full_name or lead.email} ({lead.company}) replied",
        message=(
            f"{lead.full_name or lead.email}, {lead.title} at {lead.company}, replied "
            f"(via {event.provider}).\nTheir pending drafts were cancelled so nobody follows up "
            f"blindly.\n\nLead: {settings.SITE_URL}{path}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
