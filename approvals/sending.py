"""The send pipeline: from an approved queue item to one message handed to the transport.

``send_approved_item`` is what the Celery task runs. It re-checks suppression and the rendered
message's compliance, applies the sending limits, claims the item's ``SentMessage`` with a
conditional UPDATE (``queued`` → ``sending``) so no two workers can send the same item, and
hands the message to ``deliver``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from agents.choices import BEFORE_CONTACT_STATUSES, LEAD_TERMINAL_STATUSES, LeadStatus
from agents.gateway import call
from agents.leads import transition_status
from approvals import compliance, decisions
from approvals.choices import QueueStatus, SentMessageStatus
from approvals.models import QueueItem, SendingLimits, SentMessage
from approvals.suppression import suppression_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendOutcome:
    """What one run of the pipeline did: ``sent``, ``skipped``, ``cancelled``, ``failed``,
    ``deferred`` (with ``retry_in`` seconds) or ``already_claimed``."""

    result: str
    detail: str = ""
    retry_in: int = 0


def message_id_for(item: QueueItem) -> str:
    """A Message-ID that is the same on every attempt for this item (threads, dedupe)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "caio.example"
    digest = hashlib.sha256(f"{item.pk}:{item.idempotency_key}".encode()).hexdigest()[:16]
    return f"<queue-{item.pk}.{digest}@{domain}>"


def build_message(item: QueueItem) -> EmailMessage:
    url = compliance.unsubscribe_url(item.lead.email)
    return EmailMessage(
        subject=item.subject,
        body=item.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[item.lead.email],
        headers={
            "Message-ID": message_id_for(item),
            "List-Unsubscribe": f"<{url}>",
            # RFC 8058 one-click: the mail client POSTs to the same URL.
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-CAIO-Queue-Item": str(item.pk),
        },
    )


def deliver(message: EmailMessage, *, item: QueueItem) -> None:
    """The one place a message reaches the transport.

    It is the send pipeline's ``email.send`` tool call through the agents' gateway, so the send
    is permission-checked (only ``send_pipeline`` may send), rate-limited, guarded by the email
    circuit breaker and recorded as a trace envelope like every other tool call.
    """
    call(
        "send_pipeline",
        "email.send",
        refs=[f"queue_item:{item.pk}", f"lead:{item.lead_id}"],
        to=list(message.to),
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        headers=dict(message.extra_headers),
    )


# Sends that count against the windows: delivered ones and those being delivered right now.
WINDOW_STATUSES = (SentMessageStatus.SENDING, SentMessageStatus.SENT)


def limits_delay(recipient_domain: str, now=None) -> int:
    """Seconds to wait before another send fits the SendingLimits windows (0 = send now)."""
    now = now or timezone.now()
    limits = SendingLimits.current()
    sent = SentMessage.objects.filter(status__in=WINDOW_STATUSES)
    windows = (
        (sent, timedelta(days=1), limits.per_day),
        (sent, timedelta(hours=1), limits.per_hour),
        (
            sent.filter(recipient_domain=recipient_domain),
            timedelta(hours=1),
            limits.per_domain_per_hour,
        ),
    )
    wait = 0
    for rows, window, limit in windows:
        if limit <= 0:
            # A zero limit pauses sending: check again after a full window.
            wait = max(wait, int(window.total_seconds()))
            continue
        recent = rows.filter(sent_at__gt=now - window).order_by("-sent_at")
        times = list(recent.values_list("sent_at", flat=True)[:limit])
        if len(times) >= limit:
            # The window frees up when the oldest of the last `limit` sends ages out.
            frees_at = times[limit - 1] + window
            wait = max(wait, int((frees_at - now).total_seconds()) + 1)
    return wait


def _sent_message_for(item: QueueItem) -> SentMessage:
    email = item.lead.email.strip().lower()
    try:
        with transaction.atomic():
            record, _ = SentMessage.objects.get_or_create(
                item=item,
                defaults={
                    "to_email": email,
                    "recipient_domain": email.rpartition("@")[2],
                    "subject": item.subject,
                    "body": item.body,
                    "message_id": message_id_for(item),
                },
            )
    except IntegrityError:
        record = SentMessage.objects.get(item=item)
    return record


