"""GET /api/v1/runtime/dependencies/: the authenticated detail, for operations only."""

import pytest

from tests.factories import UserFactory

DETAIL = "/api/v1/runtime/dependencies/"


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
