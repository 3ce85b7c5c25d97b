"""The named datasets load from the real files, with names, and cache."""
import time

import numpy as np
import pytest

from smartspec.data.datasets import DATASETS, load_dataset
from smartspec.errors import DataNotFoundError, UnknownNameError


def test_trade(data_dir):
    p = load_dataset("trade-1998-2000", data_dir)
    assert p.shape == (1, 226, 785)
    assert p.region_name("ITA") == "Italy"


def test_patents(data_dir):
    p = load_dataset("patents-wipo35", data_dir)
    assert len(p.activities) == 35 and p.years[0] == 1906 and p.years[-1] == 2020
    assert p.activity_name("W13") == "Medical technology"
    assert p.report["rows_without_country"] > 0  # counted, not silently lost
    total = p.to_frame()["value"].sum() + p.report["patents_without_country"]
    assert total > 1e7


def test_sbs_lombardy(data_dir):
    p = load_dataset("eurostat-sbs", data_dir)
    assert "ITC4" in p.regions
    assert p.region_name("ITC4") in ("Lombardia", "Lombardy")
    assert p.activity_name("C13") == "Manufacture of textiles"
    assert set(p.region_meta["level"].dropna().unique()) == {2}
    assert 60 <= len(p.activities) <= 70 and p.years == list(range(2008, 2016))
    assert 250 <= len(p.regions) <= 340
    i, j = p.regions.get_loc("ITC4"), p.activities.get_loc("C13")
    assert 40_000 < p.dense(2014)[i, j] < 100_000  # 48,148 persons in 2014
    assert p.report["nuts_recoding"]["counts"]["unknown"] == 0


def test_lfs(data_dir):
    p = load_dataset("eurostat-lfs", data_dir)
    assert "ITC4" in p.regions and "B-E" in p.activities and "TOTAL" not in p.activities


def test_second_load_hits_cache(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_CACHE", str(tmp_path))
    t0 = time.perf_counter()
    first = load_dataset("patents-wipo35", data_dir)
    t1 = time.perf_counter()
    second = load_dataset("patents-wipo35", data_dir)
    t2 = time.perf_counter()
    assert any(tmp_path.rglob("header.json"))
    assert (t2 - t1) < (t1 - t0)
    for y in (1990, 2019):
        assert np.array_equal(first.dense(y), second.dense(y))
    assert first.region_meta.equals(second.region_meta)


def test_unknown_dataset_and_missing_dir(tmp_path):
    with pytest.raises(UnknownNameError) as e:
        load_dataset("eurostat-sbz")
    assert "eurostat-sbs" in e.value.suggestions
    with pytest.raises(DataNotFoundError, match="needs"):
        load_dataset("trade-1998-2000", data_dir=tmp_path)
    assert set(DATASETS) == {"eurostat-sbs", "eurostat-lfs", "trade-1998-2000", "patents-wipo35"}
