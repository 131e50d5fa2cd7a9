"""Reading what the JSONL trace sink wrote."""

from __future__ import annotations

import json


def read_jsonl(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]
