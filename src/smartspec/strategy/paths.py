"""Transition paths: from a region's traditional industries to emerging ones through
stepping-stone activities it can reach.

The relatedness network has activities as nodes and, as edges, each activity's strongest
proximities (its ``neighbours`` nearest neighbours, symmetrised), so that a path moves
between genuinely related activities. By default its nodes are the traded activities: a path
does not step through a local one (restaurants, building services), which serves the region's
own demand and is no capability a strategy builds on. Moving to activity j costs

.. math:: c(i \\to j) = -\\ln \\phi_{ij} - \\ln \\tilde d_{rj}

where :math:`\\phi_{ij}` is the proximity and :math:`\\tilde d_{rj}` is the region's
reachability of j: 1 if the region is already specialised in j (RCA >= 1), else its
relatedness density there (in [0, 1]). Starting in source activity s costs
:math:`-\\ln \\tilde d_{rs}` (nothing when s is already a strength). The cost of a path is the
sum of these costs; its *feasibility* is :math:`\\exp(-\\text{cost})`, the product of the moves'
:math:`\\phi \\cdot \\tilde d`, in (0, 1], and ``step_feasibility`` its geometric mean per
move (comparable across path lengths). Because every cost is non-negative, the cheapest
paths are shortest paths: a super source linked to the source activities and a super sink
linked from the target activities turn "any source to any target" into one pair, and Yen's
algorithm (igraph ``get_k_shortest_paths``) gives the k cheapest simple paths; longer paths
than ``max_steps`` are skipped (more paths are asked for until k fit).

A proximity is a probability (minimum conditional probability of being specialised in both
activities) and a density is a weighted share of related activities the region already has;
the cost is therefore the negative log-likelihood of the path under independence of its
moves: the most feasible path is the most likely chain of related diversifications.

References
----------
Hidalgo, C. A., et al. (2007). The product space conditions the development of nations.
Science 317(5837). Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
Management Science 17(11).
"""
from __future__ import annotations

import warnings

import igraph as ig
import numpy as np
import pandas as pd

from smartspec.data.scope import DEFAULT_SCOPE, traded_mask
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


def _reach(m, i: int) -> np.ndarray:
    """The region's reachability of each activity: 1 where it is specialised, else its density."""
    return np.where(m.rca[i] >= 1, 1.0, np.clip(m.density[i], _FLOOR, 1.0))


def _k_paths(graph: ig.Graph, s: int, t: int, k: int, max_nodes: int) -> list[list[int]]:
    """Yen's k cheapest simple paths of at most ``max_nodes`` nodes (asks igraph for more paths
    until k short enough ones are found or no more exist)."""
    want = k * 4
    while True:
        with warnings.catch_warnings():  # igraph warns when t cannot be reached: that is an answer here
            warnings.filterwarnings("ignore", message="Couldn't reach some vertices")
            found = graph.get_k_shortest_paths(s, t, k=want, weights="weight", output="vpath")
        ok = [p for p in found if len(p) <= max_nodes]
        if len(ok) >= k or len(found) < want or want >= 512:
            return ok[:k]
        want *= 4


def _status(m, i: int, j: int, median: float, missing: np.ndarray) -> str:
    if missing[j]:
        return "no data"
    if m.rca[i, j] >= 1:
        return "strength"
    return "reachable" if m.density[i, j] >= median else "hard to reach"


def default_groups(analysis: Analysis, region: str, *, year: int | None = None, n: int = 3,
                   scope: str = DEFAULT_SCOPE, ranked: list[str] | None = None,
                   ) -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
    """Sources and targets of a region's paths derived from its own data.

    Used for a region without its own profile: the sources are its ``n`` largest
    specialisations by persons employed (traded, with mass:
    :func:`smartspec.strategy.specialisation.region_specialisations`), the targets its ``n``
    best-ranked opportunities (:func:`smartspec.strategy.diversification.opportunities`) in
    ``scope`` whose cell is known.

    ``ranked`` (the region's opportunities in ranked order, e.g. from the store) saves ranking
    them again.

    Returns
    -------
    ((source label, codes), (target label, codes))

    Raises
    ------
    InputError
        The region has no specialisation or no opportunity in scope.
    """
    from smartspec.strategy.diversification import opportunities
    from smartspec.strategy.specialisation import region_specialisations

    code = analysis.region(region)
    y = analysis.year_of(code, year)
    spec = region_specialisations(analysis.panel, code, y, scope=scope)
    sources = list(spec[spec["specialised"]].sort_values("value", ascending=False, kind="stable")["activity"][:n])
    if ranked is None:  # the same ranking as `smartspec opportunities`
        ranked = list(opportunities(analysis, code, y).sort_values("rank", kind="stable")["activity"])
    hidden = set(spec.loc[spec["confidential_or_missing"], "activity"])
    ranked = pd.Index(ranked)
    targets = list(ranked[traded_mask(ranked, scope) & ~ranked.isin(hidden)][:n])
    if not sources or not targets:
        raise InputError(f"{code} has no {'specialisation' if not sources else 'opportunity'} in {scope} "
                         f"activities in {y} to derive paths from", where="paths",
                         fix="give --from and --to (NACE codes such as C13,C14 and C30)")
    return (f"largest specialisations of {code}", sources), (f"best-ranked opportunities of {code}", targets)


