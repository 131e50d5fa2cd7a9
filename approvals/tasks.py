"""Celery tasks of the approvals app: thin callers of domain functions, taking primary keys."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from agents.gateway import GatewayError, TransientGatewayError
from approvals import notifications, sending

logger = logging.getLogger(__name__)

# Errors worth another attempt: the relay or the network hiccupped.
TRANSIENT_SEND_ERRORS = (SMTPException, ConnectionError, TimeoutError, TransientGatewayError)
BACKOFF_FACTOR = 30
BACKOFF_MAX = 1800


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_SEND_ERRORS,
    retry_backoff=BACKOFF_FACTOR,
    retry_backoff_max=BACKOFF_MAX,
    retry_jitter=True,
    max_retries=5,
)
def send_item(self, item_id: int) -> str:
    """Send one approved queue item (idempotent: a second run finds it claimed or sent).

    Transient transport errors are retried with exponential backoff and jitter; after
    ``max_retries`` retries the item becomes ``failed``. A worker retries through Celery
    (``autoretry_for``); in the embedded shape (eager, no worker to schedule on) the item keeps
    ``send_after`` and ``send_due`` picks it up, so an approval request never blocks on a relay.
    """
    try:
        outcome = sending.send_approved_item(item_id)
    except TRANSIENT_SEND_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        attempts = sending.attempts_for(item_id)
        if attempts > self.max_retries:
            sending.give_up(item_id, f"retries exhausted after {attempts} attempts: {error}")
            return "failed"
        if not self.request.is_eager:
            raise
        delay = get_exponential_backoff_interval(
            BACKOFF_FACTOR, attempts - 1, BACKOFF_MAX, full_jitter=True
        )
        sending.defer(item_id, seconds=max(int(delay), 1), error=error)
        return "retry_later"
    except GatewayError as exc:
        # Refused for good (permission, configuration): retrying cannot help.
        sending.give_up(item_id, f"{exc.error_code}: {exc}")
        return "failed"
    if outcome.result == "deferred" and not self.request.is_eager:
        # A limit window is not an error: schedule a fresh attempt when the window frees up.
        send_item.apply_async((item_id,), countdown=outcome.retry_in)
    logger.info("send_item %s: %s %s", item_id, outcome.result, outcome.detail)
    return outcome.result


@shared_task(acks_late=True)
def send_due() -> int:
    """Enqueue approved emails whose send was deferred (limits, retries) and is now due."""
    count = 0
    for item_id in sending.due_for_send():
        send_item.delay(item_id)
        count += 1
    return count


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_SEND_ERRORS,
    retry_backoff=BACKOFF_FACTOR,
    retry_jitter=True,
    max_retries=5,
)
def notify_hot_lead(webhook_event_id: int) -> None:
    """Tell the Head of Sales a lead replied."""
    notifications.send_hot_lead_notification(webhook_event_id)
