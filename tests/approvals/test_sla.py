"""approvals.sla / SlaPolicy: aging states at the policy's thresholds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import decisions
from approvals.choices import SlaState
from approvals.models import QueueItem, SlaPolicy
from approvals.sla import sla_filter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "state"),
    [
        (0, SlaState.WITHIN_TARGET),
        (7.9, SlaState.WITHIN_TARGET),
        (8, SlaState.AT_RISK),
        (23.9, SlaState.AT_RISK),
        (24, SlaState.BREACHED),
        (100, SlaState.BREACHED),
    ],
)
def test_state_for_follows_the_default_thresholds(hours, state):
    now = timezone.now()
    assert SlaPolicy.current().state_for(now - timedelta(hours=hours), now) == state


def test_the_filter_agrees_with_state_for_and_ignores_decided_items(make_item, hos):
    now = timezone.now()
    policy = SlaPolicy.current()
    ages = [1, 9, 30]
    items = []
    for hours in ages:
        item = make_item()
        QueueItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=hours))
        items.append(QueueItem.objects.get(pk=item.pk))
    decided = make_item()
    QueueItem.objects.filter(pk=decided.pk).update(created_at=now - timedelta(hours=30))
    decisions.reject(QueueItem.objects.get(pk=decided.pk), actor=hos, category="other", reason="x")

    for state in SlaState:
        expected = {i.pk for i in items if policy.state_for(i.created_at, now) == state}
        found = set(
            QueueItem.objects.filter(sla_filter(state, policy, now)).values_list("pk", flat=True)
        )
        assert found == expected
        assert len(found) == 1


def test_thresholds_come_from_the_policy():
    SlaPolicy.objects.update(at_risk_after_hours=1, breached_after_hours=2)
    now = timezone.now()
    assert SlaPolicy.current().state_for(now - timedelta(minutes=90), now) == SlaState.AT_RISK
