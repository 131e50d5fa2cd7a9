"""Runtime benchmark: rate-limit decisions vs raw Redis round trips, and agent pipeline throughput.

    .venv/bin/python bench/runtime.py [--redis-url URL] [--decisions N] [--leads N]

1. Rate limiter: N decisions of ``caio_site.runtime.ratelimit.hit`` (one EVALSHA each) against
   N raw ``PING`` round trips from the same client, measured in the same run in alternating
   blocks of 100 (the machine is shared, so both see the same load); prints both rates and
   their ratio (target >= 0.8), plus the floor of any script call (EVALSHA of ``return 1``).
2. Pipeline: N generated leads imported with the same function as ``manage.py import_leads``
   on a throwaway SQLite database, Celery eager, so each lead is qualified and drafted into the
   approval queue in process; prints leads/s from import to queued draft. The gateway's
   per-integration rate limits are raised for this run (they would otherwise be what is
   measured).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django(tmpdir: str, redis_url: str, database_url: str = "") -> None:
    # A scratch SQLite database by default, so the benchmark never touches var/caio.sqlite3.
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["TRACE_ENVELOPE_FILE"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caio_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_ratelimit(redis_url: str, n: int, block: int = 100) -> dict:
    """Paired measurement: blocks of PINGs and decisions alternate, so both see the same
    machine load (this box is shared); rates are totals over all blocks."""
    from caio_site.runtime import ratelimit
    from caio_site.runtime.redis import get_client

    client = get_client(redis_url)
    key = "bench:decisions"
    client.delete(ratelimit.redis_key(key))
    floor = client.register_script("return 1")
    for _ in range(200):  # warm the connection and the script cache
        client.ping()
        floor()
        ratelimit.hit(key, 10**9, 60)
    spent = {"ping": 0.0, "decision": 0.0, "evalsha_floor": 0.0}
    for _ in range(max(1, n // block)):
        start = time.perf_counter()
        for _ in range(block):
            client.ping()
        spent["ping"] += time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(block):
            decision = ratelimit.hit(key, 10**9, 60)
        spent["decision"] += time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(block):
            floor()
        spent["evalsha_floor"] += time.perf_counter() - start
        assert decision.backend == "redis", "the rate limiter fell back: is Redis up?"
    client.delete(ratelimit.redis_key(key))
    total = max(1, n // block) * block
    rates = {name: total / seconds for name, seconds in spent.items()}
    return {
        "ping_per_s": rates["ping"],
        "decisions_per_s": rates["decision"],
        "floor_per_s": rates["evalsha_floor"],
        "ratio": rates["decision"] / rates["ping"],
        "floor_ratio": rates["evalsha_floor"] / rates["ping"],
        "n": total,
    }


def _leads_csv(n: int, run: str) -> str:
    out = io.StringIO()
    out.write("email,first_name,title,company,company_domain,industry,employee_count,tech_stack\n")
    for i in range(n):
        domain = f"bench-{run}-{i}.example"
        out.write(
            f"owner@{domain},Alex,CEO,Bench Agency {i},{domain},Marketing agency,"
            f"{60 + i % 400},HubSpot;Slack\n"
        )
    return out.getvalue()


def bench_pipeline(n: int) -> dict:
    from agents import gateway
    from agents.importing import import_leads_csv
    from approvals.models import QueueItem

    for name, policy in list(gateway.POLICIES.items()):
        gateway.POLICIES[name] = gateway.IntegrationPolicy(10**9, 60, policy.timeout_seconds)
    run = uuid.uuid4().hex[:8]  # fresh emails, so a reused database does not turn it into updates
    import_leads_csv(io.StringIO(_leads_csv(1, run + "w")))  # warm-up: imports, URLconf
    start = time.perf_counter()
    report = import_leads_csv(io.StringIO(_leads_csv(n, run)))
    elapsed = time.perf_counter() - start
    queued = QueueItem.objects.filter(lead_id__in=report.lead_ids).count()
    assert report.created == n, report.errors[:5]
    return {"leads": n, "queued": queued, "seconds": elapsed, "leads_per_s": n / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    )
    parser.add_argument("--decisions", type=int, default=5000)
    parser.add_argument("--leads", type=int, default=100)
    parser.add_argument(
        "--database-url",
        default="",
        help="Run the pipeline part on this (migrated or empty) database instead of a scratch "
        "SQLite file, e.g. postgres://postgres@127.0.0.1:5432/caio_bench",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        _setup_django(tmpdir, args.redis_url, args.database_url)
        rl = bench_ratelimit(args.redis_url, args.decisions)
        print(f"redis PING round trips      : {rl['ping_per_s']:10.0f} /s  ({rl['n']} calls each)")
        print(f"rate-limit decisions (Lua)  : {rl['decisions_per_s']:10.0f} /s")
        print(f"decisions / PING ratio      : {rl['ratio']:10.2f}    (target >= 0.80)")
        print(
            f"floor: EVALSHA 'return 1'   : {rl['floor_per_s']:10.0f} /s  "
            f"(ratio {rl['floor_ratio']:.2f}: what any script call costs here)"
        )
        pipe = bench_pipeline(args.leads)
        from django.db import connection

        print(
            f"pipeline import -> queued   : {pipe['leads_per_s']:10.1f} leads/s "
            f"({pipe['leads']} leads, {pipe['queued']} drafts queued in {pipe['seconds']:.1f}s, "
            f"eager Celery, {connection.vendor})"
        )


if __name__ == "__main__":
    main()
