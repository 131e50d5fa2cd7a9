"""The approval console: inbox changelist, change page decisions, actions and permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import decisions
from approvals.choices import QueueEventType, QueueStatus
from approvals.models import QueueEvent, QueueItem
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/approvals/queueitem/"


def change_url(item):
    return f"{LIST}{item.pk}/change/"


def reject_url(item):
    return f"{LIST}{item.pk}/reject/"


def approve_url(item):
    return f"{LIST}{item.pk}/approve/"


def approve_edits_url(item):
    return f"{LIST}{item.pk}/approve-edits/"


@pytest.fixture
def as_hos(client, hos):
    client.force_login(hos)
    return client


@pytest.fixture
def as_operator(client, operator):
    client.force_login(operator)
    return client


def listed(response) -> list[int]:
    return [item.pk for item in response.context["cl"].result_list]


def test_the_changelist_query_count_does_not_grow_with_rows(
    as_hos, make_item, django_assert_num_queries
):
    for _ in range(5):
        make_item()
    with CaptureQueriesContext(connection) as five:
        assert len(listed(as_hos.get(LIST + "?status=all"))) == 5
    assert len(five.captured_queries) <= 12

    for _ in range(45):
        make_item()
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(listed(as_hos.get(LIST + "?status=all"))) == 50


def test_the_inbox_shows_pending_oldest_first_by_default(as_hos, make_item, hos):
    newer = make_item()
    older = make_item()
    QueueItem.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=3))
    decided = make_item()
    decisions.reject(decided, actor=hos, category="other", reason="x")

    assert listed(as_hos.get(LIST)) == [older.pk, newer.pk]
    assert listed(as_hos.get(LIST + "?status=all")) == [older.pk, newer.pk, decided.pk]
    assert listed(as_hos.get(LIST + "?status=rejected")) == [decided.pk]


def test_the_filters_narrow_the_inbox(as_hos, make_item, hos):
    breached = make_item(tier="tier_2")
    QueueItem.objects.filter(pk=breached.pk).update(created_at=timezone.now() - timedelta(hours=30))
    at_risk = make_item()
    QueueItem.objects.filter(pk=at_risk.pk).update(created_at=timezone.now() - timedelta(hours=9))
    flagged = make_item(subject="x" * 70)
    rejected = make_item()
    decisions.reject(rejected, actor=hos, category="weak_cta", reason="x")

    assert listed(as_hos.get(LIST + "?sla=breached")) == [breached.pk]
    assert listed(as_hos.get(LIST + "?sla=at_risk")) == [at_risk.pk]
    assert listed(as_hos.get(LIST + "?sla=within_target")) == [flagged.pk]
    assert listed(as_hos.get(LIST + "?tier=tier_2")) == [breached.pk]
    assert listed(as_hos.get(LIST + "?rubric=soft_flags")) == [flagged.pk]
    assert listed(as_hos.get(LIST + "?agent=call_prep")) == []
    category = rejected.rejection_category_id
    assert listed(as_hos.get(f"{LIST}?status=all&rejection_category__id__exact={category}")) == [
        rejected.pk
    ]


def test_search_finds_by_company_lead_and_subject(as_hos, make_item):
    target = make_item(lead=LeadFactory(company="Zephyr Legal", last_name="Okafor"))
    make_item()
    for query in ("Zephyr", "Okafor", "turnaround at Zephyr"):
        assert listed(as_hos.get(LIST, {"q": query})) == [target.pk]


def test_the_change_page_shows_context_rubric_history_events_and_trace_link(as_hos, make_item, hos):
    item = make_item()
    earlier = make_item(lead=item.lead)
    decisions.reject(earlier, actor=hos, category="tone_style_issue", reason="Too pushy.")

    page = as_hos.get(change_url(item)).content.decode()

    assert item.lead.company in page
    assert "eleven new hires" in page  # evidence with its source
    assert 'data-check="groundedness"' in page
    assert "Too pushy." in page  # rejection history of this lead
    assert "Created" in page  # event history
    assert f"/admin/traces/traceenvelope/timeline/{item.correlation_id}/" in page
    assert f'formaction="{approve_url(item)}"' in page
    assert f'formaction="{approve_edits_url(item)}"' in page


def test_the_change_page_never_saves_the_draft_as_a_plain_edit(as_hos, make_item):
    item = make_item()
    response = as_hos.post(change_url(item), {"subject": "Sneaky", "body": item.body})
    assert response.status_code == 403
    assert QueueItem.objects.get(pk=item.pk).subject == item.subject


def test_the_decision_urls_take_only_posts(as_hos, make_item):
    item = make_item()
    assert as_hos.get(approve_url(item)).status_code == 405
    assert as_hos.get(approve_edits_url(item)).status_code == 405


def test_approve_button_approves_the_reviewed_version(as_hos, make_item):
    item = make_item()
    response = as_hos.post(
        approve_url(item), {"version": 1, "subject": item.subject, "body": item.body}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status in {QueueStatus.APPROVED, QueueStatus.SENT}
    assert item.was_edited is False


def test_save_edits_and_approve_stores_the_edit(as_hos, make_item):
    item = make_item()
    response = as_hos.post(
        approve_edits_url(item),
        {"version": 1, "subject": "Proposals at Northwind", "body": item.body},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.subject == "Proposals at Northwind"
    assert item.was_edited is True
    assert QueueEvent.objects.filter(
        item=item, event_type=QueueEventType.APPROVED_WITH_EDITS
    ).exists()


def test_plain_approve_with_changed_text_asks_for_save_edits_and_keeps_the_text(as_hos, make_item):
    item = make_item()
    response = as_hos.post(
        approve_url(item), {"version": 1, "subject": "My better subject", "body": item.body}
    )
    assert response.status_code == 200
    assert "Save edits and approve" in response.content.decode()
    assert "My better subject" in response.content.decode()
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_an_edit_breaking_a_hard_check_is_refused_and_the_text_is_kept(as_hos, make_item):
    item = make_item()
    response = as_hos.post(
        approve_edits_url(item),
        {"version": 1, "subject": item.subject, "body": "No footer here at all now."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "No footer here at all now." in page
    assert "unsubscribe" in " ".join(response.context["decision_form"].errors["body"]).lower()
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_a_stale_version_shows_a_conflict_message(as_hos, make_item, hos):
    item = make_item()
    decisions.reject(QueueItem.objects.get(pk=item.pk), actor=hos, category="other", reason="x")

    response = as_hos.post(
        approve_url(item),
        {"version": 1, "subject": item.subject, "body": item.body},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == change_url(item)
    assert "is already rejected" in response.content.decode()
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.REJECTED


def test_a_version_changed_meanwhile_shows_a_conflict_message(as_hos, make_item):
    item = make_item()
    response = as_hos.post(
        approve_url(item),
        {"version": 7, "subject": item.subject, "body": item.body},
        follow=True,
    )
    assert "changed while you were looking" in response.content.decode()
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_reject_page_requires_category_and_reason(as_hos, make_item):
    item = make_item()
    assert as_hos.get(reject_url(item)).status_code == 200

    response = as_hos.post(reject_url(item), {"version": 1, "category": "", "reason": " "})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"category", "reason"}
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_reject_page_rejects_with_category_and_reason(as_hos, make_item):
    from approvals.models import RejectionCategory

    item = make_item()
    category = RejectionCategory.objects.get(key="weak_subject")
    response = as_hos.post(
        reject_url(item), {"version": 1, "category": category.pk, "reason": "Bland."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rejection_reason) == (QueueStatus.REJECTED, "Bland.")


def test_the_reject_button_leads_to_the_reject_page_with_the_reviewed_version(as_hos, make_item):
    item = make_item()
    page = as_hos.get(change_url(item)).content.decode()
    assert f'href="{reject_url(item)}?version=1"' in page
    assert as_hos.get(f"{reject_url(item)}?version=1").context["form"].initial == {"version": 1}


def test_a_missing_version_shows_the_draft_again_and_approves_nothing(as_hos, make_item):
    item = make_item()
    response = as_hos.post(approve_url(item), {"subject": item.subject, "body": item.body})
    assert response.status_code == 200
    assert "version was missing" in response.content.decode()
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_bulk_approve_takes_only_all_pass_pending_items(as_hos, make_item):
    clean = make_item()
    flagged = make_item(subject="y" * 70)
    response = as_hos.post(
        LIST,
        {"action": "approve_selected", "_selected_action": [clean.pk, flagged.pk]},
        follow=True,
    )
    assert "Approved 1 draft(s)." in response.content.decode()
    assert QueueItem.objects.get(pk=clean.pk).status != QueueStatus.PENDING
    assert QueueItem.objects.get(pk=flagged.pk).status == QueueStatus.PENDING


def test_bulk_reject_asks_for_a_category_then_rejects(as_hos, make_item):
    from approvals.models import RejectionCategory

    items = [make_item(), make_item()]
    selected = [i.pk for i in items]
    form = as_hos.post(LIST, {"action": "reject_selected", "_selected_action": selected})
    assert form.status_code == 200
    assert "Reject selected drafts" in form.content.decode()

    category = RejectionCategory.objects.get(key="length_issue")
    as_hos.post(
        LIST,
        {
            "action": "reject_selected",
            "_selected_action": selected,
            "apply": "1",
            "category": category.pk,
            "reason": "Too long.",
        },
    )
    assert set(QueueItem.objects.filter(pk__in=selected).values_list("status", flat=True)) == {
        QueueStatus.REJECTED
    }


def test_retry_failed_sends_action(as_hos, make_item, hos):
    item = make_item()
    decisions.approve(item, actor=hos)
    decisions.mark_failed(item, error="relay down")

    pending = make_item()

    response = as_hos.post(
        LIST + "?status=all",
        {"action": "retry_failed_sends", "_selected_action": [item.pk, pending.pk]},
        follow=True,
    )

    assert QueueEvent.objects.filter(item=item, event_type=QueueEventType.RETRIED).exists()
    page = response.content.decode()
    assert "Re-queued 1 failed send(s)." in page
    assert "Skipped 1 that had not failed." in page


def test_an_operator_sees_the_inbox_but_cannot_decide(as_operator, make_item):
    item = make_item()

    assert as_operator.get(LIST).status_code == 200
    page = as_operator.get(change_url(item))
    assert page.status_code == 200
    assert b'id="approve-button"' not in page.content
    assert b'name="subject"' not in page.content  # read-only text
    draft = {"version": 1, "subject": item.subject, "body": item.body}
    assert as_operator.post(approve_url(item), draft).status_code == 403
    assert as_operator.post(approve_edits_url(item), draft).status_code == 403
    assert as_operator.post(change_url(item), draft).status_code == 403
    assert as_operator.get(reject_url(item)).status_code == 403
    as_operator.post(LIST, {"action": "approve_selected", "_selected_action": [item.pk]})
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_a_viewer_cannot_decide_either(client, viewer, make_item):
    client.force_login(viewer)
    item = make_item()
    posted = client.post(
        approve_url(item), {"version": 1, "subject": item.subject, "body": item.body}
    )
    assert posted.status_code == 403


def test_the_decided_item_page_has_no_decision_buttons(as_hos, make_item, hos):
    item = make_item()
    decisions.reject(item, actor=hos, category="other", reason="x")
    page = as_hos.get(change_url(item)).content
    assert b'id="approve-button"' not in page
