"""The one-call API ``smartspec.measures`` / ``compute`` and the ``smartspec measures`` command."""
from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smartspec
from smartspec.data.panel import Panel
from smartspec.errors import InputError
from smartspec.measure_table import MEASURE_COLUMNS, Measures, compute, compute_panel

SMARTSPEC = Path(sys.executable).with_name("smartspec")


def synthetic(n_regions=30, n_activities=40, years=(2010, 2011), seed=1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for y in years:
        X = np.exp(rng.normal(size=(n_regions, 1)) + rng.normal(size=(1, n_activities))
                   + rng.normal(scale=1.2, size=(n_regions, n_activities)))
        X[rng.random(X.shape) < 0.25] = 0
        rows.append(pd.DataFrame({"yr": y, "reg": np.repeat([f"R{i:02d}" for i in range(n_regions)], n_activities),
                                  "act": np.tile([f"A{j:02d}" for j in range(n_activities)], n_regions),
                                  "emp": X.ravel()}))
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def table():
    return synthetic()


def run_measures(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return smartspec.measures(df, region="reg", activity="act", value="emp", year="yr", **kw)


def test_tidy_shape_and_columns(table):
    out = run_measures(table)
    assert list(out.columns) == ["year", "region", "activity", "value", *MEASURE_COLUMNS]
    assert len(out) == 2 * 30 * 40
    assert set(out["year"]) == {2010, 2011}
    assert set(out["mcp"].unique()) <= {0, 1}
    assert out["density"].between(0, 1).all()
    # per-region columns are constant within a region-year, per-activity within an activity-year
    for col in ("eci", "diversity", "coi", "fitness"):
        assert (out.groupby(["year", "region"], observed=True)[col].nunique(dropna=False) == 1).all()
    for col in ("pci", "ubiquity", "product_complexity"):
        assert (out.groupby(["year", "activity"], observed=True)[col].nunique(dropna=False) == 1).all()
    last = out[out["year"] == 2011]
    assert last.drop_duplicates("region")["eci"].std(ddof=0) == pytest.approx(1.0)
    # same values from a Panel
    panel = Panel.from_frame(table, region="reg", activity="act", value="emp", year="yr")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = smartspec.measures(panel)
    pd.testing.assert_frame_equal(out, again)


def test_long_table_written_by_the_year_threads_is_each_years_own_table(table):
    """measures() writes each year's rows in the thread that computed it: the result must be
    each year's :meth:`Measures.tidy`, stacked, with the rows of a region not reported one year
    left out and unknown cells NaN (value and RCA), whatever the order the threads finish in."""
    df = synthetic(years=(2010, 2011, 2012, 2013, 2014))
    df.loc[(df["yr"] == 2012) & (df["reg"] == "R03"), "emp"] = 0.0  # not reported in 2012
    unknown = (df["yr"] == 2013) & (df["reg"] == "R07") & (df["act"] == "A02")
    df.loc[unknown, "emp"] = np.nan
    out = run_measures(df)
    panel = Panel.from_frame(df, region="reg", activity="act", value="emp", year="yr")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        per_year = compute_panel(panel, sign_reference=None, orientation="diversity")
    assert len(out) == (5 * 30 - 1) * 40
    assert not ((out["year"] == 2012) & (out["region"] == "R03")).any()
    cell = out[(out["year"] == 2013) & (out["region"] == "R07") & (out["activity"] == "A02")]
    assert cell["value"].isna().all() and cell["rca"].isna().all() and cell["density"].notna().all()
    for y, m in per_year.items():
        own = m.tidy()
        own = own[own["region"].astype(str) != "R03"] if y == 2012 else own
        mine = out[out["year"] == y].reset_index(drop=True)
        own = own.reset_index(drop=True)
        if y == 2013:  # the measures count the unknown cell as 0; the long table shows it unknown
            at = (own["region"].astype(str) == "R07") & (own["activity"].astype(str) == "A02")
            own.loc[at, ["value", "rca"]] = np.nan
        for col in ["value", *MEASURE_COLUMNS]:
            np.testing.assert_allclose(mine[col].to_numpy(dtype=float), own[col].to_numpy(dtype=float),
                                       rtol=0, atol=1e-12, err_msg=f"{y} {col}")
        assert (mine["region"].astype(str).to_numpy() == own["region"].astype(str).to_numpy()).all()
        assert (mine["activity"].astype(str).to_numpy() == own["activity"].astype(str).to_numpy()).all()


def test_a_region_with_only_stored_zeros_has_no_rows(table):
    """A Panel built from sparse matrices may store explicit zeros: a region whose stored values
    are all 0 is not reported that year, in measures() as in tidy_frame()."""
    import scipy.sparse as sp

    from smartspec.measure_table import tidy_frame

    panel = Panel.from_frame(table, region="reg", activity="act", value="emp", year="yr")
    X = panel.matrices[2011].toarray()
    X[4] = 0.0
    rows, cols = np.nonzero(X)
    stored = sp.csr_array(sp.coo_array((np.r_[X[rows, cols], 0.0, 0.0], (np.r_[rows, 4, 4], np.r_[cols, 0, 1])),
                                       shape=X.shape))
    assert stored.nnz == len(rows) + 2  # the two zeros are stored
    zeros = Panel({2010: panel.matrices[2010], 2011: stored}, panel.regions, panel.activities)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = smartspec.measures(zeros)
        again = tidy_frame(compute_panel(zeros))
    assert not ((out["year"] == 2011) & (out["region"] == "R04")).any()
    assert len(out) == len(again) == (2 * 30 - 1) * 40


def test_compute_returns_labelled_matrices(table):
    panel = Panel.from_frame(table, region="reg", activity="act", value="emp", year="yr")
    with pytest.warns(UserWarning, match=r"2 connected components.*NaN for regions \['R05'\]"):
        m = compute(panel, 2010)  # R05's only specialisation is its own: a separate component
    assert np.isnan(m.eci[panel.regions.get_loc("R05")]) and np.isfinite(m.eci).sum() == 29
    with pytest.warns(UserWarning):
        each = compute(panel, 2010, components="each")
    assert np.isnan(each.eci).sum() == 1  # a 1 x 1 component has no second eigenvector
    assert isinstance(m, Measures)
    assert m.rca.shape == (30, 40) and m.proximity.shape == (40, 40)
    assert m.frame("eci").index.equals(panel.regions)
    assert m.frame("pci").index.equals(panel.activities)
    assert m.frame("density").shape == (30, 40)
    assert np.isfinite(m.spectral_gap) and m.spectral_gap > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        every = compute_panel(panel)
    np.testing.assert_allclose(every[2010].eci, m.eci)


def test_eci_is_mean_pci_under_eigenvector_definition(table):
    """Under the Harvard normalisation (PCI scaled by ECI's moments) ECI_r = mean PCI of r's activities."""
    out = run_measures(table, convention="harvard")
    present = out[out["mcp"] == 1]
    mean_pci = present.groupby(["year", "region"], observed=True)["pci"].mean()
    eci = out.groupby(["year", "region"], observed=True)["eci"].first().reindex(mean_pci.index)
    np.testing.assert_allclose(mean_pci.to_numpy(), eci.to_numpy(), atol=1e-9)


@pytest.mark.parametrize("prox", ["min_cp", "asymmetric", "continuous", "cosine", "association", "jaccard"])
def test_every_proximity(table, prox):
    out = run_measures(table, proximity=prox)
    assert out["density"].between(0, 1).all() and out["density"].notna().all()


def test_knn_pooled_and_self(table):
    base = run_measures(table)
    knn = run_measures(table, knn=5)
    assert knn["density"].between(0, 1).all() and not np.allclose(knn["density"], base["density"])
    pooled = run_measures(table, proximity_by_year=False)
    assert not np.allclose(pooled["density"], base["density"])
    # every proximity and presence test can be pooled
    regions = sorted(table["reg"].unique())
    pop = pd.Series(np.linspace(1e5, 5e6, len(regions)), index=regions)
    for prox in ("continuous", "association"):
        d = run_measures(table, proximity_by_year=False, proximity=prox, presence="both", population=pop)["density"]
        assert d.between(0, 1).all()
    manual = table.assign(flag=(table["emp"] > table["emp"].median()).astype(int))
    assert run_measures(manual, presence_column="flag", proximity_by_year=False)["density"].between(0, 1).all()
    with_self = run_measures(table, density_includes_self=True)
    spec = base["mcp"] == 1
    assert (with_self.loc[spec, "density"] >= base.loc[spec, "density"] - 1e-12).all()


def test_conventions_differ_where_documented(table):
    h = run_measures(table, convention="harvard")
    s = run_measures(table, convention="harvard-stata")
    ours = run_measures(table)
    np.testing.assert_allclose(h["rca"], s["rca"])
    # harvard counts the activity itself in its density; Stata and smartspec leave it out
    np.testing.assert_allclose(s["density"], ours["density"])
    assert not np.allclose(h["density"], s["density"])
    # Stata standardises ECI with the sample sd over the long table: a fixed, tiny rescaling
    for y in (2010, 2011):
        sel = (h["year"] == y) & h["eci"].notna()
        n = int(sel.sum())  # rows of the long table with an ECI
        np.testing.assert_allclose(s.loc[sel, "eci"] / h.loc[sel, "eci"], np.sqrt((n - 1) / n), rtol=1e-9)
    ok = h["eci"].notna()
    assert np.corrcoef(h.loc[ok, "eci"], ours.loc[ok, "eci"])[0, 1] == pytest.approx(1.0)


def test_presence_options(table):
    regions = sorted(table["reg"].unique())
    pop = pd.Series(np.linspace(1e5, 5e6, len(regions)), index=regions)
    rpop = run_measures(table, presence="rpop", population=pop)
    both = run_measures(table, presence="both", population=pop)
    rca = run_measures(table)
    assert set(both["mcp"].unique()) <= {0, 1}  # never 2
    assert (both["mcp"] >= rpop["mcp"]).all() and (both["mcp"] >= rca["mcp"]).all()
    by_year = pd.DataFrame({"region": regions * 2, "year": [2010] * len(regions) + [2011] * len(regions),
                            "population": np.r_[pop.to_numpy(), pop.to_numpy()]})
    pd.testing.assert_frame_equal(run_measures(table, presence="rpop", population=by_year), rpop)
    with pytest.raises(InputError, match="no population for 1 region"):
        run_measures(table, presence="rpop", population=pop.iloc[1:])
    manual = table.assign(flag=(table["emp"] > table["emp"].median()).astype(int))
    out = run_measures(manual, presence_column="flag")
    merged = out.merge(manual, left_on=["year", "region", "activity"], right_on=["yr", "reg", "act"])
    assert (merged["mcp"] == merged["flag"]).all()
    with pytest.raises(InputError, match="0/1"):
        run_measures(manual.assign(flag=manual["flag"] * 2), presence_column="flag")


def test_rca_threshold(table):
    low, high = run_measures(table, rca_threshold=0.5), run_measures(table, rca_threshold=2.0)
    assert low["mcp"].sum() > high["mcp"].sum()
    np.testing.assert_allclose(low["rca"], high["rca"])


def test_input_errors(table):
    with pytest.raises(InputError, match="missing column"):
        smartspec.measures(table, region="nope", activity="act", value="emp")
    with pytest.raises(InputError, match="DataFrame or a Panel"):
        smartspec.measures([1, 2, 3])
    with pytest.raises(InputError, match="unknown proximity"):
        run_measures(table, proximity="pearson")
    with pytest.raises(InputError, match="unknown convention"):
        run_measures(table, convention="atlas")
    with pytest.raises(InputError, match="disconnected"):
        blocks = pd.DataFrame({"reg": ["a", "a", "b", "b", "c", "c", "d", "d"],
                               "act": ["x", "y", "x", "y", "u", "v", "u", "v"],
                               "emp": [5, 1, 1, 5, 5, 1, 1, 5], "yr": 2000})
        run_measures(blocks, components="raise")


def test_degenerate_region_is_nan_alone(table):
    t = table[table["yr"] == 2011].copy()  # (2010 has a separate component, tested below)
    t.loc[t["reg"] == "R03", "emp"] = 0.0  # a region with no values at all
    with pytest.warns(UserWarning, match=r"1 region\(s\) without any value.*R03"):
        out = smartspec.measures(t, region="reg", activity="act", value="emp", year="yr")
    assert (out["region"] == "R03").sum() == 0 and len(out) == 29 * 40  # no rows for a region not reported
    assert out["eci"].notna().all()
    panel = Panel.from_frame(t, region="reg", activity="act", value="emp", year="yr")
    with pytest.warns(UserWarning, match="R03"):
        m = compute(panel)
    assert np.isnan(m.eci[panel.regions.get_loc("R03")]) and np.isfinite(np.delete(m.eci, 3)).all()
    # a region with values but no specialisation (high threshold) is trimmed and named
    with pytest.warns(UserWarning, match=r"no specialisation after iterative trimming"):
        high = smartspec.measures(t, region="reg", activity="act", value="emp", year="yr", rca_threshold=6)
    assert high["eci"].isna().any() and high["eci"].notna().any()


# ------------------------------------------------------------------------ CLI
def cli(*args):
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([str(SMARTSPEC), "measures", *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=300)


def test_cli_table_to_parquet_and_csv(table, tmp_path):
    src = tmp_path / "emp.csv"
    table.to_csv(src, index=False)
    out = tmp_path / "m.parquet"
    r = cli(src, "--region", "reg", "--activity", "act", "--value", "emp", "--year", "yr", "--convention", "harvard",
            "-o", out)
    assert r.returncode == 0, r.stderr
    assert "30 regions x 40 activities x 2 year(s) (2010-2011)" in r.stdout and "Top 10 regions by ECI" in r.stdout
    got = pd.read_parquet(out)
    want = run_measures(table, convention="harvard")
    assert list(got.columns) == list(want.columns) and len(got) == len(want)
    np.testing.assert_allclose(got["eci"], want["eci"], atol=1e-12)
    pop = tmp_path / "pop.csv"
    pd.DataFrame({"reg": sorted(table["reg"].unique()), "population": np.arange(30) + 100.0}).to_csv(pop, index=False)
    out_csv = tmp_path / "m.csv"
    r = cli(src, "--region", "reg", "--activity", "act", "--value", "emp", "--year", "yr", "--presence", "both",
            "--population", pop, "--proximity", "cosine", "--knn", "5", "--pooled", "-o", out_csv)
    assert r.returncode == 0, r.stderr
    assert set(pd.read_csv(out_csv)["mcp"].unique()) <= {0, 1}


def test_cli_dataset(tmp_path, data_dir):
    out = tmp_path / "sbs.csv"
    r = cli("--dataset", "eurostat-sbs", "--data-dir", data_dir, "--sign", "gdp", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "Top 10 regions by ECI, 2014" in r.stdout  # the last well-covered year (2015 is sparse)
    df = pd.read_csv(out)
    assert {"ITC4", "DE11"} <= set(df["region"]) and df["year"].nunique() >= 7
    # oriented by GDP per head, London's inner regions are among the most complex in 2014
    eci = df[df["year"] == 2014].drop_duplicates("region").set_index("region")["eci"]
    assert eci["UKI3"] > eci.quantile(0.9)
    assert "2015: " in r.stdout and "without any value" in r.stdout


def test_cli_errors(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("reg,act,emp\nA,x,1\nA,y,2\nB,x,3\nB,y,1\n")
    r = cli(src, "--region", "region")
    assert r.returncode == 2 and "t.csv" in r.stderr and "not found" in r.stderr and "Traceback" not in r.stderr
    r = cli(src, "--region", "reg", "--activity", "act", "--value", "emp", "-o", tmp_path / "x.txt")
    assert r.returncode == 2 and "unsupported output format" in r.stderr
    r = cli()
    assert r.returncode == 2 and "INPUT table or --dataset" in r.stderr
    r = cli("--dataset", "eurostat-sb")
    assert r.returncode == 2 and "eurostat-sbs" in r.stderr


def test_confidential_cells_keep_an_unknown_value(sbs):
    """A cell Eurostat reported confidential counts as 0 in the measures of the others (as in the
    anchor tools), and its value and RCA stay unknown in the table: NaN, never 0 (issue 10,
    point 6: Baden-Wuerttemberg's Stuttgart DE11 E38 is ': c' in the source)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = smartspec.measures(sbs.panel)
    cell = out[(out["year"] == 2009) & (out["region"] == "PL51") & (out["activity"] == "B08")].iloc[0]
    assert np.isnan(cell["value"]) and np.isnan(cell["rca"]) and cell["mcp"] == 0
    e38 = out[(out["year"] == 2014) & (out["region"] == "DE11") & (out["activity"] == "E38")].iloc[0]
    assert sbs.panel.missing[2014][sbs.panel.regions.get_loc("DE11"), sbs.panel.activities.get_loc("E38")]
    assert np.isnan(e38["value"]) and np.isnan(e38["rca"]) and e38["mcp"] == 0
    assert out["rca"].isna().sum() == out["value"].isna().sum()
    n_missing = sum(int(sbs.panel.missing[y].nnz) for y in sbs.panel.years)
    assert out["value"].isna().sum() <= n_missing and out["value"].isna().sum() > 1000
    observed = out[(out["year"] == 2014) & (out["region"] == "ITC4") & (out["activity"] == "C13")].iloc[0]
    assert observed["value"] == 48148


def test_column_parameters_renamed_old_names_deprecated_not_broken():
    """issue 14 point 3: ``region=``/``year=`` were column names here and codes elsewhere."""
    df = pd.DataFrame({"country": list("aabbcc"), "product": list("xyxyxy"), "t": [2000] * 6,
                       "v": [3.0, 1.0, 1.0, 3.0, 2.0, 2.0]})
    new = smartspec.measures(df, region_col="country", activity_col="product", value_col="v", year_col="t")
    with pytest.warns(FutureWarning, match="region_col="):
        old = smartspec.measures(df, region="country", activity="product", value="v", year="t")
    pd.testing.assert_frame_equal(new, old)
    assert new.loc[(new.region == "a") & (new.activity == "x"), "rca"].item() == pytest.approx((3 / 4) / (6 / 12))
    with pytest.raises(TypeError, match="regions"):
        smartspec.measures(df, regions="country")


def test_one_year_long_table_equals_that_year_of_many(data_dir):
    """The one-year long table takes its cell columns from the matrices themselves (no copy);
    it holds exactly the rows and values that year has in the table of every year (real SBS)."""
    frame = smartspec.load_dataset("eurostat-sbs", data_dir).to_frame()
    frame = frame[frame["year"].isin([2013, 2014])].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both = smartspec.measures(frame, year_col="year", convention="harvard")
        alone = smartspec.measures(frame[frame["year"] == 2014], year_col="year", convention="harvard")
    both = both[both["year"] == 2014].reset_index(drop=True)
    assert len(alone) == len(both) > 0
    for column in ["region", "activity", "value", *MEASURE_COLUMNS]:
        assert alone[column].dtype == both[column].dtype, column
        np.testing.assert_array_equal(alone[column].astype(str) if column in ("region", "activity") else alone[column],
                                      both[column].astype(str) if column in ("region", "activity") else both[column],
                                      err_msg=column)
