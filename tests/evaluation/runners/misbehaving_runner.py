"""A runner that breaks the contract in the way named on its command line."""

import json
import sys
import time

mode = sys.argv[1]
received = json.load(sys.stdin)
if mode == "exit1":
    sys.stderr.write("boom: agent crashed\n")
    sys.exit(1)
if mode == "empty":
    sys.exit(0)
if mode == "invalid":
    sys.stdout.write("{not json")
    sys.exit(0)
if mode == "sleep":
    time.sleep(float(sys.argv[2]))
if mode == "barrier":
    # Wait (up to 5 s) until the given number of cases are running at the same time.
    import pathlib

    folder, count = pathlib.Path(sys.argv[2]), int(sys.argv[3])
    (folder / received["id"]).touch()
    deadline = time.monotonic() + 5
    while len(list(folder.iterdir())) < count:
        if time.monotonic() > deadline:
            sys.exit(3)
        time.sleep(0.01)
if mode == "list":
    json.dump([1, 2], sys.stdout)
    sys.exit(0)
if mode == "wrong_shape":
    json.dump({"actual_output": 42, "tool_trace_log": "crm.read_contact"}, sys.stdout)
    sys.exit(0)
json.dump(
    {
        "actual_output": "ok",
        "tool_trace_log": [],
        "rag_context_chunks": [],
        "metadata": {"received": received},
    },
    sys.stdout,
)
