"""Cold parse versus cached load of every named dataset.

Run: ``.venv/bin/python benchmarks/bench_data.py`` (writes docs/benchmarks_data.md).
Each dataset is loaded into a fresh empty cache (parse + write), then again (cache read),
repeated ``REPEATS`` times; medians are reported.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 3
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from smartspec.data.datasets import DATASETS, load_dataset

    rows = []
    for name in DATASETS:
        cold, warm = [], []
        for _ in range(REPEATS):
            with tempfile.TemporaryDirectory() as cache:
                os.environ["SMARTSPEC_CACHE"] = cache
                t0 = time.perf_counter()
                load_dataset(name)
                t1 = time.perf_counter()
                load_dataset(name)
                t2 = time.perf_counter()
            cold.append(t1 - t0)
            warm.append(t2 - t1)
        c, w = statistics.median(cold), statistics.median(warm)
        rows.append((name, c, w, c / w))
        print(f"{name:18s} first {c:7.3f} s   cached {w:7.3f} s   {c / w:5.1f}x", file=sys.stderr)
    lines = [
        "## Data loading: first parse vs cached load",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_data.py` (median of {REPEATS} runs, each in a fresh cache).",
        "",
        "| dataset | first load (s) | cached load (s) | speed-up |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | {c:.3f} | {w:.3f} | {r:.1f}x |" for n, c, w, r in rows]
    (ROOT / "docs" / "benchmarks_data.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
