"""Complementary partners for every region x every activity of the SBS panel.

Run: ``.venv/bin/python benchmarks/bench_partners.py`` (writes docs/benchmarks_partners.md).
Times the full (region, partner, activity) complementarity tensor of 2014 and, for
comparison, ranking the partners of one region for one activity with every filter off.
"""
from __future__ import annotations

import statistics
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    warnings.simplefilter("ignore")
    from smartspec.strategy.context import analyse
    from smartspec.strategy.partners import _density_proximity, all_complementarities, complementary_partners

    a = analyse("eurostat-sbs")
    m = a.at(2014)
    keep = m.values.sum(axis=1) > 0
    M, phi = m.mcp[keep], _density_proximity(m)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        gains = all_complementarities(M, phi)
        times.append(time.perf_counter() - t0)
    one = []
    for _ in range(5):
        t0 = time.perf_counter()
        complementary_partners(a, "ITC4", activity="C30", top=None)
        one.append(time.perf_counter() - t0)
    n_r, _, n_a = gains.shape
    lines = [
        "## Partners: complementarity for every region x activity",
        "",
        "Command: `.venv/bin/python benchmarks/bench_partners.py` (median of 5 runs).",
        "",
        f"| what | size | time (s) |",
        "|---|---|---:|",
        f"| every region x partner x activity (SBS 2014) | {n_r} x {n_r} x {n_a} = {gains.size:,} gains | "
        f"{statistics.median(times):.3f} |",
        f"| one region, one activity, all partners ranked with reasons | {n_r - 1} partners | "
        f"{statistics.median(one):.3f} |",
        "",
        "Target: every region x every activity under 5 s.",
    ]
    (ROOT / "docs" / "benchmarks_partners.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
