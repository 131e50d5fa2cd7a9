"""approvals.demo.seed: a realistic inbox, idempotent."""

from io import StringIO

import pytest
from django.core.management.color import no_style

from approvals import demo
from approvals.choices import QueueStatus, RubricState
from approvals.models import QueueEvent, QueueItem

pytestmark = pytest.mark.django_db


def test_it_builds_an_inbox_across_tiers_and_states_and_is_idempotent(
    hos, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=StringIO(), style=no_style())
    items = QueueItem.objects.filter(idempotency_key__startswith="demo:")
    counts = (items.count(), QueueEvent.objects.count())

    demo.seed(stdout=StringIO(), style=no_style())

    assert (items.count(), QueueEvent.objects.count()) == counts
    statuses = set(items.values_list("status", flat=True))
    assert {
        QueueStatus.PENDING,
        QueueStatus.BLOCKED,
        QueueStatus.SENT,
        QueueStatus.REJECTED,
    } <= statuses
    assert set(items.values_list("tier", flat=True)) >= {"tier_1", "tier_2", "tier_3"}
    assert items.filter(rubric_state=RubricState.SOFT_FLAGS, status=QueueStatus.PENDING).exists()
    blocked = items.filter(status=QueueStatus.BLOCKED)
    reasons = " ".join(r for item in blocked for r in item.blocked_reasons)
    assert "placeholder" in reasons
    assert "Unsupported statistics" in reasons
    assert "suppress" in reasons
