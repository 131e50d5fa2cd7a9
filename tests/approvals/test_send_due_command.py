"""manage.py send_due: sends approved emails whose deferred send is due."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from approvals import decisions
from approvals.choices import QueueStatus
from approvals.models import SendingLimits
from approvals.tasks import send_item

pytestmark = pytest.mark.django_db


def test_it_sends_what_the_limits_deferred_once_the_window_frees(make_item, hos, mailoutbox):
    SendingLimits.objects.update(per_hour=1)
    first, second = make_item(), make_item()
    for item in (first, second):
        decisions.approve(item, actor=hos)
        send_item.delay(item.pk)
    assert len(mailoutbox) == 1

    out = StringIO()
    call_command("send_due", stdout=out)
    assert len(mailoutbox) == 1  # still inside the hour

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        call_command("send_due", stdout=out)

    second.refresh_from_db()
    assert second.status == QueueStatus.SENT
    assert len(mailoutbox) == 2
