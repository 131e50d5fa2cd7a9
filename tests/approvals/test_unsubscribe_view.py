"""/u/<signed token>/: suppresses the address without login and cancels the lead's drafts."""

from __future__ import annotations

import pytest

from agents.choices import LeadStatus
from approvals.choices import QueueStatus, SuppressionReason, SuppressionSource
from approvals.compliance import unsubscribe_token, unsubscribe_url
from approvals.models import QueueItem
from approvals.suppression import suppress, suppression_for

pytestmark = pytest.mark.django_db
ADMIN = SuppressionSource.ADMIN


def _path(email):
    return f"/u/{unsubscribe_token(email)}/"


def test_the_footer_url_points_at_this_view(make_item, settings):
    item = make_item()
    assert unsubscribe_url(item.lead.email) == settings.SITE_URL + _path(item.lead.email)
    assert unsubscribe_url(item.lead.email) in item.body


def test_get_asks_for_confirmation_and_changes_nothing(client, make_item):
    item = make_item()

    response = client.get(_path(item.lead.email))

    assert response.status_code == 200
    assert b"confirm-unsubscribe" in response.content
    assert item.lead.email.encode() not in response.content  # the address is masked
    assert suppression_for(item.lead.email) is None


def test_post_suppresses_the_address_and_cancels_pending_drafts(client, make_item):
    item = make_item()

    response = client.post(_path(item.lead.email))

    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert suppression_for(item.lead.email).reason == SuppressionReason.UNSUBSCRIBED
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.CANCELLED
    item.lead.refresh_from_db()
    assert item.lead.status == LeadStatus.UNSUBSCRIBED


def test_one_click_post_works_without_a_csrf_token(make_item):
    from django.test import Client

    item = make_item()
    response = Client(enforce_csrf_checks=True).post(
        _path(item.lead.email), data="List-Unsubscribe=One-Click", content_type="text/plain"
    )
    assert response.status_code == 200
    assert suppression_for(item.lead.email) is not None


@pytest.mark.parametrize("token", ["garbage", "eyJlIjoieEB5LnoifQ:forged"])
def test_a_forged_token_is_404(client, token):
    assert client.post(f"/u/{token}/").status_code == 404


def test_posting_twice_is_harmless(client, make_item):
    item = make_item()
    client.post(_path(item.lead.email))
    response = client.post(_path(item.lead.email))
    assert response.status_code == 200


def test_an_address_suppressed_earlier_for_another_reason_still_becomes_unsubscribed(
    client, make_item
):
    item = make_item()
    suppress(email=item.lead.email, reason=SuppressionReason.REJECTED, source=ADMIN)

    client.post(_path(item.lead.email))

    item.lead.refresh_from_db()
    assert item.lead.status == LeadStatus.UNSUBSCRIBED
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.CANCELLED
