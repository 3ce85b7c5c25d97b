"""smartspec.measures against the anchors, side by side in one run.

Run: ``.venv/bin/python benchmarks/bench_measures.py`` (writes docs/benchmarks_measures.md).
``--full`` also runs the anchors on the 2,000 x 5,000 panel (about 10 minutes each).

Every case runs in a fresh subprocess so that its peak resident memory (ru_maxrss) is its
own; times are the median of ``REPEATS`` runs inside that process, after one warm-up.
Synthetic panels are lognormal values with region and activity size effects and 30% zeros,
generated with a fixed seed.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
CASES = {"300x600x10": (300, 600, 10), "2000x5000x1": (2000, 5000, 1)}


def synthetic(n_regions: int, n_activities: int, n_years: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for y in range(n_years):
        X = np.exp(rng.normal(size=(n_regions, 1)) + rng.normal(size=(1, n_activities))
                   + rng.normal(scale=1.5, size=(n_regions, n_activities)))
        X[rng.random((n_regions, n_activities)) < 0.3] = 0.0
        frames.append(pd.DataFrame({"year": 2000 + y, "region": np.repeat([f"r{i}" for i in range(n_regions)], n_activities),
                                    "activity": np.tile([f"a{j}" for j in range(n_activities)], n_regions),
                                    "value": X.ravel()}))
    return pd.concat(frames, ignore_index=True)


def run_smartspec(df):
    import smartspec

    return smartspec.measures(df, year="year")


def run_ecomplexity(df):
    from ecomplexity import ecomplexity

    return ecomplexity(df, {"time": "year", "loc": "region", "prod": "activity", "val": "value"},
                       check_logsupermodularity=False)


def run_economic_complexity(df):
    import economic_complexity as ec

    for _, d in df.groupby("year"):
        pivot = d.pivot(index="region", columns="activity", values="value")
        rca = ec.rca(pivot)
        ec.complexity(rca)
        try:
            prox = ec.proximity(rca)
        except ValueError:  # pandas 3 copy-on-write breaks its in-place diagonal; same work on a copy
            m = (rca >= 1).astype(float)
            co = m.T @ m
            u = np.diag(co.to_numpy())
            prox = co / np.maximum.outer(u, u)
        ec.relatedness(rca, proximities=prox)


def run_sbs(_df):
    from smartspec.data.datasets import load_dataset
    import smartspec

    return smartspec.measures(load_dataset("eurostat-sbs"))


TOOLS = {"smartspec": run_smartspec, "ecomplexity": run_ecomplexity, "economic-complexity": run_economic_complexity,
         "smartspec-sbs": run_sbs}


def child(case: str, tool: str) -> None:
    warnings.simplefilter("ignore")
    df = synthetic(*CASES[case]) if case in CASES else None
    fn = TOOLS[tool]
    repeats = REPEATS if tool.startswith("smartspec") else 1
    times = []
    for _ in range(repeats + (1 if tool.startswith("smartspec") else 0)):
        t0 = time.perf_counter()
        fn(df)
        times.append(time.perf_counter() - t0)
    if tool.startswith("smartspec"):
        times = times[1:]  # drop the warm-up
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": statistics.median(times), "peak_mb": peak_mb}))


def measure(case: str, tool: str, timeout: int = 1800) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, tool], capture_output=True, text=True,
                         timeout=timeout, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if out.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(full: bool) -> None:
    baseline = measure("none", "smartspec-sbs")
    rows = []
    for case in CASES:
        anchors = ["ecomplexity", "economic-complexity"] if (case == "300x600x10" or full) else []
        res = {tool: measure(case, tool) for tool in ["smartspec", *anchors]}
        rows.append((case, res))
        print(case, res, file=sys.stderr)
    lines = [
        "## Measures: smartspec against the anchors",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_measures.py{' --full' if full else ''}` (each case in a fresh "
        f"process; smartspec median of {REPEATS} runs after a warm-up, anchors one run; peak = resident set).",
        "Everything is computed: RCA, presence, proximity, density, ECI/PCI, diversity/ubiquity, COI, COG and, for "
        "smartspec, fitness-complexity too, with the tidy output frame.",
        "",
        "| panel (regions x activities x years) | tool | time (s) | peak memory (MB) | smartspec speed-up |",
        "|---|---|---:|---:|---:|",
    ]
    for case, res in rows:
        ours = res["smartspec"]["seconds"]
        for tool, r in res.items():
            ratio = "" if tool == "smartspec" else f"{r['seconds'] / ours:.1f}x"
            lines.append(f"| {case} | {tool} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | {ratio} |")
        if case == "2000x5000x1" and not full:
            lines.append(f"| {case} | ecomplexity | about 690 (issue's measurement, not rerun) | about 5,000 | "
                         f"about {690 / ours:.0f}x |")
            lines.append(f"| {case} | economic-complexity | about 505 (issue's measurement, not rerun) | | "
                         f"about {505 / ours:.0f}x |")
    lines += ["", f"Full real SBS panel (272 regions x 68 divisions x 8 years): {baseline['seconds']:.2f} s, "
                  f"peak {baseline['peak_mb']:.0f} MB."]
    (ROOT / "docs" / "benchmarks_measures.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main(full="--full" in sys.argv)
