"""Fixtures for the agents tests: the runtime fixtures, a clean gateway, a clean breaker state."""

from __future__ import annotations

import pytest

from agents import gateway
from tests.runtime.conftest import (  # noqa: F401  (fixtures shared with the runtime tests)
    _fresh_runtime_state,
    on_redis,
    redis_process,
    without_redis,
)


@pytest.fixture(autouse=True)
def _fresh_breakers():
    gateway.reset_breakers()
    yield
    gateway.reset_breakers()
