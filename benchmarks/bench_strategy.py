"""Backtests of both panels, model selection and the opportunities of every NUTS 2 region.

Run: ``.venv/bin/python benchmarks/bench_strategy.py`` (writes docs/benchmarks_strategy.md).
Each backtest is timed from scratch in the process (candidate frames, features, training and
scoring) after the datasets are parsed and their measures cached on disk; the best of 3
repetitions is reported.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

from common import best_of, every_region, nuts2_regions

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    warnings.simplefilter("ignore")
    from smartspec.strategy import analyse, opportunities
    from smartspec.strategy import forecast as F

    def reset():
        F._backtest_cached.cache_clear()
        F._data_cached.cache_clear()

    rows = []
    for ds in ("eurostat-sbs", "patents-wipo35"):
        F.backtest(ds)  # parse and cache the data once
        t, table = best_of(lambda: F.backtest(ds), reset=reset)
        a = table[(table["subset"] == "all")].set_index("predictor")
        rows.append((f"backtest {ds}: {a.at['model', 'n']:,} test candidates, {table.attrs['train_size']:,} "
                     f"training candidates, 5 predictors x 3 subsets + validation", t, 1))
    t, _ = best_of(lambda: F.select_model(), n=1)
    rows.append(("select_model: 9 settings x 2 panels on the validation transitions", t, 1))

    a = analyse("eurostat-sbs")
    regions = nuts2_regions(a)
    opportunities(a, "ITC4")  # trains the entry model once per year and analysis

    t, ok = best_of(lambda: every_region(lambda r: opportunities(a, r), regions))
    rows.append(("opportunities (with entry probabilities and reasons), every region", t, ok))
    lines = [
        "## Opportunities, backtest, model selection", "",
        f"Command: `.venv/bin/python benchmarks/bench_strategy.py` on {os.cpu_count()} cores; "
        f"eurostat-sbs: {len(a.panel.regions)} NUTS 2 regions x {len(a.panel.activities)} NACE divisions, "
        f"{len(a.years)} years; patents-wipo35: countries x 35 WIPO fields in 5-year windows. Times after the data "
        "are parsed and their measures cached; best of 3 (select_model: 1 run).", "",
        "| task | seconds | regions done |", "|---|---:|---:|",
        *[f"| {name} | {t:.2f} | {n} |" for name, t, n in rows], "",
    ]
    (ROOT / "docs" / "benchmarks_strategy.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
