"""approvals.tasks.send_item: at most one message per item, re-checks, limits and retries."""

from __future__ import annotations

import threading
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from approvals import decisions
from approvals.choices import QueueStatus, SentMessageStatus, SuppressionReason, SuppressionSource
from approvals.models import QueueItem, SendingLimits, SentMessage
from approvals.sending import message_id_for
from approvals.suppression import suppress
from approvals.tasks import send_due, send_item
from caio_site.celery import app as celery_app
from tests.approvals.factories import draft_body
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """The SMTP edge: fails the first ``failures`` sends with a transient error."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SMTPServerDisconnected("relay went away")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.failures = 0
    return FlakyBackend


@pytest.fixture
def approved(make_item, hos):
    """An approved email whose send has not run (the on-commit send is not executed)."""
    item = make_item()
    decisions.approve(item, actor=hos)
    return item


def test_the_task_sends_one_message_with_a_stable_message_id(approved, mailoutbox):
    send_item.delay(approved.pk)

    approved.refresh_from_db()
    assert approved.status == QueueStatus.SENT
    [message] = mailoutbox
    assert message.to == [approved.lead.email]
    assert message.extra_headers["Message-ID"] == message_id_for(approved)
    assert "/u/" in message.extra_headers["List-Unsubscribe"]
    record = SentMessage.objects.get(item=approved)
    assert (record.status, record.attempts, record.message_id) == (
        SentMessageStatus.SENT,
        1,
        message_id_for(approved),
    )


def test_a_sent_email_marks_a_new_lead_contacted_but_never_a_replied_one(make_item, hos):
    from agents.choices import LeadStatus

    fresh, replied = make_item(), make_item()
    replied.lead.status = LeadStatus.REPLIED
    replied.lead.save()
    for item in (fresh, replied):
        decisions.approve(item, actor=hos)
        send_item.delay(item.pk)

    fresh.lead.refresh_from_db()
    replied.lead.refresh_from_db()
    assert fresh.lead.status == LeadStatus.CONTACTED
    assert replied.lead.status == LeadStatus.REPLIED


def test_running_the_task_twice_sends_once(approved, mailoutbox):
    send_item.delay(approved.pk)
    send_item.delay(approved.pk)

    assert len(mailoutbox) == 1
    assert SentMessage.objects.filter(item=approved).count() == 1


def test_a_recipient_suppressed_after_approval_is_cancelled_not_sent(approved, mailoutbox):
    suppress(
        email=approved.lead.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        source=SuppressionSource.ADMIN,
    )

    send_item.delay(approved.pk)

    approved.refresh_from_db()
    assert approved.status == QueueStatus.CANCELLED
    assert mailoutbox == []


def test_a_lead_that_bounced_after_approval_is_cancelled_not_sent(approved, mailoutbox):
    from agents.choices import LeadStatus

    approved.lead.status = LeadStatus.BOUNCED
    approved.lead.save()

    send_item.delay(approved.pk)

    approved.refresh_from_db()
    assert approved.status == QueueStatus.CANCELLED
    assert mailoutbox == []


def test_a_non_compliant_final_message_fails_instead_of_sending(make_item, hos, mailoutbox):
    item = make_item()
    other = LeadFactory()
    # An edit that keeps a footer but for the wrong recipient slips past nothing at send time.
    QueueItem.objects.filter(pk=item.pk).update(body=draft_body(other))
    item.refresh_from_db()
    decisions.approve(item, actor=hos)

    send_item.delay(item.pk)

    item.refresh_from_db()
    assert item.status == QueueStatus.FAILED
    assert "unsubscribe" in item.last_error
    assert mailoutbox == []


def _later(minutes: int):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


def test_a_transient_error_is_retried_with_backoff_until_it_succeeds(approved, flaky):
    flaky.failures = 2

    assert send_item.delay(approved.pk).get() == "retry_later"
    approved.refresh_from_db()
    assert approved.status == QueueStatus.APPROVED
    assert approved.send_after > timezone.now()
    assert "SMTPServerDisconnected" in approved.last_error
    assert send_due.delay().get() == 0  # not due yet: backoff

    for minutes in (31, 62):
        with _later(minutes):
            send_due.delay()

    approved.refresh_from_db()
    assert approved.status == QueueStatus.SENT
    assert flaky.calls == 3
    assert SentMessage.objects.get(item=approved).attempts == 3
    assert len(mail.outbox) == 1


def test_exhausted_retries_mark_the_item_failed_and_retry_failed_sends_it(approved, flaky, hos):
    flaky.failures = 100

    send_item.delay(approved.pk)
    for hour in range(1, 10):
        with _later(60 * hour):
            send_due.delay()

    approved.refresh_from_db()
    assert approved.status == QueueStatus.FAILED
    assert "retries exhausted" in approved.last_error
    assert flaky.calls == send_item.max_retries + 1

    flaky.failures = 0
    decisions.retry_failed(approved, actor=hos)
    send_item.delay(approved.pk)

    approved.refresh_from_db()
    assert approved.status == QueueStatus.SENT
    assert len(mail.outbox) == 1


def test_the_sending_limit_defers_without_failing_and_sends_when_the_window_frees(
    make_item, hos, mailoutbox
):
    SendingLimits.objects.update(per_domain_per_hour=1)
    first = make_item()
    second = make_item(lead=LeadFactory(email=f"other@{first.lead.email_domain}"))
    for item in (first, second):
        decisions.approve(item, actor=hos)

    send_item.delay(first.pk)
    send_item.delay(second.pk)

    second.refresh_from_db()
    assert second.status == QueueStatus.APPROVED
    assert second.send_after is not None
    assert len(mailoutbox) == 1

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert send_due.delay().get() == 1

    second.refresh_from_db()
    assert second.status == QueueStatus.SENT
    assert len(mailoutbox) == 2


def test_a_zero_daily_limit_pauses_every_send(approved, mailoutbox):
    SendingLimits.objects.update(per_day=0)

    send_item.delay(approved.pk)

    approved.refresh_from_db()
    assert approved.status == QueueStatus.APPROVED
    assert mailoutbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_send_tasks_send_exactly_one_message(make_item, hos, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    item = make_item()
    # Pause sending so the approval's own on-commit send leaves the item approved.
    SendingLimits.objects.update(per_day=0)
    decisions.approve(item, actor=hos)
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.APPROVED
    SendingLimits.objects.update(per_day=25)

    threads_n = 8
    barrier = threading.Barrier(threads_n)

    def run():
        # A thread starts without a current Celery app; bind the project's (as a worker does).
        celery_app.set_current()
        try:
            barrier.wait()
            send_item.delay(item.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.outbox) == 1
    assert SentMessage.objects.get(item_id=item.pk).attempts == 1
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_different_items_respect_the_limit(make_item, hos, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    items = [make_item() for _ in range(6)]
    SendingLimits.objects.update(per_day=0)
    for item in items:
        decisions.approve(item, actor=hos)
    SendingLimits.objects.update(per_day=2)
    barrier = threading.Barrier(len(items))

    def run(item_id):
        celery_app.set_current()
        try:
            barrier.wait()
            send_item.delay(item_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item.pk,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.outbox) == 2
    statuses = sorted(
        QueueItem.objects.filter(pk__in=[i.pk for i in items]).values_list("status", flat=True)
    )
    assert statuses == [QueueStatus.APPROVED] * 4 + [QueueStatus.SENT] * 2


def test_the_send_goes_through_the_gateway_as_one_traced_email_send(approved, mailoutbox):
    from traces.models import TraceEnvelope

    send_item.delay(approved.pk)

    [envelope] = TraceEnvelope.objects.filter(tool_name="email.send")
    assert (envelope.agent, envelope.status) == ("send_pipeline", "ok")
    assert f"queue_item:{approved.pk}" in envelope.retrieved_context_refs
    assert len(mailoutbox) == 1


def test_a_send_the_gateway_refuses_for_good_fails_the_item_without_sending(
    approved, mailoutbox, monkeypatch
):
    from agents import gateway

    # The permission table is the gateway's own rule: take email.send away from the pipeline.
    monkeypatch.setitem(gateway.PERMISSIONS, "send_pipeline", frozenset({"crm.lookup_account"}))

    assert send_item.delay(approved.pk).get() == "failed"

    approved.refresh_from_db()
    assert approved.status == QueueStatus.FAILED
    assert "PERMISSION_DENIED" in approved.last_error
    assert mailoutbox == []
