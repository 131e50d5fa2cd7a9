"""The in-process runner: our real agents on the case input, inside a replay context.

Per case: ``case_id`` and a fresh correlation id are bound, every envelope the run records is
held in a trace scope, and the agent's database writes are rolled back. The tool log is the
tool names of the envelopes the run actually emitted (agent steps ``step.*`` excluded); the
context chunks are what those tools returned. Nothing is read from the case's expectations.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections, transaction

from agents import replay
from agents.gateway import PERMISSIONS, TOOLS
from agents.integrations import mode_of
from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.choices import RunnerKind
from traces.context import replay_context
from traces.recorder import trace_scope

logger = logging.getLogger(__name__)


class CaseTimeout(BaseException):
    """Raised into an overrunning case. A BaseException, so an agent's ``except Exception``
    cannot swallow it; the case's transaction still rolls back."""

    error_code = "TIMEOUT"


@contextlib.contextmanager
def _deadline(seconds: float):
    """Interrupt a case that runs past ``seconds`` (main thread only: SIGALRM is per process).

    Worker threads cannot be interrupted; their overrun is reported after the fact.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum, frame):
        raise CaseTimeout(f"case ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _chunk(output) -> str:
    return output if isinstance(output, str) else json.dumps(output, default=str, sort_keys=True)


class InProcessRunner:
    kind = RunnerKind.IN_PROCESS
    command = ""

    def __init__(self, *, timeout: float = 30.0):
        self.timeout = timeout

    def preflight(self) -> list[str]:
        """Why this process cannot replay in process (empty: it can).

        A replay must never reach a real provider: every integration the replayable agents may
        call has to be in simulated mode. (``email`` may stay live: no replayed agent is allowed
        to call ``email.send``; the gateway refuses it.)
        """
        problems = []
        used = sorted({TOOLS[tool][0] for agent in replay.SUPPORTED for tool in PERMISSIONS[agent]})
        live = [name for name in used if mode_of(name) != "simulated"]
        if live:
            problems.append(
                f"in-process replay needs simulated integrations; live: {', '.join(live)} "
                "(set INTEGRATION_MODES, or replay through --runner-cmd)"
            )
        if not settings.TRACE_ENVELOPE_ENABLED:
            problems.append(
                "in-process replay reads the tool log from trace envelopes, and "
                "TRACE_ENVELOPE_ENABLED is false"
            )
        return problems

    def run(self, case: CaseSpec) -> RunnerOutput:
        if not case.agent:
            return RunnerOutput.runner_error(
                "NO_AGENT", "case names no agent; run it with --runner-cmd"
            )
        started = time.perf_counter()
        scope = None
        correlation_id = ""
        result = None
        error_code = error = ""
        try:
            with (
                _deadline(self.timeout),
                replay_context(case.case_id) as correlation_id,
                trace_scope(hold=True) as scope,
                transaction.atomic(),
            ):
                # The runner hands over a copy of the input only: never the expectations.
                result = replay.run_agent(case.agent, copy.deepcopy(case.input))
                transaction.set_rollback(True)
        except CaseTimeout as exc:
            error_code, error = "TIMEOUT", str(exc)
        except Exception as exc:
            logger.exception("replay case %s: agent %s raised", case.case_id, case.agent)
            error_code = getattr(exc, "error_code", "") or "AGENT_ERROR"
            error = f"{type(exc).__name__}: {exc}"
        duration_ms = (time.perf_counter() - started) * 1000
        if not error_code and duration_ms > self.timeout * 1000 > 0:
            error_code, error = (
                "TIMEOUT",
                f"case took {duration_ms / 1000:.1f} s > {self.timeout:g} s",
            )
        envelopes = list(scope.envelopes) if scope is not None else []
        outputs = list(scope.outputs) if scope is not None else []
        tools, chunks = [], []
        for envelope, output in zip(envelopes, outputs, strict=False):
            name = envelope.get("tool_name") or ""
            if name.startswith("step."):
                continue
            tools.append(name)
            if envelope.get("status") == "ok" and output not in (None, "", [], {}):
                chunks.append(_chunk(output))
        metadata = {
            "agent": case.agent,
            "envelopes": len(envelopes),
            "tool_statuses": [
                f"{e.get('tool_name')}:{e.get('status')}"
                for e in envelopes
                if not str(e.get("tool_name", "")).startswith("step.")
            ],
        }
        if error_code:
            output = RunnerOutput.runner_error(error_code, error, duration_ms=duration_ms)
            output.tool_trace_log, output.metadata = tools, metadata
            output.correlation_id = correlation_id or ""
            return output
        if not isinstance(result, dict) or not isinstance(result.get("output"), str):
            return RunnerOutput.runner_error(
                "INVALID_OUTPUT",
                "run_agent did not return {'output': str, ...}",
                duration_ms=duration_ms,
            )
        structured = result.get("structured") or {}
        return RunnerOutput(
            actual_output=result["output"],
            tool_trace_log=tools,
            rag_context_chunks=chunks,
            metadata=metadata,
            structured=structured if isinstance(structured, dict) else {"value": structured},
            duration_ms=duration_ms,
            correlation_id=correlation_id or "",
        )

    def run_all(self, cases: Sequence[CaseSpec], workers: int = 1) -> list[RunnerOutput]:
        # SQLite serialises writers: threads would only queue on its lock.
        if workers <= 1 or len(cases) <= 1 or connection.vendor == "sqlite":
            # Each case still sees its own envelopes (its scope reports to this one), but they
            # are written in one batch at the end instead of one commit per case.
            with trace_scope(hold=True):
                return [self.run(case) for case in cases]

        def run_in_thread(case: CaseSpec) -> RunnerOutput:
            try:
                return self.run(case)
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="replay") as pool:
            return list(pool.map(run_in_thread, cases))
