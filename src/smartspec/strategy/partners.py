"""Interregional cooperation: complementary partners, structural peers, network benchmarking.

Every public function takes the data as an :class:`~smartspec.strategy.context.Analysis`
(measures of every year, computed once), a :class:`~smartspec.data.panel.Panel` or the name
of a dataset (``"eurostat-sbs"``), and returns pandas frames.

Complementarity (Balland and Boschma 2021)
    With presence matrix :math:`M` (RCA >= 1) and proximity :math:`\\phi` (the one the
    relatedness density of the measures uses, diagonal left out), the relatedness density
    of activity p for region r alone and with partner j's specialisations added are

    .. math:: d_{rp} = \\frac{\\sum_a M_{ra} \\phi_{ap}}{\\sum_a \\phi_{ap}}, \\qquad
              d_{r+j,p} = \\frac{\\sum_a \\max(M_{ra}, M_{ja}) \\phi_{ap}}{\\sum_a \\phi_{ap}}

    and the complementarity of j for r in p is the gain

    .. math:: g_{rjp} = d_{r+j,p} - d_{rp} = \\sum_a (1 - M_{ra}) M_{ja} w_{ap},
              \\qquad w_{ap} = \\phi_{ap} / \\textstyle\\sum_{a'} \\phi_{a'p}.

    It is 0 for a partner with no specialisations or one that holds nothing r lacks, and it
    grows with every related activity j holds and r lacks. The terms of the sum say what each
    partner *brings*: the activities a with :math:`(1 - M_{ra}) M_{ja} = 1`, ordered by their
    weight :math:`w_{ap}` (their share of the gain). For all regions at once the gains are one
    matrix product, :math:`G_{r\\cdot p} = ((1 - M_r) \\odot M) W`, and for every region the
    batched product of shape (regions, partners, activities).

    **Ecosystems**: a target that is an S3 ecosystem of the profile (a set of NACE divisions)
    gets the *mean* over its activities of the density gain, of the density alone and with
    the partner, and of the partner's RCA; ``partner_specialised`` is the share of the
    ecosystem's activities the partner is specialised in; the weights of "brings" are averaged
    the same way. Activities of the ecosystem the partner holds and the region lacks are
    listed separately (``brings_in_ecosystem``).

    **Similarity is not complementarity**: beside the gain each partner shows the cosine
    similarity of the two RCA vectors and the Jaccard overlap of the two sets of
    specialisations. Similar regions have little to add; the most complementary partners are
    those that hold the related capabilities r lacks.
Structural peers
    Two rankings. *Specialisation profile*: the cosine similarity of the RCA vectors over all
    activities of the panel. *Structure* (as the S3 Platform's regional benchmarking, Navarro
    et al. 2014): every variable is standardised over the panel's regions (z-scores, regions
    with data), the variables are grouped in blocks, the squared differences of z-scores are
    averaged within a block, the blocks are averaged with equal weights (over the blocks both
    regions have) and the distance is the square root. Blocks and variables (see
    :data:`STRUCTURAL_BLOCKS` and :func:`structural_variables`):

    - *income*: GDP per head in PPS (Eurostat nama_10r_2gdp, the panel year or 2014);
    - *size*: log of persons employed in the panel (SBS business economy);
    - *employment structure*: the shares of the 10 broad sectors of the Labour Force Survey
      (Eurostat lfst_r_lfe2en2, age 15-64);
    - *economic complexity*: diversity (number of specialisations) and ECI of the panel year;
    - *innovation*: the Regional Innovation Scoreboard index (earliest edition, 2018; only the
      81 Central European regions of the Interreg CE indicator file, so it counts only when
      both regions have it).
Network benchmarking
    The members of a network (of the profile, or of ``s3_networks/interregional_networks.csv``)
    side by side: size, diversity, ECI, top specialisations, the specialisations they share,
    their strength in each S3 ecosystem of the profile, and the complementarity matrix (the
    density gain, averaged over an ecosystem's activities, that each member brings to each
    other member, with the activities it brings). Members are defined at different NUTS
    levels: a member defined at NUTS 1 (Baden-Wuerttemberg DE1, Auvergne-Rhone-Alpes FRK) is
    the sum of its NUTS 2 regions, which it *replaces* in the panel before RCA, proximity,
    diversity and ECI are computed, so that every unit is counted once and members are
    comparable; a member defined at NUTS 3 is measured by the NUTS 2 region containing it. The
    members table states the level each member is defined at and what it is built from.

References
----------
Balland, P.-A., Boschma, R. (2021). Complementary interregional linkages and Smart
Specialisation: an empirical study on European regions. Regional Studies 55(6), 1059-1070.
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). The product space
conditions the development of nations. Science 317, 482-487 (density).
Navarro, M., Gibaja, J. J., Franco, S., Murciego, A., Gianelle, C., Hegyi, F. B., Kleibrink, A.
(2014). Regional benchmarking in the smart specialisation process: identification of
reference regions based on structural similarity. S3 Working Paper 03/2014, JRC.
"""
from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, check_scope, traded_mask
from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.context import Analysis, analyse, analyse_panel
from smartspec.strategy.mass import MIN_EU_SHARE, MIN_PERSONS, floors_text, mass_mask

