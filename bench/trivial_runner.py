"""A trivial external runner: reads the case JSON on stdin, prints a fixed valid answer.

Used by bench/replay.py and the external-runner tests to measure the harness, not an agent.
"""

import json
import sys

json.load(sys.stdin)
json.dump(
    {
        "actual_output": "No action taken.",
        "tool_trace_log": [],
        "rag_context_chunks": [],
        "metadata": {"runner": "trivial"},
    },
    sys.stdout,
)
