"""Benchmark of the approval console at production scale.

Fills the configured database with 100,000 queue items and 1,000,000 queue events (COPY on
PostgreSQL), then measures:

- the inbox changelist render (Django test client logged in as the Head of Sales): p50/p95 over
  ``--renders`` renders, and its query count; also the "all statuses" view, a filter and a search;
- the approve latency of ``approvals.decisions.approve`` (the row claim, the event, the send
  enqueue published to an in-memory broker) over ``--approvals`` pending items.

Baselines measured in the same run: the admin index page render, and a one-row UPDATE round
trip; ratios against them are printed next to the absolute figures.

Run it in its own database, never in one you care about:

    createdb -h 127.0.0.1 -U postgres caio_bench_approvals
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caio_bench_approvals \\
        .venv/bin/python bench/approvals.py [--items 100000] [--events 1000000]

A second run reuses the data when the item count already matches (``--fresh`` rebuilds).
Targets: changelist p95 < 250 ms with <= 12 queries; approve p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caio_site.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from agents.models import Lead  # noqa: E402
from approvals import decisions  # noqa: E402
from approvals.choices import QueueStatus  # noqa: E402
from approvals.compliance import with_footer  # noqa: E402
from approvals.models import QueueEvent, QueueItem, SendingLimits  # noqa: E402
from caio_site import roles  # noqa: E402

LEADS = 20_000
TIERS = ("tier_1", "tier_2", "tier_3")
# Status mix of a queue that has run for a while: a third still pending.
STATUS_MIX = [
    (QueueStatus.PENDING, 0.30),
    (QueueStatus.SENT, 0.35),
    (QueueStatus.REJECTED, 0.15),
    (QueueStatus.EXPIRED, 0.08),
    (QueueStatus.BLOCKED, 0.07),
    (QueueStatus.CANCELLED, 0.05),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def fill(items: int, events: int) -> None:
    """Create leads, items and events in bulk (COPY on PostgreSQL)."""
    rng = random.Random(42)
    now = timezone.now()
    print(f"creating {LEADS:,} leads, {items:,} items, {events:,} events …", flush=True)
    started = time.perf_counter()
    Lead.objects.bulk_create(
        [
            Lead(
                email=f"bench{n}@company{n % 7000}.example",
                first_name="Bench",
                last_name=f"Lead{n}",
                title="Chief Executive Officer",
                company=f"Company {n % 7000}",
                company_domain=f"company{n % 7000}.example",
                industry="agency",
                employee_count=50 + n % 400,
                tier=TIERS[n % 3],
            )
            for n in range(LEADS)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    lead_ids = list(Lead.objects.filter(email__startswith="bench").values_list("pk", flat=True))
    body = with_footer("Hi Bench,\n\nA short, grounded note.\n\nWorth a 15-minute look?", "x@y.z")
    rubric = json.dumps(
        [{"id": "unsubscribe_link", "passed": True, "severity": "hard", "message": "ok"}] * 15
    )
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    item_columns = [
        "kind",
        "lead_id",
        "agent",
        "subject",
        "body",
        "original_subject",
        "original_body",
        "was_edited",
        "edit_diff",
        "tier",
        "angle",
        "evidence",
        "payload",
        "rubric_results",
        "rubric_state",
        "rubric_passed",
        "rubric_total",
        "blocked_reasons",
        "status",
        "version",
        "correlation_id",
        "idempotency_key",
        "created_at",
        "decided_at",
        "rejection_reason",
        "feedback",
        "last_error",
    ]

    def item_rows():
        for n in range(items):
            status = rng.choices(statuses, weights)[0]
            created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
            decided = None if status == QueueStatus.PENDING else created + timedelta(hours=3)
            subject = f"Proposal turnaround at Company {n % 7000}"
            yield (
                "email", lead_ids[n % len(lead_ids)], "draft_email", subject, body, subject,
                body, False, "", TIERS[n % 3], "margin", "[]", "{}", rubric,
                "all_pass" if n % 5 else "soft_flags", 15 if n % 5 else 14, 15, "[]", status,
                1 if status == QueueStatus.PENDING else 2, f"bench{n:08x}", f"bench:{n}",
                created, decided, "", "", "",
            )  # fmt: skip

    if is_postgres():
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(
                f"COPY approvals_queueitem ({', '.join(item_columns)}) FROM STDIN"
            ) as copy:
                for row in item_rows():
                    copy.write_row(row)
    else:
        QueueItem.objects.bulk_create(
            (QueueItem(**dict(zip(item_columns, row, strict=True))) for row in item_rows()),
            batch_size=2000,
        )
    item_ids = list(
        QueueItem.objects.filter(idempotency_key__startswith="bench:").values_list("pk", "status")
    )
    per_item = max(1, events // max(1, len(item_ids)))

    def event_rows():
        made = 0
        for pk, status in item_ids:
            for k in range(per_item):
                if made >= events:
                    return
                made += 1
                if k == 0:
                    yield (pk, "created", "", "pending", "{}", now)
                else:
                    # Filler history (webhook-ish bookkeeping) to reach the event volume.
                    yield (pk, "approved", "pending", status, "{}", now)

    columns = "item_id, event_type, from_status, to_status, payload, created_at"
    if is_postgres():
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY approvals_queueevent ({columns}) FROM STDIN") as copy:
                for row in event_rows():
                    copy.write_row(row)
            # What autovacuum does after a bulk load on a live system: statistics and the
            # visibility map (index-only scans for the inbox count).
            for table in ("approvals_queueitem", "approvals_queueevent", "agents_lead"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    else:
        QueueEvent.objects.bulk_create(
            (
                QueueEvent(
                    item_id=r[0], event_type=r[1], from_status=r[2], to_status=r[3], created_at=r[5]
                )
                for r in event_rows()
            ),
            batch_size=5000,
        )
    print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)


def head_of_sales():
    user, created = get_user_model().objects.get_or_create(
        username="bench-hos", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=roles.HEAD_OF_SALES))
    return user


def measure_page(client: Client, url: str, renders: int) -> tuple[list[float], int]:
    for _ in range(2):  # warm caches and connections
        client.get(url)
    times = []
    queries = 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return times, queries


def measure_approvals(user, count: int) -> list[float]:
    from caio_site.celery import app

    # Publish the send to an in-memory broker instead of running it eagerly: approve's cost is
    # the claim, the event and the enqueue, not the SMTP conversation.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    SendingLimits.current()
    pending = list(
        QueueItem.objects.filter(status=QueueStatus.PENDING)
        .select_related("lead")
        .order_by("?")[:count]
    )
    times = []
    for item in pending:
        started = time.perf_counter()
        decisions.approve(item, actor=user)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_update_baseline(count: int) -> list[float]:
    pk = QueueItem.objects.values_list("pk", flat=True).first()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        QueueItem.objects.filter(pk=pk).update(last_error="")
        times.append((time.perf_counter() - started) * 1000)
    return times


def line(name: str, times: list[float], queries: int | None = None, baseline: float | None = None):
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    extra = f"  queries={queries}" if queries is not None else ""
    ratio = f"  ({p50 / baseline:.1f}x baseline p50)" if baseline else ""
    print(f"  {name:<34} p50={p50:7.1f} ms  p95={p95:7.1f} ms{extra}{ratio}")
    return p50, p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
    args = parser.parse_args()

    engine = settings.DATABASES["default"]["ENGINE"]
    name = settings.DATABASES["default"]["NAME"]
    print(f"database: {engine.rsplit('.', 1)[-1]} {name}")
    if not is_postgres():
        print("  note: the figures that count are PostgreSQL's; SQLite is for a quick smoke run")
    call_command("migrate", verbosity=0)
    existing = QueueItem.objects.filter(idempotency_key__startswith="bench:").count()
    if args.fresh or existing != args.items:
        if existing:
            print(f"removing {existing:,} earlier bench items …", flush=True)
            QueueEvent.objects.filter(item__idempotency_key__startswith="bench:").delete()
            QueueItem.objects.filter(idempotency_key__startswith="bench:").delete()
        fill(args.items, args.events)
    total_items = QueueItem.objects.count()
    total_events = QueueEvent.objects.count()
    pending = QueueItem.objects.filter(status=QueueStatus.PENDING).count()
    print(f"data: {total_items:,} items ({pending:,} pending), {total_events:,} events")

    user = head_of_sales()
    client = Client()
    client.force_login(user)
    base_times, base_queries = measure_page(client, "/admin/", args.renders)
    print("\nbaseline (same run)")
    base_p50, _ = line("admin index", base_times, base_queries)
    update_times = measure_update_baseline(args.approvals)
    update_p50, _ = line("one-row UPDATE round trip", update_times)

    print("\nchangelist (Head of Sales)")
    inbox_times, inbox_queries = measure_page(client, "/admin/approvals/queueitem/", args.renders)
    _, inbox_p95 = line("inbox (pending, oldest first)", inbox_times, inbox_queries, base_p50)
    for label, url in (
        ("all statuses, pending first", "/admin/approvals/queueitem/?status=all"),
        ("filter SLA breached", "/admin/approvals/queueitem/?sla=breached"),
        ("filter tier 2 + soft flags", "/admin/approvals/queueitem/?tier=tier_2&rubric=soft_flags"),
        ("search company (2 words)", "/admin/approvals/queueitem/?q=Company+4242"),
        ("search lead last name", "/admin/approvals/queueitem/?q=Lead1234"),
        ("events (1M rows)", "/admin/approvals/queueevent/"),
    ):
        times, queries = measure_page(client, url, max(5, args.renders // 2))
        line(label, times, queries, base_p50)
    item = QueueItem.objects.filter(status=QueueStatus.PENDING).order_by("-pk").first()
    times, queries = measure_page(client, f"/admin/approvals/queueitem/{item.pk}/change/", 10)
    line("change page", times, queries, base_p50)

    print("\napprove (approvals.decisions.approve)")
    approve_times = measure_approvals(user, args.approvals)
    _, approve_p95 = line(f"approve x{len(approve_times)}", approve_times, None, update_p50)

    print("\ntargets")
    ok_list = inbox_p95 < 250 and inbox_queries <= 12
    ok_approve = approve_p95 < 50
    print(
        f"  changelist p95 < 250 ms with <= 12 queries: {inbox_p95:.1f} ms, "
        f"{inbox_queries} queries -> {'MET' if ok_list else 'MISSED'}"
    )
    print(f"  approve p95 < 50 ms: {approve_p95:.1f} ms -> {'MET' if ok_approve else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
