"""Every Celery task runs inside a trace scope, so its envelopes are written when it ends.

An eager task started inside an existing scope (a request, a replay case) records into that
scope instead of opening its own: the outer scope decides when to write.
"""

from __future__ import annotations

from celery import signals

from traces.recorder import current_scope, trace_scope

# task id → the open scope's context manager (None when the task joined an outer scope).
_open: dict[str, list] = {}


def _open_scope(task_id=None, **kwargs):
    if current_scope() is not None:
        _open.setdefault(task_id, []).append(None)
        return
    manager = trace_scope()
    manager.__enter__()
    _open.setdefault(task_id, []).append(manager)


def _close_scope(task_id=None, **kwargs):
    stack = _open.get(task_id)
    if not stack:
        return
    manager = stack.pop()
    if not stack:
        del _open[task_id]
    if manager is not None:
        manager.__exit__(None, None, None)


def connect() -> None:
    signals.task_prerun.connect(_open_scope, dispatch_uid="traces.open_task_scope", weak=False)
    signals.task_postrun.connect(_close_scope, dispatch_uid="traces.close_task_scope", weak=False)
