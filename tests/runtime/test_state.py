"""The context state store keeps JSON values with a TTL, on Redis and on the fallback."""

from __future__ import annotations

import pytest

from caio_site.runtime import state


@pytest.mark.redis
def test_values_round_trip_on_redis_under_the_prefix_with_the_default_ttl(on_redis, settings):
    state.set_value("session:42", {"step": "draft", "ids": [1, 2]})
    assert state.get_value("session:42") == {"step": "draft", "ids": [1, 2]}
    key = f"{settings.CONTEXT_REDIS_PREFIX}:session:42"
    assert 0 < on_redis.ttl(key) <= settings.CONTEXT_STATE_TTL_SECONDS
    state.delete_value("session:42")
    assert state.get_value("session:42", "gone") == "gone"


@pytest.mark.redis
def test_an_explicit_ttl_is_applied_on_redis(on_redis, settings):
    state.set_value("short", 1, ttl=5)
    assert 0 < on_redis.ttl(f"{settings.CONTEXT_REDIS_PREFIX}:short") <= 5


def test_values_round_trip_on_the_fallback(without_redis):
    state.set_value("session:42", {"step": "draft"})
    assert state.get_value("session:42") == {"step": "draft"}
    state.delete_value("session:42")
    assert state.get_value("session:42") is None


def test_expired_fallback_values_are_gone(without_redis, monkeypatch):
    state.set_value("short", "x", ttl=1)
    real = state.time.monotonic
    monkeypatch.setattr(state.time, "monotonic", lambda: real() + 2)
    assert state.get_value("short") is None
