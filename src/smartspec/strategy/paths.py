"""Transition paths: from a region's traditional industries to emerging ones through
stepping-stone activities it can reach.

The relatedness network has activities as nodes and, as edges, each activity's strongest
proximities (its ``neighbours`` nearest neighbours, symmetrised), so that a path moves
between genuinely related activities. Moving to activity j costs

.. math:: c(i \\to j) = -\\ln \\phi_{ij} - \\ln \\tilde d_{rj}

where :math:`\\phi_{ij}` is the proximity and :math:`\\tilde d_{rj}` is the region's
reachability of j: 1 if the region is already specialised in j (RCA >= 1), else its
relatedness density there. The cost of a path is the sum of its steps' costs, and its
*feasibility* is :math:`\\exp(-\\text{cost} / \\text{steps})`, the geometric mean of the
steps' :math:`\\phi \\cdot \\tilde d`, in (0, 1]. The k cheapest simple paths from any source
activity to any target activity are found with Yen's algorithm (igraph).

References
----------
Hidalgo, C. A., et al. (2007). The product space conditions the development of nations.
Science 317(5837). Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
Management Science 17(11).
"""
from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.context import Analysis

_FLOOR = 1e-6


def resolve_activities(analysis: Analysis, spec: str | list[str], prefer: str | None = None) -> tuple[str, list[str]]:
    """A profile group (name or key) or comma-separated codes -> (label, codes in the panel).

    ``prefer`` ("traditional", "emerging", ...) is searched first, so that ``aerospace`` as a
    target means the emerging industry rather than the 2014-2020 area of the same name.
    """
    if isinstance(spec, (list, tuple)):
        codes = [analysis.activity(c) for c in spec]
        return ", ".join(codes), codes
    text = str(spec).strip()
    if analysis.profile is not None:
        try:
            try:
                group = analysis.profile.group(text, prefer) if prefer else analysis.profile.group(text)
            except UnknownNameError:
                group = analysis.profile.group(text)
            codes = group.codes(analysis.panel.activities)
            if not codes:
                raise InputError(f"group {group.name!r} has no activity in dataset {analysis.dataset}",
                                 fix="choose a group mapped to this dataset's classification")
            return group.name, codes
        except UnknownNameError as exc:
            if "," not in text and text.upper() not in analysis.panel.activities:
                groups = [g.key for g in analysis.profile.groups()]
                raise UnknownNameError("group or activity", text, groups + list(analysis.panel.activities)) from exc
    codes = [analysis.activity(c.strip()) for c in text.split(",") if c.strip()]
    return ", ".join(codes), codes


def relatedness_backbone(phi: np.ndarray, neighbours: int = 6) -> np.ndarray:
    """Symmetric mask keeping each activity's ``neighbours`` strongest proximities."""
    P = np.array(phi, dtype=np.float64)
    np.fill_diagonal(P, 0.0)
    n = P.shape[0]
    k = min(neighbours, n - 1)
    idx = np.argpartition(-P, k - 1, axis=1)[:, :k]
    mask = np.zeros_like(P, dtype=bool)
    mask[np.repeat(np.arange(n), k), idx.ravel()] = True
    mask |= mask.T
    return mask & (P > 0)


