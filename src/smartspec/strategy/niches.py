"""Cross-sector niches: pairs of a region's strengths in different sections whose supply
chains input-output links or co-location connect, and the bridging activities that would
integrate them.

Links
    *Input-output*: in the national table of the region's country (WIOD 2016, domestic use),
    the technical coefficients of the two sectors in both directions,
    ``io = max(a_ij, a_ji)`` (how much of one's output the other buys per unit of its output).
    WIOD sectors are mapped to NACE divisions by their codes (``C10-C12`` covers C10, C11,
    C12; ``N`` covers every division of section N) and a sector's flows are shared evenly by
    the divisions of the panel it covers (``a_ij / n_i``), so aggregated sectors do not
    dominate; two divisions of one WIOD sector are linked by that sector's own coefficient. *Co-location*: the proximity of the two activities.
    A pair's ``link`` is the mean of the two, each rescaled to [0, 1] by its maximum over
    the pairs considered.
Bridges
    Activities the region is not specialised in (RCA < 1), with the region's relatedness
    density there, input-output linked to both sides of the pair; a bridge's score is
    ``density x min(io(a, bridge), io(bridge, b))`` rescaled, so it must connect both supply
    chains and be within reach.

References
----------
Timmer, M. P., et al. (2015). An illustrated user guide to the World Input-Output Database.
Review of International Economics 23(3). Balland, Boschma, Crespo, Rigby (2019).
"""
from __future__ import annotations

import re
import numpy as np
import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.data.labels import NUTS_COUNTRY_ISO3, nace_labels
from smartspec.errors import DataNotFoundError
from smartspec.strategy.context import Analysis

def wiod_divisions(code: str) -> list[str]:
    """NACE divisions covered by a WIOD sector code (``C10-C12``, ``C31_C32``, ``N``, ``R_S``)."""
    divisions = nace_labels()
    divisions = list(divisions.index[divisions["level"] == "division"])
    out = []
    for part in code.split("_"):
        m = re.fullmatch(r"([A-Z])(\d{2})-[A-Z](\d{2})", part)
        if m:
            out += [f"{m.group(1)}{n:02d}" for n in range(int(m.group(2)), int(m.group(3)) + 1)]
        elif re.fullmatch(r"[A-Z]\d{2}", part):
            out.append(part)
        elif re.fullmatch(r"[A-Z]", part):
            out += [d for d in divisions if d[0] == part]
    return [d for d in out if d in divisions]


def io_links(analysis: Analysis, country: str, year: int = 2014) -> pd.DataFrame:
    """Division x division input-output link ``max(a_ij, a_ji)`` from the country's WIOD table.

    Raises DataNotFoundError when the data directory has no WIOD table for the country.
    """
    from smartspec.data.io_tables import read_wiod_niot

    data_dir = None if analysis.data_dir is None else str(analysis.data_dir)
    iso3 = NUTS_COUNTRY_ISO3.get(country, country if len(country) == 3 else "")
    path = resolve_data_dir(data_dir) / "io_tables" / "wiod2016_niot" / f"{iso3}_NIOT_nov16.csv.gz"
    if not iso3 or not path.exists():
        raise DataNotFoundError(f"no WIOD national input-output table for country {country!r}",
                                where=str(path.parent), fix="niches use co-location links only for this region")
    key = ("io_links", iso3, year)
    if key in analysis._cache:
        return analysis._cache[key]
    table = read_wiod_niot(path, min(year, 2014))
    A = table.coefficients()
    acts = analysis.panel.activities
    sector_of = {}
    for sector in A.index:
        for d in wiod_divisions(sector):
            sector_of[d] = sector
    idx = [sector_of.get(a) for a in acts]
    ok = np.array([s is not None for s in idx])
    M = np.zeros((len(acts), len(acts)))
    sec = [s for s in idx if s is not None]
    # A sector's flows are shared evenly by its divisions: supplying division i of a sector
    # with n divisions gets a_ij / n (the buyer's output splits the same way, so it cancels).
    n_div = pd.Series(sec).map(pd.Series(sec).value_counts()).to_numpy(dtype=float)
    sub = A.loc[sec, sec].to_numpy() / n_div[:, None]
    M[np.ix_(ok, ok)] = np.maximum(sub, sub.T)
    out = pd.DataFrame(M, index=acts, columns=acts)
    out.attrs["source"] = table.source
    analysis._cache[key] = out
    return out


