"""Concurrent deciders on PostgreSQL: the conditional UPDATE lets exactly one win."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from approvals import decisions
from approvals.choices import DECISION_EVENT_TYPES, QueueStatus
from approvals.models import QueueEvent, QueueItem
from caio_site.celery import app as celery_app

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_deciding_one_item_leave_exactly_one_decision(make_item, hos):
    item = make_item()
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(n: int) -> None:
        # A thread starts without a current Celery app; bind the project's (as a worker does).
        celery_app.set_current()
        try:
            mine = QueueItem.objects.select_related("lead").get(pk=item.pk)
            barrier.wait()
            try:
                if n % 2:
                    decisions.approve(mine, actor=hos, expected_version=1)
                else:
                    decisions.reject(
                        mine, actor=hos, category="other", reason="Race", expected_version=1
                    )
                result = "won"
            except decisions.DecisionConflict:
                result = "conflict"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["won"]
    decided = QueueEvent.objects.filter(item_id=item.pk, event_type__in=DECISION_EVENT_TYPES)
    assert decided.count() == 1
    final = QueueItem.objects.get(pk=item.pk)
    assert final.status in {QueueStatus.SENT, QueueStatus.REJECTED}
    assert final.status != QueueStatus.PENDING
