"""Dependency health: database, Redis, Celery broker, Inngest, simulation boundary, trace file.

One module answers "is everything this process needs there?" for three callers: the public
readiness probe (only names of failed *required* dependencies leave the process), the
authenticated ``/api/v1/runtime/dependencies/`` detail, and ``validate_runtime_env``. The probes
that take URLs (``probe_database``, ``probe_redis``, ``probe_broker``) are also used by the
validator against the values of an env file rather than the running process's settings.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import environ
from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import Resolver404, resolve

from caio_site.runtime import env_grammar
from caio_site.runtime import redis as shared_redis

OK, WARN, FAIL = "ok", "warn", "fail"
# A probe must answer well inside a load balancer's readiness timeout.
CONNECT_TIMEOUT_SECONDS = 2.0
INNGEST_ROUTE = "/inngest"
SIGNING_KEY_SHAPE = re.compile(r"^signkey-(prod|test|branch)-[0-9a-f]+$")


@dataclass(frozen=True)
class DependencyResult:
    """The answer of one check. ``detail`` is for operators only (may name hosts)."""

    name: str
    status: str
    required: bool
    detail: str
    latency_ms: float | None = None
    data: dict = field(default_factory=dict)

    @property
    def failing(self) -> bool:
        """A failure that makes the process not ready."""
        return self.required and self.status == FAIL

    def as_dict(self) -> dict:
        return asdict(self)


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


# --- database --------------------------------------------------------------------------------
def check_database(alias: str = "default") -> DependencyResult:
    """SELECT 1 on the configured database connection."""
    engine = settings.DATABASES[alias]["ENGINE"].rsplit(".", 1)[-1]
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return DependencyResult(
            "database", FAIL, True, f"{engine}: {_describe(exc)}", _elapsed_ms(started)
        )
    return DependencyResult(
        "database", OK, True, f"{engine}: SELECT 1 answered", _elapsed_ms(started)
    )


def probe_database(url: str) -> DependencyResult:
    """Open a fresh connection to ``url`` (an env file's DATABASE_URL) and run SELECT 1."""
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for a bad URL
        return DependencyResult("database", FAIL, True, f"unparsable URL: {_describe(exc)}")
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    started = time.perf_counter()
    try:
        if engine == "sqlite3":
            name = config["NAME"]
            if name != ":memory:" and not Path(name).is_file():
                raise FileNotFoundError(f"{name} does not exist (run manage.py migrate)")
            # Read-only: probing must never create or change the file.
            uri = "file::memory:" if name == ":memory:" else f"{Path(name).as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=CONNECT_TIMEOUT_SECONDS)
            try:
                conn.execute("SELECT 1").fetchone()
            finally:
                conn.close()
        elif engine == "postgresql":
            import psycopg

            with psycopg.connect(
                dbname=config.get("NAME") or None,
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
                connect_timeout=max(1, int(CONNECT_TIMEOUT_SECONDS)),
            ) as conn:
                conn.execute("SELECT 1").fetchone()
        else:
            return DependencyResult("database", WARN, True, f"{engine}: no probe for this engine")
    except Exception as exc:  # any driver error means "cannot use this database"
        return DependencyResult(
            "database", FAIL, True, f"{engine}: {_describe(exc)}", _elapsed_ms(started)
        )
    return DependencyResult(
        "database", OK, True, f"{engine}: SELECT 1 answered", _elapsed_ms(started)
    )


# --- redis -----------------------------------------------------------------------------------
def probe_redis(url: str, *, required: bool) -> DependencyResult:
    """PING ``url`` with a short timeout (a fresh client, not the shared pool)."""
    import redis

    started = time.perf_counter()
    client = redis.Redis.from_url(
        url,
        socket_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        status = FAIL if required else WARN
        return DependencyResult("redis", status, required, _describe(exc), _elapsed_ms(started))
    finally:
        client.close()
    return DependencyResult("redis", OK, required, "PING answered", _elapsed_ms(started))


def check_redis() -> DependencyResult:
    """PING the shared client and update the fallback bookkeeping with the answer."""
    import redis

    required = settings.REDIS_REQUIRED
    if not settings.REDIS_URL:
        return DependencyResult(
            "redis",
            WARN,
            required,
            "REDIS_URL not set: in-process fallbacks in use (embedded default)",
            data={"fallback": shared_redis.fallback_status()},
        )
    started = time.perf_counter()
    try:
        shared_redis.get_client().ping()
    except redis.RedisError as exc:
        shared_redis.mark_down("health", exc)
        latency = _elapsed_ms(started)
        if required:
            detail = f"unreachable and REDIS_REQUIRED=true: {_describe(exc)}"
        else:
            detail = f"unreachable, fallbacks active: {_describe(exc)}"
        return DependencyResult(
            "redis",
            FAIL if required else WARN,
            required,
            detail,
            latency,
            data={"fallback": shared_redis.fallback_status()},
        )
    latency = _elapsed_ms(started)
    shared_redis.mark_up()
    return DependencyResult(
        "redis",
        OK,
        required,
        "PING answered",
        latency,
        data={"fallback": shared_redis.fallback_status()},
    )


# --- celery broker ---------------------------------------------------------------------------
def probe_broker(url: str) -> DependencyResult:
    """Connect to the broker at ``url`` once, without the usual retry loop."""
    from kombu import Connection

    started = time.perf_counter()
    try:
        with Connection(url, connect_timeout=CONNECT_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=CONNECT_TIMEOUT_SECONDS
            )
            transport = conn.transport_cls
    except Exception as exc:  # kombu wraps transport errors in several types
        return DependencyResult("broker", FAIL, True, _describe(exc), _elapsed_ms(started))
    return DependencyResult(
        "broker", OK, True, f"{transport}: connection opened", _elapsed_ms(started)
    )


def check_broker() -> DependencyResult:
    if not settings.CELERY_BROKER_URL:
        return DependencyResult(
            "broker", OK, False, "no CELERY_BROKER_URL: tasks run eagerly in process"
        )
    return probe_broker(settings.CELERY_BROKER_URL)


# --- inngest ---------------------------------------------------------------------------------
def inngest_route_mounted() -> bool:
    try:
        resolve(INNGEST_ROUTE)
    except Resolver404:
        return False
    return True


def inngest_key_problems(signing_key: str, event_key: str) -> list[str]:
    """What is wrong with the cloud-mode keys (empty list: nothing)."""
    problems = []
    if not signing_key:
        problems.append("INNGEST_SIGNING_KEY missing")
    elif not SIGNING_KEY_SHAPE.match(signing_key):
        problems.append("INNGEST_SIGNING_KEY is not signkey-(prod|test|branch)-<hex>")
    if not event_key.strip():
        problems.append("INNGEST_EVENT_KEY missing")
    return problems


def check_inngest() -> DependencyResult:
    required = settings.INNGEST_REQUIRED
    mode = "dev" if settings.INNGEST_DEV else "cloud"
    mounted = inngest_route_mounted()
    data = {
        "mode": mode,
        "app_id": settings.INNGEST_APP_ID,
        "route": INNGEST_ROUTE,
        "route_mounted": mounted,
        "signing_key_present": bool(settings.INNGEST_SIGNING_KEY),
        "event_key_present": bool(settings.INNGEST_EVENT_KEY),
    }
    if not mounted:
        return DependencyResult(
            "inngest", FAIL, required, f"{INNGEST_ROUTE} not mounted", data=data
        )
    if mode == "dev":
        return DependencyResult(
            "inngest", OK, required, "dev mode: no keys needed, crons run by hand", data=data
        )
    problems = inngest_key_problems(settings.INNGEST_SIGNING_KEY, settings.INNGEST_EVENT_KEY)
    if problems:
        return DependencyResult("inngest", FAIL, required, "; ".join(problems), data=data)
    return DependencyResult("inngest", OK, required, "cloud mode: keys present", data=data)


# --- simulation boundary, trace file ---------------------------------------------------------
@dataclass(frozen=True)
class SendBoundary:
    """Whether approved email really reaches people, and whether that is acceptable here."""

    environment: str
    backend_simulated: bool  # EMAIL_URL unset, or a backend that delivers nothing
    integration_simulated: bool  # INTEGRATION_MODES does not say email:live
    allowed: bool  # ALLOW_SIMULATED_SEND

    @property
    def simulated(self) -> bool:
        return self.backend_simulated or self.integration_simulated

    @property
    def refused(self) -> bool:
        """Production sends for real unless ALLOW_SIMULATED_SEND says a dry run is meant;
        staging and development may simulate (nothing reaches a prospect)."""
        return self.environment == "production" and self.simulated and not self.allowed

    def reasons(self) -> list[str]:
        why = []
        if self.backend_simulated:
            why.append("EMAIL_URL is unset or names a backend that delivers nothing")
        if self.integration_simulated:
            why.append("the email integration is simulated (INTEGRATION_MODES)")
        return why


def send_boundary(
    *, environment: str, email_url: str, email_mode: str, allow_simulated_send: bool
) -> SendBoundary:
    """The one rule for "simulated email send in production". Its callers give it their own
    severity: the system check an error, dependency health a warning, validate_runtime_env a
    FAIL (a WARN when allowed), ``simulation_boundary`` a printed warning."""
    return SendBoundary(
        environment=environment,
        backend_simulated=env_grammar.email_simulated(email_url),
        integration_simulated=email_mode != "live",
        allowed=allow_simulated_send,
    )


def settings_send_boundary() -> SendBoundary:
    """The send boundary of the running process."""
    return send_boundary(
        environment=settings.ENVIRONMENT,
        email_url=settings.EMAIL_URL,
        email_mode=settings.INTEGRATION_MODES.get("email", "simulated"),
        allow_simulated_send=settings.ALLOW_SIMULATED_SEND,
    )


def check_simulation() -> DependencyResult:
    simulated = sorted(k for k, v in settings.INTEGRATION_MODES.items() if v == "simulated")
    boundary = settings_send_boundary()
    data = {
        "integration_modes": dict(settings.INTEGRATION_MODES),
        "email_backend_simulated": boundary.backend_simulated,
        "email_send_simulated": boundary.simulated,
        "allow_simulated_send": boundary.allowed,
    }
    if boundary.refused:
        return DependencyResult(
            "simulation",
            WARN,
            False,
            "email is simulated in production (ALLOW_SIMULATED_SEND off): "
            + "; ".join(boundary.reasons()),
            data=data,
        )
    detail = f"simulated: {', '.join(simulated)}" if simulated else "all integrations live"
    return DependencyResult("simulation", OK, False, detail, data=data)


def check_trace_file() -> DependencyResult:
    path = settings.TRACE_ENVELOPE_FILE
    if not path:
        return DependencyResult(
            "trace_file", OK, False, "TRACE_ENVELOPE_FILE not set: envelopes go to the database"
        )
    try:
        mtime = Path(path).stat().st_mtime
    except FileNotFoundError:
        return DependencyResult(
            "trace_file", WARN, False, "not written yet", data={"last_write": None}
        )
    except OSError as exc:
        return DependencyResult("trace_file", WARN, False, _describe(exc))
    last_write = datetime.fromtimestamp(mtime, tz=UTC)
    age = round(time.time() - mtime, 1)
    return DependencyResult(
        "trace_file",
        OK,
        False,
        f"last write {last_write.isoformat()} ({age}s ago)",
        data={"last_write": last_write.isoformat(), "age_seconds": age},
    )


def check_all(check_connections: bool = True) -> list[DependencyResult]:
    """Every dependency of the running process. Without ``check_connections`` the database,
    Redis and broker are reported from configuration only (no network)."""
    if check_connections:
        network = [check_database(), check_redis(), check_broker()]
    else:
        network = [
            DependencyResult(
                "database", OK, True, settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            ),
            DependencyResult(
                "redis",
                OK if settings.REDIS_URL else WARN,
                settings.REDIS_REQUIRED,
                "configured" if settings.REDIS_URL else "REDIS_URL not set",
                data={"fallback": shared_redis.fallback_status()},
            ),
            DependencyResult(
                "broker",
                OK,
                bool(settings.CELERY_BROKER_URL),
                "configured" if settings.CELERY_BROKER_URL else "eager",
            ),
        ]
    # No logging here: probes run every few seconds, and the Redis bookkeeping already logs
    # each up/down transition once.
    return [*network, check_inngest(), check_simulation(), check_trace_file()]


def failing(results: list[DependencyResult]) -> list[str]:
    """Names of the required dependencies that failed (what the public probe may say)."""
    return [result.name for result in results if result.failing]


def degraded(results: list[DependencyResult]) -> list[str]:
    """Names of the dependencies whose work runs on a fallback right now (DESIGN section 1:
    a fallback must be visible in readiness). Names only: the public probe leaks no detail."""
    return [
        result.name
        for result in results
        if (result.data.get("fallback") or {}).get("fallback_active")
    ]
