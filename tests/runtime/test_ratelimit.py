"""The rate limiter admits at most ``limit`` events per window, on Redis and on the fallback."""

from __future__ import annotations

import threading
import time

import pytest

from caio_site.runtime import ratelimit


def _hammer(key: str, limit: int, clients: int, attempts: int) -> list[bool]:
    results: list[bool] = []
    guard = threading.Lock()
    start = threading.Barrier(clients)

    def client():
        start.wait()
        local = [ratelimit.hit(key, limit, 30).allowed for _ in range(attempts)]
        with guard:
            results.extend(local)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.redis
def test_it_admits_the_limit_then_refuses_with_a_retry_after(on_redis, settings):
    decisions = [ratelimit.hit("tool:crm", 3, 60) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    assert 0 < decisions[3].retry_after <= 60
    assert {d.backend for d in decisions} == {"redis"}
    assert on_redis.exists(f"{settings.RATE_LIMIT_REDIS_NAMESPACE}:tool:crm")


@pytest.mark.redis
def test_eight_concurrent_clients_never_exceed_the_limit_on_redis(on_redis):
    results = _hammer("burst", limit=25, clients=8, attempts=10)
    assert len(results) == 80
    assert sum(results) == 25


@pytest.mark.redis
def test_the_window_slides_on_redis(on_redis):
    assert ratelimit.hit("slide", 1, 0.2).allowed
    assert not ratelimit.hit("slide", 1, 0.2).allowed
    time.sleep(0.25)
    assert ratelimit.hit("slide", 1, 0.2).allowed


def test_eight_concurrent_clients_never_exceed_the_limit_on_the_fallback(without_redis):
    results = _hammer("burst", limit=25, clients=8, attempts=10)
    assert sum(results) == 25
    assert ratelimit.hit("burst", 25, 30).backend == "fallback"


def test_the_window_slides_on_the_fallback(without_redis):
    assert ratelimit.hit("slide", 1, 0.2).allowed
    refused = ratelimit.hit("slide", 1, 0.2)
    assert not refused.allowed
    assert 0 < refused.retry_after <= 0.2
    time.sleep(0.25)
    assert ratelimit.hit("slide", 1, 0.2).allowed


def test_keys_are_limited_independently(without_redis):
    assert ratelimit.hit("a", 1, 30).allowed
    assert ratelimit.hit("b", 1, 30).allowed
    assert not ratelimit.hit("a", 1, 30).allowed
