"""Locks: never two holders, on Redis and on the database fallback."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.utils import timezone

from caio_site.models import RuntimeLock
from caio_site.runtime import locks
from caio_site.runtime.locks import Lock, LockNotAcquired, lock


def _contend(holders_seen: list[int], errors: list[BaseException], backends: set[str]) -> None:
    holding = [0]
    guard = threading.Lock()
    start = threading.Barrier(10)

    def worker():
        try:
            start.wait()
            with lock("shared", ttl=10, blocking_timeout=30) as held:
                with guard:
                    holding[0] += 1
                    holders_seen.append(holding[0])
                    backends.add(held.backend)
                time.sleep(0.01)
                with guard:
                    holding[0] -= 1
        except BaseException as exc:  # collected and asserted on in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.redis
def test_ten_threads_on_one_redis_lock_never_hold_it_together(on_redis):
    seen, errors, backends = [], [], set()
    _contend(seen, errors, backends)
    assert errors == []
    assert len(seen) == 10
    assert max(seen) == 1
    assert backends == {"redis"}


@pytest.mark.django_db(transaction=True)
def test_ten_threads_on_one_database_lock_never_hold_it_together(without_redis):
    seen, errors, backends = [], [], set()
    _contend(seen, errors, backends)
    assert errors == []
    assert len(seen) == 10
    assert max(seen) == 1
    assert backends == {"database"}
    assert not RuntimeLock.objects.exists()


@pytest.mark.redis
def test_a_redis_lock_is_released_only_by_its_token(on_redis, settings):
    first = Lock("job", ttl=10)
    assert first.try_acquire()
    intruder = Lock("job", ttl=10)
    assert not intruder.try_acquire()
    intruder.backend = "redis"  # pretend it believes it holds the lock
    assert intruder.release() is False
    assert on_redis.get(f"{settings.CONTEXT_REDIS_PREFIX}:lock:job") == first.token.encode()
    assert first.release() is True
    assert intruder.try_acquire()
    intruder.release()


@pytest.mark.redis
def test_a_redis_lease_expires_by_itself(on_redis):
    first = Lock("short", ttl=0.1)
    assert first.try_acquire()
    time.sleep(0.15)
    second = Lock("short", ttl=10)
    assert second.try_acquire()
    assert first.release() is False
    second.release()


@pytest.mark.django_db(transaction=True)
def test_a_database_lease_is_released_only_by_its_token(without_redis):
    first = Lock("job", ttl=10)
    assert first.try_acquire()
    intruder = Lock("job", ttl=10)
    assert not intruder.try_acquire()
    intruder.backend = "database"
    assert intruder.release() is False
    assert RuntimeLock.objects.get(name="job").token == first.token
    assert first.release() is True
    assert not RuntimeLock.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_expired_database_lease_is_taken_over(without_redis):
    first = Lock("job", ttl=30)
    assert first.try_acquire()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        second = Lock("job", ttl=30)
        assert second.try_acquire()
    assert RuntimeLock.objects.get(name="job").token == second.token
    assert first.release() is False
    assert second.release() is True


@pytest.mark.django_db(transaction=True)
def test_a_held_lock_times_out_with_a_clear_error(without_redis):
    with lock("busy", ttl=30), pytest.raises(LockNotAcquired), lock("busy", blocking_timeout=0.1):
        pass


def _busy_deletes(monkeypatch, times: int) -> None:
    """The next ``times`` deletes fail as SQLite fails a concurrent writer."""
    original = QuerySet.delete
    left = [times]

    def delete(queryset):
        if left[0] > 0:
            left[0] -= 1
            raise OperationalError("database table is locked")
        return original(queryset)

    monkeypatch.setattr(QuerySet, "delete", delete)


@pytest.mark.django_db
def test_a_database_release_retries_while_the_database_is_busy(without_redis, monkeypatch):
    held = Lock("job", ttl=10)
    assert held.try_acquire()
    _busy_deletes(monkeypatch, times=3)

    assert held.release() is True
    assert not RuntimeLock.objects.exists()


@pytest.mark.django_db
def test_a_release_that_stays_busy_gives_up_quietly_and_the_lease_expires(
    without_redis, monkeypatch, caplog
):
    monkeypatch.setattr(locks, "RELEASE_RETRY_SECONDS", 0.05)
    held = Lock("job", ttl=30)
    assert held.try_acquire()
    _busy_deletes(monkeypatch, times=10**6)

    assert held.release() is False  # no exception escapes into the caller's work
    assert "lock job not released (database busy" in caplog.text
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert Lock("job", ttl=30).try_acquire()
