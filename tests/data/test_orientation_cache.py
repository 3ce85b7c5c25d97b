"""ECI's orientation reads GDP per head from the arrays cache (issue 13, item 11): the same
values as a lookup in the GDP table, recomputed when the GDP file changes, rebuilt when damaged."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from smartspec.data import datasets
from smartspec.data.datasets import gdp_per_head, load_dataset
from smartspec.data.orientation import gdp_references, orientation
from smartspec.errors import InputWarning

BUNDLED_GDP = "eurostat_regional/hack2017_nama_10r_2gdp.tsv.gz"


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def sbs_panel(data_dir):
    return load_dataset("eurostat-sbs", data_dir)


def _lombardy(panel) -> int:
    return list(panel.regions).index("ITC4")


def test_cached_references_are_gdp_per_head_of_every_year(own_cache, sbs_panel, data_dir, monkeypatch):
    refs = gdp_references(sbs_panel, data_dir)
    assert list(refs) == sbs_panel.years
    for year in sbs_panel.years:
        np.testing.assert_array_equal(refs[year], gdp_per_head(sbs_panel.regions, year, data_dir).to_numpy())
    # Eurostat nama_10r_2gdp: Lombardy 34,700 PPS per inhabitant in 2014; Stuttgart (DE11) is known too
    assert refs[2014][_lombardy(sbs_panel)] == 34700
    assert refs[2014][list(sbs_panel.regions).index("DE11")] > 34700

    def no_lookup(*args, **kwargs):
        raise AssertionError("a warm orientation read the GDP table")

    monkeypatch.setattr(datasets, "gdp_per_head", no_lookup)
    again = gdp_references(sbs_panel, data_dir)
    for year in sbs_panel.years:
        np.testing.assert_array_equal(again[year], refs[year])
    oriented = orientation(sbs_panel, "auto", data_dir)
    assert oriented.rule == "gdp" and oriented.coverage >= 0.5


def test_a_new_gdp_file_recomputes_the_references(own_cache, sbs_panel, data_dir, tmp_path, monkeypatch):
    before = gdp_references(sbs_panel, data_dir)
    text = gzip.decompress((data_dir / BUNDLED_GDP).read_bytes()).decode()
    line = next(x for x in text.splitlines() if x.startswith("PPS_HAB,ITC4\t"))
    updates = tmp_path / "updates"
    updates.mkdir()
    # a download of the table (smartspec data update) wins over the bundled file
    (updates / "nama_10r_2gdp.tsv.gz").write_bytes(
        gzip.compress(text.replace(line, line.replace("34700", "99999", 1)).encode()))
    monkeypatch.setenv("SMARTSPEC_UPDATES", str(updates))
    after = gdp_references(sbs_panel, data_dir)
    i = _lombardy(sbs_panel)
    assert before[2014][i] == 34700 and after[2014][i] == 99999
    np.testing.assert_array_equal(np.delete(after[2014], i), np.delete(before[2014], i))


def test_a_damaged_entry_is_discarded_and_rebuilt(own_cache, sbs_panel, data_dir):
    first = gdp_references(sbs_panel, data_dir)
    (entry,) = (own_cache / "arrays").glob("gdp-references-*.npz")
    entry.write_bytes(entry.read_bytes()[:64])
    with pytest.warns(InputWarning, match="damaged.*discarded and is being recomputed"):
        again = gdp_references(sbs_panel, data_dir)
    for year in sbs_panel.years:
        np.testing.assert_array_equal(again[year], first[year])


def test_no_gdp_file_orients_by_diversity(own_cache, sbs_panel, tmp_path):
    empty = tmp_path / "data"
    (empty / "eurostat_regional").mkdir(parents=True)
    assert orientation(sbs_panel, "auto", empty).rule == "diversity"
