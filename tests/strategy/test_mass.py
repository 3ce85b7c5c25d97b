"""Mass and noise on the real SBS panel: floors, multi-year windows, and the store's entries."""
from __future__ import annotations

import numpy as np
import pytest

from smartspec.errors import InputError
from smartspec.strategy import mass


@pytest.fixture(scope="module")
def store_rca(sbs):
    from smartspec.store._measures import _labelled, compute_tables

    pair = (_labelled(sbs.at(2014)), _labelled(sbs.at(2009)))
    return compute_tables(sbs.panel, 2014, 2009, pair)["rca"]


def test_mass_mask_matches_its_definition(sbs):
    X = sbs.panel.dense(2014)
    hidden = sbs.panel.missing[2014].toarray()
    ok = mass.mass_mask(X, hidden)
    # independent check on one cell each way: Lombardy's textiles, Dorset and Somerset's aircraft
    p = sbs.panel
    i, j = p.regions.get_loc("ITC4"), p.activities.get_loc("C13")
    assert ok[i, j] and X[i, j] >= 1000 and X[i, j] / X[:, j].sum() >= 0.001
    assert not ok[hidden].any()  # confidential cells never have mass
    assert ok.sum() == ((X >= 1000) & (X / X.sum(axis=0) >= 0.001) & ~hidden).sum()
    with pytest.raises(InputError, match="min_eu_share"):
        mass.mass_mask(X, min_eu_share=2)


def test_window_lq_is_the_lq_of_the_mean(sbs):
    w = mass.window_measures(sbs.panel, [2012, 2013, 2014])
    p = sbs.panel
    i, j = p.regions.get_loc("UKK2"), p.activities.get_loc("C13")
    vals = [p.dense(y)[i, j] for y in (2012, 2013, 2014)]
    assert vals == [2301.0, 388.0, 2864.0]  # Dorset and Somerset, textiles
    assert w["mean"][i, j] == pytest.approx(np.mean(vals)) and not w["mass"][i, j]  # 388 < 1,000


def test_dorset_and_somerset_textiles_are_too_small_to_judge(store_rca):
    c13 = store_rca[store_rca["activity"] == "C13"].set_index("region")
    assert not c13.at["UKK2", "entered"] and c13.at["UKK2", "judgement"] == "too small to judge"
    entered = c13[c13["entered"]]
    assert len(entered) and (entered["value"] >= 1000).all()
    assert (entered["rca_recent"] >= 1).all() and (entered["rca_first"] < 1).all()


def test_store_specialisations_are_traded_and_massive(store_rca):
    itc4 = store_rca[store_rca["region"] == "ITC4"].set_index("activity")
    assert itc4.at["E39", "rca"] > 2 and not itc4.at["E39", "specialised"]
    assert itc4.at["E39", "judgement"] == "local activity"
    spec = store_rca[store_rca["specialised"]]
    assert (spec["scope"] == "traded").all() and spec["has_mass"].all() and (spec["rca"] >= 1).all()
    # entries are never local activities, never confidential cells
    assert (store_rca.loc[store_rca["entered"], "scope"] == "traded").all()
    assert store_rca.loc[store_rca["entered"], "value"].notna().all()
