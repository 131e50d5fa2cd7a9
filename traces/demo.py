"""Demo data for the traces app.

The agents' demo runs already leave real envelopes. This adds one trace posted by an
"external" agent through the same ingest path as ``POST /api/v1/traces/batch/`` (fixed ids,
so a second run stores nothing), and prints where to look.
"""

from __future__ import annotations

import datetime
import uuid

from caio_site.runtime.admin import trace_timeline_url
from traces.ingest import ingest
from traces.models import TraceEnvelope

DEMO_CORRELATION_ID = "demo-external-agent-0001"
_NAMESPACE = uuid.UUID("6f1c2b9e-3d4a-4c5b-9e8f-7a6b5c4d3e2f")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


def _items(start: datetime.datetime) -> list[dict]:
    def at(ms: float) -> datetime.datetime:
        return start + datetime.timedelta(milliseconds=ms)

    common = {"correlation_id": DEMO_CORRELATION_ID, "agent": "external"}
    return [
        {
            **common,
            "id": _id("step"),
            "timestamp": at(0),
            "tool_name": "step.enrich_account",
            "status": "ok",
            "duration_ms": 184.0,
        },
        {
            **common,
            "id": _id("lookup"),
            "parent_id": _id("step"),
            "timestamp": at(3),
            "tool_name": "enrich.company_lookup",
            "tool_input_summary": {"domain": "northwind.example", "api_key": "demo-not-stored"},
            "tool_output_summary": {"employees": 420, "industry": "logistics"},
            "retrieved_context_refs": ["lead:demo"],
            "status": "ok",
            "duration_ms": 92.5,
        },
        {
            **common,
            "id": _id("crm"),
            "parent_id": _id("step"),
            "timestamp": at(101),
            "tool_name": "crm.update_account",
            "tool_input_summary": {"account": "Northwind", "fields": ["industry"]},
            "status": "error",
            "error_code": "TIMEOUT",
            "error_message": "CRM did not answer within 80 ms",
            "duration_ms": 80.0,
        },
    ]


def seed(stdout=None, style=None) -> None:
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    _, stored = ingest(_items(start))
    if stdout is None:
        return
    total = TraceEnvelope.objects.count()
    url = trace_timeline_url(DEMO_CORRELATION_ID)
    message = (
        f"traces: {stored} demo envelopes added from an external agent; {total} envelopes in "
        f"all; example timeline at {url}"
    )
    stdout.write(style.SUCCESS(message) if style is not None else message)
