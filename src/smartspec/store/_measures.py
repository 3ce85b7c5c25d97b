"""Turn the shared measures (:mod:`smartspec.measure_table`) into the store's tidy tables."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _labelled(m) -> dict:
    """One year's :class:`~smartspec.measure_table.Measures` as frames and series labelled by region
    and activity."""
    r, a = m.regions, m.activities
    return {"rca": pd.DataFrame(m.rca, index=r, columns=a),
            "proximity": pd.DataFrame(m.proximity, index=a, columns=a),
            "density": pd.DataFrame(m.density, index=r, columns=a),
            "eci": pd.Series(m.eci, index=r), "pci": pd.Series(m.pci, index=a),
            "diversity": pd.Series(m.diversity, index=r, dtype=float),
            "ubiquity": pd.Series(m.ubiquity, index=a, dtype=float)}


def measures_for(b, year: int, first_year: int) -> tuple[dict, dict]:
    """The measures of ``year`` and ``first_year`` from the shared strategy analysis, so that the
    store's ECI/PCI and densities are exactly those the strategy functions use."""
    from smartspec.strategy.context import analyse_panel

    b.analysis = analyse_panel(b.panel, profile=b.profile, data_dir=b.data_dir, dataset=b.dataset)
    return _labelled(b.analysis.at(year)), _labelled(b.analysis.at(first_year))


def compute_tables(panel, year: int, first_year: int, pair: tuple[dict, dict], *, scope: str = "traded",
                   min_persons: float | None = None, min_eu_share: float | None = None,
                   window: int | None = None) -> dict:
    """The store tables of the measures section.

    Returns a dict of frames: ``regions`` (one row per region: name, country, total, ECI,
    diversity, number of specialisations), ``activities`` (name, PCI, ubiquity), ``rca``
    (one row per region x activity with data: value, share, RCA now and in ``first_year``,
    specialised, density, entered/exited), ``proximity`` (activity pairs) and
    ``proximity_matrix`` (square frame, for the layout), from the labelled measures of
    ``year`` and ``first_year`` (:func:`measures_for`).

    Specialisations, entries and exits follow :mod:`smartspec.strategy.mass`: ``specialised``
    needs RCA >= 1, mass (``has_mass``) and a traded activity (``scope``, unless ``scope="all"``);
    ``entered`` compares the RCA of the mean of the ``window`` years ending at ``first_year``
    (``rca_first``) with that of the ``window`` years ending at ``year`` (``rca_recent``) and
    needs mass in every recent year; a cell that would enter or be specialised but lacks mass
    has ``judgement`` "too small to judge".
    """
    from smartspec.data.scope import activity_scope, traded_mask
    from smartspec.strategy import mass as mass_rules

    floors = dict(min_persons=mass_rules.MIN_PERSONS if min_persons is None else min_persons,
                  min_eu_share=mass_rules.MIN_EU_SHARE if min_eu_share is None else min_eu_share)
    window = mass_rules.WINDOW if window is None else window
    m, _ = pair  # the first year enters through its window of years (strategy.mass)
    X = panel.frame(year).reindex(index=m["rca"].index, columns=m["rca"].columns)
    totals = X.sum(axis=1)
    regions = pd.DataFrame(index=m["rca"].index)
    meta = panel.region_meta.reindex(regions.index)
    regions["name"] = meta["name"].astype(str)
    regions["country"] = meta["country"].astype(str) if "country" in meta else ""
    regions["total"] = totals
    regions["eci"] = m["eci"].reindex(regions.index)
    regions["diversity"] = m["diversity"].reindex(regions.index)
    regions["has_data"] = totals > 0
    regions = regions.reset_index().rename(columns={"index": "region"})

    acts = pd.DataFrame(index=m["rca"].columns)
    ameta = panel.activity_meta.reindex(acts.index)
    acts["name"] = ameta["name"].astype(str)
    acts["pci"] = m["pci"].reindex(acts.index)
    acts["ubiquity"] = m["ubiquity"].reindex(acts.index)
    acts["total"] = X.sum(axis=0)
    acts = acts.reset_index().rename(columns={"index": "activity"})

    rca = m["rca"]

    # cells the source reported missing or confidential: no value, no RCA (never 0); the
    # measures are the panel's own, so their rows and columns are the panel's
    now_missing = panel.missing[year].toarray().ravel()
    first_w = mass_rules.window_measures(panel, mass_rules.window_years(panel.years, first_year, window), **floors)
    recent_w = mass_rules.window_measures(panel, mass_rules.window_years(panel.years, year, window), **floors)
    mass_now = mass_rules.mass_mask(panel.dense(year), panel.missing[year].toarray(), **floors)
    long = pd.DataFrame({
        "region": np.repeat(rca.index.to_numpy(), rca.shape[1]),
        "activity": np.tile(rca.columns.to_numpy(), rca.shape[0]),
        "value": np.where(now_missing, np.nan, X.to_numpy().ravel()),
        "share": np.where(now_missing, np.nan, X.div(totals.replace(0, np.nan), axis=0).to_numpy().ravel()),
        "rca": np.where(now_missing, np.nan, rca.to_numpy().ravel()),
        "rca_first": first_w["lq"].ravel(),
        "rca_recent": recent_w["lq"].ravel(),
        "density": m["density"].reindex(index=rca.index, columns=rca.columns).to_numpy().ravel(),
        "scope": np.tile(activity_scope(rca.columns).to_numpy(), rca.shape[0]),
        "has_mass": mass_now.ravel(),
        "recent_mass": recent_w["mass"].ravel(),
    })
    long = long[np.repeat(totals.to_numpy() > 0, rca.shape[1])]
    in_scope = np.tile(traded_mask(rca.columns, scope), rca.shape[0])[np.repeat(totals.to_numpy() > 0, rca.shape[1])]
    long["specialised"] = (long["rca"] >= 1) & long["has_mass"] & in_scope
    # entries and exits only between two observed windows of a region that had data in the first
    # years; an entry needs mass in every recent year (a jump from 388 to 2,864 persons is noise)
    had_first = (long["rca_first"].notna() & long["rca_recent"].notna()
                 & (long.groupby("region")["rca_first"].transform("sum") > 0))
    rose = had_first & (long["rca_first"] < 1) & (long["rca_recent"] >= 1) & (long["rca"] >= 1) & in_scope
    long["entered"] = rose & long["recent_mass"] & long["specialised"]
    long["exited"] = had_first & (long["rca_first"] >= 1) & (long["rca_recent"] < 1) & (long["rca"] < 1) & in_scope
    long["judgement"] = np.select(
        [long["rca"].isna(), long["rca"] < 1, ~in_scope, ~long["has_mass"] | (rose & ~long["recent_mass"])],
        ["no data", "not specialised", "local activity", "too small to judge"], "specialised")
    long = long.drop(columns="recent_mass")
    nspec = long.groupby("region")["specialised"].sum()
    regions["n_specialised"] = regions["region"].map(nspec).fillna(0).astype(int)

    P = m["proximity"]
    iu, ju = np.triu_indices(len(P), 1)
    pv = P.to_numpy()[iu, ju]
    prox = pd.DataFrame({"activity_a": P.index.to_numpy()[iu], "activity_b": P.columns.to_numpy()[ju],
                         "proximity": pv})
    prox = prox[prox["proximity"] > 0].sort_values("proximity", ascending=False)
    return {"regions": regions, "activities": acts, "rca": long.reset_index(drop=True), "proximity": prox,
            "proximity_matrix": P}
