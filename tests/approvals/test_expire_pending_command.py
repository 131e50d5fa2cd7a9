"""manage.py expire_pending: expires pending drafts past the SLA max age."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals import decisions
from approvals.choices import QueueEventType, QueueStatus
from approvals.models import QueueEvent, QueueItem, SlaPolicy

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("expire_pending", *args, stdout=out)
    return out.getvalue()


def test_it_expires_only_pending_items_older_than_the_max_age(make_item, hos):
    old = make_item()
    young = make_item()
    decided = make_item()
    decisions.reject(decided, actor=hos, category="other", reason="x")
    start = timezone.now()
    QueueItem.objects.filter(pk__in=[old.pk, decided.pk]).update(
        created_at=start - timedelta(hours=1)
    )
    QueueItem.objects.filter(pk=young.pk).update(created_at=start)

    with time_machine.travel(start + timedelta(hours=71, minutes=30)):
        output = run()

    assert "Expired 1 pending draft(s) older than 72 h." in output
    assert QueueItem.objects.get(pk=old.pk).status == QueueStatus.EXPIRED
    assert QueueItem.objects.get(pk=young.pk).status == QueueStatus.PENDING
    assert QueueItem.objects.get(pk=decided.pk).status == QueueStatus.REJECTED
    assert QueueEvent.objects.filter(item=old, event_type=QueueEventType.EXPIRED).count() == 1


def test_the_max_age_comes_from_the_sla_policy(make_item):
    SlaPolicy.objects.update(max_age_hours=1)
    item = make_item()

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run()

    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.EXPIRED


def test_dry_run_changes_nothing(make_item):
    item = make_item()

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        output = run("--dry-run")

    assert f"#{item.pk}" in output
    assert QueueItem.objects.get(pk=item.pk).status == QueueStatus.PENDING


def test_running_it_twice_expires_once(make_item):
    item = make_item()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        run()
        assert "Expired 0" in run()
    assert QueueEvent.objects.filter(item=item, event_type=QueueEventType.EXPIRED).count() == 1


def test_a_non_positive_limit_is_a_command_error():
    with pytest.raises(CommandError):
        run("--limit", "0")
