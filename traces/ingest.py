"""Ingest envelopes posted by external agents (the batch API): redact, then store.

Items arrive validated (shape and types) by the API serializer; every free-text field is
redacted here, summaries are re-cut to 500 characters, and an id already stored is skipped so a
client retrying the same batch stores nothing twice.
"""

from __future__ import annotations

import uuid

from traces import sinks
from traces.choices import MAX_CONTEXT_REFS, SCHEMA_VERSION
from traces.recorder import ERROR_CODE_MAX_CHARS, ERROR_MESSAGE_MAX_CHARS
from traces.redaction import cut, redact_summary_text, redact_text, summarize

MAX_BATCH = 1000


def _summary(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return redact_summary_text(value)
    return summarize(value)


def normalise(item: dict) -> dict:
    """One validated item as a stored envelope dict (redacted, cut, defaults filled)."""
    message = item.get("error_message")
    error_code = item.get("error_code")
    parent_id = item.get("parent_id")
    return {
        "id": str(item.get("id") or uuid.uuid4()),
        "timestamp": item["timestamp"],
        "correlation_id": item["correlation_id"],
        "case_id": item.get("case_id") or None,
        "parent_id": str(parent_id) if parent_id else None,
        "agent": item["agent"],
        "tool_name": item["tool_name"],
        "tool_input_summary": _summary(item.get("tool_input_summary")),
        "tool_output_summary": _summary(item.get("tool_output_summary")),
        "retrieved_context_refs": [
            redact_text(str(ref)) for ref in (item.get("retrieved_context_refs") or ())
        ][:MAX_CONTEXT_REFS],
        "status": item["status"],
        "duration_ms": float(item["duration_ms"]),
        "error_code": cut(error_code, ERROR_CODE_MAX_CHARS) if error_code else None,
        "error_message": cut(redact_text(message), ERROR_MESSAGE_MAX_CHARS) if message else None,
        "schema_version": item.get("schema_version") or SCHEMA_VERSION,
    }


def ingest(items: list[dict]) -> tuple[list[str], int]:
    """Store a batch of validated items; returns (their ids, how many were new)."""
    if len(items) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} envelopes per batch")
    envelopes = [normalise(item) for item in items]
    database = sinks.DatabaseSink()
    fresh = database.unknown(envelopes)
    for sink in sinks.active_sinks():
        if isinstance(sink, sinks.DatabaseSink):
            sink.write_new(fresh)
        else:
            sink.write(fresh)
    return [e["id"] for e in envelopes], len(fresh)