NETWORKS_FILE = "s3_networks/interregional_networks.csv"
INDICATORS_FILE = "regional_indicators/interreg_ce_tncoop_nuts2_indicators_long.csv.gz"
RIS_INDICATOR = "25a_RIS"
DEFAULT_NETWORK = "Four Motors for Europe"
#: What a partner brings must be at least this quantile of the target's proximities.
RELATED_QUANTILE = 0.75
#: Separator of the activities listed in one cell (NACE names contain semicolons).
SEP = " | "

#: Blocks of the structural distance: block -> variables (LFS shares are added as ``share_*``).
STRUCTURAL_BLOCKS = {
    "income": ["gdp_per_head_pps"],
    "size": ["log_employment"],
    "employment structure": ["share_*"],
    "economic complexity": ["diversity", "eci"],
    "innovation": ["innovation_index"],
}

_PANEL_ANALYSES: dict[int, tuple[Panel, Analysis]] = {}


# ----------------------------------------------------------------------------------------- inputs

def as_analysis(data, *, profile="lombardy", data_dir=None) -> Analysis:
    """The :class:`Analysis` of ``data``: an Analysis (returned as is), a Panel or a dataset name.

    A Panel is analysed once per process (kept while the same object is alive in the cache).
    """
    if isinstance(data, Analysis):
        return data
    if isinstance(data, Panel):
        hit = _PANEL_ANALYSES.get(id(data))
        if hit is not None and hit[0] is data:
            return hit[1]
        a = analyse_panel(data, profile=profile, data_dir=data_dir)
        if len(_PANEL_ANALYSES) >= 4:
            _PANEL_ANALYSES.pop(next(iter(_PANEL_ANALYSES)))
        _PANEL_ANALYSES[id(data)] = (data, a)
        return a
    if isinstance(data, str):
        return analyse(data, data_dir=data_dir, profile=profile)
    raise InputError(f"cannot analyse a {type(data).__name__}",
                     fix="pass an Analysis (smartspec.strategy.analyse), a Panel or a dataset name such as 'eurostat-sbs'")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join("".join(ch.lower() if ch.isalnum() else " " for ch in text).split())


def _read_networks(data_dir) -> dict[str, list[str]]:
    from smartspec.config import resolve_data_dir
    from smartspec.errors import DataNotFoundError

    path = resolve_data_dir(data_dir) / NETWORKS_FILE
    if not path.exists():
        raise DataNotFoundError(f"networks file {NETWORKS_FILE} not found", where=str(path.parent),
                                fix="point --data-dir to the shared data directory or use a region profile with networks")
    table = pd.read_csv(path, dtype=str)
    out: dict[str, list[str]] = {}
    for name, rows in table.groupby("network", sort=False):
        codes = [c.strip() for cell in rows["nuts_code_2021_helper_assigned"].dropna() for c in cell.split(";")]
        out[name] = list(dict.fromkeys(c for c in codes if c))
    return out


def network_members(data, network: str = DEFAULT_NETWORK, *, data_dir=None) -> tuple[str, list[str]]:
    """The full name and member NUTS codes of a network.

    Networks come from the profile of the analysis (its ``[networks]``), or from
    ``s3_networks/interregional_networks.csv`` when there is no profile. A name matches
    exactly, by alias, or as the unique network whose name starts with / contains it
    (``"Vanguard"``, ``"four motors"``); accents and case are ignored.

    Raises
    ------
    UnknownNameError
        No or several networks match; the error lists the closest names.
    """
    a = data if isinstance(data, Analysis) else None
    prof = a.profile if a is not None else None
    if prof is not None and prof.networks:
        nets, aliases = prof.networks, prof.network_aliases
    else:
        nets, aliases = _read_networks(data_dir if a is None else a.data_dir), {}
    names = {**{n: n for n in nets}, **{al: target for al, target in aliases.items() if target in nets}}
    q = _key(network)
    exact = [t for n, t in names.items() if _key(n) == q]
    hits = exact or sorted({t for n, t in names.items() if q and _key(n).startswith(q)}) or \
        sorted({t for n, t in names.items() if q and q in _key(n)})
    if len(hits) != 1:
        err = UnknownNameError("network", network, list(names))
        full = list(dict.fromkeys(names[s] for s in err.suggestions if s in names)) or list(nets)
        err.suggestions = full  # aliases point to the network's full name
        err.fix = f"did you mean {', '.join(full)}? (valid networks and aliases: {', '.join(names)})"
        raise err
    return hits[0], list(nets[hits[0]])


