"""/api/v1/queue/stats/: counts, aging and sends against limits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import decisions
from approvals.models import QueueItem
from approvals.stats import queue_stats

pytestmark = pytest.mark.django_db


def test_it_reports_counts_aging_and_sends(api_as, hos, make_item):
    make_item()
    breached = make_item()
    QueueItem.objects.filter(pk=breached.pk).update(created_at=timezone.now() - timedelta(hours=25))
    rejected = make_item()
    decisions.reject(rejected, actor=hos, category="other", reason="x")

    body = api_as(hos).get("/api/v1/queue/stats/").json()

    assert body["by_status"]["pending"] == 2
    assert body["by_status"]["rejected"] == 1
    assert {"status": "pending", "kind": "email", "count": 2} in body["counts"]
    assert body["aging"] == {"within_target": 1, "at_risk": 0, "breached": 1}
    assert body["sla_breaches"] == 1
    assert body["oldest_pending_age_seconds"] >= 25 * 3600
    assert body["sends"]["limit_per_day"] == 25


def test_outsiders_cannot_read_it(api_as, outsider):
    assert api_as(outsider).get("/api/v1/queue/stats/").status_code == 403


def test_the_aging_buckets_are_one_aggregate_query_whatever_the_queue_size(
    make_item, django_assert_num_queries
):
    now = timezone.now()
    for hours in (1, 9, 9, 30, 30, 30):
        item = make_item()
        QueueItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=hours))
    # The policy, the counts by status and kind, the aging aggregate (with the oldest pending),
    # the sending limits and the two send windows.
    with django_assert_num_queries(6):
        stats = queue_stats(now)
    assert stats["aging"] == {"within_target": 1, "at_risk": 2, "breached": 3}
    assert stats["oldest_pending_age_seconds"] == pytest.approx(30 * 3600, abs=1)
    make_item()
    with django_assert_num_queries(6):
        assert queue_stats(now)["aging"]["within_target"] == 2
