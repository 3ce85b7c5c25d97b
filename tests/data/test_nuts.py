"""NUTS codes, recoding, boundaries and lookup, on the real NUTS tables of the data directory."""
from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from smartspec.data import nuts
from smartspec.data.eurostat import read_eurostat
from smartspec.data.panel import Panel
from smartspec.errors import InputError, UnknownNameError


def test_region_table_versions(data_dir):
    t21 = nuts.region_table(2021, data_dir)
    assert t21.loc["ITC4", "name"] == "Lombardia"
    assert t21.loc["ITC4", "level"] == 2 and t21.loc["ITC4", "country"] == "IT"
    assert t21.loc["ITC4", "name_en"] == "Lombardy"
    assert t21.loc["DE1", "name_latn"] == "Baden-Württemberg"
    assert t21.loc["IT", "level"] == 0 and t21.loc["ITC", "level"] == 1 and t21.loc["ITC4C", "level"] == 3
    t13 = nuts.region_table(2013, data_dir)
    assert "FR71" in t13.index and "FR71" not in t21.index  # Rhone-Alpes before the French reform
    assert "FRK2" in t21.index and t21.loc["FRK2", "name"] == "Rhône-Alpes"
    t16 = nuts.region_table(2016, data_dir)
    assert {"HU11", "HU12"} <= set(t16.index) and "HU10" in t13.index
    assert (t21.groupby("level").size().loc[2]) > 300
    with pytest.raises(UnknownNameError):
        nuts.region_table(2020, data_dir)


def test_correspondence_relabel_merge_split(data_dir):
    c = nuts.correspondence(2006, 2021, data_dir)
    m = c.groupby("source")["target"].apply(set)
    assert m["ITD5"] == {"ITH5"} and m["ITE4"] == {"ITI4"}
    assert m["DE41"] == {"DE40"} and m["DE42"] == {"DE40"}
    assert m["FI18"] == {"FI1B", "FI1C"}
    assert m["ITC4"] == {"ITC4"}
    c13 = nuts.correspondence(2013, 2021, data_dir).groupby("source")["target"].apply(set)
    assert c13["FR71"] == {"FRK2"} and c13["HU10"] == {"HU11", "HU12"} and c13["FRA1"] == {"FRY1"}


def _panel(rows):
    df = pd.DataFrame(rows, columns=["year", "region", "activity", "value"])
    return Panel.from_frame(df, name="test")


def test_recode_relabel_merge_split_unknown(data_dir):
    p = _panel([
        (2009, "DE41", "C13", 10.0), (2009, "DE42", "C13", 5.0),      # merge -> DE40
        (2012, "DE40", "C13", 16.0),                                   # already 2021
        (2009, "ITD5", "C13", 7.0), (2012, "ITH5", "C13", 8.0),       # relabel across years
        (2009, "HU10", "C13", 3.0),                                    # split -> dropped, listed
        (2009, "XX99", "C13", 1.0),                                    # unknown
        (2009, "ITC4", "C13", np.nan),                                 # missing stays missing
        (2009, "FI13", "C13", 2.0), (2009, "FI1A", "C13", np.nan),     # merge with a missing part
    ])
    r = nuts.recode_panel(p, "auto", 2021, data_dir)
    rep = r.report["nuts_recoding"]
    f = r.to_frame(include_missing=True).set_index(["year", "region", "activity"])["value"]
    assert f[(2009, "DE40", "C13")] == 15.0 and f[(2012, "DE40", "C13")] == 16.0
    assert f[(2009, "ITH5", "C13")] == 7.0 and f[(2012, "ITH5", "C13")] == 8.0
    assert np.isnan(f[(2009, "ITC4", "C13")])
    assert np.isnan(f[(2009, "FI1D", "C13")])  # never a partial sum
    assert not r.regions.isin(["HU10", "XX99", "DE41", "ITD5"]).any()
    assert set(rep["split"]["code"]) == {"HU10"} and rep["split"]["targets"].iloc[0] == "HU11, HU12"
    assert set(rep["unknown"]["code"]) == {"XX99"}
    assert "DE41 + DE42" in set(rep["merged"]["sources"])
    assert "ITD5" in set(rep["relabelled"]["source"])
    assert rep["counts"]["split_cells_dropped"] == 1 and rep["counts"]["unknown_cells_dropped"] == 1
    assert rep["counts"]["merged_cells_missing_because_a_part_is_missing"] == 1
    assert r.region_meta.loc["DE40", "name"] == "Brandenburg"

    kept = nuts.recode_panel(p, "auto", 2021, data_dir, splits="keep")
    assert "HU10" in kept.regions and kept.region_meta.loc["HU10", "nuts_note"].startswith("split")


def test_recode_explicit_version_and_overlap(data_dir):
    p = _panel([(2014, "FR71", "C13", 4.0), (2014, "FRK2", "C13", 5.0), (2014, "FR72", "C13", 1.0)])
    r = nuts.recode_panel(p, 2013, 2021, data_dir)
    f = r.to_frame().set_index(["region"])["value"]
    assert f["FRK2"] == 5.0 and f["FRK1"] == 1.0  # newer code wins an overlap; the older is listed
    rep = r.report["nuts_recoding"]
    assert list(rep["overlaps"]["dropped_code"]) == ["FR71"]
    assert rep["counts"]["not_in_source_version"] == 1  # FRK2 is not a NUTS 2013 code