def _nuts_regions(panel: Panel) -> list[str]:
    """The panel's region codes that are NUTS codes of level 1 or finer (others never nest)."""
    level = pd.to_numeric(panel.region_meta["level"], errors="coerce").to_numpy()
    return [str(r) for r, lv in zip(panel.regions, level) if lv >= 1 and len(str(r)) >= 3]


def _members(panel: Panel, codes: list[str]) -> list[str]:
    """Panel regions equal to the codes, or NUTS regions inside them or (for a finer code such
    as NUTS 3) containing them."""
    nuts = set(_nuts_regions(panel))
    return [str(r) for r in panel.regions
            if str(r) in codes or (str(r) in nuts and any(str(r).startswith(c) or c.startswith(str(r)) for c in codes))]


def _country_code(panel: Panel, country: str, data_dir) -> str:
    countries = sorted(set(panel.region_meta["country"].astype(str)))
    c = str(country).strip()
    if c.upper() in countries:
        return c.upper()
    try:
        from smartspec.data.nuts import lookup_region

        code = lookup_region(c, data_dir=data_dir, level=0)
        if code in countries:
            return code
    except Exception:  # noqa: BLE001 - falls through to the error naming the valid countries
        pass
    raise UnknownNameError("country", country, countries, where="country filter")


def _targets(a: Analysis, activity: str | None, ecosystem: str | None):
    """(label, kind, target column indices, ecosystem group or None)."""
    if (activity is None) == (ecosystem is None):
        raise InputError("give exactly one of activity= or ecosystem=",
                         fix="e.g. --activity C30 or --ecosystem 'Advanced manufacturing'")
    acts = a.panel.activities
    if activity is not None:
        code = a.activity(activity)
        return f"{code} {a.panel.activity_name(code)}", "activity", [acts.get_loc(code)], None
    if a.profile is None:
        raise InputError("ecosystems need a region profile", fix="pass profile='lombardy' or a profile file")
    try:
        group = a.profile.group(ecosystem, "ecosystems")
    except UnknownNameError:
        try:
            group = a.profile.group(ecosystem)
        except UnknownNameError:
            raise UnknownNameError("ecosystem", ecosystem, sorted(g.name for g in a.profile.ecosystems.values()),
                                   where=f"profile {a.profile.name}") from None
    codes = group.codes(acts)
    if not codes:
        raise InputError(f"ecosystem {group.name!r} has no activity in dataset {a.dataset}",
                         fix="use a dataset with the ecosystem's NACE divisions or WIPO fields")
    return group.name, "ecosystem", [acts.get_loc(c) for c in codes], group


def _year(a: Analysis, code: str, year: int | None) -> int:
    """The region's last year with data, or ``year`` checked to exist and to hold the region."""
    if year is None:
        return a.last_year(code)
    m = a.at(year)  # unknown year: UnknownNameError with the valid years
    if m.values[a.panel.regions.get_loc(code)].sum() <= 0:
        have = [str(y) for y in a.years if a.measures[y].values[a.panel.regions.get_loc(code)].sum() > 0]
        raise InputError(f"{code} has no data in {year} in {a.dataset}", where="year",
                         fix=f"use one of the years with data for {code}: {', '.join(have)}")
    return int(year)


# ------------------------------------------------------------------------------------ core math

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


def _top_labels(scores: np.ndarray, acts, names, n: int, fmt=None) -> list[str]:
    """For each row of ``scores`` (rows x activities; 0 = not eligible) the n best activities."""
    if scores.shape[0] == 0:
        return []
    order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    best = np.take_along_axis(scores, order, axis=1).tolist()
    labels = [f"{a} {nm}" for a, nm in zip(acts, names)]  # plain strings: indexing a pandas Index is slow
    return [SEP.join(labels[i] + (fmt.format(v) if fmt else "") for i, v in zip(idx, vals) if v > 0)
            for idx, vals in zip(order.tolist(), best)]


