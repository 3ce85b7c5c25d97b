"""Transition paths, systems of competence and cross-sector niches for every NUTS 2 region of
the SBS panel.

Run: ``.venv/bin/python benchmarks/bench_paths.py`` (writes docs/benchmarks_paths.md).
Times are after the analysis (measures of every year) is computed and cached; the best of
3 repetitions is reported.
"""
from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

from common import best_of, every_region, nuts2_regions

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    warnings.simplefilter("ignore")
    from smartspec.strategy import (analyse, competence_systems, cross_sector_niches, region_competences,
                                    transition_paths)

    t0 = time.perf_counter()
    a = analyse("eurostat-sbs")
    t_analyse = time.perf_counter() - t0
    regions = nuts2_regions(a)

    rows = []
    t, ok = best_of(lambda: every_region(lambda r: transition_paths(a, r, "fashion", "aerospace", k=5), regions))
    rows.append(("transition_paths fashion -> aerospace, k=5, every region", t, ok))
    from smartspec.strategy.diversification import opportunities
    from smartspec.strategy.paths import default_groups

    ranked = {}
    for r in regions:  # the store passes its opportunity ranking; ranked once here, outside the timing
        try:
            ranked[r] = list(opportunities(a, r, with_probability=False)["activity"])
        except Exception:  # noqa: BLE001 - a region without opportunities has no derived paths
            ranked[r] = []

    def derived(r):
        (_, sources), (_, targets) = default_groups(a, r, ranked=ranked[r])
        return transition_paths(a, r, sources, targets, k=3)

    t, ok = best_of(lambda: every_region(derived, regions))
    rows.append(("derived default paths (largest specialisations -> best opportunities), k=3, every region", t, ok))
    t, _ = best_of(lambda: (a._cache.clear(), competence_systems(a))[1])
    rows.append(("competence_systems: backbone + 14 Leiden runs (1 + 10 seeds + 3 resolutions)", t, 1))
    systems = competence_systems(a)
    t, ok = best_of(lambda: every_region(lambda r: region_competences(a, r, systems=systems), regions))
    rows.append(("region_competences, every region", t, ok))
    t, ok = best_of(lambda: every_region(lambda r: cross_sector_niches(a, r, top=15), regions))
    rows.append(("cross_sector_niches top 15, every region (WIOD tables read once per country)", t, ok))
    lines = ["## Transition paths, competences, niches", "",
             f"Command: `.venv/bin/python benchmarks/bench_paths.py` on {os.cpu_count()} cores; "
             f"{len(regions)} NUTS 2 regions x {len(a.panel.activities)} NACE divisions, "
             f"{len(a.years)} years (eurostat-sbs). Analysis (load + measures of every year, cached after the "
             f"first run): {t_analyse:.2f} s. Best of 3.", "",
             "| task | seconds | regions done |", "|---|---:|---:|"]
    lines += [f"| {name} | {t:.2f} | {ok} |" for name, t, ok in rows]
    text = "\n".join(lines) + "\n"
    (ROOT / "docs" / "benchmarks_paths.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
