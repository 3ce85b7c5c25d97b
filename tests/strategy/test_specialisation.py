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
