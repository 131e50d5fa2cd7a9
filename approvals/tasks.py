"""Celery tasks of the approvals app: thin callers of domain functions, taking primary keys."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from approvals import sending

logger = logging.getLogger(__name__)

# Errors worth another attempt: the relay or the network hiccupped.
TRANSIENT_SEND_ERRORS = (SMTPException, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_SEND_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def send_item(self, item_id: int) -> str:
    """Send one approved queue item (idempotent: a second run finds it claimed or sent)."""
    try:
        outcome = sending.send_approved_item(item_id)
    except TRANSIENT_SEND_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            sending.give_up(item_id, f"retries exhausted: {type(exc).__name__}: {exc}")
            return "failed"
        raise
    if outcome.result == "deferred" and not self.request.is_eager:
        # A limit window is not an error: schedule a fresh attempt when the window frees up.
        send_item.apply_async((item_id,), countdown=outcome.retry_in)
    logger.info("send_item %s: %s %s", item_id, outcome.result, outcome.detail)
    return outcome.result


@shared_task(acks_late=True)
def send_due() -> int:
    """Enqueue approved emails whose send was deferred by the limits and is now due."""
    count = 0
    for item_id in sending.due_for_send():
        send_item.delay(item_id)
        count += 1
    return count


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_SEND_ERRORS,
    retry_backoff=30,
    retry_jitter=True,
    max_retries=5,
)
def notify_hot_lead(webhook_event_id: int) -> None:
    """Tell the Head of Sales a lead replied."""
    from approvals.webhooks import send_hot_lead_notification

    send_hot_lead_notification(webhook_event_id)
