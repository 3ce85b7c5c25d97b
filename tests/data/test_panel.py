"""Panel construction, conversion and filters."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec.data.panel import Panel, nace_level, nuts_level
from smartspec.errors import InputError, UnknownNameError


@pytest.fixture(scope="module")
def trade(data_dir):
    df = pd.read_csv(data_dir / "trade/world_trade_avg_1998_to_2000.csv.gz", dtype={"product": str})
    return df


def test_levels():
    assert [nuts_level(c) for c in ["IT", "ITC", "ITC4", "ITC4C", "ARG"]] == [0, 1, 2, 3, 1]
    assert nuts_level("arg") is None and nuts_level("1234") is None
    assert [nace_level(c) for c in ["C", "C13", "G451", "B-E", "TOTAL"]] == ["section", "division", "group",
                                                                            "aggregate", None]


def test_from_frame_round_trip_real_trade(trade):
    panel = Panel.from_frame(trade, region="country", activity="product", value="value")
    assert panel.shape == (1, 226, 785)
    back = panel.to_frame()
    assert len(back) == (trade["value"] != 0).sum()
    assert np.isclose(back["value"].sum(), trade["value"].sum())


def test_missing_cells_kept_apart():
    df = pd.DataFrame({"year": [2014, 2014, 2014], "region": ["A1", "A1", "B1"], "activity": ["x", "y", "x"],
                       "value": [3.0, np.nan, 0.0]})
    p = Panel.from_frame(df)
    assert p.missing[2014].sum() == 1
    full = p.to_frame(include_missing=True)
    assert len(full) == 2 and full["value"].isna().sum() == 1  # the true zero is implicit


def test_duplicates_error_or_sum():
    df = pd.DataFrame({"region": ["A", "A"], "activity": ["x", "x"], "value": [1, 2]})
    with pytest.raises(InputError, match="repeat"):
        Panel.from_frame(df)
    assert Panel.from_frame(df, duplicates="sum").dense(0)[0, 0] == 3


def test_missing_column_and_non_numeric():
    df = pd.DataFrame({"reg": ["A"], "activity": ["x"], "value": ["1,5"]})
    with pytest.raises(InputError, match="missing column"):
        Panel.from_frame(df, source_name="f.csv")
    with pytest.raises(InputError, match="data row 1"):
        Panel.from_frame(df, region="reg", source_name="f.csv")


def test_filters(data_dir):
    from smartspec.data.datasets import load_dataset

    p = load_dataset("patents-wipo35", data_dir)
    sub = p.filter(years=[2010, 2011], country=["ITA", "DEU"])
    assert sub.shape == (2, 2, 35)
    with pytest.raises(UnknownNameError) as e:
        p.subset(regions=["ITAA"])
    assert "ITA" in e.value.suggestions


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.tuples(st.sampled_from([1998, 2003, 2014]), st.sampled_from(["B2", " A1", "A1", "C10"]),
                             st.sampled_from(["x", "y", "z10", "z2"]),
                             st.one_of(st.floats(0, 1e6), st.just(float("nan")), st.just(0.0))),
                   min_size=1, max_size=40),
    shuffle_seed=st.integers(0, 1000),
    sort=st.booleans(),
)
def test_from_frame_equals_a_pandas_pivot(cells, shuffle_seed, sort):
    """Any row order (sorted tables take a path of their own), repeated keys (summed), NaN and
    zero values, padded codes: the panel holds what a pandas group-by says, and missing cells
    are exactly the keys with no number."""
    df = pd.DataFrame(cells, columns=["year", "region", "activity", "value"])
    df = df.sample(frac=1.0, random_state=shuffle_seed).reset_index(drop=True)
    if sort:
        df = df.sort_values(["year", "region", "activity"], kind="stable").reset_index(drop=True)
    p = Panel.from_frame(df, duplicates="sum")
    clean = df.assign(region=df["region"].str.strip())
    grouped = clean.groupby(["year", "region", "activity"])["value"]
    expected = grouped.sum(min_count=1)
    assert p.years == sorted(clean["year"].unique())
    assert list(p.regions) == sorted(clean["region"].unique())
    for (y, r, a), v in expected.items():
        i, j = p.regions.get_loc(r), p.activities.get_loc(a)
        if np.isnan(v):
            assert p.missing[y][i, j] and p.matrices[y][i, j] == 0
        else:
            assert p.matrices[y][i, j] == pytest.approx(v) and not p.missing[y][i, j]
    assert sum(m.nnz for m in p.matrices.values()) == int((expected.fillna(0) != 0).sum())
    assert sum(int(m.sum()) for m in p.missing.values()) == int(expected.isna().sum())
    if grouped.size().max() > 1:
        with pytest.raises(InputError, match="repeat a"):
            Panel.from_frame(df)


def test_duplicates_in_a_very_sparse_table():
    """200 rows spread over 200 years x 200 regions x 200 activities (8 million cells): the
    duplicate check sorts instead of counting every cell, and finds the same repeated key."""
    n = 200
    df = pd.DataFrame({"year": 1800 + np.arange(n), "region": [f"R{i:03d}" for i in range(n)],
                       "activity": [f"a{i:03d}" for i in range(n)], "value": np.arange(1.0, n + 1)})
    df = pd.concat([df, df.iloc[[7]]], ignore_index=True)
    with pytest.raises(InputError, match=r"2 rows repeat a .*\(1807, R007, a007\) at data row 8"):
        Panel.from_frame(df)
    p = Panel.from_frame(df, duplicates="sum")
    assert p.matrices[1807][7, 7] == 16.0 and sum(m.nnz for m in p.matrices.values()) == n


def test_dense_and_sparse_layouts_build_the_same_matrices(trade, monkeypatch):
    """The real trade table (with a missing cell and an explicit zero added) read through the
    dense array of all cells and through a sparse matrix: the same canonical CSR matrices."""
    import smartspec.data.panel as panel_module

    df = trade.copy()
    df.loc[df.index[3], "value"] = np.nan
    df.loc[df.index[5], "value"] = 0.0
    kwargs = dict(region="country", activity="product", year=None)
    dense = Panel.from_frame(df, **kwargs)
    monkeypatch.setattr(panel_module, "_DENSE_FILL", 0)
    monkeypatch.setattr(panel_module, "_DENSE_CELLS", 0)
    sparse = Panel.from_frame(df, **kwargs)
    for y in dense.years:
        for a, b in ((dense.matrices[y], sparse.matrices[y]), (dense.missing[y], sparse.missing[y])):
            a.check_format(full_check=True)
            assert a.has_canonical_format and b.has_canonical_format
            assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            assert np.array_equal(a.data, b.data)
    assert dense.missing[0].nnz == 1 and dense.matrices[0].nnz == len(df) - 2


def test_reading_arrow_strings_returns_pyarrows_freed_memory(trade, monkeypatch):
    """Factorising pandas 3's pyarrow strings leaves freed pages in pyarrow's pool (about 120 MB on
    10 million rows); from_frame hands them back, and only when a key column is arrow-backed."""
    import pyarrow

    pool, released = pyarrow.default_memory_pool(), []

    class Spy:
        def release_unused(self):
            released.append(True)
            pool.release_unused()

    monkeypatch.setattr(pyarrow, "default_memory_pool", Spy)
    frame = trade.astype({"country": "str", "product": "str"})
    assert frame["country"].dtype.storage == "pyarrow"
    Panel.from_frame(frame, region="country", activity="product", value="value")
    assert released == [True]
    Panel.from_frame(frame.astype({"country": object, "product": object}), region="country", activity="product",
                     value="value")
    assert released == [True]


def test_single_year_frame_with_a_repeated_key():
    """A one-year table (year positions skipped) whose keys fill every cell but one, one key twice:
    the repeat is found and named, and summed on request."""
    regions, activities = [f"R{i}" for i in range(30)], [f"a{j}" for j in range(40)]
    df = pd.DataFrame({"year": 2015, "region": np.repeat(regions, 40), "activity": np.tile(activities, 30),
                       "value": np.arange(1.0, 1201.0)}).sample(frac=1.0, random_state=3).reset_index(drop=True)
    df = df[~((df["region"] == "R0") & (df["activity"] == "a0"))].reset_index(drop=True)
    twice = df.index[(df["region"] == "R12") & (df["activity"] == "a7")][0]
    df = pd.concat([df, df.loc[[twice]]], ignore_index=True)
    with pytest.raises(InputError, match=rf"2 rows repeat a .*\(2015, R12, a7\) at data row {twice + 1}"):
        Panel.from_frame(df)
    p = Panel.from_frame(df, duplicates="sum")
    assert p.years == [2015] and p.dense(2015)[p.regions.get_loc("R12"), p.activities.get_loc("a7")] == 2 * (12 * 40 + 8)
    assert p.matrices[2015].nnz == 1199
    assert Panel.from_frame(df.drop(index=len(df) - 1)).matrices[2015].nnz == 1199
