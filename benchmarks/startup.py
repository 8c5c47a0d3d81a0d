"""Start-up time of the ``hotwash`` console script, against a bare interpreter.

Runs, as whole processes and interleaved round by round (order rotated each
round so that no command always runs first):

    hotwash --version        the command the goal is about
    python -c pass           reference: the same interpreter doing nothing
    hotwash --help           for information only (imports Click)

Goal: ``hotwash --version`` median within 3x of ``python -c pass``. This is a
measurement, so it always exits 0; the verdict is printed.

    python benchmarks/startup.py [--rounds 30] [--warmup 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

GOAL = 3.0


def run_once(cmd: list[str]) -> float:
    """Wall time of one run of ``cmd``, in milliseconds."""
    t0 = time.perf_counter_ns()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    took = (time.perf_counter_ns() - t0) / 1e6
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()}")
    return took


def p90(values: list[float]) -> float:
    """90th percentile, interpolated between the closest ranks."""
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args(argv)

    # On PATH, or else next to this interpreter (a virtualenv run without activating it).
    here = os.path.dirname(sys.executable)
    script = shutil.which("hotwash") or shutil.which("hotwash", path=here)
    if script is None:
        print("no hotwash console script found: activate the virtualenv", file=sys.stderr)
        return 0
    commands = {
        "hotwash --version": [script, "--version"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "hotwash --help": [script, "--help"],
    }
    names = list(commands)
    print(f"hotwash:    {script}")
    print(f"python:     {sys.executable} ({sys.version.split()[0]})")
    print(f"rounds:     {args.rounds} each, after {args.warmup} warm-up rounds, interleaved")

    for _ in range(args.warmup):
        for cmd in commands.values():
            run_once(cmd)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(args.rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(run_once(commands[name]))

    print()
    print(f"{'command':<20} {'median ms':>10} {'p90 ms':>10} {'min ms':>10}")
    for name in names:
        t = times[name]
        print(f"{name:<20} {statistics.median(t):>10.1f} {p90(t):>10.1f} {min(t):>10.1f}")

    base = statistics.median(times["python -c pass"])
    version = statistics.median(times["hotwash --version"])
    helps = statistics.median(times["hotwash --help"])
    ratio = version / base
    print()
    print(f"hotwash --version / python -c pass (medians): {ratio:.2f}x   goal: within {GOAL:.0f}x")
    print(f"hotwash --help    / python -c pass (medians): {helps / base:.2f}x   (information)")
    print(
        f"GOAL {'MET' if ratio <= GOAL else 'NOT MET'}: hotwash --version is {ratio:.2f}x "
        f"the bare interpreter's start-up"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
