"""Systems of competence: communities of related activities across sector boundaries.

The proximity between activities is pooled over all years of the panel (region-years
stacked), reduced to a backbone (the maximum spanning tree, so that every activity is
connected, plus each activity's strongest links) and partitioned with the Leiden algorithm
(modularity with a resolution parameter, seeded). Stability is reported as the mean
adjusted Rand index between the partitions of 10 seeds at the chosen resolution, and between
resolutions 0.8, 1.0 and 1.2. Each community is named by its core activities (largest
weighted degree inside it).

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
from sklearn.metrics import adjusted_rand_score

from smartspec.errors import InputError
from smartspec.measures import pooled_proximity
from smartspec.strategy.context import Analysis
from smartspec.strategy.paths import relatedness_backbone

SEEDS = range(10)
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
    """Communities of related activities of the whole panel (see module docstring)."""
    if resolution <= 0:
        raise InputError("resolution must be positive")
    key = ("competences", resolution, neighbours, seed)
    if key in analysis._cache:
        return analysis._cache[key]
    phi = pooled_proximity(analysis.panel)
    g = _backbone_graph(phi, neighbours)
    labels = _partition(g, resolution, seed)
    by_seed = [_partition(g, resolution, s) for s in SEEDS]
    by_res = [_partition(g, r, seed) for r in RESOLUTIONS]
    stability = {
        "seeds": len(SEEDS), "resolutions": list(RESOLUTIONS),
        "ari_across_seeds": float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(by_seed, 2)])),
        "ari_across_resolutions": float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(by_res, 2)])),
        "communities_per_resolution": [int(len(set(x))) for x in by_res],
    }
    acts = analysis.panel.activities
    names = analysis.panel.activity_meta["name"]
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
            "sections": ", ".join(sorted({acts[j][0] for j in members})),
        })
    communities = pd.DataFrame(rows)
    edges = pd.DataFrame({"source": [acts[e.source] for e in g.es], "target": [acts[e.target] for e in g.es],
                          "proximity": g.es["weight"]})
    result = CompetenceSystems(membership, communities, stability, edges)
    analysis._cache[key] = result
    return result


def region_competences(analysis: Analysis, region: str, *, year: int | None = None,
                       systems: CompetenceSystems | None = None) -> pd.DataFrame:
    """A region's strength in each system of competence, and the S3 ecosystems it maps to.

    Returns one row per community: ``specialised`` (count of its activities with RCA >= 1),
    ``share_specialised``, ``employment_share`` (of the region's total), ``employment_share_first``
    (first year with data), ``trend`` (change in share, percentage points), ``strength``
    (``strong`` if at least half its activities are specialisations, else ``partial``/``weak``),
    ``ecosystems`` (profile ecosystems sharing activities, with the overlap).
    """
    code = analysis.region(region)
    systems = systems or competence_systems(analysis)
    last = analysis.last_year(code) if year is None else int(year)
    m = analysis.at(last)
    i = analysis.panel.regions.get_loc(code)
    first = next(y for y in analysis.years if analysis.at(y).values[i].sum() > 0)
    m0 = analysis.at(first)
    member = systems.membership.to_numpy()
    # Trends compare like with like: activities missing in either year (e.g. construction in
    # Italy 2008-10) are left out of both shares.
    missing = analysis.panel.missing
    comparable = ~(missing[first][[i]].toarray().ravel() | missing[last][[i]].toarray().ravel())
    comparable &= (m0.values[i] > 0) | (m.values[i] > 0)
    rows = []
    for _, com in systems.communities.iterrows():
        sel = member == com["community"]
        n_spec = int((m.mcp[i, sel] > 0).sum())
        share = m.values[i, sel].sum() / m.values[i].sum()
        share_c = m.values[i, sel & comparable].sum() / m.values[i, comparable].sum()
        share0 = m0.values[i, sel & comparable].sum() / m0.values[i, comparable].sum()
        codes = set(systems.membership.index[sel])
        eco = []
        if analysis.profile is not None:
            for g in analysis.profile.ecosystems.values():
                overlap = codes & set(g.nace)
                if overlap:
                    eco.append(f"{g.name} ({', '.join(sorted(overlap))})")
        frac = n_spec / sel.sum()
        rows.append({
            "community": com["community"], "name": com["name"], "size": int(sel.sum()), "specialised": n_spec,
            "share_specialised": frac, "employment_share": share, "employment_share_first": share0,
            "trend": 100 * (share_c - share0),
            "strength": "strong" if frac >= 0.5 else ("partial" if frac >= 0.25 else "weak"),
            "specialisations": ", ".join(a for a, s in zip(systems.membership.index[sel], m.mcp[i, sel]) if s > 0),
            "ecosystems": "; ".join(eco),
        })
    out = pd.DataFrame(rows).sort_values(["share_specialised", "employment_share"], ascending=False,
                                         ignore_index=True)
    out.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=last, first_year=first,
                     stability=systems.stability)
    return out
