"""Results must not depend on the pandas version: pandas 2 against pandas 3 on the real trade data.

The project runs on pandas 3 (pyproject.toml). ``make setup-test`` (part of ``make test``) also
installs pandas 2 (one wheel, plus pytz which pandas 2 still imports) into ``.venv/pandas2``,
without dependencies: numpy, scipy and everything else are the venv's own. This module runs
itself as a script in a subprocess whose PYTHONPATH puts that folder first, so the subprocess
imports pandas 2 and the same smartspec, numpy and anchors; it saves every measure to an npz
file, and the tests compare it with the same computation under pandas 3 in this process.

Compared, on world trade 1998-2000 (226 countries x 785 products):
- ``smartspec.measures`` under the conventions smartspec, harvard and harvard-stata: the row
  order and labels, and every column (rca, mcp, density, eci, pci, diversity, ubiquity, coi,
  cog, fitness, product_complexity), to 1e-12;
- ``ecomplexity`` (rca, mcp, density, eci, pci, diversity, ubiquity, coi, cog), to 1e-12;
- ``economic-complexity``: rca, eci, pci to 1e-12; its ``proximity`` works under pandas 2 and
  is compared with pandas 3's where pandas 3 lets it run (0.3.0 raises "read-only" under
  pandas 3, see tests/metrics/test_against_anchors.py).
When checked, all of them were bit-identical (largest difference 0.0).

A missing ``.venv/pandas2`` is a failure, not a skip: ``make setup-test`` installs it.
``SMARTSPEC_PANDAS2`` points the test at another folder holding pandas 2.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

TRADE = "trade/world_trade_avg_1998_to_2000.csv.gz"
CONVENTIONS = ("smartspec", "harvard", "harvard-stata")
LABELS = ("region", "activity")
ECOMPLEXITY_COLUMNS = ("rca", "mcp", "density", "eci", "pci", "diversity", "ubiquity", "coi", "cog")
TOL = 1e-12
INSTALL_HINT = (
    "pandas 2 is not installed in {path}. `make test` (through `make setup-test`) installs it; "
    "by hand: .venv/bin/pip install --no-deps --target .venv/pandas2 pandas==2.3.3 pytz==2026.6"
)


def pandas2_path() -> Path:
    """The folder holding pandas 2 (installed by ``make setup-test``)."""
    return Path(os.environ.get("SMARTSPEC_PANDAS2") or Path(sys.prefix) / "pandas2")


def compute(data_dir: Path) -> dict[str, np.ndarray]:
    """Every measure under the pandas this interpreter imports, as plain numpy arrays."""
    import warnings

    import pandas as pd

    import smartspec

    tr = pd.read_csv(data_dir / TRADE, dtype={"product": str})
    tr["year"] = 2000
    res: dict[str, np.ndarray] = {"pandas_version": np.array(pd.__version__)}
    for conv in CONVENTIONS:
        out = smartspec.measures(tr, region="country", activity="product", year="year", convention=conv)
        res[f"{conv}/columns"] = np.array(list(out.columns), dtype=str)
        for col in out.columns:
            if col in LABELS:
                res[f"{conv}/{col}"] = out[col].astype(str).to_numpy(dtype=str)
            else:
                res[f"{conv}/{col}"] = out[col].to_numpy(dtype=float)

    import ecomplexity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = ecomplexity.ecomplexity(
            tr, {"time": "year", "loc": "country", "prod": "product", "val": "value"},
            check_logsupermodularity=False,
        )
    a = a.sort_values(["country", "product"])
    res["ecomplexity/country"] = a["country"].astype(str).to_numpy(dtype=str)
    res["ecomplexity/product"] = a["product"].astype(str).to_numpy(dtype=str)
    for col in ECOMPLEXITY_COLUMNS:
        res[f"ecomplexity/{col}"] = a[col].to_numpy(dtype=float)

    import economic_complexity as ec

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        piv = tr.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
        rca = ec.rca(piv)
        eci, pci = ec.complexity(rca)
    res["economic/rca"] = rca.to_numpy(dtype=float)
    res["economic/eci"] = eci.sort_index().to_numpy(dtype=float)
    res["economic/pci"] = pci.sort_index().to_numpy(dtype=float)
    try:
        res["economic/proximity"] = ec.proximity(rca).to_numpy(dtype=float)
        res["economic/proximity_error"] = np.array("")
    except Exception as exc:  # 0.3.0 under pandas 3: "underlying array is read-only"
        res["economic/proximity_error"] = np.array(f"{type(exc).__name__}: {exc}")
    return res


def _max_diff(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    return float(np.abs(x[ok] - y[ok]).max()) if ok.any() else 0.0


def _assert_same(p2: dict, p3: dict, key: str) -> float:
    """Same shape, same NaNs, same values to TOL; returns the largest absolute difference."""
    x, y = np.asarray(p2[key]), np.asarray(p3[key])
    assert x.shape == y.shape, f"{key}: shape {x.shape} under pandas 2, {y.shape} under pandas 3"
    if x.dtype.kind == "U":
        assert np.array_equal(x, y), f"{key}: labels differ between pandas 2 and 3"
        return 0.0
    assert np.array_equal(np.isnan(x), np.isnan(y)), f"{key}: NaNs differ between pandas 2 and 3"
    diff = _max_diff(x, y)
    assert diff <= TOL, f"{key}: pandas 2 and 3 differ by up to {diff:.3g} (> {TOL})"
    return diff


@pytest.fixture(scope="module")
def _results(data_dir, tmp_path_factory):
    """(pandas 2 results from the subprocess, pandas 3 results from this process), or a
    message saying pandas 2 is missing (turned into a failure of each test by ``_both``)."""
    path = pandas2_path()
    if not (path / "pandas" / "__init__.py").is_file():
        return INSTALL_HINT.format(path=path)
    out = tmp_path_factory.mktemp("pandas2") / "pandas2.npz"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(path), *filter(None, [env.get("PYTHONPATH")])])
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, str(out), str(data_dir)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    t2 = time.perf_counter() - t0
    assert proc.returncode == 0, f"pandas 2 run failed:\n{proc.stdout}\n{proc.stderr}"
    with np.load(out, allow_pickle=False) as f:
        p2 = {k: f[k] for k in f.files}
    t0 = time.perf_counter()
    p3 = compute(data_dir)
    print(f"pandas {p2['pandas_version']} run {t2:.1f}s (subprocess), pandas {p3['pandas_version']} {time.perf_counter() - t0:.1f}s")
    return p2, p3


def _both(results):
    """The two result sets; a missing pandas 2 fails the calling test (it is not skipped)."""
    if isinstance(results, str):
        pytest.fail(results, pytrace=False)
    return results


def test_runs_under_pandas_2_and_3(_results):
    p2, p3 = _both(_results)
    assert str(p2["pandas_version"]).startswith("2."), p2["pandas_version"]
    assert str(p3["pandas_version"]).startswith("3."), p3["pandas_version"]


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_measures_same_under_pandas_2_and_3(_results, convention):
    p2, p3 = _both(_results)
    assert list(p2[f"{convention}/columns"]) == list(p3[f"{convention}/columns"])
    cols = list(p3[f"{convention}/columns"])
    for needed in ("rca", "mcp", "density", "eci", "pci", "coi", "cog", "fitness"):
        assert needed in cols
    diffs = {str(c): _assert_same(p2, p3, f"{convention}/{c}") for c in cols}
    print(convention, "largest difference per column:", diffs)


def test_ecomplexity_same_under_pandas_2_and_3(_results):
    p2, p3 = _both(_results)
    for col in ("country", "product", *ECOMPLEXITY_COLUMNS):
        _assert_same(p2, p3, f"ecomplexity/{col}")


def test_economic_complexity_same_under_pandas_2_and_3(_results):
    p2, p3 = _both(_results)
    for key in ("economic/rca", "economic/eci", "economic/pci"):
        _assert_same(p2, p3, key)
    # Its proximity runs under pandas 2; where pandas 3 lets it run too, it must agree.
    assert str(p2["economic/proximity_error"]) == "", str(p2["economic/proximity_error"])
    if str(p3["economic/proximity_error"]) == "":
        _assert_same(p2, p3, "economic/proximity")
    else:
        assert "read-only" in str(p3["economic/proximity_error"]), str(p3["economic/proximity_error"])


if __name__ == "__main__":
    # The subprocess half: python tests/test_pandas_versions.py OUT.npz DATA_DIR
    import pandas

    assert pandas.__version__.startswith("2."), f"expected pandas 2 first on PYTHONPATH, got {pandas.__version__} from {pandas.__file__}"
    results = compute(Path(sys.argv[2]))
    np.savez(sys.argv[1], **results)
    print("pandas", pandas.__version__, "saved", len(results), "arrays to", sys.argv[1])
