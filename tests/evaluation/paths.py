"""Paths of the committed golden files and of the test runner scripts."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "evaluation" / "golden"
RUNNERS_DIR = Path(__file__).resolve().parent / "runners"
V1_SEED = GOLDEN_DIR / "v1_seed.json"
OUR_SET = GOLDEN_DIR / "caio_gtm_v2.json"


def runner_cmd(script: str, *args: str) -> str:
    """A shell-quoted command line running one of the test runner scripts."""
    return shlex.join([sys.executable, str(RUNNERS_DIR / script), *map(str, args)])
