"""Fuzz every operation of the committed OpenAPI contract against the WSGI app.

Schemathesis generates requests (valid and malformed) from docs/openapi.yaml and sends them to
the Django WSGI application in process, authenticated with a superuser's token so permission
checks do not hide the handlers. The rule under test: malformed input gets a 4xx, never a 5xx.
Examples per operation are bounded so the whole module stays well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from caio_site.wsgi import application
from tests.factories import UserFactory

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SCHEMA_PATH)


@pytest.fixture
def token(db) -> str:
    admin = UserFactory(username="fuzz-admin", is_staff=True, is_superuser=True)
    return Token.objects.create(user=admin).key


@pytest.fixture
def in_test_transaction():
    """Serve the WSGI app inside the test's transaction, as Django's own test client does: a
    real request's end closes a connection whose autocommit is off, which would drop the test
    transaction (and its data) after the first request on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_5xx(case, token, in_test_transaction):
    # Each request gets a savepoint that is rolled back afterwards: in production every request
    # is its own transaction, so one failed statement must not poison the examples after it.
    savepoint = transaction.savepoint()
    try:
        response = case.call(app=application, headers={"Authorization": f"Token {token}"})
    finally:
        transaction.savepoint_rollback(savepoint)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )
