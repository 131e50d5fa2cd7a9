"""The in-memory shapes every part of the gate shares: a case to run and a runner's output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CaseSpec:
    """One golden case as the gate sees it, whether it came from the database or a file.

    ``runner_payload()`` is everything a runner is allowed to see: the case id and its input.
    The expected tools and constraints stay on this side of the process boundary.
    """

    case_id: str
    agent: str = ""
    category: str = "core"
    severity: str = "major"
    input: dict = field(default_factory=dict)
    expected_tools: tuple[str, ...] = ()
    positive_constraints: tuple[dict, ...] = ()
    negative_constraints: tuple[dict, ...] = ()
    tags: tuple[str, ...] = ()
    schema_version: int = 2
    golden_case_pk: int | None = None

    def runner_payload(self) -> dict[str, Any]:
        # A seed case (also after a v2 round trip) keeps the seed's stdin shape.
        if self.schema_version == 1 or (not self.agent and set(self.input) == {"query"}):
            return {"id": self.case_id, "input_query": self.input.get("query", "")}
        return {"id": self.case_id, "agent": self.agent, "input": self.input}

    @classmethod
    def from_model(cls, case) -> CaseSpec:
        return cls(
            case_id=case.case_id,
            agent=case.agent,
            category=case.category,
            severity=case.severity,
            input=case.input or {},
            expected_tools=tuple(case.expected_tools or ()),
            positive_constraints=tuple(case.positive_constraints or ()),
            negative_constraints=tuple(case.negative_constraints or ()),
            tags=tuple(case.tags or ()),
            schema_version=case.golden_set.schema_version,
            golden_case_pk=case.pk,
        )


@dataclass
class RunnerOutput:
    """What a runner produced for one case: ``{actual_output, tool_trace_log,
    rag_context_chunks, metadata}`` plus the structured output and any runner error."""

    actual_output: str = ""
    tool_trace_log: list[str] = field(default_factory=list)
    rag_context_chunks: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    structured: dict = field(default_factory=dict)
    error_code: str = ""
    error: str = ""
    duration_ms: float = 0.0
    correlation_id: str = ""

    @property
    def is_error(self) -> bool:
        return bool(self.error_code)

    @classmethod
    def runner_error(cls, code: str, message: str, *, duration_ms: float = 0.0) -> RunnerOutput:
        return cls(error_code=code, error=message, duration_ms=duration_ms)
