"""Distributed locks: Redis first (SET NX PX with a token, compare-and-delete release).

``lock(name, ttl=30, blocking_timeout=10)`` is a context manager that yields once this process
holds ``name`` and raises ``LockNotAcquired`` when it could not within ``blocking_timeout``.
The token makes release safe: a holder whose lease expired and was taken over cannot delete the
new holder's lock, because the release script deletes only when the stored token is its own.

Fallback (DESIGN section 1, only while ``REDIS_REQUIRED`` is false): a lease row in the
database (``caio_site.models.RuntimeLock``, primary key = lock name). Acquiring inserts the row —
the primary key makes a second insert fail, on SQLite and PostgreSQL alike — or takes over a row
whose lease expired with a conditional UPDATE (``expires_at <= now``) checked by row count.
Release deletes the row only with the holder's token, retrying while SQLite reports the database
busy (it does so at once to a concurrent writer, without waiting, in shared-cache mode), and
leaves the row to expire if it stays busy. That is real mutual exclusion across threads,
processes and machines sharing the database. Take fallback locks outside a transaction
(autocommit), so other connections see the lease at once.

A lock is released on the backend it was acquired on, even if Redis came back or went away in
between; Redis leases expire by themselves (PX), database leases by ``expires_at``.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from datetime import timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone

from caio_site.models import RuntimeLock
from caio_site.runtime.redis import (
    RedisUnavailable,
    get_client,
    mark_down,
    mark_up,
    redis_or_none,
)

logger = logging.getLogger(__name__)
COMPONENT = "locks"
# How long a database release keeps retrying a busy database before leaving the lease to expire.
RELEASE_RETRY_SECONDS = 5.0

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class LockNotAcquired(RuntimeError):
    """Another holder kept the lock for the whole blocking timeout."""

    error_code = "LOCK_NOT_ACQUIRED"


def redis_key(name: str) -> str:
    return f"{settings.CONTEXT_REDIS_PREFIX}:lock:{name}"


class Lock:
    """One named lease; use ``lock()`` unless you need acquire/release in separate places."""

    def __init__(self, name: str, *, ttl: float = 30.0):
        self.name = name
        self.ttl = ttl
        self.token = uuid.uuid4().hex
        self.backend: str | None = None

    def try_acquire(self) -> bool:
        """One attempt, no waiting. Raises ``RedisUnavailable`` when Redis is required and down."""
        client = redis_or_none(COMPONENT)
        if client is not None:
            try:
                acquired = client.set(
                    redis_key(self.name), self.token, nx=True, px=int(self.ttl * 1000)
                )
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                mark_down(COMPONENT, exc)
                if settings.REDIS_REQUIRED:
                    raise RedisUnavailable(f"locks need Redis: {exc}") from exc
            else:
                mark_up()
                if acquired:
                    self.backend = "redis"
                return bool(acquired)
        if self._db_try_acquire():
            self.backend = "database"
            return True
        return False

    def acquire(self, blocking_timeout: float = 10.0, poll: float = 0.02) -> bool:
        deadline = time.monotonic() + blocking_timeout
        while True:
            if self.try_acquire():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)

    def release(self) -> bool:
        """Give the lock back if we still hold it; returns whether our lease was removed."""
        backend, self.backend = self.backend, None
        if backend == "redis":
            try:
                client = redis_or_none(COMPONENT) or _client_for_release()
                released = client.register_script(_RELEASE)(
                    keys=[redis_key(self.name)], args=[self.token]
                )
            except (redis.ConnectionError, redis.TimeoutError, RedisUnavailable) as exc:
                # The lease expires by itself after ttl; nobody else can be holding our token.
                logger.warning("lock %s not released (Redis down), expires in ttl", self.name)
                if isinstance(exc, redis.RedisError):
                    mark_down(COMPONENT, exc)
                return False
            mark_up()
            return bool(released)
        if backend == "database":
            return self._db_release()
        return False

    def _db_release(self, poll: float = 0.02) -> bool:
        deadline = time.monotonic() + RELEASE_RETRY_SECONDS
        while True:
            try:
                # A savepoint of its own: a failed attempt leaves a caller's transaction usable.
                with transaction.atomic():
                    mine = RuntimeLock.objects.filter(name=self.name, token=self.token)
                    return bool(mine.delete()[0])
            except OperationalError as exc:
                if time.monotonic() >= deadline:
                    # Nobody else holds our token: the row only blocks others until expires_at.
                    logger.warning("lock %s not released (database busy: %s)", self.name, exc)
                    return False
            time.sleep(poll)

    def _db_try_acquire(self) -> bool:
        now = timezone.now()
        expires = now + timedelta(seconds=self.ttl)
        try:
            with transaction.atomic():
                RuntimeLock.objects.create(
                    name=self.name, token=self.token, acquired_at=now, expires_at=expires
                )
            return True
        except IntegrityError:
            pass
        except DatabaseError as exc:
            # SQLite answers a concurrent writer with "database is locked": a failed attempt.
            logger.debug("lock %s: database busy (%s)", self.name, exc)
            return False
        try:
            taken = RuntimeLock.objects.filter(name=self.name, expires_at__lte=now).update(
                token=self.token, acquired_at=now, expires_at=expires
            )
        except DatabaseError:
            return False
        return bool(taken)


def _client_for_release():
    return get_client()


@contextlib.contextmanager
def lock(name: str, *, ttl: float = 30.0, blocking_timeout: float = 10.0):
    """Hold ``name`` for the block; ``LockNotAcquired`` if it stays taken for ``blocking_timeout``."""
    held = Lock(name, ttl=ttl)
    if not held.acquire(blocking_timeout=blocking_timeout):
        raise LockNotAcquired(f"lock {name!r} is held elsewhere")
    try:
        yield held
    finally:
        held.release()
