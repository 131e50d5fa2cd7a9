"""The rules of ``manage.py validate_runtime_env`` (DESIGN section 7).

The validator judges an *environment* (usually an env file about to be deployed), not the
settings of the process running it: the file is parsed here, never loaded into ``os.environ``,
and keys the file does not set fall back to the process environment. Each rule yields
``Check`` lines; the command only prints them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

from caio_site.runtime import dependencies as deps

MODES = ("development", "staging", "production")
OK, WARN, FAIL = "OK", "WARN", "FAIL"

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
PLACEHOLDER = re.compile(
    r"(changeme|change[-_]me|your[-_]|xxx|<[^>]*>|replace[-_]?me|todo|placeholder|example-secret)",
    re.IGNORECASE,
)
# Keys whose value is checked for placeholders when set.
SECRET_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "INNGEST_SIGNING_KEY",
    "INNGEST_EVENT_KEY",
    "EMAIL_URL",
    "WEBHOOK_SECRETS",
    "SLACK_WEBHOOK_URL",
)
# Keys that must be present (and non-empty) per mode.
REQUIRED_KEYS = {
    "development": (),
    "staging": (
        "ENVIRONMENT",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "REDIS_REQUIRED",
        "CELERY_BROKER_URL",
        "INNGEST_SIGNING_KEY",
        "INNGEST_EVENT_KEY",
        "INNGEST_REQUIRED",
        "WEBHOOK_SECRETS",
        "DEFAULT_FROM_EMAIL",
    ),
}
REQUIRED_KEYS["production"] = REQUIRED_KEYS["staging"]
BOOL_KEYS = (
    "DEBUG",
    "REDIS_REQUIRED",
    "INNGEST_REQUIRED",
    "INNGEST_DEV",
    "TRACE_ENVELOPE_ENABLED",
    "ALLOW_SIMULATED_SEND",
)
POSITIVE_INT_KEYS = ("CONTEXT_STATE_TTL_SECONDS", "TRACE_FLUSH_EVERY")
URL_SCHEMES = {
    "DATABASE_URL": {"postgres", "postgresql", "pgsql", "sqlite"},
    "REDIS_URL": {"redis", "rediss", "unix"},
    "CELERY_BROKER_URL": {"redis", "rediss", "amqp", "amqps", "pyamqp"},
    "EMAIL_URL": {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail"},
    "SLACK_WEBHOOK_URL": {"https"},
}
INTEGRATIONS = ("crm", "enrichment", "calendar", "knowledge", "email")


@dataclass(frozen=True)
class Check:
    level: str
    name: str
    reason: str

    def line(self) -> str:
        return f"{self.level} {self.name}: {self.reason}"


class EnvFileError(ValueError):
    """The env file is missing or cannot be parsed."""


def read_env_file(path: str | Path) -> dict[str, str]:
    """Parse ``KEY=VALUE`` lines (comments, blank lines, ``export``, quotes) without touching
    ``os.environ``."""
    path = Path(path)
    if not path.is_file():
        raise EnvFileError(f"env file {path} does not exist")
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise EnvFileError(f"{path}:{number}: not KEY=VALUE: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


class Environment:
    """The values being validated: the env file first, then the process environment."""

    def __init__(self, file_values: Mapping[str, str], process: Mapping[str, str] | None = None):
        self.file_values = dict(file_values)
        self.process = dict(os.environ if process is None else process)

    def get(self, key: str, default: str = "") -> str:
        if key in self.file_values:
            return self.file_values[key]
        return self.process.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.file_values or key in self.process

    def bool(self, key: str, default: bool) -> bool | None:
        """The boolean value, ``default`` when unset, ``None`` when malformed."""
        raw = self.get(key).strip().lower()
        if raw == "":
            return default
        if raw in TRUE_VALUES:
            return True
        if raw in FALSE_VALUES:
            return False
        return None


def _mapping(raw: str) -> dict[str, str] | None:
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, sep, value = part.partition(":")
        if not sep or not key.strip() or not value.strip():
            return None
        result[key.strip().lower()] = value.strip()
    return result


# --- rules ---------------------------------------------------------------------------------
def check_mode(env: Environment, mode: str) -> Iterator[Check]:
    declared = env.get("ENVIRONMENT", "development").strip().lower() or "development"
    if declared not in MODES:
        yield Check(FAIL, "ENVIRONMENT", f"{declared!r} is not one of {', '.join(MODES)}")
    elif declared != mode:
        yield Check(FAIL, "ENVIRONMENT", f"is {declared!r} but validating for {mode!r}")
    else:
        yield Check(OK, "ENVIRONMENT", declared)


def check_required_keys(env: Environment, mode: str) -> Iterator[Check]:
    missing = [key for key in REQUIRED_KEYS[mode] if not env.get(key).strip()]
    if missing:
        yield Check(FAIL, "required_keys", f"missing or empty: {', '.join(missing)}")
    elif REQUIRED_KEYS[mode]:
        yield Check(OK, "required_keys", f"all {len(REQUIRED_KEYS[mode])} present")
    else:
        yield Check(OK, "required_keys", "none required in development (embedded defaults)")


def check_placeholders(env: Environment, mode: str) -> Iterator[Check]:
    found = [key for key in SECRET_KEYS if env.get(key) and PLACEHOLDER.search(env.get(key))]
    if found:
        level = WARN if mode == "development" else FAIL
        yield Check(level, "placeholders", f"placeholder values in: {', '.join(found)}")
    else:
        yield Check(OK, "placeholders", "no placeholder values")


def check_formats(env: Environment, mode: str) -> Iterator[Check]:
    problems = []
    for key in BOOL_KEYS:
        if env.get(key).strip() and env.bool(key, False) is None:
            problems.append(f"{key} is not a boolean")
    for key in POSITIVE_INT_KEYS:
        raw = env.get(key).strip()
        if raw and (not raw.isdigit() or int(raw) <= 0):
            problems.append(f"{key} is not a positive integer")
    retention = env.get("TRACE_RETENTION_DAYS").strip()
    if retention and retention not in {"14", "30", "90"}:
        problems.append("TRACE_RETENTION_DAYS is not one of 14, 30, 90")
    for key, schemes in URL_SCHEMES.items():
        raw = env.get(key).strip()
        if not raw:
            continue
        parsed = urlparse(raw)
        if parsed.scheme not in schemes:
            problems.append(f"{key} scheme {parsed.scheme or '(none)'!r} not in {sorted(schemes)}")
        elif key != "DATABASE_URL" and parsed.scheme != "unix" and not parsed.hostname:
            # A database URL may name a local socket (postgres:///db); the others need a host.
            problems.append(f"{key} has no host")
    for key in ("LOG_FORMAT",):
        raw = env.get(key).strip().lower()
        if raw and raw not in {"json", "console"}:
            problems.append(f"{key} is not json/console")
    modes = _mapping(env.get("INTEGRATION_MODES"))
    if modes is None:
        problems.append("INTEGRATION_MODES is not name:mode,…")
    else:
        for name, value in modes.items():
            if name not in INTEGRATIONS or value not in {"simulated", "live"}:
                problems.append(f"INTEGRATION_MODES entry {name}:{value} is not valid")
    if _mapping(env.get("WEBHOOK_SECRETS")) is None:
        problems.append("WEBHOOK_SECRETS is not provider:secret,…")
    if problems:
        yield Check(FAIL, "formats", "; ".join(problems))
    else:
        yield Check(OK, "formats", "URLs, integers, booleans and mappings parse")


def check_secret_key(env: Environment, mode: str) -> Iterator[Check]:
    key = env.get("SECRET_KEY")
    if mode == "development":
        yield Check(OK, "SECRET_KEY", "development: the embedded key is allowed")
        return
    if not key:
        yield Check(FAIL, "SECRET_KEY", "not set")
    elif key == settings.INSECURE_DEV_SECRET_KEY or key.startswith("django-insecure"):
        yield Check(FAIL, "SECRET_KEY", "is the insecure development key")
    elif len(key) < 50 or len(set(key)) < 5:
        yield Check(FAIL, "SECRET_KEY", f"too weak ({len(key)} chars; need 50+ varied)")
    else:
        yield Check(OK, "SECRET_KEY", f"{len(key)} chars")


def check_debug(env: Environment, mode: str) -> Iterator[Check]:
    debug = env.bool("DEBUG", default=mode == "development")
    if mode != "development" and debug:
        yield Check(FAIL, "DEBUG", f"must be off in {mode}")
    else:
        yield Check(OK, "DEBUG", "on" if debug else "off")


def check_database(env: Environment, mode: str) -> Iterator[Check]:
    url = env.get("DATABASE_URL").strip()
    scheme = urlparse(url).scheme if url else "sqlite"
    if mode != "development" and scheme == "sqlite":
        yield Check(FAIL, "DATABASE_URL", f"SQLite is the embedded default, not for {mode}")
    else:
        yield Check(OK, "DATABASE_URL", "SQLite under var/" if not url else f"{scheme}")


def check_redis(env: Environment, mode: str) -> Iterator[Check]:
    url = env.get("REDIS_URL").strip()
    required = env.bool("REDIS_REQUIRED", default=False)
    if mode != "development":
        if not required:
            yield Check(FAIL, "REDIS_REQUIRED", f"must be true in {mode} (no silent fallbacks)")
        else:
            yield Check(OK, "REDIS_REQUIRED", "true")
    if required and not url:
        yield Check(FAIL, "REDIS_URL", "REDIS_REQUIRED=true needs REDIS_URL")
    elif not url:
        yield Check(WARN, "REDIS_URL", "not set: in-process fallbacks (embedded default)")
    else:
        yield Check(OK, "REDIS_URL", "set")


def check_broker(env: Environment, mode: str) -> Iterator[Check]:
    url = env.get("CELERY_BROKER_URL").strip()
    if not url:
        level = FAIL if mode != "development" else OK
        yield Check(level, "CELERY_BROKER_URL", "not set: tasks run eagerly in the web process")
    else:
        yield Check(OK, "CELERY_BROKER_URL", urlparse(url).scheme)


def check_inngest(env: Environment, mode: str) -> Iterator[Check]:
    dev = env.bool("INNGEST_DEV", default=mode == "development")
    required = env.bool("INNGEST_REQUIRED", default=False)
    if mode != "development":
        if not required:
            yield Check(FAIL, "INNGEST_REQUIRED", f"must be true in {mode}")
        else:
            yield Check(OK, "INNGEST_REQUIRED", "true")
        if dev:
            yield Check(FAIL, "INNGEST_DEV", f"dev mode accepts unsigned requests; off in {mode}")
    if dev:
        yield Check(OK, "inngest_keys", "dev mode: no keys needed")
        return
    problems = deps.inngest_key_problems(
        env.get("INNGEST_SIGNING_KEY").strip(), env.get("INNGEST_EVENT_KEY")
    )
    if problems:
        yield Check(FAIL, "inngest_keys", "; ".join(problems))
    else:
        yield Check(OK, "inngest_keys", "signing key and event key present and well-formed")


def check_webhook_secrets(env: Environment, mode: str) -> Iterator[Check]:
    secrets = _mapping(env.get("WEBHOOK_SECRETS")) or {}
    if secrets:
        yield Check(OK, "WEBHOOK_SECRETS", f"providers: {', '.join(sorted(secrets))}")
    elif mode == "development":
        yield Check(WARN, "WEBHOOK_SECRETS", "not set: provider webhooks are refused")
    else:
        yield Check(FAIL, "WEBHOOK_SECRETS", f"not set: required in {mode}")


def check_email(env: Environment, mode: str) -> Iterator[Check]:
    allowed = bool(env.bool("ALLOW_SIMULATED_SEND", default=False))
    email_url = env.get("EMAIL_URL").strip()
    modes = _mapping(env.get("INTEGRATION_MODES")) or {}
    email_mode = modes.get("email", "simulated")
    backend_simulated = not email_url or urlparse(email_url).scheme in {
        "consolemail",
        "filemail",
        "memorymail",
    }
    if mode == "development":
        yield Check(OK, "email", "simulated" if backend_simulated else "SMTP configured")
        return
    if backend_simulated and not allowed:
        yield Check(
            FAIL, "email", "EMAIL_URL unset or simulated; set ALLOW_SIMULATED_SEND to allow"
        )
    elif backend_simulated:
        yield Check(WARN, "email", "simulated send allowed by ALLOW_SIMULATED_SEND")
    else:
        yield Check(OK, "email", f"{urlparse(email_url).scheme} configured")
    if mode == "production":
        if email_mode != "live" and not allowed:
            yield Check(
                FAIL,
                "INTEGRATION_MODES",
                "email integration is simulated in production (set email:live or ALLOW_SIMULATED_SEND)",
            )
        elif email_mode != "live":
            yield Check(
                WARN, "INTEGRATION_MODES", "email simulated, allowed by ALLOW_SIMULATED_SEND"
            )
        else:
            yield Check(OK, "INTEGRATION_MODES", "email live")


def check_hosts(env: Environment, mode: str) -> Iterator[Check]:
    if mode != "production":
        return
    local = []
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SITE_URL"):
        host = urlparse(env.get(key).strip()).hostname
        if host and host.lower() in LOCAL_HOSTS:
            local.append(key)
    hosts = [h.strip().lower() for h in env.get("ALLOWED_HOSTS").split(",") if h.strip()]
    if any(h in LOCAL_HOSTS or h == "*" for h in hosts):
        local.append("ALLOWED_HOSTS")
    if local:
        yield Check(FAIL, "localhost", f"local or wildcard hosts in production: {', '.join(local)}")
    else:
        yield Check(OK, "localhost", "no local hosts")


RULES = (
    check_mode,
    check_required_keys,
    check_placeholders,
    check_formats,
    check_secret_key,
    check_debug,
    check_database,
    check_redis,
    check_broker,
    check_inngest,
    check_webhook_secrets,
    check_email,
    check_hosts,
)


def _connection_check(name: str, result: deps.DependencyResult) -> Check:
    latency = f" ({result.latency_ms} ms)" if result.latency_ms is not None else ""
    level = {deps.OK: OK, deps.WARN: WARN, deps.FAIL: FAIL}[result.status]
    return Check(level, name, f"{result.detail}{latency}")


def check_connections(env: Environment, mode: str) -> Iterator[Check]:
    """Really connect to what the environment names."""
    db_url = env.get("DATABASE_URL").strip() or f"sqlite:///{settings.DEFAULT_SQLITE_PATH}"
    yield _connection_check("connect.database", deps.probe_database(db_url))
    redis_url = env.get("REDIS_URL").strip()
    if redis_url:
        required = bool(env.bool("REDIS_REQUIRED", default=False))
        yield _connection_check("connect.redis", deps.probe_redis(redis_url, required=required))
    else:
        yield Check(WARN if mode == "development" else FAIL, "connect.redis", "no REDIS_URL")
    broker_url = env.get("CELERY_BROKER_URL").strip()
    if broker_url:
        yield _connection_check("connect.broker", deps.probe_broker(broker_url))
    else:
        yield Check(
            OK if mode == "development" else FAIL, "connect.broker", "no broker (eager tasks)"
        )
    if deps.inngest_route_mounted():
        yield Check(OK, "connect.inngest_route", f"{deps.INNGEST_ROUTE} resolves")
    else:
        yield Check(FAIL, "connect.inngest_route", f"{deps.INNGEST_ROUTE} is not in the URLconf")


def validate(env: Environment, mode: str, *, connections: bool = False) -> list[Check]:
    """Every rule for ``mode``; with ``connections`` also the real connection checks."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    checks = [check for rule in RULES for check in rule(env, mode)]
    if connections:
        checks.extend(check_connections(env, mode))
    return checks


def passed(checks: list[Check]) -> bool:
    return all(check.level != FAIL for check in checks)
