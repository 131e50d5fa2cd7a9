"""The rules of validate_runtime_env (caio_site.runtime.env_validation), one PASS and one FAIL
environment per rule. The process environment is replaced by ``process={}`` so only the
environment under test counts."""

from __future__ import annotations

import pytest

from caio_site.runtime import env_validation as ev

SECRET = "k3y-" + "Zq8xW2pL9sT4vB7nM1cR5yH6" * 3
SIGNING_KEY = "signkey-prod-" + "9f8e7d6c5b4a3210" * 4

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": SECRET,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "caio.example.com",
    "SITE_URL": "https://caio.example.com",
    "DATABASE_URL": "postgres://caio:s3cret@db.internal:5432/caio",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "REDIS_REQUIRED": "true",
    "CELERY_BROKER_URL": "amqp://caio:s3cret@mq.internal:5672//",
    "INNGEST_DEV": "false",
    "INNGEST_REQUIRED": "true",
    "INNGEST_SIGNING_KEY": SIGNING_KEY,
    "INNGEST_EVENT_KEY": "evtkey-Hh3kQ9",
    "WEBHOOK_SECRETS": "sendgrid:whsec-81hd7s6a",
    "EMAIL_URL": "smtp+tls://caio:s3cret@smtp.internal:587",
    "DEFAULT_FROM_EMAIL": "CAIO Sales <sales@caio.example.com>",
    "INTEGRATION_MODES": "email:live,crm:live",
    "TRACE_FLUSH_EVERY": "200",
    "TRACE_RETENTION_DAYS": "30",
    "LOG_FORMAT": "json",
}
STAGING = {**PRODUCTION, "ENVIRONMENT": "staging", "INTEGRATION_MODES": "email:simulated"}


def _validate(values: dict, mode: str) -> list[ev.Check]:
    return ev.validate(ev.Environment(values, process={}), mode)


def _failures(checks) -> dict[str, str]:
    return {c.name: c.reason for c in checks if c.level == ev.FAIL}


def test_a_complete_production_environment_passes():
    checks = _validate(PRODUCTION, "production")
    assert _failures(checks) == {}
    assert ev.passed(checks)
    assert all(c.level == ev.OK for c in checks), [c.line() for c in checks if c.level != ev.OK]


def test_a_complete_staging_environment_passes():
    assert _failures(_validate(STAGING, "staging")) == {}


def test_an_empty_environment_passes_in_development():
    checks = _validate({}, "development")
    assert ev.passed(checks)
    # The embedded fallbacks are named, not hidden.
    assert ("REDIS_URL", ev.WARN) in {(c.name, c.level) for c in checks}


def test_an_empty_environment_fails_in_production():
    failures = _failures(_validate({}, "production"))
    assert "required_keys" in failures
    assert "DATABASE_URL" in failures["required_keys"]


