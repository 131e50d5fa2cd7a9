"""caio_site.runtime.dependencies: each check against real services or a closed port."""

import os
import sqlite3
import time

import pytest

from caio_site.runtime import dependencies as deps
from caio_site.runtime import redis as shared_redis


def _by_name(results):
    return {r.name: r for r in results}


def test_the_database_check_runs_a_query_and_times_it(db):
    result = deps.check_database()
    assert result.status == deps.OK
    assert result.required is True
    assert result.latency_ms is not None
    assert result.latency_ms >= 0


def test_without_redis_url_redis_is_a_warning_not_a_failure(settings):
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    result = deps.check_redis()
    assert result.status == deps.WARN
    assert result.failing is False
    assert result.data["fallback"]["fallback_active"] is True


def test_an_unreachable_required_redis_fails_and_is_recorded_as_down(settings, redis_down):
    settings.REDIS_REQUIRED = True
    result = deps.check_redis()
    assert result.status == deps.FAIL
    assert result.failing is True
    assert "refused" in result.detail.lower()
    assert shared_redis.fallback_status()["healthy"] is False


def test_an_unreachable_optional_redis_warns_with_the_fallback_active(settings, redis_down):
    settings.REDIS_REQUIRED = False
    result = deps.check_redis()
    assert result.status == deps.WARN
    assert result.failing is False
    assert result.data["fallback"]["fallback_active"] is True


@pytest.mark.redis
def test_a_reachable_redis_answers_ping_with_latency(settings, redis_url):
    settings.REDIS_URL = redis_url
    result = deps.check_redis()
    assert result.status == deps.OK
    assert result.latency_ms is not None
    assert result.data["fallback"]["healthy"] is True


@pytest.mark.redis
def test_a_successful_ping_clears_a_recorded_outage(settings, redis_url):
    settings.REDIS_URL = redis_url
    shared_redis.mark_down("test", ConnectionError("boom"))
    assert deps.check_redis().status == deps.OK
    assert shared_redis.fallback_status()["healthy"] is True


def test_without_a_broker_tasks_are_eager_and_nothing_is_required(settings):
    settings.CELERY_BROKER_URL = ""
    result = deps.check_broker()
    assert result.status == deps.OK
    assert result.required is False
    assert "eager" in result.detail


def test_a_broker_on_a_closed_port_fails(settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    result = deps.check_broker()
    assert result.status == deps.FAIL
    assert result.required is True
    assert "refused" in result.detail.lower()


@pytest.mark.redis
def test_a_redis_broker_that_answers_is_ok(settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    result = deps.check_broker()
    assert result.status == deps.OK
    assert result.latency_ms is not None


def test_inngest_in_dev_mode_needs_no_keys_and_the_route_is_mounted(settings):
    settings.INNGEST_DEV = True
    result = deps.check_inngest()
    assert result.status == deps.OK
    assert result.data["mode"] == "dev"
    assert result.data["route_mounted"] is True


def test_inngest_in_cloud_mode_without_keys_fails(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_REQUIRED = True
    settings.INNGEST_SIGNING_KEY = ""
    settings.INNGEST_EVENT_KEY = ""
    result = deps.check_inngest()
    assert result.status == deps.FAIL
    assert result.failing is True
    assert "INNGEST_SIGNING_KEY missing" in result.detail
    assert "INNGEST_EVENT_KEY missing" in result.detail


def test_inngest_in_cloud_mode_rejects_a_malformed_signing_key(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_SIGNING_KEY = "signkey-prod-not_hex!"
    settings.INNGEST_EVENT_KEY = "evt"
    result = deps.check_inngest()
    assert result.status == deps.FAIL
    assert "signkey-(prod|test|branch)-<hex>" in result.detail


def test_inngest_in_cloud_mode_with_well_formed_keys_is_ok(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_SIGNING_KEY = "signkey-test-" + "ab12" * 16
    settings.INNGEST_EVENT_KEY = "event-key-value"
    assert deps.check_inngest().status == deps.OK


def test_inngest_route_missing_from_the_urlconf_fails(settings):
    settings.ROOT_URLCONF = "tests.caio_site.urls_without_inngest"
    result = deps.check_inngest()
    assert result.status == deps.FAIL
    assert "/inngest not mounted" in result.detail


def test_the_simulation_boundary_lists_simulated_integrations(settings):
    settings.INTEGRATION_MODES = {
        "crm": "live",
        "enrichment": "simulated",
        "calendar": "simulated",
        "knowledge": "live",
        "email": "simulated",
    }
    result = deps.check_simulation()
    assert result.status == deps.OK
    assert result.detail == "simulated: calendar, email, enrichment"


def test_simulated_email_in_production_warns(settings):
    settings.ENVIRONMENT = "production"
    settings.EMAIL_URL = ""
    settings.ALLOW_SIMULATED_SEND = False
    result = deps.check_simulation()
    assert result.status == deps.WARN
    assert "EMAIL_URL is unset" in result.detail
    settings.ALLOW_SIMULATED_SEND = True
    assert deps.check_simulation().status == deps.OK


def test_the_trace_file_reports_its_last_write_time(settings, tmp_path):
    path = tmp_path / "traces.jsonl"
    settings.TRACE_ENVELOPE_FILE = str(path)
    assert deps.check_trace_file().detail == "not written yet"
    path.write_text("{}\n")
    written = time.time() - 120
    os.utime(path, (written, written))
    result = deps.check_trace_file()
    assert result.status == deps.OK
    assert 119 <= result.data["age_seconds"] <= 130


def test_check_all_without_connections_touches_no_network(settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"
    results = _by_name(deps.check_all(check_connections=False))
    assert results["redis"].status == deps.OK
    assert results["broker"].status == deps.OK
    assert shared_redis.fallback_status()["healthy"] is True


def test_failing_names_only_required_failures(db, settings, redis_down, closed_port):
    settings.REDIS_REQUIRED = False
    settings.CELERY_BROKER_URL = f"amqp://127.0.0.1:{closed_port}//"
    results = deps.check_all()
    assert deps.failing(results) == ["broker"]


@pytest.mark.postgres
def test_probe_database_connects_to_a_postgres_url(settings):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    result = deps.probe_database(url)
    assert result.status == deps.OK, result.detail


def test_probe_database_fails_on_a_closed_port(closed_port):
    result = deps.probe_database(f"postgres://postgres@127.0.0.1:{closed_port}/nothing")
    assert result.status == deps.FAIL
    assert "refused" in result.detail.lower() or "connect" in result.detail.lower()


def test_probe_database_reads_an_existing_sqlite_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    result = deps.probe_database(f"sqlite:///{path}")
    assert result.status == deps.OK


def test_probe_database_does_not_create_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "missing.sqlite3"
    result = deps.probe_database(f"sqlite:///{path}")
    assert result.status == deps.FAIL
    assert "does not exist (run manage.py migrate)" in result.detail
    assert not path.exists()
