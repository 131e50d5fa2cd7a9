"""GET /api/health/live/, /api/health/ready/ and /api/v1/runtime/dependencies/."""

import pytest

from tests.factories import UserFactory

LIVE = "/api/health/live/"
READY = "/api/health/ready/"
DETAIL = "/api/v1/runtime/dependencies/"


def test_live_answers_200_without_authentication(client, db):
    response = client.get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "live"}


def test_ready_answers_200_on_the_embedded_default(client, db, settings):
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "failing": []}
    assert response["Cache-Control"] == "no-store"


def test_ready_is_503_naming_redis_when_required_redis_is_down(client, db, settings, redis_down):
    settings.REDIS_REQUIRED = True
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready", "failing": ["redis"]}
    # The public body leaks no configuration: no host, port or error text.
    assert b"127.0.0.1" not in response.content
    assert b"Error" not in response.content


def test_ready_stays_200_when_optional_redis_is_down(client, db, settings, redis_down):
    settings.REDIS_REQUIRED = False
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "failing": []}


def test_the_detail_notes_the_active_fallback_when_optional_redis_is_down(
    api_as, operator, settings, redis_down
):
    settings.REDIS_REQUIRED = False
    response = api_as(operator).get(DETAIL)
    assert response.status_code == 200
    body = response.json()
    redis = next(d for d in body["dependencies"] if d["name"] == "redis")
    assert redis["status"] == "warn"
    assert redis["required"] is False
    assert "fallbacks active" in redis["detail"]
    assert redis["data"]["fallback"]["fallback_active"] is True
    assert redis["data"]["fallback"]["healthy"] is False


@pytest.mark.redis
def test_ready_is_200_with_required_redis_up(client, db, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.REDIS_REQUIRED = True
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json()["failing"] == []


@pytest.mark.redis
def test_ready_recovers_by_itself_when_redis_comes_back(
    client, db, settings, redis_down, redis_url
):
    settings.REDIS_REQUIRED = True
    assert client.get(READY).status_code == 503
    settings.REDIS_URL = redis_url
    assert client.get(READY).status_code == 200


def test_the_detail_lists_every_dependency_for_an_operator(api_as, operator, settings):
    settings.REDIS_URL = ""
    settings.REDIS_REQUIRED = False
    response = api_as(operator).get(DETAIL)
    assert response.status_code == 200
    body = response.json()
    names = [d["name"] for d in body["dependencies"]]
    assert names == ["database", "redis", "broker", "inngest", "simulation", "trace_file"]
    database = body["dependencies"][0]
    assert database["status"] == "ok"
    assert database["latency_ms"] is not None
    assert body["status"] == "ready"


def test_the_head_of_sales_and_superusers_may_read_the_detail(api_as, hos, db):
    assert api_as(hos).get(DETAIL).status_code == 200
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert api_as(admin).get(DETAIL).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "viewer", "api_client_user"])
def test_users_outside_operations_are_refused_the_detail(api_as, request, who):
    user = request.getfixturevalue(who)
    response = api_as(user).get(DETAIL)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_callers_are_refused_the_detail(api, db):
    response = api.get(DETAIL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_authenticates_the_detail(api, operator):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=operator)
    response = api.get(DETAIL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
