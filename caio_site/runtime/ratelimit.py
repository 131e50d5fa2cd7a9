"""Rate limiting: Redis first, one atomic Lua script per decision (sliding-window log).

``hit(key, limit, window_seconds)`` admits at most ``limit`` events in any window of
``window_seconds``. On Redis the whole decision — drop entries older than the window, count,
admit and record — is one ``EVALSHA`` of ``_SLIDING_WINDOW`` using Redis' own clock, so
concurrent clients on any number of machines never see a torn read. Keys are
``<RATE_LIMIT_REDIS_NAMESPACE>:<key>``.

Fallback (DESIGN section 1, only while ``REDIS_REQUIRED`` is false): the same sliding-window log
kept in process memory behind a lock. It is exact within one process; with several processes
each enforces the limit on its own, so the effective limit is ``limit × processes`` until Redis
returns. The switch is logged once per transition by ``caio_site.runtime.redis`` and shown by
``fallback_status()``; the next call after Redis answers again goes back to Redis.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass

import redis
from django.conf import settings

from caio_site.runtime.redis import RedisUnavailable, mark_down, mark_up, redis_or_none

COMPONENT = "ratelimit"

# KEYS[1] = window key; ARGV = limit, window in ms, member id.
# Returns {allowed (0/1), remaining, retry_after_ms}.
_SLIDING_WINDOW = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local retry = window
if oldest[2] then retry = tonumber(oldest[2]) + window - now end
return {0, 0, retry}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until a slot frees (0 when allowed)
    backend: str  # "redis" or "fallback"


_sequence = itertools.count()
_member_prefix: tuple[int, str] = (0, "")
_local_lock = threading.Lock()
_local_windows: dict[str, deque] = {}


def _script(client: redis.Redis):
    # Registered once per client object; redis-py falls back from EVALSHA to EVAL (and caches
    # the script again) after a server restart flushed the script cache.
    script = getattr(client, "_caio_ratelimit_script", None)
    if script is None:
        script = client.register_script(_SLIDING_WINDOW)
        client._caio_ratelimit_script = script
    return script


def _member() -> str:
    """A unique sorted-set member per decision: process token + counter (cheaper than a
    UUID per call; the token is renewed in a forked child so siblings never collide)."""
    global _member_prefix
    pid = os.getpid()
    if _member_prefix[0] != pid:
        _member_prefix = (pid, uuid.uuid4().hex[:16])
    return f"{_member_prefix[1]}:{next(_sequence)}"


def redis_key(key: str) -> str:
    return f"{settings.RATE_LIMIT_REDIS_NAMESPACE}:{key}"


def hit(key: str, limit: int, window_seconds: float) -> Decision:
    """Record one event under ``key`` if fewer than ``limit`` happened in the last window.

    Raises ``RedisUnavailable`` when Redis is required and down (fail closed).
    """
    if limit <= 0:
        return Decision(False, 0, float(window_seconds), "config")
    client = redis_or_none(COMPONENT)
    if client is not None:
        try:
            allowed, remaining, retry_ms = _script(client)(
                keys=[redis_key(key)],
                args=[int(limit), int(window_seconds * 1000), _member()],
            )
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            mark_down(COMPONENT, exc)
            if settings.REDIS_REQUIRED:
                raise RedisUnavailable(f"rate limiter needs Redis: {exc}") from exc
        else:
            mark_up()
            return Decision(bool(allowed), int(remaining), max(0, int(retry_ms)) / 1000, "redis")
    return _local_hit(key, limit, window_seconds)


def _local_hit(key: str, limit: int, window_seconds: float) -> Decision:
    now = time.monotonic()
    with _local_lock:
        window = _local_windows.setdefault(key, deque())
        while window and window[0] <= now - window_seconds:
            window.popleft()
        if len(window) < limit:
            window.append(now)
            return Decision(True, limit - len(window), 0.0, "fallback")
        return Decision(False, 0, max(0.0, window[0] + window_seconds - now), "fallback")


def reset_local() -> None:
    """Forget the in-process fallback windows (tests)."""
    with _local_lock:
        _local_windows.clear()
