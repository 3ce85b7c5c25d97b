"""Complementary partners for every region x every activity of the SBS panel (target: < 5 s).

Run: ``.venv/bin/python benchmarks/bench_partners.py`` (writes docs/benchmarks_partners.md).

Times, on the measures of the SBS panel (loaded and analysed once, not timed):
- the full (region, partner, activity) complementarity tensor of one year (one batched
  matrix product);
- :func:`best_partners`: that tensor plus the 3 best partners of every (region, activity) as
  a tidy frame;
- the same aggregated to every (region, partner, S3 ecosystem) of the Lombardy profile;
- every year of the panel;
- one ranked query with reasons (``smartspec partners ITC4 --activity C30``), the structural
  peers of one region, and the Four Motors benchmark (which re-analyses the panel with the
  NUTS 1 aggregates).
"""
from __future__ import annotations

import os
import platform
import statistics
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _time(fn, repeat: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    warnings.simplefilter("ignore")
    from smartspec.strategy.context import analyse
    from smartspec.strategy.partners import (
        all_complementarities, best_partners, complementary_partners, density_proximity, gain_weights,
        network_benchmark, structural_peers,
    )

    t0 = time.perf_counter()
    a = analyse("eurostat-sbs")
    t_load = time.perf_counter() - t0
    m = a.at(2014)
    keep = m.values.sum(axis=1) > 0
    M, phi = np.asarray(m.mcp, dtype=float)[keep], density_proximity(m)
    t_tensor, gains = _time(lambda: all_complementarities(M, phi))
    t_best, best = _time(lambda: best_partners(a, year=2014, k=3))
    acts = a.panel.activities
    ecos = [[acts.get_loc(c) for c in g.codes(acts)] for g in a.profile.ecosystems.values()]
    E = np.zeros((len(acts), len(ecos)))
    for e, cols in enumerate(ecos):
        E[cols, e] = 1.0 / len(cols)

    def ecosystems():
        lacking = (1.0 - M)[:, None, :] * M[None, :, :]
        return lacking @ (gain_weights(phi) @ E)  # (region, partner, ecosystem)

    t_eco, eco = _time(ecosystems)

    def every_year():
        n = 0
        for y in a.years:
            my = a.at(y)
            k = my.values.sum(axis=1) > 0
            n += all_complementarities(np.asarray(my.mcp, dtype=float)[k], density_proximity(my)).size
        return n

    t_years, n_years = _time(every_year, repeat=3)
    t_one, _ = _time(lambda: complementary_partners(a, "ITC4", activity="C30", top=None))
    t_peers, _ = _time(lambda: structural_peers(a, "ITC4", by="structure"))
    t_net, _ = _time(lambda: network_benchmark(a, "Four Motors for Europe"), repeat=3)
    n_r, _, n_a = gains.shape
    lines = [
        "## Partners: complementarity for every region x activity",
        "",
        "Command: `.venv/bin/python benchmarks/bench_partners.py` (median of 5 runs, 3 for the last two rows; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}). "
        f"Loading and analysing the SBS panel (every year's measures, from the cache) took {t_load:.2f} s "
        "and is not in the figures.",
        "",
        "| what | size | time (s) |",
        "|---|---|---:|",
        f"| every region x partner x activity, SBS 2014 (one matrix product) | {n_r} x {n_r} x {n_a} = "
        f"{gains.size:,} gains | {t_tensor:.3f} |",
        f"| `best_partners`: the same + the 3 best partners of every region x activity as a frame | "
        f"{len(best):,} rows | {t_best:.3f} |",
        f"| every region x partner x S3 ecosystem (Lombardy profile, mean over each ecosystem's activities) | "
        f"{eco.shape[0]} x {eco.shape[1]} x {eco.shape[2]} | {t_eco:.3f} |",
        f"| every region x partner x activity, every year 2008-2015 | {n_years:,} gains | {t_years:.3f} |",
        f"| one region, one activity, every partner ranked with brings and reasons (ITC4, C30) | {n_r - 1} partners | "
        f"{t_one:.3f} |",
        f"| structural peers of one region (both rankings, 15 variables in 5 blocks) | {n_r - 1} regions | "
        f"{t_peers:.3f} |",
        f"| Four Motors benchmark (panel re-analysed with DE1 and FRK aggregated, every year) | 4 members x 8 "
        f"ecosystems | {t_net:.3f} |",
        "",
        f"Target: every region x every activity under 5 s — measured {t_best:.2f} s with the frame "
        f"({t_tensor:.2f} s for the tensor alone).",
    ]
    (ROOT / "docs" / "benchmarks_partners.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
