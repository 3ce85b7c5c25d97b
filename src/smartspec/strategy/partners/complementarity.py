"""Complementary partners (Balland and Boschma 2021): the regions that hold, with mass, the
related capabilities a region lacks for a target activity or S3 ecosystem.

See :mod:`smartspec.strategy.partners` for the method.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from smartspec.config import DEFAULT_PROFILE
from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, check_scope, traded_mask
from smartspec.errors import InputError
from smartspec.strategy.mass import MIN_EU_SHARE, MIN_PERSONS, mass_mask
from smartspec.strategy.partners._common import (
    _country_code, _members, _targets, _year, as_analysis, network_members,
)

#: What a partner brings must be at least this quantile of the target's proximities.
RELATED_QUANTILE = 0.75


def density_proximity(measures) -> np.ndarray:
    """The proximity as the density of ``measures`` uses it (diagonal removed when the convention
    leaves the activity itself out), so that gains add to the densities shown."""
    phi = np.array(measures.proximity, dtype=np.float64)
    if not measures.options.get("density_includes_self", False):
        np.fill_diagonal(phi, 0.0)
    return phi


def gain_weights(phi: np.ndarray) -> np.ndarray:
    """:math:`w_{ap} = \\phi_{ap} / \\sum_{a'} \\phi_{a'p}` (0 for an activity with no proximity)."""
    denom = phi.sum(axis=0)
    return np.divide(phi, denom[None, :], out=np.zeros_like(phi, dtype=np.float64), where=denom[None, :] > 0)


def complementarity_gain(M: np.ndarray, phi: np.ndarray, r: int, targets) -> np.ndarray:
    """Density gain of region ``r`` in ``targets`` when each region's specialisations are added.

    Parameters
    ----------
    M : ndarray (n_regions, n_activities)   presence (0/1)
    phi : ndarray (n_activities, n_activities)   proximity used by the density
    r : int   row of the region
    targets : array of int   target activity columns

    Returns
    -------
    ndarray (n_regions, len(targets))
        ``gain[j, t] = sum_a (1 - M[r, a]) M[j, a] w[a, targets[t]]``; row r itself is 0.
    """
    W = gain_weights(phi)[:, np.asarray(targets)]
    lacking = (1.0 - M[r])[None, :] * M  # what each j holds that r lacks
    return lacking @ W


def all_complementarities(M: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Gain for every (region r, partner j, activity p): shape (n, n, n_activities).

    ``gain[r, j, p] = sum_a (1 - M[r, a]) M[j, a] w[a, p]``: the (r, j) pairs' "what j holds
    that r lacks" rows stacked into one (n * n, activities) matrix times W, a single matrix
    product (faster than a batched one).
    """
    M = np.asarray(M, dtype=np.float64)
    W = gain_weights(phi)
    n, k = M.shape
    lacking = ((1.0 - M)[:, None, :] * M[None, :, :]).reshape(n * n, k)
    return (lacking @ W).reshape(n, n, W.shape[1])


