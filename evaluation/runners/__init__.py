"""Runners turn a golden case into ``{actual_output, tool_trace_log, rag_context_chunks,
metadata}``: in process through our agents, or through an external command.

A runner is handed a ``CaseSpec`` but reads only ``case.runner_payload()`` and (in process)
``case.agent`` — never the expected tools or constraints.
"""

from evaluation.runners.external import ExternalRunner
from evaluation.runners.inprocess import InProcessRunner

__all__ = ["ExternalRunner", "InProcessRunner"]
