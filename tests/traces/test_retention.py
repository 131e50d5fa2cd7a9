"""traces.retention: prune deletes exactly what is due and keeps what is held."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.traces.factories import TraceEnvelopeFactory
from traces.models import TraceEnvelope, TraceHold
from traces.retention import hold, prune, release

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


def at(days_before_now: float, **kwargs):
    return TraceEnvelopeFactory(timestamp=NOW - datetime.timedelta(days=days_before_now), **kwargs)


@time_machine.travel(NOW, tick=False)
def test_it_deletes_exactly_the_envelopes_older_than_the_window():
    old = [at(31), at(45), at(30.0001)]
    kept = [at(29.999), at(1), at(0)]
    result = prune(days=30)
    assert result.deleted == result.due == 3
    assert set(TraceEnvelope.objects.values_list("id", flat=True)) == {e.id for e in kept}
    assert not TraceEnvelope.objects.filter(id__in=[e.id for e in old]).exists()


@time_machine.travel(NOW, tick=False)
def test_an_envelope_exactly_at_the_cutoff_is_kept():
    boundary = at(30)
    assert prune(days=30).deleted == 0
    assert TraceEnvelope.objects.filter(id=boundary.id).exists()


@time_machine.travel(NOW, tick=False)
def test_held_correlation_ids_and_held_envelopes_survive():
    golden_case = UserFactory(username="holder-a")
    escalation = UserFactory(username="holder-b")
    held_trace = [at(60, correlation_id="golden-trace"), at(61, correlation_id="golden-trace")]
    held_single = at(90, correlation_id="escalated")
    sibling = at(90, correlation_id="escalated")
    free = at(90)
    hold(correlation_id="golden-trace", holder=golden_case, reason="golden case 7")
    hold(envelope_ids=[held_single.id], holder=escalation, reason="open escalation")

    result = prune(days=30)

    assert result.deleted == 2
    assert result.held == 3
    remaining = set(TraceEnvelope.objects.values_list("id", flat=True))
    assert remaining == {held_trace[0].id, held_trace[1].id, held_single.id}
    assert sibling.id not in remaining
    assert free.id not in remaining


@time_machine.travel(NOW, tick=False)
def test_released_envelopes_are_pruned_on_the_next_run():
    holder = UserFactory(username="holder")
    envelope = at(40, correlation_id="was-held")
    hold(correlation_id="was-held", holder=holder)
    assert prune(days=30).deleted == 0
    assert release(holder) == 1
    assert prune(days=30).deleted == 1
    assert not TraceEnvelope.objects.filter(id=envelope.id).exists()


def test_holding_the_same_thing_twice_keeps_one_hold():
    holder = UserFactory(username="holder")
    envelope = TraceEnvelopeFactory()
    hold(correlation_id="c-1", envelope_ids=[envelope.id], holder=holder)
    hold(correlation_id="c-1", envelope_ids=[envelope.id], holder=holder)
    assert TraceHold.objects.count() == 2
    assert {h.holder for h in TraceHold.objects.all()} == {holder}


def test_an_unsaved_holder_is_refused():
    with pytest.raises(ValueError, match="saved"):
        hold(correlation_id="c-1", holder=UserFactory.build())


@time_machine.travel(NOW, tick=False)
def test_a_dry_run_counts_and_deletes_nothing():
    at(40)
    at(50)
    at(5)
    result = prune(days=30, dry_run=True)
    assert (result.due, result.deleted) == (2, 0)
    assert TraceEnvelope.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_deletion_runs_in_bounded_batches_until_done():
    for n in range(7):
        at(40 + n)
    with CaptureQueriesContext(connection) as queries:
        result = prune(days=30, batch_size=2)
    deletes = [q["sql"] for q in queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 4  # 2 + 2 + 2 + 1
    assert result.deleted == 7
    assert TraceEnvelope.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_default_window_is_trace_retention_days(settings):
    settings.TRACE_RETENTION_DAYS = 14
    at(15)
    at(13)
    assert prune().deleted == 1


def test_nonsense_arguments_are_refused():
    with pytest.raises(ValueError, match="days"):
        prune(days=0)
    with pytest.raises(ValueError, match="batch_size"):
        prune(days=3, batch_size=0)


@time_machine.travel(NOW, tick=False)
def test_holds_whose_holder_was_deleted_no_longer_keep_anything():
    gone = UserFactory(username="deleted-holder")
    staying = UserFactory(username="staying-holder")
    orphaned = at(40, correlation_id="orphaned")
    kept = at(40, correlation_id="kept")
    hold(correlation_id="orphaned", holder=gone)
    hold(correlation_id="kept", holder=staying)
    gone.delete()

    dry = prune(days=30, dry_run=True)
    assert (dry.orphaned_holds, dry.due) == (1, 1)  # what a real run would do
    assert TraceHold.objects.count() == 2

    result = prune(days=30)
    assert result.orphaned_holds == 1
    assert result.deleted == 1
    assert not TraceEnvelope.objects.filter(id=orphaned.id).exists()
    assert TraceEnvelope.objects.filter(id=kept.id).exists()
