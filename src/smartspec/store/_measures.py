"""Turn the shared measures (:mod:`smartspec.measures`) into the store's tidy tables."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _labelled(m) -> dict:
    """One year's :class:`~smartspec.measures.Measures` as frames and series labelled by region
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


def compute_tables(panel, year: int, first_year: int, pair: tuple[dict, dict]) -> dict:
    """The store tables of the measures section.

    Returns a dict of frames: ``regions`` (one row per region: name, country, total, ECI,
    diversity, number of specialisations), ``activities`` (name, PCI, ubiquity), ``rca``
    (one row per region x activity with data: value, share, RCA now and in ``first_year``,
    specialised, density, entered/exited), ``proximity`` (activity pairs) and
    ``proximity_matrix`` (square frame, for the layout), from the labelled measures of
    ``year`` and ``first_year`` (:func:`measures_for`).
    """
    m, m0 = pair
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
    rca0 = m0["rca"].reindex(index=rca.index, columns=rca.columns)

    # cells the source reported missing or confidential: no value, no RCA (never 0); the
    # measures are the panel's own, so their rows and columns are the panel's
    now_missing, first_missing = (panel.missing[y].toarray().ravel() for y in (year, first_year))
    long = pd.DataFrame({
        "region": np.repeat(rca.index.to_numpy(), rca.shape[1]),
        "activity": np.tile(rca.columns.to_numpy(), rca.shape[0]),
        "value": np.where(now_missing, np.nan, X.to_numpy().ravel()),
        "share": np.where(now_missing, np.nan, X.div(totals.replace(0, np.nan), axis=0).to_numpy().ravel()),
        "rca": np.where(now_missing, np.nan, rca.to_numpy().ravel()),
        "rca_first": np.where(first_missing, np.nan, rca0.to_numpy().ravel()),
        "density": m["density"].reindex(index=rca.index, columns=rca.columns).to_numpy().ravel(),
    })
    long = long[np.repeat(totals.to_numpy() > 0, rca.shape[1])]
    long["specialised"] = long["rca"] >= 1
    # entries and exits only between two observed cells of a region that had data in the first year
    had_first = (long["rca_first"].notna() & long["rca"].notna()
                 & (long.groupby("region")["rca_first"].transform("sum") > 0))
    long["entered"] = had_first & (long["rca_first"] < 1) & long["specialised"]
    long["exited"] = had_first & (long["rca_first"] >= 1) & ~long["specialised"]
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