# ------------------------------------------------------------------------ complementary partners

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
    profile: str | None = "lombardy",
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
        the region lacks), ``brings`` (the ones adding most, with their share of the gain),
        ``brings_in_ecosystem`` (ecosystem targets only), ``reason``. ``attrs`` holds region,
        region_name, year, target, target_kind, targets, density_alone, network, scope, the
        floors and ``floors_text``. Only partners that bring something (score > 0) are listed.

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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": every target cell hidden
        partner_rca = np.nanmean(np.where(hidden, np.nan, m.rca[np.ix_(idx, targets)]), axis=1)
    # rank first (gain, then the partner's own RCA in the target; ties keep panel order), so that
    # the texts below are written only for the partners returned
    # partner's persons employed in the target itself (NaN where confidential): ties of the
    # mass-weighted gain go to the partner that holds more of the target
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # every target cell hidden: NaN, said in the reason
        target_persons = np.nanmean(np.where(hidden, np.nan, m.values[np.ix_(idx, targets)]), axis=1) \
            if len(idx) else np.zeros(0)
    order = np.lexsort((-partner_rca, -np.nan_to_num(target_persons, nan=-1.0), -gain[idx], -score[idx]))
    if top:
        order = order[:int(top)]
    idx, partner_rca, target_persons = idx[order], partner_rca[order], target_persons[order]
    acts = p.activities
    names = p.activity_meta["name"].astype(str).to_numpy()
    contrib = lacking[idx] * W[None, :]  # each activity's part of each partner's gain
    share = np.divide(contrib, gain[idx, None], out=np.zeros_like(contrib), where=gain[idx, None] > 0)
    persons = m.values[idx]
    brings = _held_labels(share, persons, acts, names, n_brings)
    out = pd.DataFrame({
        "region": p.regions[idx], "name": p.region_meta["name"].astype(str).to_numpy()[idx], "country": countries[idx],
        "score": score[idx], "gain": gain[idx], "density_alone": alone, "density_with": alone + gain[idx],
        "holds": (persons * (contrib > 0)).sum(axis=1),
        "partner_rca": partner_rca, "target_persons": target_persons,
        "partner_specialised": M[np.ix_(idx, targets)].mean(axis=1),
        "similarity": _cosine_rows(m.rca, np.array([r]))[0, idx],
        "overlap": _jaccard(M, r)[idx],
        "n_brings": (contrib > 0).sum(axis=1),
        "brings": brings,
    })
    if kind == "ecosystem":
        in_eco = np.zeros(len(acts))
        in_eco[targets] = 1.0
        out["brings_in_ecosystem"] = _top_labels(lacking[idx] * in_eco[None, :] * (1 + m.rca[idx]), acts, names,
                                                 len(targets))
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["reason"] = [_reason(row, code, label, alone, kind) for row in out.itertuples(index=False)]
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, target=label, target_kind=kind,
                     targets=[acts[t] for t in targets], density_alone=alone, network=net_name,
                     candidates=n_candidates, scope=scope, min_persons=min_persons, min_eu_share=min_eu_share,
                     related_quantile=related_quantile, floors_text=floors_text(min_persons, min_eu_share))
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


def _held_labels(share: np.ndarray, persons: np.ndarray, acts, names, n: int) -> list[str]:
    """For each partner the n activities adding most: code, name, persons employed, share of the gain."""
    if share.shape[0] == 0:
        return []
    order = np.argsort(-share, axis=1, kind="stable")[:, :n]
    return [SEP.join(f"{acts[i]} {names[i]} ({persons[row, i]:,.0f} persons, {share[row, i]:.0%})"
                     for i in idx if share[row, i] > 0)
            for row, idx in enumerate(order.tolist())]


def _reason(row, code: str, label: str, alone: float, kind: str) -> str:
    own = ((f"its own RCA in {label} is {row.partner_rca:.2f} ({row.target_persons:,.0f} persons employed)"
            if not np.isnan(row.partner_rca) else
            f"its own figure for {label} is confidential") if kind == "activity" else
           f"it is specialised in {row.partner_specialised:.0%} of the ecosystem's activities")
    brings = row.brings or f"nothing related that {code} lacks"
    return (f"{row.name} ({row.region}) raises {code}'s relatedness density in {label} from {alone:.2f} to "
            f"{row.density_with:.2f} (+{row.gain:.3f}) with {row.n_brings} specialisations {code} lacks; {own}; "
            f"similarity of the two structures {row.similarity:.2f} (overlap of specialisations {row.overlap:.0%}). "
            f"It holds {row.holds:,.0f} persons employed in what it brings. Brings most: {brings}.")