def test_recode_real_sbs(data_dir):
    raw = read_eurostat(data_dir / "eurostat_regional" / "ki2017_sbs_r_nuts06_r2.tsv.gz")
    df = raw[(raw["indic_sb"] == "V16110") & raw["year"].notna() & (raw["geo"].str.len() == 4)
             & (raw["nace_r2"].str.len() == 3) & ~raw["geo"].str.endswith("ZZ")]
    p = Panel.from_frame(df.rename(columns={"geo": "region", "nace_r2": "activity"}), name="sbs")
    t0 = time.perf_counter()
    r = nuts.recode_panel(p, "auto", 2021, data_dir)
    assert time.perf_counter() - t0 < 5
    rep = r.report["nuts_recoding"]
    valid21 = set(nuts.region_table(2021, data_dir).index)
    assert set(r.regions) <= valid21  # one row per NUTS 2021 code
    for old in ("ITD1", "ITE1", "FR91", "FRA1", "DE41", "FR71", "EL11", "SI01"):
        assert old not in r.regions
    assert {"ITH1", "ITI1", "FRY1", "DE40", "FRK2", "EL51", "SI03", "ITC4"} <= set(r.regions)
    # Veneto: 2008-2010 under ITD3, later under ITH3 -> one continuous series
    veneto = r.to_frame().query("region == 'ITH3' and activity == 'C13'").set_index("year")["value"]
    assert {2008, 2009, 2010, 2011, 2014} <= set(veneto.index)
    # nothing silently dropped: every source code is accounted for
    accounted = (set(rep["relabelled"]["source"]) | set(rep["split"]["code"]) | set(rep["unknown"]["code"])
                 | set(rep["incomplete"]["code"]) | set(r.regions)
                 | {s for g in rep["merged"]["sources"] for s in g.split(" + ")}
                 | set(rep["overlaps"]["dropped_code"]))
    missing = set(p.regions) - accounted
    superseded = {c for c in missing if p.to_frame().query("region == @c").empty}
    assert missing == superseded
    assert {"HU10", "PL12", "LT00"} <= set(rep["split"]["code"])
    assert rep["counts"]["unknown"] == 0
    json.dumps(rep["counts"])


def test_boundaries(data_dir):
    full = nuts.boundaries(2, data_dir)
    assert full["type"] == "FeatureCollection" and len(full["features"]) == 334
    small = nuts.boundaries(2, data_dir, simplify=0.01)
    size = len(json.dumps(small, separators=(",", ":")))
    assert size < 1_500_000 < len(json.dumps(full, separators=(",", ":")))
    f = next(f for f in small["features"] if f["id"] == "ITC4")
    assert f["properties"]["NAME_LATN"] == "Lombardia"
    rings = [r for p in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                         else f["geometry"]["coordinates"]) for r in p]
    assert all(len(r) >= 4 and r[0] == r[-1] for r in rings)
    assert len(nuts.boundaries(0, data_dir)["features"]) == 37
    with pytest.raises(Exception):
        nuts.boundaries(4, data_dir)


def test_neighbours(data_dir):
    pairs = nuts.neighbours(2, data_dir)
    assert set(pairs[pairs["a"] == "ITC4"]["b"]) == {"ITC1", "ITH1", "ITH2", "ITH3", "ITH5", "CH05", "CH07"}
    assert set(pairs[pairs["a"] == "DE11"]["b"]) == {"DE12", "DE14", "DE25", "DE26", "DE27"}
    both_orders = pairs.merge(pairs, left_on=["a", "b"], right_on=["b", "a"])
    assert len(both_orders) == len(pairs) and not (pairs["a"] == pairs["b"]).any()
    assert nuts.neighbours(0, data_dir).query("a == 'IT'")["b"].isin(["FR", "CH", "AT", "SI", "SM", "VA"]).all()
    with pytest.raises(InputError, match="NUTS level"):
        nuts.neighbours(4, data_dir)


@pytest.mark.parametrize("query,code", [
    ("ITC4", "ITC4"), ("itc4", "ITC4"), ("Lombardia", "ITC4"), ("Lombardy", "ITC4"), ("LOMBARDIA", "ITC4"),
    ("Bavaria", "DE2"), ("Bayern", "DE2"), ("Baden-Wuerttemberg", "DE1"), ("Baden-Württemberg", "DE1"),
    ("Catalonia", "ES51"), ("Cataluña", "ES51"), ("Cataluna", "ES51"), ("Auvergne-Rhone-Alpes", "FRK"),
    ("Auvergne-Rhône-Alpes", "FRK"), ("Tuscany", "ITI1"), ("Piedmont", "ITC1"), ("Wien", "AT13"),
])
def test_lookup_region(data_dir, query, code):
    assert nuts.lookup_region(query, data_dir) == code


def test_lookup_unknown_suggests(data_dir):
    with pytest.raises(UnknownNameError) as err:
        nuts.lookup_region("Lombrdy", data_dir)
    assert "Lombardy" in err.value.suggestions
    assert nuts.lookup_region("Berlin", data_dir, level=1) == "DE3"
