"""Start-up of the ``smartspec`` command: ``--help`` and warm commands, each in a fresh process.

Run: ``.venv/bin/python benchmarks/bench_cli.py`` (writes docs/benchmarks_cli.md;
``benchmarks/run_all.py --assemble`` joins it into docs/benchmarks.md). Each command runs once
to warm the caches (~/.cache/smartspec), then ``REPEATS`` times; the figures are the median
wall time and the median CPU time (user + system, from ``os.wait4``) of the child. On a shared
machine the wall time grows with the load while the CPU time barely moves, so both are given
with the load average at the start and at the end.

The children write their bytecode (``PYTHONDONTWRITEBYTECODE`` is removed from their
environment): an installed smartspec has its ``.pyc`` files, and a run that compiles every
module from source measures the compiler, not the start-up (0.1-0.2 s of a warm command here).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMARTSPEC = ROOT / ".venv" / "bin" / "smartspec"
REPEATS = 5
COMMANDS = [["--help"], ["profile", "ITC4"], ["peers", "ITC4"], ["opportunities", "ITC4"]]
TARGETS = {"--help": 0.3}  # seconds; every other command: 1 s warm


def run_once(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``smartspec args``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run writes the bytecode, as an install does
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(SMARTSPEC), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"smartspec {' '.join(args)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    start = os.getloadavg()[0]
    rows = []
    for args in COMMANDS:
        run_once(args)
        runs = [run_once(args) for _ in range(REPEATS)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        target = TARGETS.get(args[0], 1.0)
        rows.append(f"| `smartspec {' '.join(args)}` | {wall:.2f} | {cpu:.2f} | {target} |")
        print(rows[-1], file=sys.stderr)
    end = os.getloadavg()[0]
    lines = ["## Command-line start-up", "",
             "Command: `.venv/bin/python benchmarks/bench_cli.py`. Each command in a fresh process, after one "
             f"warm-up run (caches warm, bytecode written); median of {REPEATS} runs. CPU = user + system time of "
             f"the process. {os.cpu_count()} cores, 1-minute load average {start:.1f} at the start and {end:.1f} at "
             "the end (the machine is shared: wall time rises with the load, CPU time much less).", "",
             "| command | wall (s) | CPU (s) | target (s) |", "|---|---:|---:|---:|", *rows]
    text = "\n".join(lines) + "\n"
    (ROOT / "docs" / "benchmarks_cli.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
