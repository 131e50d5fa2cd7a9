"""Fixtures of the evaluation tests: the committed golden files, a fresh gateway, our set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluation.paths import OUR_SET, V1_SEED


@pytest.fixture
def v1_seed_path() -> Path:
    return V1_SEED


@pytest.fixture
def our_set_path() -> Path:
    return OUR_SET


@pytest.fixture
def fresh_gateway():
    """Each replay in a test starts with closed breakers and empty rate windows.

    The gateway's windows live in Redis (shared across processes) or in process; several full
    replays in one test session would otherwise run into the enrichment limit.
    """
    import redis
    from django.conf import settings

    from agents import gateway
    from caio_site.runtime import ratelimit

    def reset():
        gateway.reset_breakers()
        ratelimit.reset_local()
        if settings.REDIS_URL:
            try:
                client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
                client.delete(
                    *(ratelimit.redis_key(f"gateway:{name}") for name in gateway.POLICIES)
                )
            except redis.RedisError:
                pass  # Redis down: the gateway uses the in-process windows reset above

    reset()
    yield reset
    reset()


@pytest.fixture
def our_golden_set(db):
    """Our committed golden set, stored."""
    from evaluation.golden_io import import_golden_set

    golden_set, _ = import_golden_set(OUR_SET)
    return golden_set
