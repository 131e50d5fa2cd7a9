"""Fault tests against a redis-server process the test starts, kills and restarts.

REDIS_REQUIRED=false: rate limits and locks keep working on their fallbacks while Redis
is down, the switch is logged once per transition, and the process returns to Redis by itself.
REDIS_REQUIRED=true: the same outage fails closed with a clear error and readiness is 503.
"""

from __future__ import annotations

import logging
import time

import pytest

from caio_site.runtime import ratelimit
from caio_site.runtime import redis as shared_redis
from caio_site.runtime.locks import lock
from caio_site.runtime.redis import RedisUnavailable, fallback_status, reset_state

pytestmark = [pytest.mark.slow, pytest.mark.redis_server]


def _wait_for_retry_window() -> None:
    time.sleep(shared_redis.RETRY_AFTER_SECONDS + 0.1)


def _transition_logs(caplog, text: str) -> int:
    return sum(1 for r in caplog.records if r.name == shared_redis.__name__ and text in r.message)


@pytest.mark.django_db(transaction=True)
def test_optional_redis_outage_uses_fallbacks_then_returns_to_redis(
    redis_process, settings, caplog
):
    settings.REDIS_URL = redis_process.url
    settings.REDIS_REQUIRED = False
    reset_state()
    caplog.set_level(logging.WARNING, logger=shared_redis.__name__)

    assert ratelimit.hit("tool:crm", 100, 60).backend == "redis"
    with lock("scan") as held:
        assert held.backend == "redis"

    redis_process.stop()
    decisions = [ratelimit.hit("tool:crm", 100, 60) for _ in range(5)]
    assert all(d.allowed for d in decisions)
    assert {d.backend for d in decisions} == {"fallback"}
    with lock("scan") as held:
        assert held.backend == "database"
    status = fallback_status()
    assert status["fallback_active"] is True
    assert status["healthy"] is False
    assert "ratelimit" in status["components"]
    assert _transition_logs(caplog, "redis unavailable") == 1

    redis_process.start()
    _wait_for_retry_window()
    assert ratelimit.hit("tool:crm", 100, 60).backend == "redis"
    with lock("scan") as held:
        assert held.backend == "redis"
    status = fallback_status()
    assert status["healthy"] is True
    assert status["fallback_active"] is False
    assert _transition_logs(caplog, "redis available again") == 1


@pytest.mark.django_db
def test_required_redis_outage_fails_closed_and_readiness_is_503(redis_process, settings, api):
    settings.REDIS_URL = redis_process.url
    settings.REDIS_REQUIRED = True
    reset_state()
    assert ratelimit.hit("tool:crm", 100, 60).backend == "redis"

    redis_process.stop()
    with pytest.raises(RedisUnavailable, match="Redis"):
        ratelimit.hit("tool:crm", 100, 60)
    # Still inside the retry back-off: refused at once, never a silent local fallback.
    with pytest.raises(RedisUnavailable):
        ratelimit.hit("tool:crm", 100, 60)
    with pytest.raises(RedisUnavailable), lock("scan"):
        pass
    assert fallback_status()["fallback_active"] is False

    response = api.get("/api/health/ready/")
    assert response.status_code == 503
    assert "redis" in response.json()["failing"]

    redis_process.start()
    _wait_for_retry_window()
    assert ratelimit.hit("tool:crm", 100, 60).backend == "redis"
    assert "redis" not in api.get("/api/health/ready/").json()["failing"]
