"""Read-only admins for system-written records; editable policy data for the Head of Sales."""

from __future__ import annotations

import pytest

from agents.choices import LeadStatus
from approvals import decisions
from approvals.choices import QueueStatus, SuppressionReason, SuppressionSource
from approvals.models import QueueEvent, RubricCheck, SlaPolicy, Suppression
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["queueevent", "sentmessage", "webhookevent"])
def test_system_records_are_listed_but_never_added(client, hos, make_item, model):
    item = make_item()
    decisions.approve(item, actor=hos)
    client.force_login(hos)

    assert client.get(f"/admin/approvals/{model}/").status_code == 200
    assert client.get(f"/admin/approvals/{model}/add/").status_code == 403


def test_a_queue_event_cannot_be_edited(client, hos, make_item):
    item = make_item()
    event = QueueEvent.objects.get(item=item)
    client.force_login(hos)

    response = client.post(f"/admin/approvals/queueevent/{event.pk}/change/", {"to_status": "sent"})

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.to_status == "pending"


def test_the_head_of_sales_edits_the_sla_policy(client, hos):
    policy = SlaPolicy.current()
    client.force_login(hos)
    page = client.get(f"/admin/approvals/slapolicy/{policy.pk}/change/")
    assert b"expire_pending expires pending drafts older than this" in page.content  # help text

    client.post(
        f"/admin/approvals/slapolicy/{policy.pk}/change/",
        {
            "target_hours": 2,
            "at_risk_after_hours": 6,
            "breached_after_hours": 12,
            "max_age_hours": 48,
            "daily_capacity": 40,
        },
    )

    policy.refresh_from_db()
    assert (policy.target_hours, policy.max_age_hours) == (2, 48)


def test_an_operator_reads_policy_data_but_cannot_change_it(client, operator):
    policy = SlaPolicy.current()
    client.force_login(operator)
    url = f"/admin/approvals/slapolicy/{policy.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"target_hours": 1}).status_code == 403


@pytest.mark.parametrize(
    "model",
    ["rejectioncategory", "rubriccheck", "segmentstandard", "meetingpreppolicy", "sendinglimits"],
)
def test_policy_lists_render_for_the_head_of_sales(client, hos, model):
    client.force_login(hos)
    assert client.get(f"/admin/approvals/{model}/").status_code == 200


def test_an_outsider_is_sent_to_the_login(client, outsider):
    client.force_login(outsider)
    response = client.get("/admin/approvals/queueitem/")
    assert response.status_code == 302


def test_the_head_of_sales_suppresses_a_domain_in_admin(client, hos):
    from approvals.suppression import suppression_for

    client.force_login(hos)
    response = client.post(
        "/admin/approvals/suppression/add/",
        {"email": "", "domain": "@Rival.Example", "reason": "competitor", "source": "admin"},
    )
    assert response.status_code == 302
    assert suppression_for("ceo@rival.example").domain == "rival.example"


def test_a_suppression_needs_exactly_one_of_email_and_domain(client, hos):
    client.force_login(hos)
    response = client.post(
        "/admin/approvals/suppression/add/",
        {"email": "a@b.example", "domain": "b.example", "reason": "manual", "source": "admin"},
    )
    assert response.status_code == 200
    assert Suppression.objects.count() == 0


def _add_suppression(client, **fields):
    data = {"email": "", "domain": "", "reason": "manual", "source": "admin", "note": ""}
    return client.post("/admin/approvals/suppression/add/", {**data, **fields}, follow=True)


def test_an_address_suppressed_in_admin_stops_contact_like_an_unsubscribe(client, hos, make_item):
    by_hand, by_link = make_item(), make_item()
    other = make_item()
    client.force_login(hos)

    response = _add_suppression(client, email=by_hand.lead.email.upper(), reason="unsubscribed")
    decisions.stop_contacting(
        by_link.lead.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        source=SuppressionSource.UNSUBSCRIBE_LINK,
    )

    for item in (by_hand, by_link):
        item.refresh_from_db()
        item.lead.refresh_from_db()
        assert item.status == QueueStatus.CANCELLED
        assert item.lead.status == LeadStatus.UNSUBSCRIBED
    events = [QueueEvent.objects.get(item=i, to_status="cancelled") for i in (by_hand, by_link)]
    assert events[0].payload == events[1].payload == {"reason": "recipient unsubscribed"}
    assert events[0].actor == hos
    assert "Cancelled 1 open queue item(s)" in response.content.decode()
    other.refresh_from_db()
    assert other.status == QueueStatus.PENDING


def test_a_domain_suppressed_in_admin_cancels_every_lead_on_it(client, hos, make_item):
    on_domain = [make_item(lead=LeadFactory(email=f"{n}@rival.example")) for n in ("ceo", "cto")]
    elsewhere = make_item(lead=LeadFactory(email="ceo@notrival.example"))
    client.force_login(hos)

    _add_suppression(client, domain="Rival.example", reason="competitor")

    for item in on_domain:
        item.refresh_from_db()
        assert item.status == QueueStatus.CANCELLED
        # A domain entry stops contact; it does not say anybody unsubscribed.
        assert item.lead.status == LeadStatus.NEW
    elsewhere.refresh_from_db()
    assert elsewhere.status == QueueStatus.PENDING


def test_editing_a_suppression_in_admin_applies_the_edited_entry(client, hos, make_item):
    item = make_item(lead=LeadFactory(email="ops@rival.example"))
    entry = Suppression.objects.create(
        email="someone@else.example", reason="manual", source="admin"
    )
    client.force_login(hos)

    client.post(
        f"/admin/approvals/suppression/{entry.pk}/change/",
        {"email": "", "domain": "rival.example", "reason": "manual", "source": "admin"},
    )

    item.refresh_from_db()
    assert item.status == QueueStatus.CANCELLED


def test_the_rubric_admin_refuses_unusable_params_with_a_clear_error(client, hos):
    check = RubricCheck.objects.get(key="subject_length")
    client.force_login(hos)

    response = client.post(
        f"/admin/approvals/rubriccheck/{check.pk}/change/",
        {
            "name": check.name,
            "description": "",
            "severity": check.severity,
            "enabled": "on",
            "params": '{"max_chars": "sixty"}',
            "position": check.position,
        },
    )

    assert response.status_code == 200  # the form again, with the error; never a 500
    assert "&#x27;max_chars&#x27; must be a number" in response.content.decode()
    check.refresh_from_db()
    assert check.params == {"max_chars": 60}
