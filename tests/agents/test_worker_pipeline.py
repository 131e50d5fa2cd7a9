"""A real Celery worker process (solo pool) against a real Redis broker and the test database.

Lead → qualify → draft → queue item, with every envelope under the correlation id the task was
published with; the same task delivered twice yields one queue item.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings as django_settings

from agents.choices import LeadStatus
from agents.models import AgentJob
from approvals.choices import QueueStatus
from approvals.models import QueueItem
from caio_site.runtime.correlation import bind_correlation_id
from tests.agents.factories import agency_ceo
from traces.models import TraceEnvelope

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis_server,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = django_settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_process, tmp_path):
    """``celery worker --pool=solo`` on the test database; yields (publisher app, log path)."""
    broker = redis_process.url
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker.rsplit("/", 1)[0] + "/1",
        "REDIS_REQUIRED": "false",
        "DJANGO_SETTINGS_MODULE": "caio_site.settings",
        "LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",  # the log file is how the test sees the worker's progress
    }
    celery_bin = Path(sys.executable).with_name("celery")
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(celery_bin),
                "-A",
                "caio_site",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    # Not the current app: shared tasks must stay bound to caio_site's app after this test.
    publisher = Celery("publisher", broker=broker, set_as_current=False)
    publisher.conf.task_serializer = "json"
    try:
        yield publisher, log

    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        publisher.close()


def _broker_drained(redis_process) -> bool:
    """Every published message was delivered and acknowledged (acks_late: after the task)."""
    client = redis.Redis.from_url(redis_process.url)
    try:
        return client.llen("celery") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def _wait_for(predicate, timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out; worker log:\n{log.read_text()[-4000:]}")


def test_a_lead_goes_from_qualify_to_a_queue_item_under_one_correlation_id(worker, redis_process):
    publisher, log = worker
    lead = agency_ceo()
    with bind_correlation_id() as correlation_id:
        publisher.send_task("agents.qualify_lead", args=[lead.pk])
    _wait_for(lambda: QueueItem.objects.filter(lead=lead).exists(), 90, log)
    _wait_for(lambda: _broker_drained(redis_process), 60, log)

    lead.refresh_from_db()
    assert (lead.status, lead.tier) == (LeadStatus.QUALIFIED, "tier_1")
    item = QueueItem.objects.get(lead=lead)
    assert item.status == QueueStatus.PENDING
    assert item.correlation_id == correlation_id
    envelopes = TraceEnvelope.objects.filter(correlation_id=correlation_id)
    tools = set(envelopes.values_list("tool_name", flat=True))
    assert {
        "step.qualify",
        "crm.lookup_account",
        "enrichment.enrich_contact",
        "step.draft_email",
        "knowledge.read_standards",
    } <= tools
    assert set(envelopes.values_list("agent", flat=True)) == {"qualify", "draft_email"}


def test_a_task_delivered_twice_yields_one_queue_item(worker, redis_process):
    publisher, log = worker
    lead = agency_ceo(status=LeadStatus.QUALIFIED, tier="tier_1")
    task_id = "redelivered-draft-task"
    for _ in range(2):
        publisher.send_task("agents.draft_email", args=[lead.pk], task_id=task_id)
    _wait_for(lambda: QueueItem.objects.filter(lead=lead).exists(), 90, log)
    _wait_for(lambda: _broker_drained(redis_process), 60, log)
    assert QueueItem.objects.filter(lead=lead).count() == 1
    job = AgentJob.objects.get(agent="draft_email", lead=lead)
    assert job.attempts == 1
