"""Trace context: the golden case being replayed, next to the correlation id.

``case_id`` marks envelopes recorded while a golden case is replayed, so a replay's calls can be
found (and held) apart from production traffic.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from caio_site.runtime.correlation import bind_correlation_id

case_id_var: ContextVar[str | None] = ContextVar("trace_case_id", default=None)


@contextlib.contextmanager
def replay_context(case_id):
    """Run one replayed case: bind ``case_id`` and a fresh correlation id; yields the id."""
    token = case_id_var.set(None if case_id is None else str(case_id))
    try:
        with bind_correlation_id() as correlation_id:
            yield correlation_id
    finally:
        case_id_var.reset(token)
