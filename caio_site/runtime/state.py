"""Session/context state store: Redis first, JSON values under ``CONTEXT_REDIS_PREFIX``.

Values live for ``CONTEXT_STATE_TTL_SECONDS`` unless a ``ttl`` is given. Redis holds only state
that can be rebuilt (DESIGN section 10), so the fallback — allowed only while ``REDIS_REQUIRED``
is false — is an in-process dictionary with the same expiry, behind a lock. It is per process:
another worker does not see it, and it is not copied back to Redis when Redis returns (the next
write goes to Redis and the fallback copy simply expires).
"""

from __future__ import annotations

import json
import threading
import time

import redis
from django.conf import settings

from caio_site.runtime.redis import RedisUnavailable, mark_down, mark_up, redis_or_none

COMPONENT = "state"
_MISSING = object()
_local_lock = threading.Lock()
_local: dict[str, tuple[float, str]] = {}


def redis_key(key: str) -> str:
    return f"{settings.CONTEXT_REDIS_PREFIX}:{key}"


def _redis_call(fn):
    client = redis_or_none(COMPONENT)
    if client is None:
        return _MISSING
    try:
        result = fn(client)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        mark_down(COMPONENT, exc)
        if settings.REDIS_REQUIRED:
            raise RedisUnavailable(f"state store needs Redis: {exc}") from exc
        return _MISSING
    mark_up()
    return result


def set_value(key: str, value, ttl: int | None = None) -> None:
    """Store ``value`` (JSON-serialisable) under ``key`` for ``ttl`` seconds."""
    ttl = int(ttl or settings.CONTEXT_STATE_TTL_SECONDS)
    payload = json.dumps(value, default=str)
    if _redis_call(lambda c: c.set(redis_key(key), payload, ex=ttl)) is _MISSING:
        with _local_lock:
            _local[key] = (time.monotonic() + ttl, payload)


def get_value(key: str, default=None):
    """The stored value, or ``default`` when absent or expired."""
    raw = _redis_call(lambda c: c.get(redis_key(key)))
    if raw is _MISSING:
        with _local_lock:
            entry = _local.get(key)
            if entry is None:
                return default
            if entry[0] <= time.monotonic():
                _local.pop(key, None)
                return default
            raw = entry[1]
    if raw is None:
        return default
    return json.loads(raw)


def delete_value(key: str) -> None:
    _redis_call(lambda c: c.delete(redis_key(key)))
    with _local_lock:
        _local.pop(key, None)


def reset_local() -> None:
    """Forget the in-process fallback (tests)."""
    with _local_lock:
        _local.clear()
