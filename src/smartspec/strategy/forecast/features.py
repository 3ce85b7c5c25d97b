"""Features of the entry forecast: what is known of a region-activity cell at a start year.

A candidate is a cell with RCA < 1 at ``t0``; :func:`transitions` says whether it entered by
``t1`` (RCA >= 1 there, and in the year before with the persistence rule) and
:func:`features` describes it with :data:`FEATURES`, computed from ``t0`` and earlier years
only. :func:`training_pairs` lists the transitions whose outcome is known by a year.

References
----------
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). The product space
conditions the development of nations. Science 317(5837), 482-487.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.data.nuts import neighbours
from smartspec.errors import SmartspecError
from smartspec.metrics import density as density_of, proximity as proximity_of
from smartspec.strategy.context import Analysis

FEATURES = ["rca", "rca_prev", "rca_trend", "rca_max_past", "past_specialised_share", "density", "density_self",
            "density_cosine", "pci", "cog", "eci", "coi", "fitness", "diversity", "ubiquity", "log_value",
            "log_region_total", "log_activity_total", "neighbour_rca", "nuts1_rca", "country_rca", "value_growth",
            "activity_growth"]


def features(analysis: Analysis, t0: int, prev: int | None) -> pd.DataFrame:
    """Features of every region-activity cell at ``t0`` (``prev``: the year before, for trends).

    Returns a frame with ``region``, ``activity`` and :data:`FEATURES` (NaN where a feature
    cannot be computed, e.g. trends without a previous year).
    """
    m = analysis.at(t0)
    n_r, n_a = m.rca.shape
    regions = analysis.panel.regions.to_numpy()
    M = m.mcp
    phi = m.proximity
    cos = proximity_of(M, "cosine")
    rows = {
        "region": np.repeat(regions, n_a),
        "activity": np.tile(analysis.panel.activities.to_numpy(), n_r),
        "rca": m.rca.ravel(),
        "density": m.density.ravel(),
        "density_self": density_of(M, phi, include_self=True).ravel(),
        "density_cosine": density_of(M, cos).ravel(),
        "pci": np.tile(m.pci, n_r),
        "cog": m.cog.ravel(),
        "eci": np.repeat(m.eci, n_a),
        "coi": np.repeat(m.coi, n_a),
        "fitness": np.repeat(m.fitness, n_a),
        "diversity": np.repeat(m.diversity, n_a),
        "ubiquity": np.tile(m.ubiquity, n_r),
        "log_value": np.log1p(m.values).ravel(),
        "log_region_total": np.repeat(np.log1p(m.values.sum(axis=1)), n_a),
        "log_activity_total": np.tile(np.log1p(m.values.sum(axis=0)), n_r),
    }
    # History strictly before t0: the highest RCA the cell reached and the share of years it
    # was specialised (a cell that dipped just below 1 often comes back).
    past = [y for y in analysis.years if y < t0]
    if past:
        R = np.stack([analysis.at(y).rca for y in past])
        rows["rca_max_past"] = R.max(axis=0).ravel()
        rows["past_specialised_share"] = (R >= 1).mean(axis=0).ravel()
    else:
        rows["rca_max_past"] = rows["past_specialised_share"] = np.full(n_r * n_a, np.nan)
    levels = analysis.panel.region_meta["level"]
    nuts = bool(levels.notna().all() and levels.nunique() == 1)
    A = region_adjacency(analysis.panel.regions, analysis.data_dir) if nuts else np.zeros((n_r, n_r))
    with np.errstate(divide="ignore", invalid="ignore"):
        n_adj = A.sum(axis=1)[:, None]
        rows["neighbour_rca"] = np.where(n_adj > 0, (A @ m.rca) / n_adj, np.nan).ravel()
    # Same NUTS 1 / same country: the first 3 / 2 characters of a NUTS code. Only for NUTS
    # panels (a country panel's ISO3 codes share letters by chance: AUS and AUT).
    for column, n in (("nuts1_rca", 3), ("country_rca", 2)):
        groups = analysis.panel.regions.astype(str).str[:n]
        rows[column] = _peer_mean(m.rca, groups).ravel() if nuts else np.full(n_r * n_a, np.nan)
    if prev is not None and prev in analysis.measures:
        mp = analysis.at(prev)
        rows["rca_prev"] = mp.rca.ravel()
        rows["rca_trend"] = (m.rca - mp.rca).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            rows["value_growth"] = np.log1p(m.values).ravel() - np.log1p(mp.values).ravel()
            rows["activity_growth"] = np.tile(np.log1p(m.values.sum(0)) - np.log1p(mp.values.sum(0)), n_r)
    else:
        for k in ("rca_prev", "rca_trend", "value_growth", "activity_growth"):
            rows[k] = np.full(n_r * n_a, np.nan)
    return pd.DataFrame(rows)


def region_adjacency(regions, data_dir=None) -> np.ndarray:
    """Which regions share a border: a symmetric 0/1 matrix over ``regions``.

    Neighbours are NUTS 2021 regions whose boundary polygons share a border
    (:func:`smartspec.data.nuts.neighbours`). Regions that are not NUTS 2021 codes of one level
    (e.g. countries of the patents panel), or a data directory without the boundary files,
    give no neighbours.

    Parameters
    ----------
    regions : sequence of str
        Region codes (rows of a panel).
    data_dir : path, optional

    Returns
    -------
    ndarray (n_regions, n_regions) of float, zero diagonal.
    """
    regions = [str(r) for r in regions]
    n = len(regions)
    A = np.zeros((n, n))
    lengths = {len(r) for r in regions}
    if len(lengths) != 1 or lengths.pop() not in (3, 4, 5):
        return A
    try:
        pairs = neighbours(len(regions[0]) - 2, data_dir)
    except SmartspecError:  # no boundary file: no neighbours, the feature is left empty
        return A
    pos = pd.Series(np.arange(n), index=regions)
    a = pos.reindex(pairs["a"]).to_numpy()
    b = pos.reindex(pairs["b"]).to_numpy()
    ok = ~(np.isnan(a) | np.isnan(b))
    A[a[ok].astype(int), b[ok].astype(int)] = 1.0
    return A


def _peer_mean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the *other* regions of the same group (NaN if alone)."""
    codes, uniq = pd.factorize(groups)
    G = np.zeros((len(groups), len(uniq)))
    G[np.arange(len(groups)), codes] = 1.0
    sums = G.T @ values
    counts = G.sum(axis=0)
    own_sum = sums[codes] - values
    own_cnt = counts[codes][:, None] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(own_cnt > 0, own_sum / own_cnt, np.nan)


