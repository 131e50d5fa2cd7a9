"""The shared Redis client and the fallback rule of DESIGN section 1.

Components that prefer Redis (rate limiter, locks) ask ``redis_or_none()`` for a
client. It answers ``None`` when Redis is not configured or is down *and* ``REDIS_REQUIRED`` is
false, so the caller uses its fallback; with ``REDIS_REQUIRED=true`` an outage raises
``RedisUnavailable`` (fail closed). Availability changes are logged once per transition, exposed
by ``fallback_status()`` for readiness and ``validate_runtime_env``, and Redis is retried after a
short back-off so the process returns to it by itself.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

# How long a failed Redis is left alone before the next call tries it again.
RETRY_AFTER_SECONDS = 2.0


class RedisUnavailable(RuntimeError):
    """Redis is required (REDIS_REQUIRED=true) and does not answer."""

    error_code = "REDIS_UNAVAILABLE"


@dataclass
class _State:
    healthy: bool = True
    down_since: float | None = None
    next_try: float = 0.0
    last_error: str = ""
    components: set[str] = field(default_factory=set)


_lock = threading.Lock()
_state = _State()
_clients: dict[str, redis.Redis] = {}


def get_client(url: str | None = None) -> redis.Redis:
    """A pooled client for ``url`` (default ``settings.REDIS_URL``) with short timeouts."""
    url = url or settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(
            url,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
            socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
            health_check_interval=30,
        )
        _clients[url] = client
    return client


def mark_down(component: str, exc: BaseException) -> None:
    """Record a failed call; logs only on the healthy → down transition."""
    with _lock:
        _state.components.add(component)
        _state.last_error = f"{type(exc).__name__}: {exc}"
        _state.next_try = time.monotonic() + RETRY_AFTER_SECONDS
        if _state.healthy:
            _state.healthy = False
            _state.down_since = time.time()
            logger.warning(
                "redis unavailable, %s",
                "failing closed (REDIS_REQUIRED=true)"
                if settings.REDIS_REQUIRED
                else "using fallbacks",
                extra={"component": component, "error": _state.last_error},
            )


def mark_up() -> None:
    """Record a successful call; logs only on the down → healthy transition."""
    if _state.healthy:
        return
    with _lock:
        if not _state.healthy:
            _state.healthy = True
            _state.down_since = None
            logger.warning("redis available again, fallbacks released")


def redis_or_none(component: str) -> redis.Redis | None:
    """The client to use now, ``None`` for "use your fallback", or ``RedisUnavailable``."""
    if not settings.REDIS_URL:
        return None
    if not _state.healthy and time.monotonic() < _state.next_try:
        if settings.REDIS_REQUIRED:
            raise RedisUnavailable(f"Redis is required and unavailable: {_state.last_error}")
        return None
    return get_client()


def fallback_status() -> dict:
    """What readiness and validate_runtime_env report about Redis fallbacks."""
    configured = bool(settings.REDIS_URL)
    return {
        "configured": configured,
        "required": settings.REDIS_REQUIRED,
        "healthy": configured and _state.healthy,
        "fallback_active": (not configured) or (not _state.healthy and not settings.REDIS_REQUIRED),
        "down_since": _state.down_since,
        "last_error": _state.last_error or None,
        "components": sorted(_state.components),
    }


def reset_state() -> None:
    """Forget the recorded availability and cached clients (tests, settings changes)."""
    with _lock:
        _state.healthy = True
        _state.down_since = None
        _state.next_try = 0.0
        _state.last_error = ""
        _state.components.clear()
        for client in _clients.values():
            client.close()
        _clients.clear()
