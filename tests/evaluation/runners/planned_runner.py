"""A runner whose answers come from a plan file (case id → output object), so a test can
change what the "agent" does between two replays. Unknown cases get the plan's "*" entry."""

import json
import sys

case = json.load(sys.stdin)
with open(sys.argv[1], encoding="utf-8") as handle:
    plan = json.load(handle)
json.dump(plan.get(case["id"], plan.get("*")), sys.stdout)