@pytest.mark.parametrize(
    ("change", "check", "reason"),
    [
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT", "validating for 'production'"),
        ({"ENVIRONMENT": "prod"}, "ENVIRONMENT", "is not one of"),
        ({"REDIS_URL": ""}, "required_keys", "REDIS_URL"),
        ({"SECRET_KEY": "changeme"}, "placeholders", "SECRET_KEY"),
        ({"INNGEST_EVENT_KEY": "your_event_key"}, "placeholders", "INNGEST_EVENT_KEY"),
        ({"WEBHOOK_SECRETS": "sendgrid:xxx"}, "placeholders", "WEBHOOK_SECRETS"),
        ({"REDIS_REQUIRED": "maybe"}, "formats", "REDIS_REQUIRED is not a boolean"),
        ({"DATABASE_URL": "mysql://db.internal/caio"}, "formats", "DATABASE_URL scheme 'mysql'"),
        ({"REDIS_URL": "http://cache.internal"}, "formats", "REDIS_URL scheme 'http'"),
        ({"CELERY_BROKER_URL": "amqp://"}, "formats", "CELERY_BROKER_URL has no host"),
        ({"TRACE_FLUSH_EVERY": "-5"}, "formats", "not a positive integer"),
        ({"DB_CONN_MAX_AGE": "soon"}, "formats", "DB_CONN_MAX_AGE is not a positive integer"),
        ({"LOG_LEVEL": "loud"}, "formats", "LOG_LEVEL"),
        ({"SLACK_WEBHOOK_URL": "http://hooks.slack.com/x"}, "formats", "SLACK_WEBHOOK_URL"),
        ({"SECRET_KEY": "$" + SECRET}, "references", "SECRET_KEY"),
        ({"TRACE_RETENTION_DAYS": "45"}, "formats", "TRACE_RETENTION_DAYS"),
        ({"INTEGRATION_MODES": "email:on"}, "formats", "INTEGRATION_MODES entry email:on"),
        ({"WEBHOOK_SECRETS": "sendgrid"}, "formats", "WEBHOOK_SECRETS is not"),
        ({"LOG_FORMAT": "xml"}, "formats", "LOG_FORMAT"),
        ({"SECRET_KEY": "django-insecure-" + "a1" * 30}, "SECRET_KEY", "insecure development key"),
        ({"SECRET_KEY": "Short-But-Real-9"}, "SECRET_KEY", "too weak"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY", "too weak"),
        ({"DEBUG": "true"}, "DEBUG", "must be off in production"),
        ({"DATABASE_URL": "sqlite:////srv/caio.sqlite3"}, "DATABASE_URL", "SQLite"),
        ({"REDIS_REQUIRED": "false"}, "REDIS_REQUIRED", "must be true"),
        ({"CELERY_BROKER_URL": ""}, "CELERY_BROKER_URL", "eagerly"),
        ({"INNGEST_REQUIRED": "false"}, "INNGEST_REQUIRED", "must be true"),
        ({"INNGEST_DEV": "true"}, "INNGEST_DEV", "unsigned"),
        ({"INNGEST_SIGNING_KEY": "signkey-prod-XYZ"}, "inngest_keys", "signkey-(prod|test|branch)"),
        ({"INNGEST_SIGNING_KEY": "sk_live_123abc"}, "inngest_keys", "signkey-(prod|test|branch)"),
        ({"INNGEST_EVENT_KEY": "  "}, "inngest_keys", "INNGEST_EVENT_KEY missing"),
        ({"WEBHOOK_SECRETS": ""}, "WEBHOOK_SECRETS", "required in production"),
        ({"EMAIL_URL": ""}, "email", "ALLOW_SIMULATED_SEND"),
        ({"EMAIL_URL": "consolemail://"}, "email", "simulated"),
        ({"INTEGRATION_MODES": "crm:live"}, "INTEGRATION_MODES", "email simulated in production"),
        ({"REDIS_URL": "redis://localhost:6379/0"}, "localhost", "REDIS_URL"),
        ({"DATABASE_URL": "postgres://u:p@127.0.0.1/caio"}, "localhost", "DATABASE_URL"),
        ({"ALLOWED_HOSTS": "*"}, "localhost", "ALLOWED_HOSTS"),
        ({"SITE_URL": "http://localhost:8000"}, "localhost", "SITE_URL"),
    ],
)
def test_each_rule_fails_a_production_environment_that_breaks_it(change, check, reason):
    failures = _failures(_validate({**PRODUCTION, **change}, "production"))
    assert check in failures, failures
    assert reason in failures[check]


def test_simulated_send_passes_with_a_warning_when_explicitly_allowed():
    values = {**PRODUCTION, "EMAIL_URL": "", "INTEGRATION_MODES": "", "ALLOW_SIMULATED_SEND": "1"}
    checks = _validate(values, "production")
    assert ev.passed(checks)
    warnings = {c.name for c in checks if c.level == ev.WARN}
    assert warnings == {"email", "INTEGRATION_MODES"}


def test_local_hosts_are_fine_in_staging():
    values = {**STAGING, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert _failures(_validate(values, "staging")) == {}


def test_a_simulated_email_integration_is_fine_in_staging():
    assert "INTEGRATION_MODES" not in _failures(_validate(STAGING, "staging"))


def test_placeholders_only_warn_in_development():
    checks = _validate({"SECRET_KEY": "changeme"}, "development")
    assert ev.passed(checks)
    assert ("placeholders", ev.WARN) in {(c.name, c.level) for c in checks}


def test_keys_missing_from_the_file_fall_back_to_the_process_environment():
    values = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    env = ev.Environment(values, process={"DEBUG": "true"})
    assert "DEBUG" in _failures(ev.validate(env, "production"))
    env = ev.Environment(values, process={})
    assert "DEBUG" not in _failures(ev.validate(env, "production"))


def test_the_file_wins_over_the_process_environment():
    env = ev.Environment({"DEBUG": "false"}, process={"DEBUG": "true"})
    assert env.get("DEBUG") == "false"


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be one of"):
        _validate({}, "qa")
