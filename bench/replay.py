"""Replay gate throughput, measured in one run (figures, not assertions).

1. in-process gate: `manage.py replay` on our golden set with the real agents, timed as a
   subprocess — the whole command wall time, Django start-up included;
2. external runner: the 50 seed v1 cases through `--runner-cmd bench/trivial_runner.py
   --workers 2` — timed both as the whole command and as the `run_replay` call alone
   (subprocesses + judging + storing, without Django start-up);
3. baseline: the old harness's shape — a plain sequential loop starting one trivial-runner
   subprocess per case and judging nothing;
4. the ratio of (2) to (3), in cases per second.

Usage: .venv/bin/python bench/replay.py [--repeat 3]
Uses DATABASE_URL when set (else the embedded SQLite default) and migrates it first.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUR_SET = ROOT / "evaluation" / "golden" / "caio_gtm_v2.json"
V1_SEED = ROOT / "evaluation" / "golden" / "v1_seed.json"
TRIVIAL = ROOT / "bench" / "trivial_runner.py"


def manage(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return time.perf_counter() - started, proc


def tail_value(stdout: str, key: str) -> str:
    for line in reversed(stdout.splitlines()):
        if line.startswith(f"{key}: "):
            return line.split(": ", 1)[1]
    return "?"


def sequential_loop(cases: list[dict]) -> float:
    """The old harness: one subprocess per case, one after another, no judging."""
    started = time.perf_counter()
    for case in cases:
        payload = json.dumps({"id": case["id"], "input_query": case["input_query"]})
        proc = subprocess.run(
            [PYTHON, str(TRIVIAL)], input=payload, capture_output=True, text=True, check=True
        )
        json.loads(proc.stdout)
    return time.perf_counter() - started


def external_run_replay_seconds() -> float:
    """`run_replay` alone (no Django start-up) on the seed cases with 2 workers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caio_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from evaluation.golden_io import load_file
    from evaluation.replay import GateOptions, run_replay
    from evaluation.runners import ExternalRunner

    parsed = load_file(V1_SEED)
    runner = ExternalRunner(shlex.join([PYTHON, str(TRIVIAL)]), timeout=30)
    options = GateOptions(min_pass_rate=0.0, baseline="none", workers=2)
    started = time.perf_counter()
    run_replay(runner=runner, golden_file=parsed, options=options, triggered_by="bench")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (median).")
    args = parser.parse_args()

    _, migrated = manage("migrate", "--noinput")
    if migrated.returncode != 0:
        sys.exit(f"migrate failed:\n{migrated.stderr}")
    n_ours = len(json.loads(OUR_SET.read_text())["cases"])
    seed_cases = json.loads(V1_SEED.read_text())

    command = shlex.join([PYTHON, str(TRIVIAL)])
    n_seed = len(seed_cases)

    def external_block() -> tuple[list[float], list[float], list[float]]:
        # Interleaved, so load from anything else on the machine hits each measurement alike.
        ext_cmd, ext_call, loop = [], [], []
        for _ in range(args.repeat):
            seconds, _ = manage(
                "replay",
                "--golden-set",
                str(V1_SEED),
                "--runner-cmd",
                command,
                "--workers",
                "2",
                "--min-pass-rate",
                "0",
                "--baseline",
                "none",
            )
            ext_cmd.append(seconds)
            ext_call.append(external_run_replay_seconds())
            loop.append(sequential_loop(seed_cases))
        return ext_cmd, ext_call, loop

    def report_external(label: str, block) -> None:
        ext_cmd, ext_call, loop = (statistics.median(times) for times in block)
        paired = statistics.median(lp / ec for lp, ec in zip(block[2], block[1], strict=True))
        print(f"[{label}]")
        print(
            f"  external runner, {n_seed} v1 cases, --workers 2, run_replay alone:"
            f" {ext_call:.2f} s = {n_seed / ext_call:.1f} cases/s"
        )
        print(
            f"  external runner, {n_seed} v1 cases, --workers 2, whole command:"
            f" {ext_cmd:.2f} s = {n_seed / ext_cmd:.1f} cases/s"
        )
        print(
            f"  sequential loop (one subprocess per case, no judging): {loop:.2f} s"
            f" = {n_seed / loop:.1f} cases/s ({loop / n_seed * 1000:.0f} ms a case)"
        )
        print(
            f"  ratio external (run_replay) / loop: {loop / ext_call:.2f}x"
            f" (median of back-to-back pairs {paired:.2f}x);"
            f" whole command / loop: {loop / ext_cmd:.2f}x"
        )

    before = external_block()
    gate_times, gate_out = [], None
    for _ in range(args.repeat):
        seconds, gate_out = manage(
            "replay", "--golden-set", str(OUR_SET), "--min-pass-rate", "0.95", "--baseline", "none"
        )
        gate_times.append(seconds)
    # The same external measurements again after the gates: the two cores are shared with
    # other work, and two blocks a minute apart show how much that moves the figures (both
    # are printed, never just the better one).
    after = external_block()

    gate = statistics.median(gate_times)
    print(f"machine: {os.cpu_count()} cores; median of {args.repeat} runs each")
    print(
        f"in-process gate, {n_ours} cases (whole `manage.py replay`, start-up included):"
        f" {gate:.2f} s wall = {n_ours / gate:.1f} cases/s;"
        f" pass_rate {tail_value(gate_out.stdout, 'pass_rate')},"
        f" block_build {tail_value(gate_out.stdout, 'block_build')}"
    )
    report_external("external path, measured before the gates", before)
    report_external("external path, measured after the gates", after)


if __name__ == "__main__":
    main()
