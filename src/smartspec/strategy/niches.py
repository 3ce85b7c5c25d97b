"""Cross-sector niches: pairs of a region's strengths in different NACE sections whose supply
chains input-output links or co-location connect, and the bridging activities that would
integrate them. (On panels of WIPO technology fields the sectors are WIPO's five sectors and
only co-location links exist.)

Input-output links
    The national table of the region's country (WIOD 2016 release, domestic use, the panel's
    year capped at 2014) gives technical coefficients ``a_IJ`` (input from sector I per unit
    of sector J's output; :func:`smartspec.metrics.io.technical_coefficients`). WIOD's 56
    sectors are mapped to NACE divisions by the concordance ``smartspec/labels/wiod56_nace.csv``
    (``C13-C15`` -> C13, C14, C15; ``N`` -> N77..N82; ``R_S`` -> R90..S96). A division d of
    sector I supplies the share ``w_d`` of I's output, estimated by its share of the sector's
    employment in the country's regions of the panel (an even split when the panel has none),
    so the division-level coefficient is ``a_de = w_d * a_IJ`` (buyer e's own share cancels).
    A pair's input-output link is ``max(a_de, a_ed)``: one supplies the other, either way.
Co-location
    The proximity (minimum conditional probability of joint specialisation) of the two
    activities in that year.
Ranking
    Both links are turned into percentile ranks among all pairs of divisions in different
    sections (0 = weakest, 1 = strongest) and the pair's ``link`` is their mean (co-location
    only where the country has no WIOD table). A pair is said to be linked through a channel
    when its percentile there is at least 0.75 (the top quarter).
Bridges
    Activities the region is not yet specialised in (RCA < 1, observed in the panel) that sit
    in a supply chain between the two sides of the pair: they buy from one and sell to the
    other (``a -> c -> b`` or ``b -> c -> a``). Each input-output link ``i -> j`` is weighted by
    the geometric mean of two percentile ranks among all division pairs: of its technical
    coefficient ``a_ij`` (strength) and of its lift ``a_ij * sum(A) / (row_i * col_j)``
    (specificity: more than the two sectors' overall sizes predict, which keeps generic
    suppliers such as transport or energy from bridging everything). A chain is as strong as
    its weaker link; a candidate's score is its relatedness density in the region times the
    chain's weight, and chains weaker than the median are dropped.

References
----------
Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R., de Vries, G. J. (2015). An illustrated
user guide to the World Input-Output Database: the case of global automotive production.
Review of International Economics 23(3), 575-605.
Miller, R. E., Blair, P. D. (2009). Input-Output Analysis, 2nd ed. (technical coefficients).
Hidalgo, C. A., et al. (2007). The product space conditions the development of nations.
Science 317(5837) (proximity). Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019).
Smart specialization policy in the European Union. Regional Studies 53(9).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.data.scope import DEFAULT_SCOPE, traded_mask
from smartspec.data.labels import NUTS_COUNTRY_ISO3
from smartspec.errors import DataNotFoundError, InputError
from smartspec.strategy.competences import activity_sectors
from smartspec.strategy.context import Analysis
from smartspec.strategy.mass import MIN_EU_SHARE, MIN_PERSONS, mass_mask

#: A pair is linked through a channel when its percentile there is at least this.
LINK_PERCENTILE = 0.75
WIOD_LAST_YEAR = 2014


@lru_cache(maxsize=1)
def wiod_concordance() -> pd.DataFrame:
    """The WIOD 2016 (56 sectors) to NACE Rev.2 division concordance.

    Returns
    -------
    DataFrame
        Columns ``wiod_code``, ``wiod_name``, ``nace_division``, ``nace_name``; one row per
        division (88 rows, every NACE Rev.2 division exactly once).
    """
    with resources.files("smartspec").joinpath("labels/wiod56_nace.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str)


def wiod_divisions(code: str) -> list[str]:
    """NACE divisions covered by a WIOD sector code (``C10-C12``, ``C31_C32``, ``N``, ``R_S``)."""
    c = wiod_concordance()
    return c.loc[c["wiod_code"] == code, "nace_division"].tolist()


def _wiod_path(analysis: Analysis, country: str):
    iso3 = NUTS_COUNTRY_ISO3.get(country, country if len(country) == 3 else "")
    data_dir = None if analysis.data_dir is None else str(analysis.data_dir)
    folder = resolve_data_dir(data_dir) / "io_tables" / "wiod2016_niot"
    path = folder / f"{iso3}_NIOT_nov16.csv.gz"
    if not iso3 or not path.exists():
        raise DataNotFoundError(f"no WIOD national input-output table for country {country!r}",
                                where=str(folder), fix="niches use co-location links only for this region")
    return path


def io_coefficients(analysis: Analysis, country: str, year: int = WIOD_LAST_YEAR) -> pd.DataFrame:
    """Division x division technical coefficients of a country (see module docstring).

    Parameters
    ----------
    analysis : Analysis
    country : str
        NUTS country code (``IT``) or ISO3 (``ITA``).
    year : int
        Capped at 2014, the last year of the WIOD 2016 release.

    Returns
    -------
    DataFrame (activity x activity)
        ``out.loc[d, e]``: input from division d per unit of division e's output, for the
        panel's activities (0 for activities outside the WIOD sectors); ``attrs["source"]``
        names the table.

    Raises
    ------
    DataNotFoundError
        When the data directory has no WIOD table for the country.
    """
    path = _wiod_path(analysis, country)
    year = min(int(year), WIOD_LAST_YEAR)
    return analysis.memo(("io_coefficients", path.name, year), lambda: _io_coefficients(analysis, country, path, year))


def _io_coefficients(analysis: Analysis, country: str, path, year: int) -> pd.DataFrame:
    """:func:`io_coefficients` computed from the WIOD table at ``path``."""
    from smartspec.data.io_tables import read_wiod_niot

    table = read_wiod_niot(path, year)
    A = table.coefficients()
    acts = analysis.panel.activities
    conc = wiod_concordance().set_index("nace_division")["wiod_code"]
    sector = pd.Series([conc.get(a) for a in acts], index=acts)
    ok = sector.notna().to_numpy() & sector.isin(A.index).to_numpy()
    # each division's share of its sector, from the country's employment in the panel
    panel = analysis.panel
    in_country = (panel.region_meta["country"] == (country if len(country) == 2 else
                                                    next((k for k, v in NUTS_COUNTRY_ISO3.items() if v == country), country)))
    ys = [y for y in analysis.years if y <= year] or analysis.years
    rows = np.flatnonzero(in_country.to_numpy())
    size = analysis.at(ys[-1]).values[rows].sum(axis=0) if rows.size else np.zeros(len(acts))
    sec = sector.where(ok)
    total = pd.Series(size, index=acts).groupby(sec).transform("sum")
    count = pd.Series(1.0, index=acts).groupby(sec).transform("sum")
    share = np.where(total.to_numpy() > 0, size / np.where(total.to_numpy() > 0, total.to_numpy(), 1.0),
                     1.0 / count.to_numpy())
    M = np.zeros((len(acts), len(acts)))
    idx = sector[ok].to_numpy()
    M[np.ix_(ok, ok)] = A.loc[idx, idx].to_numpy() * share[ok][:, None]
    out = pd.DataFrame(M, index=acts, columns=acts)
    out.attrs["source"] = table.source
    return out


def _percentiles(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Percentile rank of ``values`` among ``among`` (share of ``among`` strictly below, ties half)."""
    ref = np.sort(among)
    lo = np.searchsorted(ref, values, side="left")
    hi = np.searchsorted(ref, values, side="right")
    return (lo + hi) / 2 / max(len(ref), 1)


