"""The timeline of one correlation id: its spans in start order, each under its parent."""

from __future__ import annotations

import dataclasses

from traces.choices import TRACE_FAILED_STATUSES
from traces.models import TraceEnvelope

# A trace longer than this is shown cut (with a note); nobody reads 5,000 spans on one page.
MAX_SPANS = 2000


@dataclasses.dataclass
class TimelineRow:
    envelope: TraceEnvelope
    depth: int
    offset_ms: float  # from the first span's start

    @property
    def failed(self) -> bool:
        return self.envelope.status in TRACE_FAILED_STATUSES


@dataclasses.dataclass
class Timeline:
    correlation_id: str
    rows: list[TimelineRow]
    truncated: bool
    total_ms: float


def build_timeline(correlation_id: str) -> Timeline:
    """One query; children follow their parent depth-first, siblings in start order. A span
    whose parent is missing (pruned, or from another process) starts its own branch."""
    envelopes = list(
        TraceEnvelope.objects.filter(correlation_id=correlation_id).order_by("timestamp", "id")[
            : MAX_SPANS + 1
        ]
    )
    truncated = len(envelopes) > MAX_SPANS
    envelopes = envelopes[:MAX_SPANS]
    ids = {e.id for e in envelopes}
    children: dict = {}
    roots = []
    for envelope in envelopes:
        if envelope.parent_id in ids:
            children.setdefault(envelope.parent_id, []).append(envelope)
        else:
            roots.append(envelope)
    start = envelopes[0].timestamp if envelopes else None
    rows: list[TimelineRow] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        envelope, depth = stack.pop()
        offset = (envelope.timestamp - start).total_seconds() * 1000.0
        rows.append(TimelineRow(envelope=envelope, depth=depth, offset_ms=offset))
        for child in reversed(children.get(envelope.id, ())):
            stack.append((child, depth + 1))
    total = max((r.offset_ms + r.envelope.duration_ms for r in rows), default=0.0)
    return Timeline(correlation_id=correlation_id, rows=rows, truncated=truncated, total_ms=total)