def best_partners(data, *, year: int | None = None, k: int = 1, profile: str | None = "lombardy",
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


# -------------------------------------------------------------------------------- structural peers

def structural_peers(data, region: str, *, year: int | None = None, top: int = 10,
                     exclude_own_country: bool = False, by: str = "profile", profile: str | None = "lombardy",
                     data_dir=None) -> pd.DataFrame:
    """Regions most similar to ``region``: by specialisation profile or by structure.

    Parameters
    ----------
    data : Analysis, Panel or str
    region : str
        NUTS code or name.
    year : int, optional
        Default: the region's last year with data.
    top : int
        Number of peers.
    exclude_own_country : bool
        Leave out the region's own country.
    by : {"profile", "structure"}
        Rank by cosine similarity of RCA vectors (largest first) or by structural distance
        (smallest first); both are shown either way.

    Returns
    -------
    DataFrame
        ``rank, region, name, country, similarity, distance, blocks`` (how many blocks the
        distance uses), ``closest_on`` / ``farthest_on`` (the variables where the peer is
        nearest to / farthest from the region, in standard deviations), then the raw values
        of every structural variable. The region itself is never a peer. ``attrs``: region,
        region_name, year, by, variables, blocks, region_values.

    References
    ----------
    Navarro et al. (2014), see the module docstring.
    """
    if by not in ("profile", "structure"):
        raise InputError(f"unknown ranking {by!r}", where="structural_peers(by=...)",
                         fix="use 'profile' (cosine of RCA vectors) or 'structure' (structural distance)")
    if int(top) < 1:
        raise InputError(f"top must be at least 1, got {top}", where="structural_peers(top=...)")
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    p = a.panel
    code = a.region(region)
    last = _year(a, code, year)
    m = a.at(last)
    r = p.regions.get_loc(code)
    sim = _cosine_rows(m.rca, np.array([r]))[0]
    variables = structural_variables(a, last)
    distance, blocks, Z = structural_distance(variables, code)
    dz = (Z - Z.loc[code]).abs()
    countries = p.region_meta["country"].astype(str)
    keep = (m.values.sum(axis=1) > 0) & (p.regions != code)
    if exclude_own_country:
        keep &= (countries != countries.iloc[r]).to_numpy()
    out = pd.DataFrame({
        "region": p.regions, "name": p.region_meta["name"].astype(str).to_numpy(), "country": countries.to_numpy(),
        "similarity": sim, "distance": distance.reindex(p.regions).to_numpy(),
        "blocks": blocks.reindex(p.regions).fillna(0).astype(int).to_numpy(),
    })
    out = pd.concat([out.reset_index(drop=True), variables.reindex(p.regions).reset_index(drop=True)], axis=1)[keep]
    out = (out.sort_values(["similarity", "region"], ascending=[False, True], kind="stable") if by == "profile"
           else out.sort_values(["distance", "region"], ascending=True, kind="stable", na_position="last"))
    out = out.head(int(top)).reset_index(drop=True)
    near = dz.reindex(out["region"])
    out["closest_on"] = [_extremes(row, True) for _, row in near.iterrows()]
    out["farthest_on"] = [_extremes(row, False) for _, row in near.iterrows()]
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, by=by,
                     variables=list(variables.columns), blocks=_blocks(variables.columns),
                     region_values=variables.loc[code].to_dict())
    return out


def _extremes(row: pd.Series, nearest: bool, n: int = 2) -> str:
    row = row.dropna()
    row = row.sort_values(ascending=nearest, kind="stable").head(n)
    return "; ".join(f"{k} ({v:.1f} sd)" for k, v in row.items())


def _blocks(columns) -> dict[str, list[str]]:
    out = {}
    for block, pats in STRUCTURAL_BLOCKS.items():
        cols = [c for c in columns for pat in pats
                if (c.startswith(pat[:-1]) if pat.endswith("*") else c == pat)]
        if cols:
            out[block] = cols
    return out


