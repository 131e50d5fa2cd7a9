"""Overlapping escalation checks on PostgreSQL: the (rule, day) constraint leaves one row."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from evaluation.choices import EscalationRule, Severity
from evaluation.escalations import Finding, raise_escalation
from evaluation.models import Escalation

THREADS = 8
DAYS = 30  # rounds: each is a fresh (rule, day) every thread races to raise
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_raise_one_escalation_per_rule_and_day():
    # The rounds make the race likely (both SELECTs before either INSERT): a plain
    # get-then-create fails this test with IntegrityError; get_or_create recovers from it.
    finding = Finding(EscalationRule.QUEUE_AGING, Severity.MAJOR, "3 drafts past the SLA", {})
    barrier = threading.Barrier(THREADS)
    created: list[bool] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def check() -> None:
        try:
            for day in range(DAYS):
                barrier.wait()
                _, was_created = raise_escalation(finding, now=START + timedelta(days=day))
                with lock:
                    created.append(was_created)
        except BaseException as exc:  # reported by the assertion below
            with lock:
                errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert created.count(True) == DAYS
    assert len(created) == DAYS * THREADS
    assert Escalation.objects.count() == DAYS
