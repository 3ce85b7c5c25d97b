"""smartspec and the anchors under pandas 2 and pandas 3: same numbers? (not part of the test suite)

Reproduce (about two minutes, PyPI only):

    python3 -m venv /tmp/pd2
    /tmp/pd2/bin/pip install "pandas<3" numpy==2.4.6 scipy==1.17.1 ecomplexity==0.5.3 economic-complexity==0.3.0
    /tmp/pd2/bin/python benchmarks/pandas_versions_measures.py /tmp/pd2.npz
    .venv/bin/python benchmarks/pandas_versions_measures.py /tmp/pd3.npz
    .venv/bin/python benchmarks/pandas_versions_measures.py --compare /tmp/pd2.npz /tmp/pd3.npz

It runs smartspec (three conventions), ecomplexity and economic-complexity on the real trade
data and saves every measure; ``--compare`` prints the largest difference per measure. Result
(docs/methods.md): pandas 2.3.3 and 3.1.1 give bit-identical smartspec and ecomplexity values;
economic-complexity's ``proximity`` raises under pandas 3 only.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def run(out: str) -> None:
    import warnings

    import pandas as pd

    warnings.simplefilter("ignore")
    sys.path.insert(0, str(ROOT / "src"))
    import economic_complexity as ec
    import ecomplexity

    import smartspec

    tr = pd.read_csv(DATA / "trade/world_trade_avg_1998_to_2000.csv.gz", dtype={"product": str})
    tr["year"] = 2000
    res = {}
    for conv in ("smartspec", "harvard", "harvard-stata"):
        o = smartspec.measures(tr, region="country", activity="product", year="year", convention=conv)
        o = o.assign(region=o.region.astype(str), activity=o.activity.astype(str)).sort_values(["region", "activity"])
        for c in ("rca", "mcp", "density", "eci", "pci", "coi", "cog", "fitness"):
            res[f"{conv}_{c}"] = o[c].to_numpy(dtype=float)
    a = ecomplexity.ecomplexity(tr, {"time": "year", "loc": "country", "prod": "product", "val": "value"}, check_logsupermodularity=False)
    a = a.sort_values(["country", "product"])
    for c in ("rca", "density", "eci", "pci", "coi", "cog"):
        res[f"ecomplexity_{c}"] = a[c].to_numpy(dtype=float)
    piv = tr.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    R = ec.rca(piv)
    eci, pci = ec.complexity(R)
    res["economic_eci"] = eci.sort_index().to_numpy(dtype=float)
    try:
        ec.proximity(R)
        res["economic_proximity_ok"] = np.array([1.0])
    except Exception as exc:
        print("economic-complexity proximity failed:", type(exc).__name__, exc)
        res["economic_proximity_ok"] = np.array([0.0])
    np.savez(out, **res)
    print("pandas", pd.__version__, "saved", len(res))


def compare(a_path: str, b_path: str) -> None:
    a, b = np.load(a_path), np.load(b_path)
    for k in a.files:
        x, y = a[k], b[k]
        ok = ~(np.isnan(x) | np.isnan(y))
        diff = float(np.abs(x[ok] - y[ok]).max()) if ok.any() else float("nan")
        print(f"{k:28s} max abs difference {diff:.3g}  same NaNs {bool((np.isnan(x) == np.isnan(y)).all())}")


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[1])
