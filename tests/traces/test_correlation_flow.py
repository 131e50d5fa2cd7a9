"""One correlation id flows from an HTTP request through a Celery task to its envelopes, and
each task's envelopes are written when the task ends."""

from __future__ import annotations

import pytest

from caio_site.runtime.correlation import bind_correlation_id
from tests.traces.flow_urls import record_in_task
from traces.models import TraceEnvelope
from traces.recorder import trace_scope

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.traces.flow_urls")
def test_the_request_id_reaches_the_envelopes_of_the_task_it_enqueued(client, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    response = client.get("/enqueue/", HTTP_X_CORRELATION_ID="req-abc-123")
    assert response.status_code == 200
    assert response["X-Correlation-ID"] == "req-abc-123"
    assert response.json() == {"stored_during_task": 0}  # buffered in the task's scope
    rows = list(TraceEnvelope.objects.order_by("tool_name"))
    assert [r.tool_name for r in rows] == ["crm.read_contact", "step.score"]
    assert {r.correlation_id for r in rows} == {"req-abc-123"}
    assert rows[0].parent_id == rows[1].id
    assert rows[0].retrieved_context_refs == ["lead:12"]


@pytest.mark.urls("tests.traces.flow_urls")
def test_a_request_without_the_header_gets_one_id_shared_with_its_task(client):
    response = client.get("/enqueue/")
    generated = response["X-Correlation-ID"]
    assert generated
    assert set(TraceEnvelope.objects.values_list("correlation_id", flat=True)) == {generated}


def test_a_task_started_inside_a_scope_records_into_that_scope():
    with bind_correlation_id("replay-1"), trace_scope(hold=True) as scope:
        record_in_task.delay(5)
        assert TraceEnvelope.objects.count() == 0
    assert [e["tool_name"] for e in scope.envelopes] == ["crm.read_contact", "step.score"]
    assert TraceEnvelope.objects.filter(correlation_id="replay-1").count() == 2


def test_a_failing_task_still_writes_its_envelopes():
    from celery import shared_task

    from traces.recorder import record_tool

    @shared_task(name="tests.traces.failing_task")
    def failing_task():
        with record_tool("pipeline_scan", "crm.list_deals"):
            pass
        raise RuntimeError("scan crashed")

    with pytest.raises(RuntimeError, match="scan crashed"):
        failing_task.delay()
    assert TraceEnvelope.objects.filter(tool_name="crm.list_deals").count() == 1
