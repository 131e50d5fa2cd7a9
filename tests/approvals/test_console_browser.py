"""The Head of Sales' day in a real browser: log in, edit and approve, reject, see the result.

Drives Debian's Chromium through Playwright against pytest-django's live server (a real HTTP
server on a transactional database, eager Celery sending on commit). A screenshot of the inbox
after the decisions is saved under test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core import mail

from approvals.choices import QueueEventType, QueueStatus
from approvals.models import QueueEvent, QueueItem, SentMessage
from tests.conftest import CHROMIUM_PATH
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself between page actions are safe (the live server serves requests in its own thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_hos_edits_and_approves_one_draft_and_rejects_another(live_server, page, hos, make_item):
    mail.outbox = []
    to_approve = make_item()
    to_reject = make_item()
    base = live_server.url

    page.goto(f"{base}/admin/login/?next=/admin/approvals/queueitem/")
    page.fill("#id_username", hos.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.wait_for_url("**/admin/approvals/queueitem/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2

    page.click(f"text={to_approve.subject}")
    page.wait_for_url(f"**/admin/approvals/queueitem/{to_approve.pk}/change/")
    assert page.locator("#rubric li.caio-pass").count() == to_approve.rubric_total
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "approvals-change-page.png"), full_page=True)
    page.fill("#id_subject", "Proposal hours at your agency")
    page.click("#approve-edits-button")
    page.wait_for_url("**/admin/approvals/queueitem/")
    assert "Edited and approved" in page.locator("ul.messagelist").inner_text()

    page.goto(f"{base}/admin/approvals/queueitem/{to_reject.pk}/change/")
    page.click("#reject-button")
    page.wait_for_url(f"**/admin/approvals/queueitem/{to_reject.pk}/reject/**")
    page.select_option("#id_category", label="Weak call to action")
    page.fill("#id_reason", "Two asks in one email; keep only the call.")
    page.click("#confirm-reject")
    page.wait_for_url("**/admin/approvals/queueitem/")
    assert "Rejected" in page.locator("ul.messagelist").inner_text()

    page.goto(f"{base}/admin/approvals/queueitem/?status=all")
    page.screenshot(path=str(ARTIFACTS / "approvals-console.png"), full_page=True)
    inbox = page.locator("#result_list").inner_text()
    assert "Sent" in inbox
    assert "Rejected" in inbox

    approved = QueueItem.objects.get(pk=to_approve.pk)
    assert approved.status == QueueStatus.SENT
    assert approved.was_edited is True
    assert approved.decided_by == hos
    assert list(QueueEvent.objects.filter(item=approved).values_list("event_type", flat=True)) == [
        QueueEventType.CREATED,
        QueueEventType.APPROVED_WITH_EDITS,
        QueueEventType.SENT,
    ]
    sent = SentMessage.objects.get(item=approved)
    assert sent.subject == "Proposal hours at your agency"
    assert [m.subject for m in mail.outbox] == ["Proposal hours at your agency"]

    rejected = QueueItem.objects.get(pk=to_reject.pk)
    assert rejected.status == QueueStatus.REJECTED
    assert rejected.rejection_category.key == "weak_cta"
    assert rejected.rejection_reason == "Two asks in one email; keep only the call."
    assert not SentMessage.objects.filter(item=rejected).exists()

    page.goto(f"{base}/admin/approvals/queueitem/{to_approve.pk}/change/")
    history = page.locator("#event-history").inner_text()
    assert "Approved with edits" in history
    assert "Sent" in history
