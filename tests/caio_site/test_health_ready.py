"""GET /api/health/ready/: public, 200 or 503, names failing dependencies and nothing else."""

import pytest

READY = "/api/health/ready/"


def test_ready_answers_200_on_the_embedded_default(client, db, settings):
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    response = client.get(READY)
    assert response.status_code == 200
    # Without Redis the in-process fallbacks do its work, and readiness says so (by name only).
    assert response.json() == {"status": "ready", "failing": [], "degraded": ["redis"]}
    assert response["Cache-Control"] == "no-store"


def test_ready_is_503_naming_redis_when_required_redis_is_down(client, db, settings, redis_down):
    settings.REDIS_REQUIRED = True
    response = client.get(READY)
    assert response.status_code == 503
    # Required Redis fails closed: no fallback is in use, so nothing is "degraded".
    assert response.json() == {"status": "not_ready", "failing": ["redis"], "degraded": []}
    # The public body leaks no configuration: no host, port or error text.
    assert b"127.0.0.1" not in response.content
    assert b"Error" not in response.content


def test_ready_stays_200_when_optional_redis_is_down(client, db, settings, redis_down):
    settings.REDIS_REQUIRED = False
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "failing": [], "degraded": ["redis"]}


@pytest.mark.redis
def test_ready_is_200_with_required_redis_up(client, db, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.REDIS_REQUIRED = True
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "failing": [], "degraded": []}


@pytest.mark.redis
def test_ready_recovers_by_itself_when_redis_comes_back(
    client, db, settings, redis_down, redis_url
):
    settings.REDIS_REQUIRED = True
    assert client.get(READY).status_code == 503
    settings.REDIS_URL = redis_url
    assert client.get(READY).status_code == 200
