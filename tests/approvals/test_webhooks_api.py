"""POST /api/v1/webhooks/<provider>/: signatures, freshness, dedupe and each event's effect."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail

from agents.choices import LeadStatus
from approvals import decisions
from approvals.choices import QueueStatus, SuppressionReason
from approvals.models import QueueItem, SentMessage, WebhookEvent
from approvals.suppression import suppression_for
from approvals.tasks import send_item
from approvals.webhooks import sign

pytestmark = pytest.mark.django_db

SECRET = "whsec-test-7f3a"
URL = "/api/v1/webhooks/postmark/"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.WEBHOOK_SECRETS = {"postmark": SECRET}


def post(client, payload, *, secret=SECRET, timestamp=None, signature=None, url=URL):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "HTTP_X_SIGNATURE": signature if signature is not None else sign(secret, raw),
        "HTTP_X_TIMESTAMP": str(int(time.time()) if timestamp is None else timestamp),
    }
    return client.post(url, data=raw, content_type="application/json", **headers)


def test_an_unknown_provider_is_404(client):
    response = post(
        client, {"id": "e1", "type": "opened", "email": "a@b.example"}, url="/api/v1/webhooks/nope/"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_provider"


@pytest.mark.parametrize("signature", ["", "sha256=deadbeef", "md5=x", "sha256=é€"])
def test_a_missing_or_wrong_signature_is_401(client, signature):
    response = post(
        client, {"id": "e1", "type": "opened", "email": "a@b.example"}, signature=signature
    )
    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0


def test_a_body_signed_with_another_secret_is_401(client):
    response = post(client, {"id": "e1", "type": "opened", "email": "a@b.example"}, secret="other")
    assert response.status_code == 401


def test_a_stale_timestamp_is_401(client):
    response = post(
        client,
        {"id": "e1", "type": "opened", "email": "a@b.example"},
        timestamp=int(time.time()) - 301,
    )
    assert response.status_code == 401
    assert "tolerance" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (json.dumps({"id": "e1", "type": "clicked", "email": "a@b.example"}).encode(), "type"),
        (json.dumps({"type": "opened", "email": "a@b.example"}).encode(), "id"),
        (json.dumps({"id": "e1", "type": "opened"}).encode(), "email"),
        (json.dumps({"id": "e1", "type": "opened", "email": "not-an-email"}).encode(), "email"),
    ],
)
def test_a_malformed_body_is_400_with_field_errors(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    if field:
        assert field in response.json()["errors"]


def test_a_repeated_event_id_is_acknowledged_without_effect(client, make_item):
    item = make_item()
    payload = {"id": "evt-1", "type": "replied", "email": item.lead.email}

    first = post(client, payload)
    second_item = make_item(lead=item.lead)
    second = post(client, payload)

    assert first.status_code == second.status_code == 200
    assert second.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    assert QueueItem.objects.get(pk=second_item.pk).status == QueueStatus.PENDING


def test_replied_marks_the_lead_cancels_open_items_and_notifies_hos(
    client, make_item, hos, django_capture_on_commit_callbacks
):
    hos.email = "hos@caio.example"
    hos.save()
    item = make_item()
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, {"id": "evt-2", "type": "replied", "email": item.lead.email.upper()}
        )

    assert response.status_code == 200
    item.lead.refresh_from_db()
    assert item.lead.status == LeadStatus.REPLIED
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.CANCELLED
    [notice] = mail.outbox
    assert notice.to == ["hos@caio.example"]
    assert "replied" in notice.subject


@pytest.mark.parametrize(
    ("event", "reason", "lead_status"),
    [
        ("bounced", SuppressionReason.BOUNCED, LeadStatus.BOUNCED),
        ("unsubscribed", SuppressionReason.UNSUBSCRIBED, LeadStatus.UNSUBSCRIBED),
    ],
)
def test_bounced_and_unsubscribed_suppress_and_cancel(
    client, make_item, event, reason, lead_status
):
    item = make_item()

    response = post(client, {"id": f"evt-{event}", "type": event, "email": item.lead.email})

    assert response.status_code == 200
    assert suppression_for(item.lead.email).reason == reason
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.CANCELLED
    item.lead.refresh_from_db()
    assert item.lead.status == lead_status


def test_delivered_and_opened_are_recorded_on_the_sent_message_by_message_id(
    client, make_item, hos
):
    item = make_item()
    decisions.approve(item, actor=hos)
    send_item.delay(item.pk)
    record = SentMessage.objects.get(item=item)

    for n, event in enumerate(["delivered", "opened"]):
        response = post(client, {"id": f"m{n}", "type": event, "message_id": record.message_id})
        assert response.status_code == 200

    record.refresh_from_db()
    assert record.delivered_at is not None
    assert record.opened_at is not None
    item.lead.refresh_from_db()
    assert item.lead.status == LeadStatus.CONTACTED  # the send did; an open changes nothing
