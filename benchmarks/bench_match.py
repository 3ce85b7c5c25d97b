"""Warm matchmaking: loading the cached profiles, one ``match`` call, and ``smartspec match``.

Run: ``.venv/bin/python benchmarks/bench_match.py`` (writes docs/benchmarks_match.md). The
profiles are built once if the cache is cold (not timed); then each step is repeated
``REPEATS`` times and the median wall time is reported, with the load average.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
REPEATS = 5
CHALLENGE = "additive manufacturing for aerospace components"


def _median(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    from smartspec.match.matchmaking import match
    from smartspec.match.profiles import load_profiles
    from smartspec.match.registry import load_registry

    reg = load_registry()
    profiles = load_profiles(registry=reg)  # builds the cache entry when cold
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cli = [str(ROOT / ".venv" / "bin" / "smartspec"), "match", CHALLENGE, "--region", "ITC4"]
    load = os.getloadavg()[0]
    rows = [("load_profiles() from the cache", _median(lambda: load_profiles(registry=reg))),
            (f"match({CHALLENGE!r}, region='ITC4')", _median(lambda: match(CHALLENGE, region="ITC4", registry=reg,
                                                                          profiles=profiles))),
            ("`smartspec match ... --region ITC4` (fresh process)",
             _median(lambda: subprocess.run(cli, env=env, capture_output=True, check=True)))]
    lines = ["## Matchmaking (warm)", "",
             f"Command: `.venv/bin/python benchmarks/bench_match.py`. Median of {REPEATS} runs, caches warm; "
             f"{os.cpu_count()} cores, 1-minute load average at the start {load:.1f} (shared machine).", "",
             "| step | wall (s) | target (s) |", "|---|---:|---:|"]
    lines += [f"| {name} | {sec:.2f} | 2 |" for name, sec in rows]
    text = "\n".join(lines) + "\n"
    (ROOT / "docs" / "benchmarks_match.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
