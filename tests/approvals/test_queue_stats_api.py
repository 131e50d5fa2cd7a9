"""/api/v1/queue/stats/: counts, aging and sends against limits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import decisions
from approvals.models import QueueItem

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
