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


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_5xx(case, token):
    response = case.call(app=application, headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )
