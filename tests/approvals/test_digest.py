"""approvals.digest: the weekly rejection review sent to the Head of Sales."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from approvals import decisions
from approvals.digest import send_rejection_review_digest

pytestmark = pytest.mark.django_db


def test_it_counts_last_weeks_rejections_by_category_and_mails_the_head_of_sales(make_item, hos):
    hos.email = "hos@caio.example"
    hos.save()
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=10)):
        decisions.reject(make_item(), actor=hos, category="weak_cta", reason="Too old to count.")
    decisions.reject(make_item(), actor=hos, category="weak_cta", reason="Three asks.")
    decisions.reject(make_item(), actor=hos, category="weak_cta", reason="No ask at all.")
    decisions.reject(make_item(), actor=hos, category="length_issue", reason="Too long.")
    item = make_item()
    decisions.approve(item, actor=hos, subject="Edited subject", body=item.body)
    decisions.approve(make_item(), actor=hos)
    mail.outbox = []

    review = send_rejection_review_digest(now=start + timedelta(minutes=1))

    assert review["by_category"] == {"weak_cta": 2, "length_issue": 1}
    assert review["rejected"] == 3
    assert review["approved"] == 2
    assert review["edit_rate"] == 0.5
    assert review["sample_reasons"]["weak_cta"] == ["No ask at all.", "Three asks."]
    [message] = mail.outbox
    assert message.to == ["hos@caio.example"]
    assert "weak_cta: 2" in message.body


def test_an_empty_week_still_reports(hos):
    hos.email = "hos@caio.example"
    hos.save()
    review = send_rejection_review_digest()
    assert review["rejected"] == 0
    assert review["edit_rate"] is None
    assert "No rejections" in mail.outbox[0].body


def test_the_command_prints_the_review_on_a_dry_run(make_item, hos):
    from io import StringIO

    from django.core.management import CommandError, call_command

    decisions.reject(make_item(), actor=hos, category="other", reason="Holding.")
    out = StringIO()
    call_command("rejection_digest", "--dry-run", stdout=out)
    assert "other: 1" in out.getvalue()
    assert mail.outbox == []
    with pytest.raises(CommandError):
        call_command("rejection_digest", "--days", "0")
