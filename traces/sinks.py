"""Where envelopes go: the database (batched; COPY on PostgreSQL) and an optional JSONL file.

Envelopes arrive here as dicts keyed by the DESIGN section 5 field names, already redacted.
The JSONL sink appends one complete line per envelope with one ``os.write`` on an
``O_APPEND`` descriptor while holding an exclusive ``flock``, so processes sharing the file
never interleave or tear a line.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import threading
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DataError, IntegrityError, connection, transaction

from traces.models import TraceEnvelope

logger = logging.getLogger(__name__)

# Column order of the COPY path and of raw rows.
FIELDS = TraceEnvelope.ENVELOPE_FIELDS
# Below this many rows a multi-row INSERT is as quick as starting a COPY.
COPY_MIN_ROWS = 20


def envelope_row(envelope: dict) -> tuple:
    """One envelope as a COPY row (text format: the JSON column travels as JSON text)."""
    return (
        envelope["id"],
        envelope["timestamp"],
        envelope["correlation_id"],
        envelope["case_id"],
        envelope["parent_id"],
        envelope["agent"],
        envelope["tool_name"],
        envelope["tool_input_summary"],
        envelope["tool_output_summary"],
        json.dumps(envelope["retrieved_context_refs"], separators=(",", ":")),
        envelope["status"],
        envelope["duration_ms"],
        envelope["error_code"],
        envelope["error_message"],
        envelope["schema_version"],
    )


class DatabaseSink:
    """Writes a batch in one round trip: COPY on PostgreSQL, a multi-row INSERT elsewhere."""

    def write(self, envelopes: list[dict]) -> None:
        if not envelopes:
            return
        # A savepoint inside a caller's transaction: a failed write must not poison it.
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(envelopes) >= COPY_MIN_ROWS:
                self._copy(envelopes)
            else:
                self._insert(envelopes)

    def _copy(self, envelopes: list[dict]) -> None:
        table = connection.ops.quote_name(TraceEnvelope._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f) for f in FIELDS)
        # The raw psycopg cursor bypasses Django's error translation; restore it so callers
        # see django.db.DataError / IntegrityError like on every other path.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for envelope in envelopes:
                    copy.write_row(envelope_row(envelope))

    def _insert(self, envelopes: list[dict]) -> None:
        TraceEnvelope.objects.bulk_create(
            [TraceEnvelope(**{f: e[f] for f in FIELDS}) for e in envelopes], batch_size=500
        )

    def write_each(self, envelopes: list[dict]) -> int:
        """Write row by row after a batch failed, so one bad row (a value the database
        refuses) costs only itself; returns how many were written."""
        written = 0
        for envelope in envelopes:
            try:
                with transaction.atomic():
                    self._insert([envelope])
            except (DataError, IntegrityError):
                logger.exception("trace envelope %s refused by the database", envelope["id"])
                continue
            written += 1
        return written

    def unknown(self, envelopes: list[dict]) -> list[dict]:
        """The envelopes whose ids are not stored yet (a client may retry a whole batch)."""
        ids = [e["id"] for e in envelopes]
        stored = TraceEnvelope.objects.filter(id__in=ids).values_list("id", flat=True)
        known = {str(i) for i in stored}
        return [e for e in envelopes if str(e["id"]) not in known]

    def write_new(self, envelopes: list[dict]) -> None:
        """Write envelopes checked with ``unknown``; a concurrent retry that stored some of
        them in between is absorbed instead of failing the batch."""
        try:
            self.write(envelopes)
        except IntegrityError:
            TraceEnvelope.objects.bulk_create(
                [TraceEnvelope(**{f: e[f] for f in FIELDS}) for e in envelopes],
                batch_size=500,
                ignore_conflicts=True,
            )


# The C string escaper behind json.dumps: quotes and escapes to pure ASCII, so no raw newline
# can ever split a line.
_quote = json.encoder.encode_basestring_ascii
_LINE = (
    '{"id":%s,"timestamp":%s,"correlation_id":%s,"case_id":%s,"parent_id":%s,"agent":%s,'
    '"tool_name":%s,"tool_input_summary":%s,"tool_output_summary":%s,'
    '"retrieved_context_refs":[%s],"status":%s,"duration_ms":%s,"error_code":%s,'
    '"error_message":%s,"schema_version":%d}\n'
)


def _text(value) -> str:
    if value is None:
        return "null"
    return _quote(value if type(value) is str else str(value))


def _number(value) -> str:
    value = float(value)
    return repr(value) if math.isfinite(value) else "null"


def envelope_line(envelope: dict) -> bytes:
    """One envelope as one JSONL line: the DESIGN section 5 fields in their fixed order.
    Formatted directly (json.dumps of the dict costs twice as much on the recorder's path)."""
    timestamp = envelope["timestamp"]
    if not isinstance(timestamp, str):
        timestamp = timestamp.isoformat()
    return (
        _LINE
        % (
            _text(envelope["id"]),
            _quote(timestamp),
            _text(envelope["correlation_id"]),
            _text(envelope["case_id"]),
            _text(envelope["parent_id"]),
            _text(envelope["agent"]),
            _text(envelope["tool_name"]),
            _text(envelope["tool_input_summary"]),
            _text(envelope["tool_output_summary"]),
            ",".join(_text(ref) for ref in envelope["retrieved_context_refs"]),
            _text(envelope["status"]),
            _number(envelope["duration_ms"]),
            _text(envelope["error_code"]),
            _text(envelope["error_message"]),
            int(envelope["schema_version"]),
        )
    ).encode("ascii")


class JsonlSink:
    """Appends envelopes to a JSONL file shared by every process that records traces."""

    # How often (seconds) to notice that the file was rotated away and reopen it.
    REOPEN_CHECK_SECONDS = 1.0

    def __init__(self, path: str):
        self.path = os.fspath(path)
        self._fd: int | None = None
        self._pid = 0
        self._inode = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # flock is per open file; threads share ours

    def _descriptor(self) -> int:
        pid = os.getpid()
        now = time.monotonic()
        if self._fd is not None and self._pid == pid:
            if now - self._checked_at < self.REOPEN_CHECK_SECONDS:
                return self._fd
            self._checked_at = now
            try:
                if os.stat(self.path).st_ino == self._inode:
                    return self._fd
            except FileNotFoundError:
                pass
            os.close(self._fd)
        elif self._fd is not None:
            # A forked child must not share the parent's descriptor (flock locks belong to the
            # open file, which parent and child would share): drop its copy, open its own.
            with contextlib.suppress(OSError):
                os.close(self._fd)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        self._fd, self._pid, self._inode = fd, pid, os.fstat(fd).st_ino
        self._checked_at = now
        return fd

    def write(self, envelopes: list[dict]) -> None:
        if not envelopes:
            return
        lines = [envelope_line(e) for e in envelopes]
        with self._lock:
            fd = self._descriptor()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                for line in lines:
                    written = os.write(fd, line)
                    while written < len(line):  # a short write (full disk, signal): finish it
                        line = line[written:]
                        written = os.write(fd, line)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd = None


# --- the active sinks ------------------------------------------------------------------------
_configured: list | None = None
_override: list | None = None


def active_sinks() -> list:
    """The sinks settings ask for: the database, plus JSONL when TRACE_ENVELOPE_FILE is set."""
    global _configured
    if _override is not None:
        return _override
    if _configured is None:
        # The file goes first: unlike the database it cannot be rolled back afterwards.
        sinks: list = []
        if settings.TRACE_ENVELOPE_FILE:
            sinks.append(JsonlSink(settings.TRACE_ENVELOPE_FILE))
        sinks.append(DatabaseSink())
        _configured = sinks
    return _configured


def reset() -> None:
    global _configured
    if _configured:
        for sink in _configured:
            if isinstance(sink, JsonlSink):
                sink.close()
    _configured = None


@contextlib.contextmanager
def use_sinks(sinks: list):
    """Send envelopes to ``sinks`` instead of the configured ones inside the block
    (benchmarks measure the recorder with the database flush left out)."""
    global _override
    previous, _override = _override, list(sinks)
    try:
        yield _override
    finally:
        _override = previous


def _settings_changed(setting, **kwargs):
    if setting in {"TRACE_ENVELOPE_FILE", "DATABASES"}:
        reset()


setting_changed.connect(_settings_changed)


def emit(envelopes: list[dict], *, database_only: bool = False) -> None:
    """Hand a batch to every active sink (or only the database ones, when rewriting rows a
    rolled-back transaction took away). A failing sink is logged with the batch size and does
    not stop the others or the caller: tracing must never break the job it observes."""
    if not envelopes:
        return
    for sink in active_sinks():
        if database_only and not isinstance(sink, DatabaseSink):
            continue
        try:
            sink.write(envelopes)
        except (DataError, IntegrityError):
            if not isinstance(sink, DatabaseSink) or len(envelopes) == 1:
                logger.exception("trace envelope refused by %s", type(sink).__name__)
                continue
            written = sink.write_each(envelopes)
            logger.error(
                "trace batch refused; %d of %d envelopes written one by one",
                written,
                len(envelopes),
            )
        except Exception:
            logger.exception(
                "trace sink %s failed; %d envelopes not written there",
                type(sink).__name__,
                len(envelopes),
            )
