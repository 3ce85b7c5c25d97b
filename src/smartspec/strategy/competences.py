"""Systems of competence: communities of related activities across sector boundaries.

The proximity between activities is pooled over all years of the panel (region-years
stacked), reduced to a backbone (the maximum spanning tree, so that every activity is
connected, plus each activity's strongest links) and partitioned with the Leiden algorithm
(modularity with a resolution parameter, seeded). Stability is reported as the mean
adjusted Rand index (ARI) and normalised mutual information (NMI) between the partitions of
10 seeds at the chosen resolution, and between resolutions 0.8, 1.0 and 1.2 (1 = identical
partitions; ARI about 0 = no more agreement than chance). Each community is named by its core
activities (largest weighted degree inside it).

A region's strength in a system: how many of its activities the region is specialised in
(RCA >= 1), the system's share of the region's employment, and its trend: the change of that
share from the region's first to its last year, and the least-squares slope over every year
in between, both over the activities observed in both years (so that blocks missing in some
years, such as construction in Italy 2008-10, do not fake a trend). The mapping to the
profile's S3 ecosystems is the overlap of NACE codes (:func:`ecosystem_overlap`).

References
----------
Traag, V. A., Waltman, L., van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
well-connected communities. Scientific Reports 9, 5233.
Neffke, F., Henning, M. (2013). Skill relatedness and firm diversification. Strategic
Management Journal 34(3).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import igraph as ig
import leidenalg
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import minimum_spanning_tree

from smartspec.errors import InputError
from smartspec.measures import pooled_proximity
from smartspec.strategy.context import Analysis
from smartspec.strategy.paths import relatedness_backbone

SEEDS = range(10)
#: Longest trend window (years) of :func:`region_competences`.
TREND_YEARS = 10


def activity_sectors(panel) -> np.ndarray:
    """The broad sector of each activity: its WIPO sector (``Chemistry``...) when the panel's
    activity labels have one, else the NACE section (the code's letter)."""
    meta = panel.activity_meta
    if "sector" in meta and meta["sector"].notna().all():
        return meta["sector"].astype(str).to_numpy()
    return np.array([str(a)[0] for a in panel.activities])
RESOLUTIONS = (0.8, 1.0, 1.2)


@dataclass
class CompetenceSystems:
    """Result of :func:`competence_systems`.

    Attributes
    ----------
    membership : Series (activity -> community number, 1-based, largest first)
    communities : DataFrame  one row per community: name, size, core activities, sections
    stability : dict  mean ARI across seeds and across resolutions
    edges : DataFrame  backbone edges (source, target, proximity)
    """

    membership: pd.Series
    communities: pd.DataFrame
    stability: dict
    edges: pd.DataFrame


def _backbone_graph(phi: np.ndarray, neighbours: int) -> ig.Graph:
    P = np.array(phi, dtype=np.float64)
    np.fill_diagonal(P, 0.0)
    # maximum spanning tree = minimum spanning tree of (max - phi) on existing edges
    dist = np.where(P > 0, P.max() + 1e-9 - P, 0.0)
    tree = minimum_spanning_tree(dist).toarray() > 0
    mask = relatedness_backbone(P, neighbours) | tree | tree.T
    rows, cols = np.nonzero(np.triu(mask, 1))
    g = ig.Graph(n=P.shape[0], edges=list(zip(rows.tolist(), cols.tolist())))
    g.es["weight"] = P[rows, cols].tolist()
    return g


def _partition(g: ig.Graph, resolution: float, seed: int) -> np.ndarray:
    part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                    resolution_parameter=resolution, seed=seed, n_iterations=-1)
    return np.asarray(part.membership)


