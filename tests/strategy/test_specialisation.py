"""A region's specialisations (location quotients) on the real SBS panel: default year, and cells
the source reported missing or confidential (no LQ, never 0)."""
from __future__ import annotations

import numpy as np

from smartspec.strategy.specialisation import region_specialisations


def test_default_year_is_the_last_well_covered_one(sbs):
    # Dolnoslaskie has 2015 data, but 2015 covers 162 of 272 regions: the profile uses 2014
    panel = sbs.panel
    assert 2015 in panel.years_with_data("PL51") and panel.default_year("PL51") == 2014
    assert region_specialisations(panel, "PL51").attrs["year"] == 2014
    assert sbs.last_year("PL51") == 2014 and panel.default_year("ITC4") == 2014


def test_missing_cells_have_no_location_quotient(sbs):
    t = region_specialisations(sbs.panel, "PL51", 2014).set_index("activity")
    # E37 was confidential in 2008, the first year: no LQ then, no change
    assert np.isnan(t.at["E37", "lq_first"]) and np.isnan(t.at["E37", "lq_change"]) and t.at["E37", "lq"] > 1
    hidden = t[t["confidential_or_missing"]]
    assert len(hidden) and hidden["lq"].isna().all() and not hidden["specialised"].any()
    assert (t["rank"][t["lq"].isna()] > t["rank"][t["lq"].notna()].max()).all()  # ranked last


def test_mass_and_scope_decide_what_is_a_specialisation(sbs):
    t = region_specialisations(sbs.panel, "ITC4", 2014).set_index("activity")
    # E39 (remediation, 1,283 persons, LQ 2.36) is local: listed, never a specialisation
    assert t.at["E39", "lq"] > 2 and t.at["E39", "judgement"] == "local activity" and not t.at["E39", "specialised"]
    assert t.at["C13", "specialised"] and t.at["C13", "value"] > 40_000
    spec = t[t["specialised"]]
    assert (spec["value"] >= 1000).all() and (spec["scope"] == "traded").all()
    assert list(t.index[:3]) == ["C13", "J63", "C21"]  # the three first are real specialisations
    everything = region_specialisations(sbs.panel, "ITC4", 2014, scope="all", min_persons=0,
                                        min_eu_share=0).set_index("activity")
    assert everything.at["E39", "specialised"]
    # a region's tiny cells are "too small to judge"
    small = t[(t["lq"] >= 1) & (t["value"] < 1000)]
    assert (small["judgement"] != "specialised").all()


def test_trend_compares_three_year_means(sbs):
    t = region_specialisations(sbs.panel, "ITC4", 2014)
    assert t.attrs["recent_years"] == [2012, 2013, 2014] and t.attrs["first_years"] == [2008, 2009, 2010]
    row = t.set_index("activity").loc["C13"]
    from smartspec.metrics import rca
    mean = np.mean([sbs.panel.dense(y) for y in (2012, 2013, 2014)], axis=0)
    i = sbs.panel.regions.get_loc("ITC4")
    assert abs(row["lq_recent"] - rca(mean)[i, sbs.panel.activities.get_loc("C13")]) < 1e-12


def test_bad_floor_is_an_input_error(sbs):
    import pytest
    from smartspec.errors import InputError
    with pytest.raises(InputError, match="min_persons"):
        region_specialisations(sbs.panel, "ITC4", 2014, min_persons=-5)
