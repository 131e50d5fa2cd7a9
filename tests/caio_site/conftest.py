"""Fixtures for the project-level (caio_site) tests."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings, closed_port):
    """Point the process at a Redis that refuses connections."""
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    return settings.REDIS_URL