def competence_systems(analysis: Analysis, *, resolution: float = 1.0, neighbours: int = 4,
                       seed: int = 0) -> CompetenceSystems:
    """Communities of related activities of the whole panel (see module docstring).

    Parameters
    ----------
    analysis : Analysis
    resolution : float
        Leiden resolution of the modularity (RB configuration model); higher gives more,
        smaller systems.
    neighbours : int
        Strongest links kept per activity on top of the maximum spanning tree.
    seed : int
        Seed of the reported partition (stability uses seeds 0-9).

    Returns
    -------
    CompetenceSystems
        ``membership``, ``communities`` (community, name, core, size, activities, sections),
        ``stability`` (ari/nmi across seeds and resolutions, communities per resolution,
        modularity), ``edges`` (the backbone).

    References
    ----------
    Traag, Waltman and van Eck (2019); see the module docstring.
    """
    if resolution <= 0:
        raise InputError("resolution must be positive")

    def build() -> CompetenceSystems:
        # imported here: scikit-learn takes about 2 s to import, and only this function needs it
        from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

        phi = pooled_proximity(analysis.panel)
        g = _backbone_graph(phi, neighbours)
        labels = _partition(g, resolution, seed)
        by_seed = [_partition(g, resolution, s) for s in SEEDS]
        by_res = [_partition(g, r, seed) for r in RESOLUTIONS]
        stability = {
            "seeds": len(SEEDS), "resolutions": list(RESOLUTIONS),
            "ari_across_seeds": float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(by_seed, 2)])),
            "ari_across_resolutions": float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(by_res, 2)])),
            "nmi_across_seeds": float(np.mean([normalized_mutual_info_score(a, b) for a, b in combinations(by_seed, 2)])),
            "nmi_across_resolutions": float(np.mean([normalized_mutual_info_score(a, b)
                                                     for a, b in combinations(by_res, 2)])),
            "modularity": float(g.modularity(labels.tolist(), weights="weight")),
            "communities_per_resolution": [int(len(set(x))) for x in by_res],
        }
        acts = analysis.panel.activities
        names = analysis.panel.activity_meta["name"]
        sectors = activity_sectors(analysis.panel)
        # renumber communities by size (1 = largest)
        sizes = pd.Series(labels).value_counts()
        order = {old: new + 1 for new, old in enumerate(sizes.index)}
        membership = pd.Series([order[x] for x in labels], index=acts, name="community")
        W = np.zeros_like(phi)
        for e in g.es:
            W[e.source, e.target] = W[e.target, e.source] = e["weight"]
        rows = []
        for c in sorted(membership.unique()):
            members = np.flatnonzero(membership.to_numpy() == c)
            strength = W[np.ix_(members, members)].sum(axis=1)
            core = members[np.argsort(-strength, kind="stable")][:3]
            rows.append({
                "community": int(c),
                "name": " / ".join(names.iloc[j] for j in core[:2]),
                "core": ", ".join(acts[j] for j in core),
                "size": len(members),
                "activities": ", ".join(acts[members]),
                "sections": ", ".join(sorted(set(sectors[members]))),
            })
        communities = pd.DataFrame(rows)
        edges = pd.DataFrame({"source": [acts[e.source] for e in g.es], "target": [acts[e.target] for e in g.es],
                              "proximity": g.es["weight"]})
        return CompetenceSystems(membership, communities, stability, edges)

    return analysis.memo(("competences", resolution, neighbours, seed), build)


def ecosystem_overlap(systems: CompetenceSystems, profile) -> pd.DataFrame:
    """How the systems of competence map to a profile's S3 ecosystems (overlap of NACE codes).

    Parameters
    ----------
    systems : CompetenceSystems
    profile : RegionProfile

    Returns
    -------
    DataFrame
        One row per (community, ecosystem) sharing at least one activity: ``community``,
        ``ecosystem``, ``shared`` (the codes), ``overlap`` (their number), ``share_of_system``
        (overlap / system size), ``share_of_ecosystem`` (overlap / the ecosystem's codes in the
        panel), ``jaccard``; sorted by community, then overlap.
    """
    acts = set(systems.membership.index)
    rows = []
    for c, members in systems.membership.groupby(systems.membership):
        codes = set(members.index)
        for g in profile.ecosystems.values():
            eco = set(g.codes(acts))
            shared = codes & eco
            if shared:
                rows.append({"community": int(c), "ecosystem": g.name, "shared": ", ".join(sorted(shared)),
                             "overlap": len(shared), "share_of_system": len(shared) / len(codes),
                             "share_of_ecosystem": len(shared) / len(eco), "jaccard": len(shared) / len(codes | eco)})
    cols = ["community", "ecosystem", "shared", "overlap", "share_of_system", "share_of_ecosystem", "jaccard"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["community", "overlap", "jaccard"], ascending=[True, False, False], ignore_index=True)


