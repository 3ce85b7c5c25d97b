"""Turn the shared measures (:mod:`smartspec.measures`) into the store's tidy tables."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _measures(panel, year: int) -> dict:
    """RCA, presence, proximity, density, ECI/PCI, diversity/ubiquity for one year, labelled."""
    from smartspec.measures import compute

    res = compute(panel, year=year)
    return _normalise(res, panel)


def _get(res, *names):
    for n in names:
        if isinstance(res, dict) and n in res:
            return res[n]
        if hasattr(res, n):
            return getattr(res, n)
    raise AttributeError(f"smartspec.measures.compute result has none of {names}")


def _normalise(res, panel) -> dict:
    regions = pd.Index(_get(res, "regions"), name="region") if _has(res, "regions") else panel.regions
    acts = pd.Index(_get(res, "activities"), name="activity") if _has(res, "activities") else panel.activities

    def frame(x, idx, cols):
        if isinstance(x, pd.DataFrame):
            return x.astype(float)
        arr = x.toarray() if hasattr(x, "toarray") else np.asarray(x, dtype=float)
        return pd.DataFrame(arr, index=idx, columns=cols)

    def series(x, idx):
        if isinstance(x, pd.Series):
            return x.astype(float)
        return pd.Series(np.asarray(x, dtype=float).ravel(), index=idx)

    out = {
        "rca": frame(_get(res, "rca"), regions, acts),
        "proximity": frame(_get(res, "proximity"), acts, acts),
        "density": frame(_get(res, "density"), regions, acts),
        "eci": series(_get(res, "eci"), regions),
        "pci": series(_get(res, "pci"), acts),
        "diversity": series(_get(res, "diversity"), regions),
        "ubiquity": series(_get(res, "ubiquity"), acts),
    }
    for opt in ("coi", "cog", "fitness", "complexity"):
        if _has(res, opt):
            x = _get(res, opt)
            out[opt] = frame(x, regions, acts) if np.ndim(getattr(x, "values", x)) == 2 else x
    return out


def _has(res, name) -> bool:
    return (isinstance(res, dict) and name in res) or hasattr(res, name)


def measures_for(b, year: int, first_year: int):
    """The measures of ``year`` and ``first_year``: from the shared strategy analysis when available
    (so the store's ECI/PCI and densities are exactly those the strategy functions use), else from
    :func:`smartspec.measures.compute`."""
    try:
        from smartspec.strategy.context import analyse_panel
    except ImportError:
        return _measures(b.panel, year), _measures(b.panel, first_year)
    b.analysis = analyse_panel(b.panel, profile=b.profile, data_dir=b.data_dir, dataset=b.dataset)
    return _normalise(b.analysis.at(year), b.panel), _normalise(b.analysis.at(first_year), b.panel)


def compute_tables(panel, year: int, first_year: int, pair=None) -> dict:
    """The store tables of the measures section.

    Returns a dict of frames: ``regions`` (one row per region: name, country, total, ECI,
    diversity, number of specialisations), ``activities`` (name, PCI, ubiquity), ``rca``
    (one row per region x activity with data: value, share, RCA now and in ``first_year``,
    specialised, density, entered/exited), ``proximity`` (activity pairs) and
    ``proximity_matrix`` (square frame, for the layout).
    """
    m, m0 = pair if pair is not None else (_measures(panel, year), _measures(panel, first_year))
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
    long = pd.DataFrame({
        "region": np.repeat(rca.index.to_numpy(), rca.shape[1]),
        "activity": np.tile(rca.columns.to_numpy(), rca.shape[0]),
        "value": X.to_numpy().ravel(),
        "share": (X.div(totals.replace(0, np.nan), axis=0)).to_numpy().ravel(),
        "rca": rca.to_numpy().ravel(),
        "rca_first": rca0.to_numpy().ravel(),
        "density": m["density"].reindex(index=rca.index, columns=rca.columns).to_numpy().ravel(),
    })
    long = long[np.repeat(totals.to_numpy() > 0, rca.shape[1])]
    long["specialised"] = long["rca"] >= 1
    had_first = long["rca_first"].notna() & (long.groupby("region")["rca_first"].transform("sum") > 0)
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
            "proximity_matrix": P, "measures": m}
