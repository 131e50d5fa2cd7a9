"""Provider webhooks: signature verification and the effect of each delivery event.

A provider signs the raw request body with HMAC-SHA256 under its secret
(``settings.WEBHOOK_SECRETS[provider]``) and sends ``X-Signature: sha256=<hex>`` and
``X-Timestamp`` (unix seconds, at most ``WEBHOOK_TOLERANCE_SECONDS`` off). Each event id is
stored; a repeated id is acknowledged without effect.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from agents.choices import LeadStatus
from agents.leads import transition_status
from agents.models import Lead
from approvals.choices import SuppressionReason, SuppressionSource, WebhookEventType
from approvals.decisions import cancel_open_items_for_lead, stop_contacting
from approvals.models import SentMessage, WebhookEvent
from approvals.tasks import notify_hot_lead

logger = logging.getLogger(__name__)


class UnknownProvider(Exception):
    pass


class BadSignature(Exception):
    pass


def sign(secret: str, raw_body: bytes) -> str:
    """The ``X-Signature`` header value for ``raw_body`` (providers and tests use this)."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify(provider: str, raw_body: bytes, signature: str, timestamp: str, now=None) -> None:
    """Raise ``UnknownProvider`` or ``BadSignature`` unless the delivery is authentic and fresh."""
    secret = settings.WEBHOOK_SECRETS.get(provider.lower())
    if not secret:
        raise UnknownProvider(provider)
    expected = sign(secret, raw_body).encode()
    # Bytes on both sides: a header with non-ASCII characters is a bad signature, not a crash.
    given = (signature or "").strip().encode("utf-8", "replace")
    if not given or not hmac.compare_digest(expected, given):
        raise BadSignature("signature does not match")
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise BadSignature("X-Timestamp missing or not an integer") from None
    now = time.time() if now is None else now
    if abs(now - sent_at) > settings.WEBHOOK_TOLERANCE_SECONDS:
        raise BadSignature("X-Timestamp outside the tolerance window")


def _find_lead(email: str, message_id: str) -> Lead | None:
    if message_id:
        sent = SentMessage.objects.select_related("item__lead").filter(message_id=message_id)
        record = sent.first()
        if record is not None:
            return record.item.lead
    if email:
        return Lead.objects.filter(email__iexact=email).first()
    return None


def _touch_sent_message(field: str, lead: Lead | None, message_id: str, when) -> None:
    rows = SentMessage.objects.filter(**{f"{field}__isnull": True})
    if message_id:
        rows = rows.filter(message_id=message_id)
    elif lead is not None:
        rows = rows.filter(item__lead=lead)
    else:
        return
    rows.update(**{field: when})


def process(
    provider: str, *, event_id: str, event_type: str, email: str = "", message_id: str = ""
) -> tuple[WebhookEvent, bool]:
    """Apply one delivery event once. Returns the stored event and whether it was new."""
    provider = provider.lower()
    email = (email or "").strip().lower()
    with transaction.atomic():
        lead = _find_lead(email, message_id)
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event_id,
                    event_type=event_type,
                    email=email or (lead.email if lead else ""),
                    lead=lead,
                    payload={"message_id": message_id} if message_id else {},
                )
        except IntegrityError:
            return WebhookEvent.objects.get(provider=provider, event_id=event_id), False
        event.outcome = _apply(event, lead, message_id)
        event.save(update_fields=["outcome"])
    return event, True


def _apply(event: WebhookEvent, lead: Lead | None, message_id: str) -> str:
    now = timezone.now()
    kind = event.event_type
    if kind == WebhookEventType.DELIVERED:
        _touch_sent_message("delivered_at", lead, message_id, now)
        return "delivery recorded"
    if kind == WebhookEventType.OPENED:
        _touch_sent_message("opened_at", lead, message_id, now)
        return "open recorded"
    if kind == WebhookEventType.REPLIED:
        if lead is None:
            return "no matching lead"
        transition_status(lead.pk, LeadStatus.REPLIED)
        cancelled = cancel_open_items_for_lead(lead.pk, reason="lead replied")
        notify_hot_lead.delay_on_commit(event.pk)
        return f"lead replied; {cancelled} open item(s) cancelled; Head of Sales notified"
    reason = {
        WebhookEventType.BOUNCED: SuppressionReason.BOUNCED,
        WebhookEventType.UNSUBSCRIBED: SuppressionReason.UNSUBSCRIBED,
    }[kind]
    address = event.email
    if not address:
        return "no address to suppress"
    _, cancelled = stop_contacting(
        address, reason=reason, source=SuppressionSource.WEBHOOK, note=f"{event.provider} event"
    )
    return f"{address} suppressed ({reason}); {cancelled} open item(s) cancelled"
