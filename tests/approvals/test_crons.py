"""The approvals' scheduled jobs, run the way Inngest runs them (caio_site.scheduler.run_job)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from approvals import decisions
from approvals.choices import QueueStatus
from caio_site.choices import SchedulerRunStatus
from caio_site.scheduler import JOBS_BY_ID, run_job

pytestmark = pytest.mark.django_db


def test_the_expire_pending_cron_expires_drafts_past_the_max_age_only(make_item):
    with time_machine.travel(dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC), tick=False):
        old = make_item()
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False):
        fresh = make_item()
        run = run_job(JOBS_BY_ID["expire-pending"], run_id="01JEXPIRE")

    assert run.status == SchedulerRunStatus.OK
    assert run.result == {"value": [old.pk]}
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (QueueStatus.EXPIRED, QueueStatus.PENDING)


def test_the_send_due_cron_sends_an_approved_email_whose_send_was_deferred(
    make_item, hos, mailoutbox
):
    item = make_item()
    # Approve without running the on-commit send: the send is "lost" until the sweep.
    decisions.approve(item, actor=hos)

    run = run_job(JOBS_BY_ID["send-due"], run_id="01JSENDDUE")

    assert run.status == SchedulerRunStatus.OK
    assert run.result == {"value": 1}
    item.refresh_from_db()
    assert item.status == QueueStatus.SENT
    assert len(mailoutbox) == 1