def cross_sector_niches(analysis: Analysis, region: str, *, year: int | None = None, top: int = 20,
                        n_bridges: int = 3) -> pd.DataFrame:
    """Ranked pairs of the region's strengths in different NACE sections, with their bridges.

    Returns
    -------
    DataFrame
        One row per pair, best first: ``a``, ``a_name``, ``b``, ``b_name``, ``io_link``,
        ``proximity``, ``link``, ``bridges`` (text), ``bridge_codes``, ``reason``;
        ``attrs["io_source"]`` names the input-output table (or why there is none).
    """
    code = analysis.region(region)
    last = analysis.last_year(code) if year is None else int(year)
    m = analysis.at(last)
    i = analysis.panel.regions.get_loc(code)
    acts = np.asarray(analysis.panel.activities)
    names = analysis.panel.activity_meta["name"].to_numpy()
    strong = np.flatnonzero(m.rca[i] >= 1)
    country = str(analysis.panel.region_meta["country"].iloc[i])
    try:
        io = io_links(analysis, country, last).to_numpy()
        io_source = io_links(analysis, country, last).attrs.get("source", "")
    except DataNotFoundError as exc:
        io = np.zeros_like(m.proximity)
        io_source = f"none ({exc.problem})"
    sections = np.array([a[0] for a in acts])
    a_idx, b_idx = np.triu_indices(len(strong), 1)
    a_idx, b_idx = strong[a_idx], strong[b_idx]
    cross = sections[a_idx] != sections[b_idx]
    a_idx, b_idx = a_idx[cross], b_idx[cross]
    io_pair = io[a_idx, b_idx]
    prox_pair = m.proximity[a_idx, b_idx]
    io_scaled = io_pair / io_pair.max() if io_pair.size and io_pair.max() > 0 else np.zeros_like(io_pair)
    prox_scaled = prox_pair / prox_pair.max() if prox_pair.size and prox_pair.max() > 0 else prox_pair
    link = (io_scaled + prox_scaled) / 2
    order = np.argsort(-link, kind="stable")[:top]
    candidates = np.flatnonzero((m.rca[i] < 1) & (m.values.sum(axis=0) > 0))
    dens = m.density[i]
    rows = []
    for o in order:
        a, b = a_idx[o], b_idx[o]
        reach = np.minimum(io[a, candidates], io[candidates, b])
        score = dens[candidates] * reach
        best = candidates[np.argsort(-score, kind="stable")[:n_bridges]]
        best = [c for c in best if score[np.searchsorted(candidates, c)] > 0]
        bridge_text = "; ".join(f"{acts[c]} {names[c]} (density {dens[c]:.2f})" for c in best)
        rows.append({
            "a": acts[a], "a_name": names[a], "a_rca": m.rca[i, a], "b": acts[b], "b_name": names[b],
            "b_rca": m.rca[i, b], "io_link": io_pair[o], "proximity": prox_pair[o], "link": link[o],
            "bridges": bridge_text, "bridge_codes": ", ".join(acts[c] for c in best),
            "reason": (f"{acts[a]} {names[a]} (RCA {m.rca[i, a]:.2f}) and {acts[b]} {names[b]} (RCA {m.rca[i, b]:.2f}) "
                       f"are both strengths of {code} in different sections; input-output link {io_pair[o]:.3f} "
                       f"(technical coefficient, either direction), co-location proximity {prox_pair[o]:.2f}."
                       + (f" Bridging activities within reach: {bridge_text}." if best else
                          " No unspecialised activity is input-output linked to both.")),
        })
    out = pd.DataFrame(rows)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=last, io_source=io_source,
                     strengths=len(strong))
    return out
