"""No secret of the corpus survives into a database row, a JSONL line or an API answer."""

from __future__ import annotations

import json

import pytest

from caio_site.runtime.correlation import bind_correlation_id
from tests.traces.corpus import LOOKALIKES, SECRETS
from traces.models import TraceEnvelope
from traces.recorder import record_tool, trace_scope

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (
    "tool_input_summary",
    "tool_output_summary",
    "error_message",
    "retrieved_context_refs",
)


class AdapterFailure(Exception):
    error_code = "ADAPTER_ERROR"


def record_corpus(correlation_id: str) -> None:
    with bind_correlation_id(correlation_id), trace_scope():
        for label, value, _ in SECRETS:
            with record_tool("qualify", "crm.read_contact", input=value) as span:
                span.output = {"echo": value}
            # The same secret in an exception message and in a context ref.
            try:
                with record_tool("qualify", "crm.write_note", input={"case": label}) as span:
                    span.add_refs(json.dumps(value, default=repr)[:200])
                    raise AdapterFailure(f"upstream said: {json.dumps(value, default=repr)}")
            except AdapterFailure:
                pass


def assert_no_needle(text: str) -> None:
    for label, _, needles in SECRETS:
        for needle in needles:
            assert needle not in text, f"{label}: {needle!r} survived"


def test_no_secret_reaches_the_row_the_jsonl_line_or_the_api(jsonl_path, api_as, viewer):
    record_corpus("corpus-run")

    rows = list(TraceEnvelope.objects.filter(correlation_id="corpus-run").values(*TEXT_FIELDS))
    assert len(rows) == 2 * len(SECRETS)
    assert_no_needle(json.dumps(rows, ensure_ascii=False))

    jsonl = jsonl_path.read_text()
    assert len(jsonl.splitlines()) == 2 * len(SECRETS)
    assert_no_needle(json.loads(json.dumps(jsonl)))  # the raw text, escapes and all
    assert_no_needle(
        json.dumps([json.loads(line) for line in jsonl.splitlines()], ensure_ascii=False)
    )

    client = api_as(viewer)
    page = client.get("/api/v1/traces/", {"correlation_id": "corpus-run", "page_size": 1000})
    assert page.status_code == 200
    assert len(page.json()["results"]) == 2 * len(SECRETS)
    assert_no_needle(page.content.decode())
    assert_no_needle(json.dumps(page.json(), ensure_ascii=False))


def test_no_secret_posted_through_the_batch_api_is_stored_or_answered(api_as, api_client_user):
    envelopes = [
        {
            "timestamp": "2026-11-26T09:00:00Z",
            "correlation_id": "posted-corpus",
            "agent": "external",
            "tool_name": "crm.read_contact",
            "tool_input_summary": json.loads(json.dumps(value, default=repr)),
            "tool_output_summary": json.dumps({"echo": value}, default=repr),
            "status": "error",
            "duration_ms": 3.5,
            "error_code": "ADAPTER_ERROR",
            "error_message": f"failed: {json.dumps(value, default=repr)}",
            "retrieved_context_refs": [json.dumps(value, default=repr)[:200]],
        }
        for _, value, _ in SECRETS
    ]
    client = api_as(api_client_user)
    response = client.post("/api/v1/traces/batch/", {"envelopes": envelopes}, format="json")
    assert response.status_code == 201, response.content
    assert_no_needle(response.content.decode())
    rows = list(TraceEnvelope.objects.values(*TEXT_FIELDS))
    assert_no_needle(json.dumps(rows, ensure_ascii=False))
    listed = client.get("/api/v1/traces/", {"correlation_id": "posted-corpus", "page_size": 1000})
    assert_no_needle(listed.content.decode())


def test_look_alikes_are_stored_intact():
    with bind_correlation_id("lookalikes"), trace_scope():
        for value in LOOKALIKES:
            with record_tool("qualify", "crm.read_contact", input=value):
                pass
    stored = [
        json.loads(s)
        for s in TraceEnvelope.objects.order_by("timestamp").values_list(
            "tool_input_summary", flat=True
        )
    ]
    assert stored == LOOKALIKES
