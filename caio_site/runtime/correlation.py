"""Correlation ids: one per request, job or Inngest run.

The id lives in a contextvar so the trace recorder, loggers and the Celery publish hook can read
it without being handed it. HTTP requests take it from ``X-Correlation-ID`` (or get a new one),
Celery tasks restore it from their headers, Inngest functions bind their run id.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Correlation-ID"
_META_KEY = "HTTP_X_CORRELATION_ID"
# Accept caller ids that are safe to log and store; anything else is replaced, never echoed.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_task_tokens: list[Token] = []


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def clean_correlation_id(value: str | None) -> str | None:
    if value and _VALID.match(value):
        return value
    return None


def get_correlation_id() -> str:
    """The current id; one is created and bound when none is set yet."""
    value = correlation_id_var.get()
    if value is None:
        value = new_correlation_id()
        correlation_id_var.set(value)
    return value


@contextlib.contextmanager
def bind_correlation_id(value: str | None = None):
    """Run a block under ``value`` (or a fresh id) and restore the previous id afterwards."""
    token = correlation_id_var.set(clean_correlation_id(value) or new_correlation_id())
    try:
        yield correlation_id_var.get()
    finally:
        correlation_id_var.reset(token)


def bind_correlation_id_for_task(value: str | None) -> None:
    """Bind the id a task arrived with. An eager task (no publish, no headers) keeps the id of
    the code that enqueued it; a worker task without one gets a fresh id."""
    cid = clean_correlation_id(value) or correlation_id_var.get() or new_correlation_id()
    _task_tokens.append(correlation_id_var.set(cid))


def release_task_correlation_id() -> None:
    if _task_tokens:
        correlation_id_var.reset(_task_tokens.pop())


class CorrelationIdMiddleware:
    """Reads or creates the request's correlation id and echoes it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bind_correlation_id(request.META.get(_META_KEY)) as cid:
            request.correlation_id = cid
            response = self.get_response(request)
            response[HEADER] = cid
            return response
