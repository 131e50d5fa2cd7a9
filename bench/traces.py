"""Trace envelope throughput and recorder cost, measured in one run (figures, not assertions).

1. database batch path: ``traces.sinks.DatabaseSink.write`` on batches of envelope dicts (the
   recorder's flush: dict → row conversion + COPY through Django's psycopg 3 connection);
2. baseline: the same rows, already converted to tuples, through a raw psycopg 3 COPY on its
   own connection — the machine's limit for this table and its indexes;
3. their ratio (target: at least 0.5);
4. recorder cost per envelope (µs) with redaction and the JSONL sink on, database flush left
   out, inside a trace scope (the shape of an agent job) and outside one (a write per span);
5. the same with every sink off (span + redaction only), and with recording disabled.

Every database write happens inside a transaction that is rolled back, so the table is left as
it was. Needs PostgreSQL: DATABASE_URL=postgres://… .venv/bin/python bench/traces.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caio_site.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from traces import sinks  # noqa: E402
from traces.models import TraceEnvelope  # noqa: E402
from traces.recorder import record_tool, trace_scope  # noqa: E402

BATCH = 1000

# A realistic gateway call: a few input fields (one of them a header to redact), an output
# with nested contact data, a couple of context refs.
TOOL_INPUT = {
    "lead_id": 4812,
    "email": "dana.reyes@northwind.example",
    "fields": ["title", "company", "industry"],
    "headers": {"Authorization": "Bearer 7c1e9b2f4a6d8e0c3b5a7f9d1e3c5b7a"},
}
TOOL_OUTPUT = {
    "contact": {
        "first_name": "Dana",
        "last_name": "Reyes",
        "title": "VP Revenue Operations",
        "company": "Northwind Traders",
        "notes": "Met at SaaStr 2026; evaluating pipeline analytics for Q1.",
    },
    "found": True,
    "updated_at": "2026-11-20T14:03:11Z",
}


def envelopes(n: int) -> list[dict]:
    now = datetime.datetime.now(datetime.UTC)
    return [
        {
            "id": str(uuid.uuid4()),
            "timestamp": now,
            "correlation_id": f"bench-{i // 50}",
            "case_id": None,
            "parent_id": None,
            "agent": "qualify",
            "tool_name": "crm.read_contact",
            "tool_input_summary": '{"email":"dana.reyes@northwind.example","lead_id":4812}',
            "tool_output_summary": '{"contact":{"first_name":"Dana","title":"VP"},"found":true}',
            "retrieved_context_refs": ["lead:4812", "standard:tier_1"],
            "status": "ok",
            "duration_ms": 12.5,
            "error_code": None,
            "error_message": None,
            "schema_version": 1,
        }
        for i in range(n)
    ]


def batch_path(rows: int) -> float:
    """Envelopes/s through DatabaseSink.write, rolled back."""
    data = envelopes(rows)
    sink = sinks.DatabaseSink()
    with transaction.atomic():
        started = time.perf_counter()
        for i in range(0, rows, BATCH):
            sink.write(data[i : i + BATCH])
        elapsed = time.perf_counter() - started
        assert TraceEnvelope.objects.filter(correlation_id="bench-0").count() == 50
        transaction.set_rollback(True)
    return rows / elapsed


def raw_copy(rows: int, dsn: str) -> float:
    """Envelopes/s for prepared tuples through a bare psycopg COPY, rolled back."""
    data = [sinks.envelope_row(e) for e in envelopes(rows)]
    table = TraceEnvelope._meta.db_table
    columns = ", ".join(sinks.FIELDS)
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur:
            started = time.perf_counter()
            for i in range(0, rows, BATCH):
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in data[i : i + BATCH]:
                        copy.write_row(row)
            elapsed = time.perf_counter() - started
        conn.rollback()
    return rows / elapsed


def payloads(spans: int, fresh: bool) -> list[tuple[dict, dict]]:
    """(input, output) per span: the same pair every time, or pairs whose strings are new on
    every call (so the redaction cache never answers), built before the clock starts."""
    if not fresh:
        return [(TOOL_INPUT, TOOL_OUTPUT)] * spans
    out = []
    for n in range(spans):
        tool_input = {**TOOL_INPUT, "lead_id": n, "email": f"dana.reyes+{n}@northwind.example"}
        tool_input["headers"] = {"Authorization": f"Bearer {uuid.uuid4().hex}"}
        contact = {**TOOL_OUTPUT["contact"], "notes": f"Met at SaaStr 2026 (visit {n}); wants Q1."}
        tool_output = {
            **TOOL_OUTPUT,
            "contact": contact,
            "updated_at": f"2026-11-20T14:03:{n % 60:02d}Z",
        }
        out.append((tool_input, tool_output))
    return out


def recorder_cost(
    spans: int, *, sink_list, in_scope: bool = True, enabled: bool = True, fresh: bool = True
) -> tuple[float, float]:
    """(wall, CPU) µs per recorded span (enter, exit, redaction, summaries, the sinks). CPU
    time is what the recorder itself costs when other processes share the cores."""
    data = payloads(spans, fresh)
    with override_settings(TRACE_ENVELOPE_ENABLED=enabled), sinks.use_sinks(sink_list):
        started, cpu_started = time.perf_counter(), time.process_time()
        if in_scope:
            with trace_scope():
                for tool_input, tool_output in data:
                    with record_tool("qualify", "crm.read_contact", input=tool_input) as span:
                        span.output = tool_output
                        span.add_refs("lead:4812", "standard:tier_1")
        else:
            for tool_input, tool_output in data:
                with record_tool("qualify", "crm.read_contact", input=tool_input) as span:
                    span.output = tool_output
                    span.add_refs("lead:4812", "standard:tier_1")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return elapsed / spans * 1e6, cpu / spans * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows per database run")
    parser.add_argument("--spans", type=int, default=20_000, help="spans per recorder run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("bench/traces.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    dsn = settings.DATABASES["default"]
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=dsn["NAME"],
        user=dsn.get("USER") or None,
        password=dsn.get("PASSWORD") or None,
        host=dsn.get("HOST") or None,
        port=dsn.get("PORT") or None,
    )

    print(f"rows per run: {args.rows} in batches of {BATCH}; best of {args.repeat} runs")
    batch_runs, copy_runs = [], []
    for _ in range(args.repeat):  # interleaved so drift hits both alike
        batch_runs.append(batch_path(args.rows))
        copy_runs.append(raw_copy(args.rows, conninfo))
    batch_rate, copy_rate = max(batch_runs), max(copy_runs)
    print(f"batch path (DatabaseSink.write, COPY):  {batch_rate:10,.0f} envelopes/s")
    print(f"raw psycopg COPY of prepared tuples:    {copy_rate:10,.0f} envelopes/s")
    print(
        f"ratio batch / raw COPY:                 {batch_rate / copy_rate:10.2f}  (target >= 0.5)"
    )

    print(f"\nrecorder, {args.spans} spans per run, {args.repeat} runs, µs per envelope:")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        jsonl = sinks.JsonlSink(path)
        recorder_cost(1000, sink_list=[jsonl], fresh=False)  # warm imports and the file
        path.unlink()
        jsonl.close()
        cases = [
            (
                "redaction + JSONL, scope, fresh strings (DB flush excluded)",
                [jsonl],
                True,
                True,
                True,
            ),
            ("redaction + JSONL, scope, repeated payload", [jsonl], True, True, False),
            ("redaction + JSONL, no scope (a locked write per span)", [jsonl], False, True, True),
            ("every sink off (span + redaction only), fresh strings", [], True, True, True),
            ("recording disabled (TRACE_ENVELOPE_ENABLED=false)", [], True, False, True),
        ]
        for label, sink_list, in_scope, enabled, fresh in cases:
            runs = [
                recorder_cost(
                    args.spans, sink_list=sink_list, in_scope=in_scope, enabled=enabled, fresh=fresh
                )
                for _ in range(args.repeat)
            ]
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(
                f"  {label:60s} wall best {min(walls):6.2f} median {statistics.median(walls):6.2f}"
                f" | CPU best {min(cpus):6.2f} µs"
            )
        lines = path.read_text().splitlines()
        expected = 3 * args.repeat * args.spans
        whole = all(json.loads(line)["tool_name"] == "crm.read_contact" for line in lines)
        print(f"  JSONL lines written: {len(lines)} (expected {expected}); all parse: {whole}")
    print(
        "  target: redaction + JSONL < 30 µs per envelope "
        f"(shared {os.cpu_count()}-core machine; best = least disturbed run)"
    )


if __name__ == "__main__":
    main()
