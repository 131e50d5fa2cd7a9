"""Fixtures for the runtime primitives: settings pointing at a Redis, and a Redis we can kill."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis

from caio_site.runtime import ratelimit, state
from caio_site.runtime.redis import reset_state


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProcess:
    """A throwaway ``redis-server`` on a free port that a test can stop and start again."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_process():
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    server = RedisProcess()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_runtime_state():
    """Each test starts with Redis considered healthy and empty in-process fallbacks."""
    reset_state()
    ratelimit.reset_local()
    state.reset_local()
    yield
    reset_state()
    ratelimit.reset_local()
    state.reset_local()


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