def transition_paths(analysis: Analysis, region: str, source=None, target=None, *, year: int | None = None,
                     k: int = 5, max_steps: int = 5, neighbours: int = 6, disjoint: bool = False,
                     scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """The k most feasible paths from ``source`` to ``target`` activities for a region.

    Parameters
    ----------
    analysis : Analysis
    region : str
        NUTS code or name.
    source, target : str or list of str, optional
        A profile group (``"fashion"``, ``"aerospace"``; sources are looked up first among the
        traditional industries, targets among the emerging ones) or NACE codes (``"C13,C14"``).
        Default: the region's own profile groups when the analysis' profile is the region's
        (Lombardy: fashion to aerospace), else :func:`default_groups` derived from its data.
    scope : {"traded", "all"}
        Targets and stepping stones in this scope only: with ``"traded"`` (the default) a path
        neither ends in nor passes through a local activity (restaurants, building services,
        land transport serve the region's own demand: no capability to build on). The sources
        given are kept whatever their scope. A target whose cell is confidential or missing is
        left out too (``attrs['left_out']`` says which).
    year : int, optional
        Default: the region's last year with data.
    k : int
        Number of paths.
    max_steps : int
        Longest path considered (number of moves).
    neighbours : int
        Nearest neighbours kept per activity in the relatedness network.
    disjoint : bool
        Alternative routes instead of variations of the best one: each path is the cheapest
        that uses none of the stepping stones of the paths before it (they are removed from
        the network in turn), so the k paths share no stepping stone.

    Returns
    -------
    DataFrame
        One row per step: ``path`` (1..k, most feasible first), ``step`` (0 = starting point),
        ``activity``, ``name``, ``role`` (start / stepping stone / target), ``status``
        (``strength`` if RCA >= 1, else ``reachable`` if its density is at least the region's
        median density, else ``hard to reach``; ``no data`` when the cell is missing or
        confidential that year), ``rca``, ``density``, ``reach`` (1 for a
        strength, else the density), ``value`` (the panel's value, e.g. persons employed),
        ``proximity`` (to the previous step), ``step_cost`` (-ln proximity - ln reach),
        ``feasibility`` (of the whole path, in (0, 1]), ``step_feasibility`` (its geometric mean
        per move); no sentence (:func:`smartspec.views.text.path_route` words a route).
        ``attrs``: region, region_name, year, source, target, sources, targets, value_name.

    Raises
    ------
    UnknownNameError
        Unknown group, activity or region (with the closest names).
    InputError
        k or max_steps below 1, or no path within ``max_steps``.

    References
    ----------
    Yen (1971); Hidalgo et al. (2007). See the module docstring.
    """
    if k < 1 or max_steps < 1 or neighbours < 1:
        raise InputError("k, max_steps and neighbours must be at least 1",
                         fix="e.g. --k 5 --max-steps 5")
    code = analysis.region(region)
    m = analysis.at(analysis.year_of(code, year))
    own = analysis.profile is not None and analysis.profile.region == code
    derived = None
    if (source is None or target is None) and not own:
        derived = default_groups(analysis, code, year=m.year, scope=scope)
    if source is None:
        source = derived[0][1] if derived else "fashion"
    if target is None:
        target = derived[1][1] if derived else "aerospace"
    src_label, sources = resolve_activities(analysis, source, "traditional")
    tgt_label, targets = resolve_activities(analysis, target, "emerging")
    if derived:
        src_label = derived[0][0] if sources == derived[0][1] else src_label
        tgt_label = derived[1][0] if targets == derived[1][1] else tgt_label
    i = analysis.panel.regions.get_loc(code)
    hidden_now = np.asarray(analysis.panel.missing[m.year][i].toarray()).ravel().astype(bool)
    pos0 = {a: j for j, a in enumerate(analysis.panel.activities)}
    in_scope = dict(zip(analysis.panel.activities, traded_mask(analysis.panel.activities, scope)))
    left_out = [t for t in targets if hidden_now[pos0[t]] or not in_scope[t]]
    targets = [t for t in targets if t not in left_out]
    if not targets:
        raise InputError(f"every target of {tgt_label} is confidential, missing or outside the {scope} scope in "
                         f"{code} in {m.year} ({', '.join(left_out)})", where="--to",
                         fix="choose another target, or --scope all to allow local activities")
    acts = list(analysis.panel.activities)
    pos = {a: j for j, a in enumerate(acts)}
    reach = _reach(m, i)
    P = np.clip(m.proximity, _FLOOR, 1.0)
    # the network of the activities in scope (and the sources): each keeps its nearest neighbours
    # among them, so leaving a local activity out does not leave a traded one without links
    nodes_in_scope = np.array([in_scope[a] or a in sources for a in acts])
    mask = relatedness_backbone(np.where(nodes_in_scope[:, None] & nodes_in_scope[None, :], m.proximity, 0.0),
                                neighbours)
    n = len(acts)
    s_node, t_node = n, n + 1
    rows, cols = np.nonzero(mask)
    src_idx = [pos[a] for a in sources]
    tgt_idx = [pos[a] for a in targets]
    # super source: starting in a source activity costs its own reachability; super sink is free
    edges = np.concatenate([np.column_stack([rows, cols]),
                            np.column_stack([np.full(len(src_idx), s_node), src_idx]),
                            np.column_stack([tgt_idx, np.full(len(tgt_idx), t_node)])]).astype(int)
    weights = np.concatenate([-np.log(P[rows, cols]) - np.log(reach[cols]), -np.log(reach[src_idx]),
                              np.zeros(len(tgt_idx))])
    graph = ig.Graph(n=n + 2, edges=edges.tolist(), directed=True)
    graph.es["weight"] = weights.tolist()
    if disjoint:
        found, g = [], graph.copy()
        for _ in range(k):
            best = _k_paths(g, s_node, t_node, 1, max_steps + 3)
            if not best:
                break
            found.append(best[0])
            stones = set(best[0][2:-2])
            if stones:  # later paths avoid these stepping stones
                g.delete_edges([e.index for e in g.es if e.source in stones or e.target in stones])
            else:       # a direct move: only that move is taken out
                g.delete_edges([g.get_eid(best[0][1], best[0][2])])
    else:
        found = _k_paths(graph, s_node, t_node, k, max_steps + 3)
    names = analysis.panel.activity_meta["name"]
    median = float(np.median(m.density[i]))
    missing = np.asarray(analysis.panel.missing[m.year][i].toarray()).ravel().astype(bool)
    out = []
    for p, vpath in enumerate(found, start=1):
        nodes = [v for v in vpath if v < n]
        costs = [-np.log(reach[nodes[0]])] + [-np.log(P[a, b]) - np.log(reach[b]) for a, b in zip(nodes[:-1], nodes[1:])]
        cost = float(np.sum(costs))
        feasibility = float(np.exp(-cost))
        step_feasibility = float(np.exp(-cost / max(len(nodes) - 1, 1)))
        for s, v in enumerate(nodes):
            out.append({"path": p, "step": s, "activity": acts[v], "name": names.iloc[v],
                        "role": "start" if s == 0 else ("target" if s == len(nodes) - 1 else "stepping stone"),
                        "status": _status(m, i, v, median, missing),
                        # unknown is never zero: a confidential cell has no RCA and no value
                        "rca": np.nan if missing[v] else float(m.rca[i, v]),
                        "density": float(m.density[i, v]), "reach": float(reach[v]),
                        "value": np.nan if missing[v] else float(m.values[i, v]),
                        "proximity": float(m.proximity[nodes[s - 1], v]) if s else np.nan,
                        "step_cost": float(costs[s]), "feasibility": feasibility,
                        "step_feasibility": step_feasibility})
    table = pd.DataFrame(out)
    if table.empty:
        raise InputError(f"no path of at most {max_steps} steps from {src_label} to {tgt_label} in {code}",
                         fix="raise --max-steps (or neighbours)")
    table.attrs.update(region=code, region_name=analysis.panel.region_name(code), year=m.year, source=src_label,
                       target=tgt_label, sources=sources, targets=targets, left_out=left_out, scope=scope,
                       derived=derived is not None, value_name=analysis.panel.value_name)
    return table


def path_summary(paths: pd.DataFrame) -> pd.DataFrame:
    """One row per path: feasibility, number of moves, stepping stones and the weakest move.

    Parameters
    ----------
    paths : DataFrame
        The output of :func:`transition_paths`.

    Returns
    -------
    DataFrame
        ``path``, ``feasibility``, ``step_feasibility``, ``steps``, ``stepping_stones`` (codes,
        or ``(direct)``), ``new_capabilities`` (steps the region is not yet specialised in),
        ``weakest_step`` (the step number of the move with the highest cost; 0 for a path
        without a move). No sentence: :func:`smartspec.views.text.path_route` words a path's
        route and :func:`smartspec.views.text.weakest_step` its weakest move, from its steps.
    """
    rows = []
    for p, d in paths.groupby("path", sort=True):
        moves = d.iloc[1:]
        rows.append({
            "path": int(p), "feasibility": float(d["feasibility"].iloc[0]),
            "step_feasibility": float(d["step_feasibility"].iloc[0]), "steps": len(d) - 1,
            "stepping_stones": ", ".join(d["activity"].iloc[1:-1]) or "(direct)",
            "new_capabilities": int((d["status"] != "strength").sum()),
            "weakest_step": int(d.loc[moves["step_cost"].idxmax(), "step"]) if len(moves) else 0,
        })
    return pd.DataFrame(rows)
