"""The old harness's cheat, reproduced: it reads the golden file itself and echoes every
expected phrase back, calling no tool. The gate must not pass it."""

import json
import sys

case = json.load(sys.stdin)
with open(sys.argv[1], encoding="utf-8") as handle:
    golden = json.load(handle)
cases = golden if isinstance(golden, list) else golden["cases"]
expected = next(c for c in cases if c["id"] == case["id"])
phrases = [
    p if isinstance(p, str) else p.get("value", "") for p in expected["positive_constraints"]
]
json.dump(
    {
        "actual_output": ". ".join(str(p) for p in phrases),
        "tool_trace_log": [],
        "rag_context_chunks": [],
        "metadata": {},
    },
    sys.stdout,
)