def structural_distance(variables: pd.DataFrame, region: str) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Block-averaged distance of every region from ``region`` on standardised variables.

    Parameters
    ----------
    variables : DataFrame
        Regions x variables (NaN where unknown), e.g. :func:`structural_variables`.
    region : str
        The reference region (a row of ``variables``).

    Returns
    -------
    distance : Series      square root of the mean, over the blocks both regions have, of the
                           mean squared z-score difference within the block
    blocks : Series        number of blocks used per region
    Z : DataFrame          the z-scores (population standard deviation)
    """
    std = variables.std(ddof=0).replace(0, np.nan)
    Z = (variables - variables.mean()) / std
    sq = (Z - Z.loc[region]) ** 2
    per_block = pd.DataFrame({b: sq[cols].mean(axis=1) for b, cols in _blocks(variables.columns).items()})
    blocks = per_block.notna().sum(axis=1)
    distance = np.sqrt(per_block.mean(axis=1))
    return distance, blocks, Z


def structural_variables(data, year: int, *, profile: str | None = "lombardy", data_dir=None) -> pd.DataFrame:
    """Regional variables of the structural distance, indexed by region (NaN where unknown).

    Columns (see the module docstring for sources): ``gdp_per_head_pps``, ``log_employment``,
    ``share_<LFS sector>`` (employment shares), ``diversity``, ``eci``, ``innovation_index``.
    Regional sources are only read for NUTS panels; a country panel gets the panel variables.
    """
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    key = ("structural_variables", int(year))
    if key in a._cache:
        return a._cache[key]
    p = a.panel
    m = a.at(year)
    total = m.values.sum(axis=1)
    out = pd.DataFrame({"log_employment": np.log(np.where(total > 0, total, np.nan)),
                        "diversity": m.diversity.astype(float), "eci": m.eci}, index=p.regions)
    if p.region_meta["level"].notna().mean() >= 0.5:
        from smartspec.data.datasets import gdp_per_head, load_dataset

        out.insert(0, "gdp_per_head_pps", gdp_per_head(p.regions, year, a.data_dir).to_numpy())
        try:
            lfs = load_dataset("eurostat-lfs", a.data_dir)
            ly = max(y for y in lfs.years if y <= max(year, lfs.years[0]))
            shares = lfs.frame(ly)
            shares = shares.div(shares.sum(axis=1).replace(0, np.nan), axis=0)
            shares.columns = [f"share_{c}" for c in shares.columns]
            out = out.join(shares.reindex(p.regions))
        except Exception as exc:  # noqa: BLE001 - the LFS file is optional for this measure
            warnings.warn(f"employment structure left out of the structural distance: {exc}", stacklevel=2)
        ris = innovation_index(a.data_dir)
        if ris is not None:
            out["innovation_index"] = ris.reindex(p.regions).to_numpy()
    out = out.loc[:, out.notna().sum() >= 2]
    a._cache[key] = out
    return out


def innovation_index(data_dir=None, edition: int | None = None) -> pd.Series | None:
    """Regional Innovation Scoreboard index by NUTS 2 code (indicator ``25a_RIS`` of the
    Interreg Central Europe indicator file; 81 regions; earliest edition unless ``edition``).
    None when the file is absent."""
    from smartspec.config import resolve_data_dir

    path = resolve_data_dir(data_dir) / INDICATORS_FILE
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype={"nuts2": str})
    ris = df[df["indicator"] == RIS_INDICATOR].copy()
    ris["year"] = pd.to_numeric(ris["year"], errors="coerce")
    ris = ris.dropna(subset=["year"])
    if ris.empty:
        return None
    y = int(ris["year"].min()) if edition is None else int(edition)
    out = pd.to_numeric(ris.loc[ris["year"] == y].set_index("nuts2")["value"], errors="coerce")
    out.name = f"RIS {y}"
    return out


# ---------------------------------------------------------------------------- network benchmarking

@dataclass
class NetworkBenchmark:
    """Result of :func:`network_benchmark`.

    Attributes
    ----------
    network : str
    year : int
    members : DataFrame
        One row per member: ``member, name, nuts_level`` (the level the network defines it
        at), ``measured_as`` (how the panel measures it), ``built_from``, ``size`` (persons
        employed), ``diversity``, ``eci``, ``top_specialisations``. ``attrs['note']`` says how
        members at other levels were handled.
    shared : DataFrame
        Activities (index) in which at least two members are specialised: name,
        members_specialised, then the RCA of each member.
    complementarity : DataFrame
        Long: ``from_member, to_member, ecosystem, gain`` (mean relatedness-density gain of the
        receiving member over the ecosystem's activities when the giving member's
        specialisations are added), ``brings`` (the activities adding most).
    rca : DataFrame
        Activity x member RCA (NaN where the member's cell is confidential or missing).
    ecosystems : DataFrame
        Member x ecosystem: share of the ecosystem's *known* activities the member is
        specialised in (NaN when none is known); ``attrs['unknown']`` counts the activities
        left out per member and ecosystem.
    """

    network: str
    year: int
    members: pd.DataFrame
    shared: pd.DataFrame
    complementarity: pd.DataFrame
    rca: pd.DataFrame
    ecosystems: pd.DataFrame | None = None

    def matrix(self, ecosystem: str | None = None) -> pd.DataFrame:
        """Giving member (rows) x receiving member (columns) gain, for one ecosystem or averaged."""
        c = self.complementarity
        if ecosystem is not None:
            valid = list(dict.fromkeys(c["ecosystem"]))
            hit = [e for e in valid if _key(e) == _key(ecosystem)]
            if not hit:
                raise UnknownNameError("ecosystem", ecosystem, valid, where=self.network)
            c = c[c["ecosystem"] == hit[0]]
        return c.pivot_table(index="from_member", columns="to_member", values="gain", aggfunc="mean")


def aggregate_regions(panel: Panel, groups: dict[str, list[str]], names: dict[str, str] | None = None) -> Panel:
    """A panel where each group of regions is replaced by one region, their sum.

    Parameters
    ----------
    panel : Panel
    groups : dict
        New code -> codes of the panel regions it replaces (e.g. ``{"DE1": ["DE11", ...]}``).
    names : dict, optional
        New code -> name.

    Returns
    -------
    Panel
        Regions not in any group, then the groups; a cell of a group is missing when any of
        its parts is missing.
    """
    regions = list(panel.regions.astype(str))
    pos = {r: i for i, r in enumerate(regions)}
    unknown = [r for members in groups.values() for r in members if r not in pos]
    if unknown:
        raise UnknownNameError("region", unknown[0], regions, where="aggregate_regions")
    absorbed = {r for members in groups.values() for r in members}
    keep = [r for r in regions if r not in absorbed]
    new_codes = keep + list(groups)
    rows = list(range(len(keep))) + [len(keep) + g for g, members in enumerate(groups.values()) for _ in members]
    cols = [pos[r] for r in keep] + [pos[r] for members in groups.values() for r in members]
    S = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(new_codes), len(regions)))
    mats = {y: sp.csr_array(S @ mat) for y, mat in panel.matrices.items()}
    missing = {y: (S @ sp.csr_array(panel.missing[y], dtype=float)) > 0 for y in panel.years}
    meta = panel.region_meta.reindex(keep)
    extra = pd.DataFrame({"name": [(names or {}).get(c, c) for c in groups],
                          "level": pd.array([len(c) - 2 for c in groups], dtype="Int64"),
                          "country": [c[:2] for c in groups]}, index=pd.Index(list(groups), name="region"))
    meta = pd.concat([meta, extra])
    return Panel(mats, pd.Index(new_codes), panel.activities, missing=missing, region_meta=meta,
                 activity_meta=panel.activity_meta, name=panel.name, value_name=panel.value_name, source=panel.source)


def network_benchmark(data, network: str = DEFAULT_NETWORK, *, year: int | None = None, n_top: int = 5,
                      n_brings: int = 3, scope: str = DEFAULT_SCOPE, min_persons: float = MIN_PERSONS,
                      min_eu_share: float = MIN_EU_SHARE, profile: str | None = "lombardy",
                      data_dir=None) -> NetworkBenchmark:
    """Members of a network side by side (see the module docstring).

    Parameters
    ----------
    data : Analysis, Panel or str
    network : str
        Network name or alias (default: the Four Motors for Europe).
    year : int, optional
        Default: the last year in which every member has data.
    n_top, n_brings : int
        Top specialisations per member; activities listed per complementarity pair.
    scope, min_persons, min_eu_share
        What a member can bring to another: activities in ``scope`` it holds with mass
        (:func:`held_capabilities`, without the relatedness cut: an ecosystem is the target).

    Returns
    -------
    NetworkBenchmark
        Frames: members, shared, complementarity, rca, ecosystems.

    Raises
    ------
    UnknownNameError
        Unknown network (closest names suggested).
    InputError
        Fewer than two members have data.
    """
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    name, codes = network_members(a, network)
    p = a.panel
    regions = set(p.regions.astype(str))
    nuts = _nuts_regions(p)
    groups, built_from, measured_as, absent = {}, {}, {}, []
    for c in codes:
        if c in regions:
            built_from[c], measured_as[c] = c, f"NUTS {len(c) - 2} region of the panel"
            continue
        children = [r for r in nuts if r.startswith(c) and r != c]
        parent = [r for r in nuts if c.startswith(r)]
        if children:
            groups[c] = children
            built_from[c] = " + ".join(children)
            measured_as[c] = f"sum of its {len(children)} NUTS {len(children[0]) - 2} regions"
        elif parent:
            built_from[c] = parent[0]
            measured_as[c] = f"approximated by the NUTS {len(parent[0]) - 2} region {parent[0]} containing it"
        else:
            absent.append(c)
    members = [c for c in codes if c in built_from]
    if len(members) < 2:
        raise InputError(f"network {name!r} has fewer than two members with data in {a.dataset} "
                         f"(members {', '.join(codes)})", fix="use a regional (NUTS) dataset such as eurostat-sbs")
    if absent:
        warnings.warn(f"{name}: members {absent} have no data in {a.dataset}", stacklevel=2)
    from smartspec.data.nuts import region_table

    try:
        nuts_names = region_table(2021, data_dir=a.data_dir)["name"]
    except Exception:  # noqa: BLE001 - names are cosmetic; codes remain
        nuts_names = pd.Series(dtype=str)
    if groups:
        agg = aggregate_regions(p, groups, {c: str(nuts_names.get(c, c)) for c in groups})
        sub = analyse_panel(agg, profile=a.profile, data_dir=a.data_dir, dataset=a.dataset)
    else:
        agg, sub = p, a
    units = [built_from[c] if c not in groups else c for c in members]  # the panel row measuring each member
    if year is None:
        last = min(sub.last_year(u) for u in units)
    else:
        sub.at(year)
        last = int(year)
    m = sub.at(last)
    idx = np.array([agg.regions.get_loc(u) for u in units])
    acts = agg.activities
    names = agg.activity_meta["name"].astype(str).to_numpy()
    M = np.asarray(m.mcp, dtype=np.float64)
    top_rca = np.where(M[idx] > 0, m.rca[idx], 0.0)
    tops = _top_labels(top_rca, acts, names, n_top, " ({:.1f})")
    member_table = pd.DataFrame({
        "member": members,
        "name": [str(nuts_names.get(c, agg.region_name(u) if u in agg.regions else c)) for c, u in zip(members, units)],
        "nuts_level": [len(c) - 2 for c in members],
        "measured_as": [measured_as[c] for c in members],
        "built_from": [built_from[c] for c in members],
        "size": m.values[idx].sum(axis=1),
        "diversity": m.diversity[idx].astype(int),
        "eci": m.eci[idx],
        "top_specialisations": tops,
    })
    # a member's confidential or missing cell has no RCA (NaN, never 0), is never shared and is
    # left out of its ecosystem shares (the count left out is stated)
    hidden = agg.missing[last][idx].toarray()
    rca = pd.DataFrame(np.where(hidden, np.nan, m.rca[idx]).T, index=acts, columns=members)
    rca.index.name = "activity"
    spec = rca >= m.options.get("rca_threshold", 1.0)
    n_spec = spec.sum(axis=1)
    shared = rca[n_spec >= 2].copy()
    shared.insert(0, "name", pd.Series(names, index=acts).reindex(shared.index).to_numpy())
    shared.insert(1, "members_specialised", n_spec[n_spec >= 2].to_numpy())
    shared = shared.sort_values("members_specialised", ascending=False, kind="stable")
    W = gain_weights(density_proximity(m))
    Mn = M[idx]
    # what a member brings: traded activities it holds with mass (strategy.mass), never a hidden cell
    Hn = Mn * mass_mask(m.values, agg.missing[last].toarray(), min_persons=min_persons,
                        min_eu_share=min_eu_share)[idx] * traded_mask(acts, scope)[None, :]
    lacking = (1.0 - Mn)[:, None, :] * Hn[None, :, :]  # (to, from, activity)
    comp, eco_rows, eco_unknown = [], {}, {}
    ecosystems = list(a.profile.ecosystems.values()) if a.profile is not None else []
    for eco in ecosystems:
        cols = [acts.get_loc(c) for c in eco.codes(acts)]
        if not cols:
            continue
        w = W[:, cols].mean(axis=1)
        contrib = lacking * w[None, None, :]
        g = contrib.sum(axis=2)  # (to, from)
        known = ~hidden[:, cols]
        with np.errstate(invalid="ignore", divide="ignore"):
            eco_rows[eco.name] = np.where(known.any(axis=1), (Mn[:, cols] * known).sum(axis=1) / known.sum(axis=1),
                                          np.nan)
        eco_unknown[eco.name] = (~known).sum(axis=1)
        n = len(members)
        to_i, from_i = np.nonzero(~np.eye(n, dtype=bool))
        share = np.divide(contrib[to_i, from_i], g[to_i, from_i, None], out=np.zeros((len(to_i), len(acts))),
                          where=g[to_i, from_i, None] > 0)
        brings = _top_labels(share, acts, names, n_brings, " ({:.0%})")
        comp.append(pd.DataFrame({"from_member": np.array(members)[from_i], "to_member": np.array(members)[to_i],
                                  "ecosystem": eco.name, "gain": g[to_i, from_i], "brings": brings}))
    complementarity = (pd.concat(comp, ignore_index=True) if comp else
                       pd.DataFrame(columns=["from_member", "to_member", "ecosystem", "gain", "brings"]))
    eco_table = pd.DataFrame(eco_rows, index=pd.Index(members, name="member")) if eco_rows else None
    if eco_table is not None:
        eco_table.attrs["unknown"] = pd.DataFrame(eco_unknown, index=eco_table.index)
    other = [c for c in members if len(c) - 2 != 2]
    note = ""
    if groups:
        note += (f"Members defined at NUTS 1 ({', '.join(groups)}) are the sums of their NUTS 2 regions, which they "
                 f"replace in the panel before RCA, proximity, diversity and ECI are computed. ")
    finer = [c for c in other if c not in groups]
    if finer:
        note += f"Members defined at NUTS 3 ({', '.join(finer)}) are measured by the NUTS 2 region containing them. "
    if absent:
        note += f"No data for {', '.join(absent)}."
    n_hidden = int(hidden.sum())
    if n_hidden:
        cells = ", ".join(f"{members[i]} {acts[j]}" for i, j in zip(*np.nonzero(hidden)))
        note = note.rstrip() + (f" {n_hidden} cells are confidential or missing ({cells}): they have no RCA, are not counted in "
                 f"the ecosystem shares (computed over the known activities) and bring nothing.")
    note = note.rstrip() + f" Members bring {scope} activities only; {floors_text(min_persons, min_eu_share)}."
    member_table.attrs.update(network=name, year=last, note=note.strip(), absent=absent, dataset=a.dataset,
                              hidden=int(n_hidden), scope=scope, min_persons=min_persons, min_eu_share=min_eu_share)
    return NetworkBenchmark(name, last, member_table, shared, complementarity, rca, eco_table)