def transition_paths(analysis: Analysis, region: str, source, target, *, year: int | None = None, k: int = 5,
                     max_steps: int = 5, neighbours: int = 6) -> pd.DataFrame:
    """The k most feasible paths from ``source`` to ``target`` activities for a region.

    Parameters
    ----------
    analysis : Analysis
    region : str
    source, target : str or list of str
        A profile group (``"fashion"``, ``"aerospace"``) or NACE codes (``"C13,C14"``).
    year : int, optional
        Default: the region's last year with data.
    k : int
        Number of paths.
    max_steps : int
        Longest path considered (number of moves).
    neighbours : int
        Nearest neighbours kept per activity in the relatedness network.

    Returns
    -------
    DataFrame
        One row per step: ``path`` (1..k), ``step`` (0 = starting point), ``activity``, ``name``,
        ``rca``, ``density``, ``proximity`` (to the previous step), ``status`` (strength /
        reachable / hard to reach), ``feasibility`` (of the whole path), ``step_feasibility``, ``path_text``.
    """
    if k < 1 or max_steps < 1:
        raise InputError("k and max_steps must be at least 1")
    code = analysis.region(region)
    m = analysis.at(analysis.last_year(code) if year is None else year)
    src_label, sources = resolve_activities(analysis, source, "traditional")
    tgt_label, targets = resolve_activities(analysis, target, "emerging")
    i = analysis.panel.regions.get_loc(code)
    acts = list(analysis.panel.activities)
    pos = {a: j for j, a in enumerate(acts)}
    reach = np.where(m.rca[i] >= 1, 1.0, np.maximum(m.density[i], _FLOOR))
    mask = relatedness_backbone(m.proximity, neighbours)
    n = len(acts)
    s_node, t_node = n, n + 1
    rows, cols = np.nonzero(mask)
    weights = -np.log(np.maximum(m.proximity[rows, cols], _FLOOR)) - np.log(reach[cols])
    edges = list(zip(rows.tolist(), cols.tolist()))
    src_idx = [pos[a] for a in sources]
    tgt_idx = [pos[a] for a in targets]
    # super source: starting in a source activity costs its own reachability
    edges += [(s_node, j) for j in src_idx]
    weights = np.concatenate([weights, -np.log(reach[src_idx]), np.zeros(len(tgt_idx))])
    edges += [(j, t_node) for j in tgt_idx]
    graph = ig.Graph(n=n + 2, edges=edges, directed=True)
    graph.es["weight"] = weights.tolist()
    found = graph.get_k_shortest_paths(s_node, t_node, k=k * 4, weights="weight", output="vpath")
    names = analysis.panel.activity_meta["name"]
    out = []
    seen = set()
    for vpath in found:
        nodes = [v for v in vpath if v < n]
        if len(nodes) - 1 > max_steps or tuple(nodes) in seen:
            continue
        seen.add(tuple(nodes))
        cost = -np.log(reach[nodes[0]]) + sum(
            -np.log(max(m.proximity[a, b], _FLOOR)) - np.log(reach[b]) for a, b in zip(nodes[:-1], nodes[1:]))
        feasibility = float(np.exp(-cost))
        step_feasibility = float(np.exp(-cost / max(len(nodes) - 1, 1)))
        text = " -> ".join(f"{acts[v]} {names.iloc[v]}" for v in nodes)
        for s, v in enumerate(nodes):
            rca = float(m.rca[i, v])
            status = "strength" if rca >= 1 else ("reachable" if m.density[i, v] >= np.median(m.density[i]) else
                                                 "hard to reach")
            out.append({"path": len(seen), "step": s, "activity": acts[v], "name": names.iloc[v], "rca": rca,
                        "density": float(m.density[i, v]), "value": float(m.values[i, v]),
                        "proximity": float(m.proximity[nodes[s - 1], v]) if s else np.nan, "status": status,
                        "feasibility": feasibility, "step_feasibility": step_feasibility, "path_text": text})
        if len(seen) == k:
            break
    table = pd.DataFrame(out)
    if table.empty:
        raise InputError(f"no path of at most {max_steps} steps from {src_label} to {tgt_label}",
                         fix="raise --max-steps or --neighbours")
    table.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=m.year, source=src_label,
                       target=tgt_label, sources=sources, targets=targets)
    return table


def path_summary(paths: pd.DataFrame) -> pd.DataFrame:
    """One row per path: feasibility, steps and the path in words."""
    g = paths.groupby("path", sort=True)
    return pd.DataFrame({
        "path": g.size().index, "feasibility": g["feasibility"].first().to_numpy(),
        "step_feasibility": g["step_feasibility"].first().to_numpy(),
        "steps": (g.size() - 1).to_numpy(),
        "stepping_stones": g.apply(lambda d: ", ".join(d["activity"].iloc[1:-1]) or "(direct)").to_numpy(),
        "route": g["path_text"].first().to_numpy(),
    })