def _cosine_rows(R: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity of the rows of R (all pairs, or ``rows`` against all)."""
    norms = np.linalg.norm(R, axis=1)
    A = R if rows is None else R[rows]
    na = norms if rows is None else norms[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (A @ R.T) / np.outer(na, norms)
    return np.nan_to_num(out, nan=0.0)


def _jaccard(M: np.ndarray, r: int) -> np.ndarray:
    inter = M @ M[r]
    union = M.sum(axis=1) + M[r].sum() - inter
    return np.divide(inter, union, out=np.zeros_like(inter, dtype=np.float64), where=union > 0)


def _published_mean(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Each row's mean over the cells the source published (``hidden`` False); NaN for a row
    whose every cell is confidential (its RCA is unknown, not 0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": every cell hidden
        return np.nanmean(np.where(hidden, np.nan, values), axis=1)


def complementary_partners(
    data,
    region: str,
    activity: str | None = None,
    ecosystem: str | None = None,
    *,
    year: int | None = None,
    network: str | None = None,
    country: str | None = None,
    exclude_own_country: bool = False,
    specialised_only: bool = False,
    top: int | None = 20,
    n_brings: int = 3,
    scope: str = DEFAULT_SCOPE,
    min_persons: float = MIN_PERSONS,
    min_eu_share: float = MIN_EU_SHARE,
    related_quantile: float = RELATED_QUANTILE,
    profile: str | None = DEFAULT_PROFILE,
    data_dir=None,
) -> pd.DataFrame:
    """Regions whose capabilities complement the region's for an activity or an S3 ecosystem.

    Parameters
    ----------
    data : Analysis, Panel or str
        The analysed data (see :func:`as_analysis`).
    region : str
        NUTS code or name (``"ITC4"``, ``"Lombardia"``, ``"Lombardy"``).
    activity, ecosystem : str
        Exactly one: an activity code or name of the panel, or an S3 ecosystem of the profile
        (name or key, e.g. ``"Advanced manufacturing"``).
    year : int, optional
        Default: the region's last year with data.
    network : str, optional
        Only members of this network (regions inside a NUTS 1 member count as members).
    country : str, optional
        Only regions of this country (code ``DE`` or name ``Germany``).
    exclude_own_country : bool
        Leave out the region's own country.
    specialised_only : bool
        Only partners specialised (RCA >= 1) in the target activity, or in at least one
        activity of the target ecosystem: partners that bring complementary capabilities *and*
        hold the target itself.
    top : int or None
        Number of partners (None: all).
    n_brings : int
        How many brought activities to list per partner.
    scope : {"traded", "all"}
        What a partner can bring: traded activities only (default), or every activity.
    min_persons, min_eu_share : float
        A partner brings an activity only where its cell has mass
        (:func:`smartspec.strategy.mass.mass_mask`).
    related_quantile : float
        A partner brings an activity only when its proximity to the target (to any activity of
        an ecosystem) is at least this quantile of the target's proximities to every other
        activity (default 0.75: the target's most related quarter).
    profile, data_dir
        Used when ``data`` is a Panel or a dataset name.

    Returns
    -------
    DataFrame
        Best first (by ``score``, the gain weighted by mass): ``rank, region, name, country,
        score, gain, density_alone, density_with, holds`` (persons employed in what it brings),
        ``target_persons`` (its persons employed in the target, mean over an ecosystem's
        activities; NaN where confidential; breaks ties of the score),
        partner_rca`` (NaN where the partner's cells are confidential), ``partner_specialised,
        similarity`` (cosine of RCA vectors), ``overlap``
        (Jaccard of specialisations), ``n_brings`` (related activities the partner holds and
        the region lacks), ``brings_codes, brings_persons, brings_share`` (the ones adding
        most: parallel ``"; "``-joined lists of codes, the partner's persons employed in each
        and each one's share of the gain), ``brings_in_ecosystem_codes`` (ecosystem targets
        only: the ecosystem's own activities the partner holds and the region lacks). No
        sentence: :func:`smartspec.views.partners_text.with_partner_texts` words ``brings`` and
        ``reason`` in English or Italian. ``attrs`` holds region, region_name, year, target,
        target_kind, target_code (activity targets), targets, density_alone, region_rca (the
        region's own mean RCA in the targets, NaN where the source hid every cell), network, scope,
        the floors. Only partners that bring something (score > 0) are listed.

    Raises
    ------
    UnknownNameError
        Unknown region, activity, ecosystem, network or country (closest names suggested).
    InputError
        Neither or both of ``activity`` and ``ecosystem``.

    References
    ----------
    Balland and Boschma (2021), see the module docstring.
    """
    if top is not None and int(top) < 1:
        raise InputError(f"top must be at least 1, got {top}", where="complementary_partners(top=...)",
                         fix="give a positive number, or None for every partner")
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    p = a.panel
    code = a.region(region)
    label, kind, targets, group = _targets(a, activity, ecosystem)
    last = _year(a, code, year)
    m = a.at(last)
    r = p.regions.get_loc(code)
    targets = np.asarray(targets)
    M = np.asarray(m.mcp, dtype=np.float64)
    phi = density_proximity(m)
    W = gain_weights(phi)[:, targets].mean(axis=1)  # weight of each activity in the (mean) gain
    held, weight = held_capabilities(p, m, targets, scope=scope, min_persons=min_persons,
                                     min_eu_share=min_eu_share, related_quantile=related_quantile)
    lacking = (1.0 - M[r])[None, :] * held  # (regions, activities): what each j holds, with mass, that r lacks
    gain = lacking @ W
    score = (lacking * weight) @ W
    alone = float(m.density[r, targets].mean())
    own_rca = float(_published_mean(m.rca[[r]][:, targets], p.missing[last][[r]][:, targets].toarray())[0])
    cand = (m.values.sum(axis=1) > 0) & (score > 0)
    cand[r] = False
    countries = p.region_meta["country"].astype(str).to_numpy()
    net_name = None
    if network is not None:
        net_name, codes = network_members(a, network)
        cand &= np.isin(p.regions.astype(str), _members(p, codes))
    if country is not None:
        cand &= countries == _country_code(p, country, a.data_dir)
    if exclude_own_country:
        cand &= countries != countries[r]
    if specialised_only:
        cand &= M[:, targets].max(axis=1) > 0
    idx = np.flatnonzero(cand)
    n_candidates = len(idx)
    # a partner's cell the source reported confidential has no RCA (NaN, ranked after known ones)
    hidden = p.missing[last][idx][:, targets].toarray()
    partner_rca = _published_mean(m.rca[np.ix_(idx, targets)], hidden)
    # rank first (gain, then the partner's own RCA in the target; ties keep panel order), so that
    # the texts below are written only for the partners returned
    # partner's persons employed in the target itself (NaN where confidential, said in the reason):
    # ties of the mass-weighted gain go to the partner that holds more of the target
    target_persons = _published_mean(m.values[np.ix_(idx, targets)], hidden)
    order = np.lexsort((-partner_rca, -np.nan_to_num(target_persons, nan=-1.0), -gain[idx], -score[idx]))
    if top:
        order = order[:int(top)]
    idx, partner_rca, target_persons = idx[order], partner_rca[order], target_persons[order]
    acts = p.activities
    names = p.activity_meta["name"].astype(str).to_numpy()
    contrib = lacking[idx] * W[None, :]  # each activity's part of each partner's gain
    share = np.divide(contrib, gain[idx, None], out=np.zeros_like(contrib), where=gain[idx, None] > 0)
    persons = m.values[idx]
    brings_codes, brings_persons, brings_share = _held_lists(share, persons, acts, n_brings)
    out = pd.DataFrame({
        "region": p.regions[idx], "name": p.region_meta["name"].astype(str).to_numpy()[idx], "country": countries[idx],
        "score": score[idx], "gain": gain[idx], "density_alone": alone, "density_with": alone + gain[idx],
        "holds": (persons * (contrib > 0)).sum(axis=1),
        "partner_rca": partner_rca, "target_persons": target_persons,
        "partner_specialised": M[np.ix_(idx, targets)].mean(axis=1),
        "similarity": _cosine_rows(m.rca, np.array([r]))[0, idx],
        "overlap": _jaccard(M, r)[idx],
        "n_brings": (contrib > 0).sum(axis=1),
        "brings_codes": brings_codes, "brings_persons": brings_persons, "brings_share": brings_share,
    })
    if kind == "ecosystem":
        in_eco = np.zeros(len(acts))
        in_eco[targets] = 1.0
        out["brings_in_ecosystem_codes"] = _top_codes(lacking[idx] * in_eco[None, :] * (1 + m.rca[idx]), acts,
                                                      len(targets))
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, target=label, target_kind=kind,
                     target_code=acts[targets[0]] if kind == "activity" else "",
                     targets=[acts[t] for t in targets], density_alone=alone, region_rca=own_rca, network=net_name,
                     candidates=n_candidates, scope=scope, min_persons=min_persons, min_eu_share=min_eu_share,
                     related_quantile=related_quantile)
    return out


def held_capabilities(panel: Panel, m, targets, *, scope: str = DEFAULT_SCOPE, min_persons: float = MIN_PERSONS,
                      min_eu_share: float = MIN_EU_SHARE, related_quantile: float = RELATED_QUANTILE):
    r"""What each region can bring to ``targets``, and with what mass weight.

    A region *holds* activity a for the target when it is specialised in a (RCA >= 1), the
    cell has mass (:func:`smartspec.strategy.mass.mass_mask`; never a confidential cell), a is
    in ``scope`` and a is related to the target: :math:`\phi_{ap}` at least the
    ``related_quantile`` of :math:`\phi_{\cdot p}` for some target p. Its mass weight is
    :math:`\min(1, X_{ja} / (10 \cdot \text{min\_persons}))`: full at ten times the floor,
    so that a partner with 1,000 persons in what it brings counts a tenth of one with 10,000.

    Returns
    -------
    held : ndarray (n_regions, n_activities) of 0/1
    weight : ndarray (n_regions, n_activities) in [0, 1]
    """
    check_scope(scope)
    if not 0 <= related_quantile < 1:
        raise InputError(f"related_quantile must be in [0, 1), got {related_quantile}", where="related_quantile",
                         fix=f"e.g. {RELATED_QUANTILE} (the target's most related quarter)")
    targets = np.atleast_1d(np.asarray(targets))
    mass = mass_mask(m.values, panel.missing[m.year].toarray(), min_persons=min_persons, min_eu_share=min_eu_share)
    phi = np.array(m.proximity, dtype=np.float64)[:, targets]
    phi[targets, np.arange(len(targets))] = np.nan  # a target is not related to itself
    cut = np.nanquantile(phi, related_quantile, axis=0)
    related = (np.nan_to_num(phi, nan=-1.0) >= cut[None, :]).any(axis=1)
    eligible = related & traded_mask(panel.activities, scope)
    held = (np.asarray(m.mcp, dtype=np.float64) > 0) & mass & eligible[None, :]
    full = 10.0 * min_persons if min_persons > 0 else 1.0
    weight = np.where(held, np.minimum(1.0, np.asarray(m.values, dtype=np.float64) / full), 0.0)
    return held.astype(np.float64), weight


def _held_lists(share: np.ndarray, persons: np.ndarray, acts, n: int) -> tuple[list[str], list[str], list[str]]:
    """For each partner the n activities adding most, as three parallel ``"; "``-joined lists:
    their codes, the partner's persons employed in each and each one's share of the gain
    (worded by :func:`smartspec.views.partners_text.brings`)."""
    order = np.argsort(-share, axis=1, kind="stable")[:, :n]
    codes, held, shares = [], [], []
    for row, idx in enumerate(order.tolist()):
        kept = [i for i in idx if share[row, i] > 0]
        codes.append("; ".join(str(acts[i]) for i in kept))
        held.append("; ".join(f"{persons[row, i]:.0f}" for i in kept))
        shares.append("; ".join(f"{share[row, i]:.6f}" for i in kept))
    return codes, held, shares


def _top_codes(scores: np.ndarray, acts, n: int) -> list[str]:
    """For each row of ``scores`` (rows x activities; 0 = not eligible) the codes of the n best, ``"; "``-joined."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    return ["; ".join(str(acts[i]) for i in idx if scores[row, i] > 0) for row, idx in enumerate(order.tolist())]


def best_partners(data, *, year: int | None = None, k: int = 1, profile: str | None = DEFAULT_PROFILE,
                  data_dir=None) -> pd.DataFrame:
    """The k most complementary partners of every region for every activity (one year).

    Computes the full (region, partner, activity) gain tensor with one batched product (see
    the module docstring) and keeps, for each (region, activity), the k partners with the
    largest gain. Regions without data in the year are neither targets nor partners.

    Returns
    -------
    DataFrame
        ``region, activity, rank, partner, gain, density_alone, density_with`` with
        ``regions x activities x k`` rows; ``attrs['year']``.
    """
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    m = a.at(year)
    keep = np.flatnonzero(m.values.sum(axis=1) > 0)
    M = np.asarray(m.mcp, dtype=np.float64)[keep]
    gains = all_complementarities(M, density_proximity(m))  # (r, j, p)
    k = max(1, min(int(k), len(keep) - 1))
    part = np.argpartition(-gains, k - 1, axis=1)[:, :k, :]  # (r, k, p)
    top_g = np.take_along_axis(gains, part, axis=1)
    order = np.argsort(-top_g, axis=1, kind="stable")
    part = np.take_along_axis(part, order, axis=1)
    top_g = np.take_along_axis(top_g, order, axis=1)
    n_r, _, n_a = gains.shape
    regions = a.panel.regions[keep]
    alone = m.density[keep]  # (r, p)
    out = pd.DataFrame({
        "region": np.repeat(regions.to_numpy(), k * n_a),
        "activity": np.tile(a.panel.activities.to_numpy(), n_r * k),
        "rank": np.tile(np.repeat(np.arange(1, k + 1), n_a), n_r),
        "partner": regions.to_numpy()[part.reshape(-1)],
        "gain": top_g.reshape(-1),
        "density_alone": np.repeat(alone[:, None, :], k, axis=1).reshape(-1),
    })
    out["density_with"] = out["density_alone"] + out["gain"]
    out = out.sort_values(["region", "activity", "rank"], kind="stable", ignore_index=True)
    out.attrs["year"] = m.year
    return out
