"""Fixtures for the agents tests: a clean breaker state (the runtime fixtures are shared, in
tests/conftest.py)."""

from __future__ import annotations

import pytest

from agents import gateway


@pytest.fixture(autouse=True)
def _fresh_breakers():
    gateway.reset_breakers()
    yield
    gateway.reset_breakers()
