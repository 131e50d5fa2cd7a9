"""approvals.sla / SlaPolicy: aging states at the policy's thresholds, and the four forms of the
rule (state_for, the Q filter, the SQL annotation, the age-only filter) agreeing row by row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import decisions, sla
from approvals.choices import SlaState
from approvals.models import QueueItem, SlaPolicy

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


def _aged(make_item, hours_list, now):
    items = []
    for hours in hours_list:
        item = make_item()
        QueueItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=hours))
        items.append(QueueItem.objects.get(pk=item.pk))
    return items


# Ages on both sides of each default threshold, the thresholds themselves included.
AGES = [0, 7.99, 8, 8.01, 23.99, 24, 24.01, 30]


def test_the_filter_and_the_annotation_agree_with_state_for_and_ignore_decided_items(
    make_item, hos
):
    now = timezone.now()
    policy = SlaPolicy.current()
    cuts = sla.cutoffs(policy, now)
    items = _aged(make_item, AGES, now)
    decided = _aged(make_item, [30], now)[0]
    decisions.reject(decided, actor=hos, category="other", reason="x")

    annotated = dict(
        QueueItem.objects.annotate(state=sla.sla_annotation(cuts)).values_list("pk", "state")
    )
    assert annotated[decided.pk] == ""
    for state in SlaState:
        expected = {i.pk for i in items if policy.state_for(i.created_at, now) == state}
        assert expected, f"no item is {state}: the ages do not cover the thresholds"
        found = set(
            QueueItem.objects.filter(sla.sla_filter(state, cuts)).values_list("pk", flat=True)
        )
        assert found == expected
        assert {pk for pk, value in annotated.items() if value == state} == expected


def test_the_age_filter_counts_decided_items_by_age(make_item, hos):
    now = timezone.now()
    cuts = sla.cutoffs(SlaPolicy.current(), now)
    decided = _aged(make_item, [30], now)[0]
    decisions.reject(decided, actor=hos, category="other", reason="x")
    breached = QueueItem.objects.filter(sla.age_filter(SlaState.BREACHED, cuts))
    assert list(breached.values_list("pk", flat=True)) == [decided.pk]
    assert not QueueItem.objects.filter(sla.sla_filter(SlaState.BREACHED, cuts)).exists()


def test_every_form_puts_each_item_in_exactly_one_state_when_the_thresholds_are_inverted(
    make_item,
):
    # A policy edited the wrong way round (at risk after the breach): breached wins everywhere.
    SlaPolicy.objects.update(at_risk_after_hours=30, breached_after_hours=10)
    policy = SlaPolicy.current()
    now = timezone.now()
    cuts = sla.cutoffs(policy, now)
    items = _aged(make_item, [1, 12, 40], now)
    states = [policy.state_for(i.created_at, now) for i in items]
    assert states == [SlaState.WITHIN_TARGET, SlaState.BREACHED, SlaState.BREACHED]
    annotated = dict(
        QueueItem.objects.annotate(state=sla.sla_annotation(cuts)).values_list("pk", "state")
    )
    assert [annotated[i.pk] for i in items] == states
    for item, state in zip(items, states, strict=True):
        matching = [
            s
            for s in SlaState
            if QueueItem.objects.filter(sla.sla_filter(s, cuts), pk=item.pk).exists()
        ]
        assert matching == [state]


def test_thresholds_come_from_the_policy():
    SlaPolicy.objects.update(at_risk_after_hours=1, breached_after_hours=2)
    now = timezone.now()
    assert SlaPolicy.current().state_for(now - timedelta(minutes=90), now) == SlaState.AT_RISK
