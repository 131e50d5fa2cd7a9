"""Fixtures for the runtime primitives: settings pointing at a Redis, and a Redis we can kill."""

from __future__ import annotations

import shutil

import pytest

from caio_site.runtime import ratelimit
from caio_site.runtime.redis import reset_state
from tests.runtime.redis_process import RedisProcess


@pytest.fixture
def redis_process():
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    server = RedisProcess()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_runtime_state():
    """Each test starts with Redis considered healthy and empty in-process fallbacks."""
    reset_state()
    ratelimit.reset_local()
    yield
    reset_state()
    ratelimit.reset_local()


@pytest.fixture
def on_redis(settings, redis_client, redis_url):
    settings.REDIS_URL = redis_url
    settings.REDIS_REQUIRED = False
    reset_state()
    return redis_client


@pytest.fixture
def without_redis(settings):
    """The embedded default: no REDIS_URL, every primitive on its fallback."""
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    reset_state()
