"""The trace recorder: one envelope per tool call or agent step.

    with trace_scope():                                    # one job / request / replay case
        with agent_step("draft_email", "draft_email") as step:
            with record_tool("draft_email", "crm.read_contact", input={"lead": 12}) as t:
                t.output = contact
                t.add_refs("lead:12")

Spans read the correlation id and the golden case id from contextvars, nest through a contextvar
(the enclosing span becomes ``parent_id``), and are redacted when they close. Envelopes are
buffered in the innermost enclosing scope and written when the outermost scope exits (also when
its block raises), every ``TRACE_FLUSH_EVERY`` envelopes, and at once after a failed span;
``hold=True`` keeps everything until the scope exits. Outside any scope an envelope is written
at once. With ``TRACE_ENVELOPE_ENABLED=false`` spans still accept ``.output`` and friends but
record nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.db import connection, transaction

from caio_site.runtime.correlation import get_correlation_id
from traces import sinks
from traces.choices import (
    MAX_CONTEXT_REFS,
    SCHEMA_VERSION,
    STEP_PREFIX,
    TRACE_FAILED_STATUSES,
    TraceStatus,
)
from traces.context import case_id_var
from traces.redaction import cut, redact, redact_text, summarize

DEFAULT_ERROR_CODE = "ADAPTER_ERROR"
ERROR_MESSAGE_MAX_CHARS = 2000
ERROR_CODE_MAX_CHARS = 64
# Column sizes: a longer name from a caller's bug is cut, not allowed to fail its whole batch.
AGENT_MAX_CHARS = 64
TOOL_NAME_MAX_CHARS = 128
CASE_ID_MAX_CHARS = 128

_span_var: ContextVar[Span | None] = ContextVar("trace_span", default=None)
_scope_var: ContextVar[TraceScope | None] = ContextVar("trace_scope", default=None)
_UTC = datetime.UTC


class TraceScope:
    """The envelopes of one job, request or replay case.

    ``envelopes`` are the redacted envelope dicts recorded inside, ``outputs`` the parallel
    redacted output objects (for runners that need the content, not just its summary; redacted
    when first read, so a recorder nobody reads from does not pay for it). A scope opened inside
    another one also reports to it, and only the outermost scope writes.
    """

    __slots__ = (
        "hold",
        "parent",
        "envelopes",
        "_raw_outputs",
        "_outputs",
        "_pending",
        "_flush_every",
        "_in_transaction",
    )

    def __init__(self, hold: bool = False, parent: TraceScope | None = None):
        self.hold = hold
        self.parent = parent
        self.envelopes: list[dict] = []
        self._raw_outputs: list = []
        self._outputs: list = []
        self._pending: list[dict] = []
        self._flush_every = settings.TRACE_FLUSH_EVERY
        # Batches written inside a caller's transaction: [batch, committed?]
        self._in_transaction: list[list] = []

    @property
    def outputs(self) -> list:
        for raw in self._raw_outputs[len(self._outputs) :]:
            self._outputs.append(None if raw is None else redact(raw))
        return self._outputs

    def add(self, envelope: dict, output, failed: bool) -> None:
        self.envelopes.append(envelope)
        self._raw_outputs.append(output)
        if self.parent is not None:
            self.parent.add(envelope, output, failed)
            return
        self._pending.append(envelope)
        if not self.hold and (failed or len(self._pending) >= self._flush_every):
            self.flush()

    def flush(self) -> None:
        if self.parent is not None or not self._pending:
            return
        batch, self._pending = self._pending, []
        sinks.emit(batch)
        if connection.in_atomic_block:
            # These rows share the caller's transaction; if it rolls back (the job failed)
            # they would go with it, so remember them until it commits.
            entry = [batch, False]
            self._in_transaction.append(entry)
            transaction.on_commit(functools.partial(_mark_committed, entry))

    def rewrite_rolled_back(self) -> int:
        """Write again the batches whose transaction rolled back; returns how many envelopes.
        Only outside every transaction: inside one, the outcome is not known yet."""
        if not self._in_transaction or connection.in_atomic_block:
            return 0
        lost = [e for batch, committed in self._in_transaction if not committed for e in batch]
        self._in_transaction = []
        if lost:
            sinks.emit(lost, database_only=True)
        return len(lost)


def _mark_committed(entry: list) -> None:
    entry[1] = True


@contextlib.contextmanager
def trace_scope(hold: bool = False):
    """Buffer the envelopes recorded inside and write them when the block ends, even when it
    raises. Rows written while the block was inside a transaction that then rolled back are
    written again when the scope exits outside any transaction — so open it outside the
    transaction a job may roll back (Celery tasks get one before their body runs)."""
    scope = TraceScope(hold, _scope_var.get())
    token = _scope_var.set(scope)
    try:
        yield scope
    finally:
        _scope_var.reset(token)
        scope.flush()
        scope.rewrite_rolled_back()


def current_scope() -> TraceScope | None:
    return _scope_var.get()


class Span:
    """One tool call (or agent step) being recorded. Context manager and decorator."""

    __slots__ = (
        "agent",
        "tool_name",
        "input",
        "output",
        "refs",
        "status",
        "error_code",
        "error_message",
        "id",
        "parent_id",
        "timestamp",
        "_started",
        "_token",
        "_on",
    )

    def __init__(self, agent: str, tool_name: str, input=None, refs=None):
        self.agent = agent
        self.tool_name = tool_name
        self.input = input
        self.output = None
        self.refs: list[str] = []
        self.status = TraceStatus.OK
        self.error_code: str | None = None
        self.error_message: str | None = None
        self.id: str | None = None
        self.parent_id: str | None = None
        self._on = False
        if refs:
            self.add_refs(*refs)

    # --- what the wrapped code reports ---------------------------------------------------------
    def add_refs(self, *ids) -> None:
        """Record ids of the records the call read (``"lead:12"``); at most 100 are kept."""
        refs = self.refs
        for ref in ids:
            if len(refs) >= MAX_CONTEXT_REFS:
                return
            ref = str(ref)
            if ref not in refs:
                refs.append(ref)

    def fail(self, error_code: str, message: str = "") -> None:
        """End as ``error`` without raising (the call failed but the caller carries on)."""
        self.status, self.error_code, self.error_message = TraceStatus.ERROR, error_code, message

    def block(self, error_code: str, message: str = "") -> None:
        """End as ``blocked``: a policy (permission, rate limit, circuit) refused the call."""
        self.status, self.error_code, self.error_message = TraceStatus.BLOCKED, error_code, message

    # --- context manager -----------------------------------------------------------------------
    def __enter__(self) -> Span:
        if not settings.TRACE_ENVELOPE_ENABLED:
            return self
        self._on = True
        parent = _span_var.get()
        self.parent_id = parent.id if parent is not None else None
        self.id = str(uuid.uuid4())
        self.timestamp = datetime.datetime.now(_UTC)
        self._token = _span_var.set(self)
        self._started = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if not self._on:
            return False
        duration_ms = (time.perf_counter() - self._started) * 1000.0
        _span_var.reset(self._token)
        self._on = False
        if exc is not None:
            self.status = TraceStatus.ERROR
            self.error_code = str(getattr(exc, "error_code", None) or DEFAULT_ERROR_CODE)
            self.error_message = str(exc) or exc_type.__name__
        self._emit(duration_ms)
        return False

    # --- decorator -----------------------------------------------------------------------------
    def __call__(self, func):
        """Record every call of ``func`` as its own span; the return value is the output."""
        agent, tool_name, input, refs = self.agent, self.tool_name, self.input, list(self.refs)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with Span(agent, tool_name, input, refs) as span:
                result = func(*args, **kwargs)
                span.output = result
                return result

        return wrapper

    def _emit(self, duration_ms: float) -> None:
        message = self.error_message
        envelope = {
            "id": self.id,
            "timestamp": self.timestamp,
            "correlation_id": get_correlation_id(),
            "case_id": _identifier(case_id_var.get()),
            "parent_id": self.parent_id,
            "agent": self.agent[:AGENT_MAX_CHARS],
            "tool_name": self.tool_name[:TOOL_NAME_MAX_CHARS],
            "tool_input_summary": summarize(self.input),
            "tool_output_summary": summarize(self.output),
            "retrieved_context_refs": [_text(r) for r in self.refs] if self.refs else [],
            "status": str(self.status),
            "duration_ms": duration_ms,
            "error_code": cut(_text(str(self.error_code)), ERROR_CODE_MAX_CHARS)
            if self.error_code is not None
            else None,
            "error_message": cut(_text(str(message)), ERROR_MESSAGE_MAX_CHARS)
            if message is not None
            else None,
            "schema_version": SCHEMA_VERSION,
        }
        scope = _scope_var.get()
        if scope is None:
            sinks.emit([envelope])
        else:
            scope.add(envelope, self.output, envelope["status"] in TRACE_FAILED_STATUSES)


def _identifier(value: str | None) -> str | None:
    return None if value is None else value[:CASE_ID_MAX_CHARS]


def _text(value: str) -> str:
    """Free text as stored: redacted, and without NUL characters (PostgreSQL text refuses
    them, and one would fail the whole batch)."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    return redact_text(value)


def record_tool(agent: str, tool: str, input=None, refs=None) -> Span:
    """A span for one tool call: ``with record_tool(...) as t:`` or ``@record_tool(...)``.

    An exception inside ends it as ``error`` with ``error_code`` taken from the exception
    (``ADAPTER_ERROR`` when it has none) and is re-raised.
    """
    return Span(agent, tool, input, refs)


def agent_step(agent: str, step: str, input=None) -> Span:
    """A span for one agent step; its tool name is ``step.<step>`` and it parents the tool
    calls made inside it."""
    return Span(agent, STEP_PREFIX + step, input)
