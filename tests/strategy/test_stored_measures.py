"""The per-year measures kept on disk (issue 13, defect 11): read back equal, damaged entries recomputed."""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from smartspec.config import cache_dir
from smartspec.data.orientation import orientation
from smartspec.errors import InputWarning
from smartspec.measure_table import compute
from smartspec.strategy.context import analyse_panel


def assert_same_measures(stored, fresh):
    for f in dataclasses.fields(fresh):
        a, b = getattr(stored, f.name), getattr(fresh, f.name)
        if isinstance(b, pd.Index):
            assert a.equals(b) and a.dtype == b.dtype and a.name == b.name, f.name
        elif isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape, f.name
            np.testing.assert_array_equal(a, b, err_msg=f.name)
        else:
            assert a == b or (a != a and b != b), f.name


def test_stored_measures_equal_a_fresh_computation(sbs_panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyse_panel(sbs_panel, profile=None)  # writes the entries (or finds them)
        stored = analyse_panel(sbs_panel, profile=None)
        refs = orientation(sbs_panel, "auto", None).references
        for year in (2008, 2014):
            fresh = compute(sbs_panel, year, sign_reference=refs[year] if refs else None)
            assert_same_measures(stored.at(year), fresh)
        for year in stored.years:
            stored.at(year)
    assert len(list((cache_dir() / "arrays").glob("measures-*.npz"))) >= len(stored.years)


def test_a_damaged_entry_is_discarded_and_recomputed(sbs_panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = analyse_panel(sbs_panel, profile=None)
    entries = sorted((cache_dir() / "arrays").glob("measures-*.npz"))
    for e in entries:
        e.write_bytes(b"PK\x03\x04 not a zip")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        again = analyse_panel(sbs_panel, profile=None)  # reads no year until one is asked for
    with pytest.warns(InputWarning, match="damaged"):
        assert_same_measures(again.at(2014), before.at(2014))


def test_a_year_is_read_when_asked_for(sbs_panel, monkeypatch):
    from smartspec.strategy import context

    read = []
    load = context._year_measures
    monkeypatch.setattr(context, "_year_measures", lambda panel, year, *args: read.append(year) or load(panel, year, *args))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = analyse_panel(sbs_panel, profile=None)
    assert read == [] and a.years == [y for y in sbs_panel.years if sbs_panel.matrices[y].nnz]
    assert 2014 in a.measures and 1990 not in a.measures and len(a.measures) == len(a.years)
    assert a.at(2014) is a.at(2014)
    assert read == [2014]  # once, then kept
    assert a.at().year == a.years[-1] and read == [2014, a.years[-1]]
    with pytest.raises(KeyError):
        a.measures[1990]
