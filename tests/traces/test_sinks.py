"""traces.sinks: JSONL lines never interleave across processes; COPY stores what it is given."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import uuid

import pytest

from traces.models import TraceEnvelope
from traces.sinks import DatabaseSink, JsonlSink, envelope_line

PROCESSES = 4
PER_PROCESS = 5000


def make_envelope(n: int = 0, *, message_chars: int = 0, refs=("lead:1",)) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "timestamp": datetime.datetime(2026, 11, 26, 9, 30, tzinfo=datetime.UTC),
        "correlation_id": f"corr-{n % 7}",
        "case_id": None,
        "parent_id": None,
        "agent": "qualify",
        "tool_name": "crm.read_contact",
        "tool_input_summary": json.dumps({"n": n}),
        "tool_output_summary": '{"ok":true}',
        "retrieved_context_refs": list(refs),
        "status": "ok",
        "duration_ms": 1.25,
        "error_code": None,
        "error_message": "m" * message_chars or None,
        "schema_version": 1,
    }


def _append(path: str, worker: int, sink: JsonlSink) -> None:
    # Mixed batch sizes and lines longer than a pipe buffer (4 KiB), so that only the lock,
    # not luck, keeps lines whole.
    sent = 0
    while sent < PER_PROCESS:
        size = min(1 + (sent % 50), PER_PROCESS - sent)
        sink.write(
            [
                make_envelope(
                    worker * PER_PROCESS + sent + i, message_chars=5000 * ((sent + i) % 3 == 0)
                )
                for i in range(size)
            ]
        )
        sent += size


@pytest.mark.slow
def test_four_processes_appending_five_thousand_envelopes_each_give_whole_lines(tmp_path):
    path = tmp_path / "shared.jsonl"
    sink = JsonlSink(path)  # created before the fork: each child must reopen, not share it
    sink.write([make_envelope(-1)])
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append, args=(str(path), w, sink)) for w in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == PROCESSES * PER_PROCESS + 1
    inputs = sorted(json.loads(r["tool_input_summary"])["n"] for r in records)
    assert inputs == list(range(-1, PROCESSES * PER_PROCESS))


def test_each_envelope_is_one_ascii_line():
    envelope = make_envelope(1)
    envelope["error_message"] = "line one\nline two — ünïcode"
    line = envelope_line(envelope)
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    assert json.loads(line)["error_message"] == "line one\nline two — ünïcode"
    assert json.loads(line)["timestamp"] == "2026-11-26T09:30:00+00:00"


def test_the_jsonl_sink_reopens_a_file_rotated_away(tmp_path):
    path = tmp_path / "t.jsonl"
    sink = JsonlSink(path)
    sink.REOPEN_CHECK_SECONDS = 0
    sink.write([make_envelope(1)])
    os.rename(path, tmp_path / "t.jsonl.1")
    sink.write([make_envelope(2)])
    assert json.loads(path.read_text())["tool_input_summary"] == '{"n": 2}'
    assert len((tmp_path / "t.jsonl.1").read_text().splitlines()) == 1


@pytest.mark.django_db
def test_the_database_sink_stores_a_small_batch_field_for_field():
    envelopes = [make_envelope(n, refs=("lead:1", "standard:tier_1")) for n in range(3)]
    DatabaseSink().write(envelopes)
    row = TraceEnvelope.objects.get(id=envelopes[1]["id"])
    assert row.retrieved_context_refs == ["lead:1", "standard:tier_1"]
    assert row.tool_input_summary == '{"n": 1}'
    assert row.timestamp == envelopes[1]["timestamp"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_stores_a_large_batch_field_for_field():
    envelopes = [make_envelope(n, refs=("lead:1", 'quote"d')) for n in range(250)]
    envelopes[7]["error_message"] = "tab\tnew\nline \\ back"
    envelopes[7]["status"] = "error"
    envelopes[7]["error_code"] = "TIMEOUT"
    envelopes[8]["parent_id"] = envelopes[7]["id"]
    envelopes[8]["case_id"] = "golden-1"
    DatabaseSink().write(envelopes)
    assert TraceEnvelope.objects.count() == 250
    seven = TraceEnvelope.objects.get(id=envelopes[7]["id"])
    assert seven.error_message == "tab\tnew\nline \\ back"
    assert seven.retrieved_context_refs == ["lead:1", 'quote"d']
    eight = TraceEnvelope.objects.get(id=envelopes[8]["id"])
    assert str(eight.parent_id) == envelopes[7]["id"]
    assert eight.case_id == "golden-1"


def test_a_line_holds_exactly_the_envelope():
    envelope = make_envelope(3, refs=("lead:1", 'odd "ref"\\'))
    envelope["parent_id"] = uuid.uuid4()
    envelope["duration_ms"] = 0.1 + 0.2
    parsed = json.loads(envelope_line(envelope))
    assert list(parsed) == list(envelope)
    assert parsed == {
        **envelope,
        "timestamp": "2026-11-26T09:30:00+00:00",
        "parent_id": str(envelope["parent_id"]),
    }


@pytest.mark.django_db
def test_a_row_the_database_refuses_costs_only_itself(caplog):
    from traces.sinks import emit, use_sinks

    good = [make_envelope(n) for n in range(30)]
    bad = make_envelope(99)
    bad["agent"] = "x" * 65 if connection_is_postgres() else None  # too long / NOT NULL
    with use_sinks([DatabaseSink()]):
        emit([*good[:15], bad, *good[15:]])
    assert TraceEnvelope.objects.count() == 30
    assert "30 of 31 envelopes written one by one" in caplog.text


def connection_is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