def region_competences(analysis: Analysis, region: str, *, year: int | None = None,
                       systems: CompetenceSystems | None = None, since: int | None = None) -> pd.DataFrame:
    """A region's strength in each system of competence, and the S3 ecosystems it maps to.

    Parameters
    ----------
    analysis : Analysis
        Measures of every year (:func:`smartspec.strategy.context.analyse`).
    region : str
        NUTS code or name (``ITC4``, ``Lombardia``).
    year : int, optional
        Default: the region's last year with data.
    since : int, optional
        First year of the trend. Default: the region's first year with data, at most
        :data:`TREND_YEARS` years before ``year``.
    systems : CompetenceSystems, optional
        Default: :func:`competence_systems` with its defaults.

    Returns
    -------
    DataFrame
        One row per community, strongest first: ``community``, ``name``, ``size``,
        ``specialised`` (its activities with RCA >= 1), ``share_specialised``,
        ``employment_share`` (of the region's total in ``year``), ``employment_share_first``
        (first year, comparable activities), ``trend`` (change of the share, percentage
        points), ``trend_per_year`` (least-squares slope over the years, points per year),
        ``strength`` (``strong`` if at least half its activities are specialisations,
        ``partial`` if a quarter, else ``weak``), ``specialisations`` (codes),
        ``ecosystems`` (profile ecosystems sharing activities, most shared first, with the
        codes), ``direction`` (``growing``, ``shrinking`` or ``stable``: a slope beyond 0.05
        points a year). No sentence: :func:`smartspec.views.text.competence_summary` words a
        row. ``attrs``: region, region_name, year, first_year, years, stability, value_name.
    """
    code = analysis.region(region)
    systems = systems or competence_systems(analysis)
    last = analysis.year_of(code, year)
    m = analysis.at(last)
    i = analysis.panel.regions.get_loc(code)
    start = last - TREND_YEARS if since is None else int(since)
    if start > last:
        raise InputError(f"since={start} is after year {last}", fix="choose an earlier first year of the trend")
    years = [y for y in analysis.years if start <= y <= last and analysis.at(y).values[i].sum() > 0]
    first = years[0]
    comm = systems.communities
    member = systems.membership.to_numpy()
    C = (member[:, None] == comm["community"].to_numpy()[None, :]).astype(float)  # activities x communities
    # Trends compare like with like: activities missing in any year (e.g. construction in
    # Italy 2008-10) are left out of every year's shares.
    missing = np.vstack([analysis.panel.missing[y][[i]].toarray().ravel() for y in years]).astype(bool)
    V = np.vstack([analysis.at(y).values[i] for y in years])
    comparable = ~missing.any(axis=0) & (V.sum(axis=0) > 0)
    Vc = V * comparable
    shares = 100 * (Vc @ C) / Vc.sum(axis=1, keepdims=True)            # years x communities, percent
    t = np.asarray(years, dtype=float) - np.mean(years)
    slope = (t @ (shares - shares.mean(axis=0))) / (t @ t) if len(years) > 1 else np.zeros(C.shape[1])
    n_spec = (m.mcp[i] > 0) @ C
    size = C.sum(axis=0)
    share_now = (m.values[i] @ C) / m.values[i].sum()
    frac = n_spec / size
    overlap = ecosystem_overlap(systems, analysis.profile) if analysis.profile is not None else None
    acts = systems.membership.index
    rows = []
    for k, com in enumerate(comm.itertuples()):
        sel = C[:, k] > 0
        eco = ("; ".join(f"{r.ecosystem} ({r.shared})" for r in overlap[overlap["community"] == com.community]
                         .itertuples()) if overlap is not None else "")
        strength = "strong" if frac[k] >= 0.5 else ("partial" if frac[k] >= 0.25 else "weak")
        direction = "growing" if slope[k] > 0.05 else ("shrinking" if slope[k] < -0.05 else "stable")
        rows.append({
            "community": com.community, "name": com.name, "size": int(size[k]), "specialised": int(n_spec[k]),
            "share_specialised": float(frac[k]), "employment_share": float(share_now[k]),
            "employment_share_first": float(shares[0, k] / 100), "trend": float(shares[-1, k] - shares[0, k]),
            "trend_per_year": float(slope[k]), "strength": strength,
            "specialisations": ", ".join(a for a, s in zip(acts[sel], m.mcp[i, sel]) if s > 0),
            "ecosystems": eco, "direction": direction,
        })
    out = pd.DataFrame(rows).sort_values(["share_specialised", "employment_share"], ascending=False,
                                         ignore_index=True)
    out.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=last, first_year=first,
                     years=years, stability=systems.stability, value_name=analysis.panel.value_name)
    return out
