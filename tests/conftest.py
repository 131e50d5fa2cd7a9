"""Shared fixtures: the fixed cast of users, the service markers and the runtime fixtures.

Service markers: ``@pytest.mark.postgres``, ``@pytest.mark.redis``, ``@pytest.mark.redis_server``
and ``@pytest.mark.browser`` tests need the real service. Locally without it they skip with a
reason; under ``CI=true`` they fail instead, so CI can never go green by skipping them.

Redis tests use (and flush) only the Redis database the run names: ``REDIS_URL`` (the app uses
it too) or ``TEST_REDIS_URL`` (tests only). With neither, they count as "no Redis": the suite
never guesses a database on a developer's Redis.

Every fixture shared by more than one test directory lives here; a conftest never imports from
another conftest (pytest may load them in any order, or not at all when one file runs alone).
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
import redis
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from rest_framework.test import APIClient

from approvals import defaults
from caio_site.runtime import ratelimit
from caio_site.runtime.redis import reset_state
from tests.factories import UserFactory
from tests.runtime.redis_process import RedisProcess

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_REDIS_URL = settings.REDIS_URL or os.environ.get("TEST_REDIS_URL", "")
CHROMIUM_PATH = shutil.which("chromium") or "/usr/bin/chromium"


def _redis_reachable() -> bool:
    if not TEST_REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _redis_missing() -> str:
    if not TEST_REDIS_URL:
        return (
            "needs Redis: set REDIS_URL (or TEST_REDIS_URL) to a Redis database the tests may "
            "flush, e.g. redis://127.0.0.1:6379/15"
        )
    return f"needs Redis at {TEST_REDIS_URL}"


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (the suite runs on SQLite)"
    if item.get_closest_marker("redis") and not _redis_reachable():
        return _redis_missing()
    if item.get_closest_marker("redis_server") and shutil.which("redis-server") is None:
        return "needs the redis-server binary: apt-get install redis-server"
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM_PATH):
        return "needs Debian's chromium: apt-get install chromium"
    return None


def pytest_configure(config):
    post_migrate.connect(_restore_data_migrations, dispatch_uid="tests.restore_data_migrations")


def _restore_data_migrations(sender, apps=global_apps, **kwargs):
    """Put back the default policy data whenever post_migrate fires after the test
    database was built: a transactional test ends with a flush, which empties every table and
    then sends post_migrate (without ``apps``: the real registry). The next test then starts
    from a migrated database again (the groups' permissions come back by themselves:
    caio_site.roles syncs them on post_migrate)."""
    if sender.label != "approvals":  # post_migrate is sent once per app; do this once
        return
    defaults.install(apps)


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if not TEST_REDIS_URL:
        redis_line = (
            "caio: redis not configured (redis tests skip; set REDIS_URL or TEST_REDIS_URL)"
        )
    else:
        redis_state = "reachable" if _redis_reachable() else "NOT reachable (redis tests skip)"
        redis_line = f"caio: redis {TEST_REDIS_URL} {redis_state}"
    server = shutil.which("redis-server")
    lines = [
        f"caio: database={engine}"
        + ("" if engine == "postgresql" else " (postgres tests skip; set DATABASE_URL)"),
        redis_line,
        f"caio: redis-server {server or 'NOT installed (redis outage tests skip)'}",
    ]
    if IN_CI:
        lines.append("caio: CI=true: a missing service FAILS its tests instead of skipping")
    return lines


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true and a required service is missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_runtime_state(settings):
    """Each test starts with Redis considered healthy, no cached clients, empty in-process
    fallbacks, and its own rate-limit windows (so on a shared Redis one test's gateway calls can
    never exhaust the limit another test runs under)."""
    settings.RATE_LIMIT_REDIS_NAMESPACE = f"test-{uuid.uuid4().hex[:12]}"
    reset_state()
    ratelimit.reset_local()
    yield
    reset_state()
    ratelimit.reset_local()


@pytest.fixture
def redis_url() -> str:
    return TEST_REDIS_URL


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def redis_process():
    """A redis-server of the test's own that it may stop and start (marked ``redis_server``)."""
    server = RedisProcess()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(settings, redis_client, redis_url):
    settings.REDIS_URL = redis_url
    settings.REDIS_REQUIRED = False
    reset_state()
    return redis_client


@pytest.fixture
def without_redis(settings):
    """The embedded default: no REDIS_URL, every primitive on its fallback."""
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    reset_state()


def _user_in(group_name: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    group, _ = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    return user


@pytest.fixture
def hos(db):
    """The Head of Sales: decides drafts."""
    return _user_in("head_of_sales", "hos")


@pytest.fixture
def operator(db):
    """The GTM operator: sees everything, runs jobs, never decides."""
    return _user_in("operator", "operator")


@pytest.fixture
def viewer(db):
    return _user_in("viewer", "viewer")


@pytest.fixture
def api_client_user(db):
    return _user_in("api_client", "integration-bot")


@pytest.fixture
def outsider(db):
    """A logged-in user with no group: may see nothing."""
    return UserFactory(username="outsider", is_staff=False)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """``api_as(user)`` returns an API client authenticated as that user."""

    def _as(user):
        api.force_authenticate(user=user)
        return api

    return _as