def transitions(analysis: Analysis, t0: int, t1: int, *, persistence: bool, prev: int | None = None) -> pd.DataFrame:
    """Candidates at ``t0`` with their features and whether they entered by ``t1``."""
    f = features(analysis, t0, prev)
    m0, m1 = analysis.at(t0), analysis.at(t1)
    entered = m1.rca >= 1
    if persistence:
        before = analysis.years[analysis.years.index(t1) - 1]
        entered &= analysis.at(before).rca >= 1
    active0 = m0.values.sum(axis=1) > 0
    active1 = m1.values.sum(axis=1) > 0
    cand = (m0.rca < 1) & (active0 & active1)[:, None] & (m0.values.sum(axis=0) > 0)[None, :]
    # Cells the source reported missing or confidential are not observed: neither candidates
    # nor entries can be judged there.
    for y in {t0, t1, analysis.years[analysis.years.index(t1) - 1] if persistence else t1}:
        if y in analysis.panel.missing:
            cand &= ~analysis.panel.missing[y].toarray()
    f["entered"] = entered.ravel().astype(int)
    f["t0"], f["t1"] = t0, t1
    return f[cand.ravel()].reset_index(drop=True)


def previous_year(years: list[int], y: int) -> int | None:
    """The year before ``y`` among ``years`` (None for the first)."""
    i = years.index(y)
    return years[i - 1] if i > 0 else None


def training_pairs(years: list[int], until: int, *, persistence: bool) -> list[tuple[int, int]]:
    """Transitions whose outcome is known by ``until``: horizons of 2-3 years with the
    persistence rule (a 1-year horizon cannot satisfy it), consecutive windows otherwise."""
    if persistence:
        return [(a, b) for a in years for b in years if 2 <= b - a <= 3 and b <= until]
    return [(a, b) for a, b in zip(years[:-1], years[1:]) if b <= until]

