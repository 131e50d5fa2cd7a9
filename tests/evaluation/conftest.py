"""Fixtures of the evaluation tests: paths of the committed golden files and runner scripts."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "evaluation" / "golden"
RUNNERS_DIR = Path(__file__).resolve().parent / "runners"
V1_SEED = GOLDEN_DIR / "v1_seed.json"
OUR_SET = GOLDEN_DIR / "caio_gtm_v2.json"


_approvals_defaults = importlib.import_module("approvals.migrations.0002_default_policy_data")


@pytest.fixture(autouse=True)
def policy_data(django_db_setup, django_db_blocker):
    """The segment standards, put back after a transactional test elsewhere in the suite
    flushed the data migration's rows (the loader keeps what exists; the groups come back by
    themselves, see caio_site.roles)."""
    with django_db_blocker.unblock():
        _approvals_defaults.load_defaults(django_apps, None)


def runner_cmd(script: str, *args: str) -> str:
    """A shell-quoted command line running one of the test runner scripts."""
    import shlex

    return shlex.join([sys.executable, str(RUNNERS_DIR / script), *map(str, args)])


@pytest.fixture
def v1_seed_path() -> Path:
    return V1_SEED


@pytest.fixture
def our_set_path() -> Path:
    return OUR_SET


@pytest.fixture
def fresh_gateway():
    """Each replay in a test starts with closed breakers and empty rate windows.

    The gateway's windows live in Redis (shared across processes) or in process; several full
    replays in one test session would otherwise run into the enrichment limit.
    """
    import redis
    from django.conf import settings

    from agents import gateway
    from caio_site.runtime import ratelimit

    def reset():
        gateway.reset_breakers()
        ratelimit.reset_local()
        if settings.REDIS_URL:
            try:
                client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
                client.delete(
                    *(ratelimit.redis_key(f"gateway:{name}") for name in gateway.POLICIES)
                )
            except redis.RedisError:
                pass  # Redis down: the gateway uses the in-process windows reset above

    reset()
    yield reset
    reset()


@pytest.fixture
def our_golden_set(db):
    """Our committed golden set, stored."""
    from evaluation.golden_io import import_golden_set

    golden_set, _ = import_golden_set(OUR_SET)
    return golden_set