def send_approved_item(item_id: int) -> SendOutcome:
    """Send one approved item at most once. Transient transport errors propagate (the task
    retries them); everything else ends in a recorded outcome."""
    item = QueueItem.objects.select_related("lead").filter(pk=item_id).first()
    if item is None or item.status != QueueStatus.APPROVED:
        return SendOutcome("skipped", f"item is {item.status if item else 'missing'}")
    entry = suppression_for(item.lead.email)
    if entry is not None:
        decisions.cancel(item, reason=f"recipient suppressed at send time ({entry.reason})")
        return SendOutcome("cancelled", entry.reason)
    if item.lead.status in LEAD_TERMINAL_STATUSES:
        decisions.cancel(item, reason=f"lead is {item.lead.status} at send time")
        return SendOutcome("cancelled", item.lead.status)
    problems = compliance.check_rendered(item.subject, item.body, item.lead.email)
    if problems:
        decisions.mark_failed(item, error="not compliant: " + "; ".join(problems))
        SentMessage.objects.filter(item=item).update(status=SentMessageStatus.FAILED)
        return SendOutcome("failed", "; ".join(problems))
    record = _sent_message_for(item)
    with transaction.atomic():
        # One sender at a time checks the windows and claims, so concurrent workers cannot
        # all squeeze under the same limit (the lock is the SendingLimits row).
        SendingLimits.objects.select_for_update().filter(pk=SendingLimits.current().pk).first()
        delay = limits_delay(record.recipient_domain)
        if delay:
            defer(item.pk, seconds=delay, error="sending limit reached")
            return SendOutcome("deferred", "sending limit reached", retry_in=delay)
        # A claimed send counts against the windows from the moment it is claimed.
        claimed = SentMessage.objects.filter(pk=record.pk, status=SentMessageStatus.QUEUED).update(
            status=SentMessageStatus.SENDING, attempts=F("attempts") + 1, sent_at=timezone.now()
        )
    if not claimed:
        return SendOutcome("already_claimed", f"send record is {record.status}")
    # The text sent is the approved text at claim time.
    message = build_message(item)
    try:
        deliver(message, item=item)
    except Exception as exc:
        SentMessage.objects.filter(pk=record.pk, status=SentMessageStatus.SENDING).update(
            status=SentMessageStatus.QUEUED,
            sent_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    now = timezone.now()
    SentMessage.objects.filter(pk=record.pk).update(
        status=SentMessageStatus.SENT,
        sent_at=now,
        subject=item.subject,
        body=item.body,
        message_id=message_id_for(item),
        last_error="",
    )
    try:
        decisions.mark_sent(item, message_id=message_id_for(item))
    except decisions.DecisionConflict:
        # The lead was cancelled while the message was in flight; the send record is the truth.
        logger.warning("item %s changed while its message was being sent", item.pk)
    _mark_contacted(item.lead_id)
    return SendOutcome("sent", message_id_for(item))


def _mark_contacted(lead_id: int) -> None:
    """A first email moves a new/qualified lead to ``contacted``; later statuses (replied,
    meeting booked, terminal ones) are never overwritten by a send."""
    transition_status(lead_id, LeadStatus.CONTACTED, allowed_from=BEFORE_CONTACT_STATUSES)


def attempts_for(item_id: int) -> int:
    return (
        SentMessage.objects.filter(item_id=item_id).values_list("attempts", flat=True).first() or 0
    )


def defer(item_id: int, *, seconds: int, error: str = "") -> None:
    """Leave an approved item for a later attempt (``send_due`` enqueues it when due)."""
    QueueItem.objects.filter(pk=item_id, status=QueueStatus.APPROVED).update(
        send_after=timezone.now() + timedelta(seconds=seconds), last_error=error[:2000]
    )


def give_up(item_id: int, error: str) -> None:
    """Retries are exhausted: the item becomes ``failed`` (the admin can retry it)."""
    item = QueueItem.objects.filter(pk=item_id).first()
    if item is None or item.status != QueueStatus.APPROVED:
        return
    SentMessage.objects.filter(item_id=item_id).exclude(status=SentMessageStatus.SENT).update(
        status=SentMessageStatus.FAILED, last_error=error[:2000]
    )
    decisions.mark_failed(item, error=error)


def due_for_send(now=None):
    """Approved emails that no send is handling yet (deferred by limits, or lost enqueues)."""
    now = now or timezone.now()
    return (
        QueueItem.objects.filter(status=QueueStatus.APPROVED)
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .exclude(sent_message__status__in=[SentMessageStatus.SENDING, SentMessageStatus.SENT])
        .values_list("pk", flat=True)
    )
