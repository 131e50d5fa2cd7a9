"""The rules of ``manage.py validate_runtime_env`` (DESIGN section 7).

The validator judges an *environment* (usually an env file about to be deployed), not the
settings of the process running it: the file is parsed here, never loaded into ``os.environ``,
and keys the file does not set fall back to the process environment. Files and values are read
with the app's own grammar (``caio_site.runtime.env_grammar``: django-environ's reader, ``$``
references, the casts settings.py uses), so a value the app would refuse or misread fails
here. Each rule yields ``Check`` lines; the command only prints them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

import environ
from django.conf import settings

from caio_site.runtime import dependencies as deps
from caio_site.runtime import env_grammar as grammar

MODES = grammar.ENVIRONMENTS
OK, WARN, FAIL = "OK", "WARN", "FAIL"

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


@dataclass(frozen=True)
class Check:
    level: str
    name: str
    reason: str

    def line(self) -> str:
        return f"{self.level} {self.name}: {self.reason}"


class Environment:
    """The values being validated: the env file first, then the process environment.

    Every read goes through ``environ.Env`` over those values, so ``$`` references resolve
    (and dangle) exactly as they would in the app.
    """

    def __init__(self, file_values: Mapping[str, str], process: Mapping[str, str] | None = None):
        self.file_values = dict(file_values)
        self.process = dict(os.environ if process is None else process)
        self.env = environ.Env()
        self.env.ENVIRON = {**self.process, **self.file_values}

    def get(self, key: str, default: str = "") -> str:
        """The value as the app reads it."""
        return grammar.text(self.env, key, default)

    def bool(self, key: str, default: bool) -> bool | None:
        """The boolean value, ``default`` when unset, ``None`` when malformed."""
        try:
            return grammar.boolean(self.env, key, default)
        except grammar.InvalidValue:
            return None

    def problem(self, cast, *args) -> str | None:
        """What ``cast`` (an ``env_grammar`` reader) refuses about its key, or None."""
        try:
            cast(self.env, *args)
        except grammar.InvalidValue as exc:
            return str(exc)
        return None


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


def check_references(env: Environment, mode: str) -> Iterator[Check]:
    """A value starting with ``$`` names another variable (django-environ's interpolation):
    when that one is not set the app reads the key's default, not what the file says."""
    keys = sorted({*env.file_values, *SECRET_KEYS, *REQUIRED_KEYS[mode]})
    dangling = grammar.dangling_references(env.env, keys)
    if dangling:
        yield Check(
            FAIL,
            "references",
            f"{', '.join(dangling)} start(s) with '$', which the app reads as the name of "
            "another variable, and that variable is not set (the app would use the default)",
        )
    else:
        yield Check(OK, "references", "every $-reference resolves")


def check_formats(env: Environment, mode: str) -> Iterator[Check]:
    """Every value the app casts, cast the app's way (the first choice stands in for a
    mode-dependent default: only a set value can be malformed)."""
    problems = [
        *(env.problem(grammar.boolean, key, False) for key in grammar.BOOL_KEYS),
        *(env.problem(grammar.positive_int, key, 1) for key in grammar.POSITIVE_INT_KEYS),
        *(env.problem(grammar.positive_number, key, 1.0) for key in grammar.POSITIVE_NUMBER_KEYS),
        env.problem(grammar.int_choice, "TRACE_RETENTION_DAYS", 30, grammar.TRACE_RETENTION_DAYS),
        env.problem(grammar.choice, "LOG_FORMAT", "json", grammar.LOG_FORMATS),
        env.problem(grammar.choice, "LOG_LEVEL", "info", grammar.LOG_LEVELS),
        env.problem(grammar.integration_modes),
        env.problem(grammar.mapping, "WEBHOOK_SECRETS"),
        env.problem(grammar.database, "sqlite:///:memory:"),
        env.problem(grammar.email),
    ]
    for key in grammar.URL_SCHEMES:
        problem = env.problem(grammar.url, key)
        raw = env.get(key).strip()
        if problem is None and raw and key != "DATABASE_URL":
            parsed = urlparse(raw)
            # A database URL may name a local socket (postgres:///db); the others need a host.
            if parsed.scheme != "unix" and not parsed.hostname:
                problem = f"{key} has no host"
        problems.append(problem)
    # database()/email() repeat their URL's scheme problem: say it once.
    problems = [p for p in dict.fromkeys(problems) if p]
    if problems:
        yield Check(FAIL, "formats", "; ".join(problems))
    else:
        yield Check(
            OK, "formats", "URLs, integers, booleans and mappings parse as the app reads them"
        )


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


def _mapping_or_empty(env: Environment, cast, *args) -> dict:
    # A malformed mapping is the "formats" check's failure; the rules below read it as unset.
    try:
        return cast(env.env, *args)
    except grammar.InvalidValue:
        return {}


def check_webhook_secrets(env: Environment, mode: str) -> Iterator[Check]:
    secrets = _mapping_or_empty(env, grammar.mapping, "WEBHOOK_SECRETS")
    if secrets:
        yield Check(OK, "WEBHOOK_SECRETS", f"providers: {', '.join(sorted(secrets))}")
    elif mode == "development":
        yield Check(WARN, "WEBHOOK_SECRETS", "not set: provider webhooks are refused")
    else:
        yield Check(FAIL, "WEBHOOK_SECRETS", f"not set: required in {mode}")


def check_email(env: Environment, mode: str) -> Iterator[Check]:
    """The send boundary rule (``dependencies.send_boundary``): FAIL when production would
    simulate the send without ALLOW_SIMULATED_SEND, WARN when it is allowed to."""
    email_url = env.get("EMAIL_URL").strip()
    modes = _mapping_or_empty(env, grammar.integration_modes) or {"email": "simulated"}
    boundary = deps.send_boundary(
        environment=mode,
        email_url=email_url,
        email_mode=modes["email"],
        allow_simulated_send=bool(env.bool("ALLOW_SIMULATED_SEND", default=False)),
    )
    backend = "simulated" if boundary.backend_simulated else f"{urlparse(email_url).scheme}"
    integration = "email simulated" if boundary.integration_simulated else "email live"
    if mode != "production":
        yield Check(OK, "email", f"{backend} (a simulated send is fine in {mode})")
        return
    for name, simulated, detail, fix in (
        ("email", boundary.backend_simulated, backend, "set EMAIL_URL to SMTP"),
        ("INTEGRATION_MODES", boundary.integration_simulated, integration, "set email:live"),
    ):
        if not simulated:
            yield Check(OK, name, detail)
        elif boundary.refused:
            yield Check(
                FAIL,
                name,
                f"{detail} in production: approved email would reach nobody "
                f"({fix}, or ALLOW_SIMULATED_SEND=true for a dry run)",
            )
        else:
            yield Check(WARN, name, f"{detail}, allowed by ALLOW_SIMULATED_SEND")


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
    check_references,
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