def _link_weights(A: np.ndarray) -> np.ndarray:
    """Weight of each input-output link i -> j: geometric mean of the percentile ranks (among
    all off-diagonal links) of its coefficient and of its lift ``a_ij * sum(A) / (row_i * col_j)``."""
    n = A.shape[0]
    off = ~np.eye(n, dtype=bool)
    rows, cols, total = A.sum(axis=1), A.sum(axis=0), A.sum()
    expected = np.outer(rows, cols)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(expected > 0, A * total / np.where(expected > 0, expected, 1.0), 0.0)
    strength = _percentiles(A, A[off])
    specificity = _percentiles(lift, lift[off])
    w = np.sqrt(strength * specificity) * (A > 0)
    w[~off] = 0.0
    return w


def _joined(values) -> str:
    """Numbers as one ``"; "``-joined string, each exactly (``repr``), for the parallel lists of a row."""
    return "; ".join(repr(float(v)) for v in values)


def cross_sector_niches(analysis: Analysis, region: str, *, year: int | None = None, top: int = 20,
                        n_bridges: int = 3, scope: str = DEFAULT_SCOPE, min_persons: float = MIN_PERSONS,
                        min_eu_share: float = MIN_EU_SHARE) -> pd.DataFrame:
    """Ranked pairs of the region's strengths in different NACE sections, with their bridges.

    Parameters
    ----------
    analysis : Analysis
    region : str
        NUTS code or name.
    year : int, optional
        Default: the region's last year with data (the WIOD table of ``min(year, 2014)``).
    top : int
        Number of pairs returned.
    n_bridges : int
        Bridging activities listed per pair.
    scope : {"traded", "all"}
        Both sides of a pair and every bridge are traded activities (default), or any activity.
        A local activity (office administration, real estate) follows local demand: pairing it
        with a strength says nothing about a supply chain to build.
    min_persons, min_eu_share : float
        A side of a pair is a strength only with mass (:mod:`smartspec.strategy.mass`).

    Returns
    -------
    DataFrame
        One row per pair, best first: ``rank``, ``a``, ``a_name``, ``a_rca``, ``b``, ``b_name``,
        ``b_rca``, ``a_supplies_b`` (``a_ab``), ``b_supplies_a`` (``a_ba``), ``io_link``
        (the larger), ``io_percentile``, ``proximity``, ``proximity_percentile``, ``link``
        (mean percentile), ``linked_by`` (``input-output``, ``co-location``, ``both`` or
        ``weak``), ``bridges`` (``"C25 Name (C24->C25->C28, density 0.45); ..."``),
        ``bridge_codes`` and, in the same order, the figures of each bridge as ``"; "``-joined
        lists: ``bridge_from`` / ``bridge_to`` (the side it buys from / sells to),
        ``bridge_buys`` (its input coefficient from ``bridge_from``), ``bridge_sold`` (the
        input coefficient of ``bridge_to`` from it), ``bridge_density``,
        ``bridge_density_percentile`` (among the region's non-specialisations), ``bridge_rca``.
        No sentence: :func:`smartspec.views.text.niche_reason` words a row.
        ``attrs``: ``region``, ``region_name``, ``year``, ``io_source`` (the table, or why
        there is none), ``strengths`` (number of strengths: RCA >= 1, mass, in scope), ``scope``
        and the floors.

    References
    ----------
    See the module docstring.
    """
    if top < 1 or n_bridges < 0:
        raise InputError("top must be at least 1 and n_bridges at least 0")
    code = analysis.region(region)
    last = analysis.year_of(code, year)
    m = analysis.at(last)
    i = analysis.panel.regions.get_loc(code)
    acts = np.asarray(analysis.panel.activities)
    names = analysis.panel.activity_meta["name"].to_numpy()
    sections = activity_sectors(analysis.panel)
    in_scope = traded_mask(acts, scope)
    observed = (m.values.sum(axis=0) > 0) & in_scope
    hidden = analysis.panel.missing[last][[i]].toarray().ravel().astype(bool)
    mass = mass_mask(m.values, analysis.panel.missing[last].toarray(), min_persons=min_persons,
                     min_eu_share=min_eu_share)[i]
    strong = np.flatnonzero((m.rca[i] >= 1) & observed & mass)
    if strong.size < 2:
        raise InputError(f"{code} has fewer than two strengths (RCA >= 1 with mass, {scope} activities) in {last}",
                         fix="choose another year, or --scope all")
    country = str(analysis.panel.region_meta["country"].iloc[i])
    try:
        if not wiod_concordance()["nace_division"].isin(analysis.panel.activities).any():
            raise DataNotFoundError("the activities are not NACE divisions")
        A_frame = io_coefficients(analysis, country, last)
        A = A_frame.to_numpy()
        io_source = A_frame.attrs.get("source", "")
        has_io = True
    except DataNotFoundError as exc:
        A = np.zeros_like(m.proximity)
        io_source = f"none ({exc.problem})"
        has_io = False
    io = np.maximum(A, A.T)
    # reference distribution: every pair of observed divisions in different sections
    ra, rb = np.triu_indices(len(acts), 1)
    keep = (sections[ra] != sections[rb]) & observed[ra] & observed[rb]
    ref_io, ref_prox = io[ra[keep], rb[keep]], m.proximity[ra[keep], rb[keep]]
    # candidate pairs: strengths in different sections
    a_idx, b_idx = np.triu_indices(len(strong), 1)
    a_idx, b_idx = strong[a_idx], strong[b_idx]
    cross = sections[a_idx] != sections[b_idx]
    a_idx, b_idx = a_idx[cross], b_idx[cross]
    if a_idx.size == 0:
        raise InputError(f"all strengths of {code} in {last} are in one sector", fix="choose another year")
    io_pair, prox_pair = io[a_idx, b_idx], m.proximity[a_idx, b_idx]
    io_pct = _percentiles(io_pair, ref_io) if has_io else np.zeros(io_pair.size)
    prox_pct = _percentiles(prox_pair, ref_prox)
    link = (io_pct + prox_pct) / 2 if has_io else prox_pct
    order = np.lexsort((-prox_pair, -io_pair, -link))[:top]
    # bridges: unspecialised observed activities in a supply chain a -> c -> b or b -> c -> a
    cand = np.flatnonzero((m.rca[i] < 1) & observed & ~hidden)  # an unknown cell is no bridge
    chain_w = _link_weights(A) if has_io else np.zeros_like(A)
    dens = m.density[i]
    dens_pct = pd.Series(dens[cand]).rank().to_numpy() / max(cand.size, 1)
    rows = []
    for o in order:
        a, b = a_idx[o], b_idx[o]
        c = cand[(cand != a) & (cand != b)]
        ab = np.minimum(chain_w[a, c], chain_w[c, b])   # c buys from a, sells to b
        ba = np.minimum(chain_w[b, c], chain_w[c, a])
        weight = np.maximum(ab, ba)
        score = dens[c] * weight
        best = [j for j in np.argsort(-score, kind="stable") if weight[j] >= 0.5][:n_bridges]
        # each bridge: buys from ``up`` and sells to ``down`` (worded by views.text.niche_reason)
        ups = [a if ab[j] >= ba[j] else b for j in best]
        downs = [b if ab[j] >= ba[j] else a for j in best]
        channel = [n for n, p in (("input-output", io_pct[o]), ("co-location", prox_pct[o])) if p >= LINK_PERCENTILE]
        linked_by = "both" if len(channel) == 2 else (channel[0] if channel else "weak")
        a_to_b, b_to_a = A[a, b], A[b, a]
        rows.append({
            "a": acts[a], "a_name": names[a], "a_rca": float(m.rca[i, a]),
            "b": acts[b], "b_name": names[b], "b_rca": float(m.rca[i, b]),
            "a_supplies_b": float(a_to_b) if has_io else np.nan, "b_supplies_a": float(b_to_a) if has_io else np.nan,
            "io_link": float(io_pair[o]) if has_io else np.nan, "io_percentile": float(io_pct[o]) if has_io else np.nan, "proximity": float(prox_pair[o]),
            "proximity_percentile": float(prox_pct[o]), "link": float(link[o]), "linked_by": linked_by,
            "bridges": "; ".join(f"{acts[c[j]]} {names[c[j]]} ({'->'.join(acts[[a, c[j], b]] if ab[j] >= ba[j] else acts[[b, c[j], a]])}, density {dens[c[j]]:.2f})" for j in best),
            "bridge_codes": ", ".join(acts[c[j]] for j in best),
            # the figures of each bridge, parallel "; "-joined lists in the order of bridge_codes
            "bridge_from": "; ".join(acts[u] for u in ups), "bridge_to": "; ".join(acts[d] for d in downs),
            "bridge_buys": _joined(A[u, c[j]] for u, j in zip(ups, best)),
            "bridge_sold": _joined(A[c[j], d] for d, j in zip(downs, best)),
            "bridge_density": _joined(dens[c[j]] for j in best),
            "bridge_density_percentile": _joined(dens_pct[np.searchsorted(cand, c[j])] for j in best),
            "bridge_rca": _joined(m.rca[i, c[j]] for j in best),
        })
    out = pd.DataFrame(rows)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=last, io_source=io_source,
                     strengths=int(strong.size), scope=scope, min_persons=min_persons, min_eu_share=min_eu_share)
    return out
