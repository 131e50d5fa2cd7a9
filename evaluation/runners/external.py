"""The external command runner: the seed harness's contract, without handing over the answers.

Each case starts the command once with a JSON object on stdin — ``{"id", "input_query"}`` for v1
cases, ``{"id", "agent", "input"}`` for v2 — and expects one JSON object on stdout with
``actual_output`` (str), ``tool_trace_log`` (list of tool names), ``rag_context_chunks`` (list)
and ``metadata`` (object; ``structured`` may ride in it or at the top level). A non-zero exit,
empty or invalid output, a wrong shape, or a timeout becomes a ``runner_error`` result.
Cases run in parallel on ``workers`` threads, each waiting on its own subprocess.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.choices import RunnerKind

_STDERR_TAIL = 500


class ExternalRunner:
    kind = RunnerKind.EXTERNAL

    def __init__(self, command: str | Sequence[str], *, timeout: float = 30.0, cwd=None):
        self.argv = shlex.split(command) if isinstance(command, str) else list(command)
        if not self.argv:
            raise ValueError("runner command is empty")
        self.command = command if isinstance(command, str) else shlex.join(self.argv)
        self.timeout = timeout
        self.cwd = cwd

    def run(self, case: CaseSpec) -> RunnerOutput:
        payload = json.dumps(case.runner_payload())
        started = time.perf_counter()

        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        try:
            proc = subprocess.run(
                self.argv,
                input=payload,
                capture_output=True,
                text=True,
                timeout=self.timeout,
                cwd=self.cwd,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return RunnerOutput.runner_error(
                "TIMEOUT", f"no answer within {self.timeout:g} s", duration_ms=elapsed()
            )
        except OSError as exc:
            return RunnerOutput.runner_error(
                "NOT_STARTED", f"could not start {self.argv[0]!r}: {exc}", duration_ms=elapsed()
            )
        if proc.returncode != 0:
            tail = proc.stderr.strip()[-_STDERR_TAIL:]
            return RunnerOutput.runner_error(
                "NONZERO_EXIT", f"exit code {proc.returncode}: {tail}", duration_ms=elapsed()
            )
        output = parse_runner_output(proc.stdout)
        output.duration_ms = elapsed()
        return output

    def run_all(self, cases: Sequence[CaseSpec], workers: int = 1) -> list[RunnerOutput]:
        return list(self.iter_all(cases, workers))

    def iter_all(self, cases: Sequence[CaseSpec], workers: int = 1) -> Iterator[RunnerOutput]:
        """Outputs in case order, each as soon as it is ready, so the caller judges one case
        while the workers are still running the next ones."""
        if workers <= 1 or len(cases) <= 1:
            yield from map(self.run, cases)
            return
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="replay") as pool:
            yield from pool.map(self.run, cases)


def parse_runner_output(stdout: str) -> RunnerOutput:
    """Validate one stdout document; any deviation from the contract is a runner error."""
    if not stdout.strip():
        return RunnerOutput.runner_error("EMPTY_OUTPUT", "the runner printed nothing")
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as exc:
        return RunnerOutput.runner_error("INVALID_JSON", f"stdout is not JSON: {exc}")
    if not isinstance(data, dict):
        return RunnerOutput.runner_error("INVALID_OUTPUT", "stdout is not a JSON object")
    problems = []
    if not isinstance(data.get("actual_output"), str):
        problems.append("actual_output must be a string")
    tools = data.get("tool_trace_log", [])
    if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
        problems.append("tool_trace_log must be a list of strings")
    chunks = data.get("rag_context_chunks", [])
    if not isinstance(chunks, list):
        problems.append("rag_context_chunks must be a list")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        problems.append("metadata must be an object")
    structured = data.get("structured", metadata.get("structured", {}) if metadata else {})
    if not isinstance(structured, dict):
        problems.append("structured must be an object")
    if problems:
        return RunnerOutput.runner_error("INVALID_OUTPUT", "; ".join(problems))
    return RunnerOutput(
        actual_output=data["actual_output"],
        tool_trace_log=list(tools),
        rag_context_chunks=[c if isinstance(c, str) else json.dumps(c) for c in chunks],
        metadata=metadata,
        structured=structured,
    )
