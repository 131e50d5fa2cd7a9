"""Shared fixtures: the fixed cast of users and the service markers.

Service markers: ``@pytest.mark.postgres`` and ``@pytest.mark.redis`` tests need the real
service. Locally without it they skip with a reason; under ``CI=true`` they fail instead, so CI
can never go green by skipping them.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_REDIS_URL = settings.REDIS_URL or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM_PATH = shutil.which("chromium") or "/usr/bin/chromium"


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (the suite runs on SQLite)"
    if item.get_closest_marker("redis") and not _redis_reachable():
        return f"needs Redis at {TEST_REDIS_URL}"
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM_PATH):
        return "needs Debian's chromium: apt-get install chromium"
    return None


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    redis_state = "reachable" if _redis_reachable() else "NOT reachable (redis tests skip)"
    lines = [
        f"caio: database={engine}"
        + ("" if engine == "postgresql" else " (postgres tests skip; set DATABASE_URL)"),
        f"caio: redis {TEST_REDIS_URL} {redis_state}",
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
def _isolated_rate_windows(settings):
    """Each test counts in its own rate-limit windows, so on a shared Redis one test's gateway
    calls can never exhaust the limit another test runs under."""
    from caio_site.runtime import ratelimit

    settings.RATE_LIMIT_REDIS_NAMESPACE = f"test-{uuid.uuid4().hex[:12]}"
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
