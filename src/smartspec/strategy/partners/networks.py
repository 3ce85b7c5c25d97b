"""Network benchmarking: the members of a network of regions side by side. See
:mod:`smartspec.strategy.partners` for the method."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.config import DEFAULT_PROFILE
from smartspec.data.names import normalise_name
from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, traded_mask
from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.context import analyse_panel
from smartspec.strategy.mass import MIN_EU_SHARE, MIN_PERSONS, mass_mask
from smartspec.strategy.partners._common import DEFAULT_NETWORK, _nuts_regions, _top_labels, as_analysis, network_members
from smartspec.strategy.partners.complementarity import density_proximity, gain_weights


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
        employed), ``diversity``, ``eci``, ``top_specialisations``. ``attrs`` holds what the note of
        :func:`smartspec.views.partners_text.network_note` says: ``aggregated`` (NUTS 1
        members replaced by the sum of their NUTS 2 regions), ``approximated`` (finer members
        measured by the NUTS 2 region containing them), ``absent`` (members without data),
        ``hidden_cells`` (``"DE1 E38"``: member cells confidential or missing), ``scope`` and
        the floors.
    shared : DataFrame
        Activities (index) in which at least two members are specialised (RCA >= 1 with mass,
        in scope): name, members_specialised, then the RCA of each member.
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
            hit = [e for e in valid if normalise_name(e) == normalise_name(ecosystem)]
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
                      min_eu_share: float = MIN_EU_SHARE, profile: str | None = DEFAULT_PROFILE,
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
    # specialisations as everywhere (strategy.mass): RCA >= 1, mass and an activity in scope
    mass = mass_mask(m.values, agg.missing[last].toarray(), min_persons=min_persons, min_eu_share=min_eu_share)
    S = (M > 0) & mass & traded_mask(acts, scope)[None, :]
    top_rca = np.where(S[idx], m.rca[idx], 0.0)
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
    spec = pd.DataFrame(S[idx].T, index=acts, columns=members)
    n_spec = spec.sum(axis=1)
    shared = rca[n_spec >= 2].copy()
    shared.insert(0, "name", pd.Series(names, index=acts).reindex(shared.index).to_numpy())
    shared.insert(1, "members_specialised", n_spec[n_spec >= 2].to_numpy())
    shared = shared.sort_values("members_specialised", ascending=False, kind="stable")
    W = gain_weights(density_proximity(m))
    Mn = M[idx]
    # what a member brings: traded activities it holds with mass (strategy.mass), never a hidden cell
    Hn = S[idx].astype(np.float64)
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
    cells = [f"{members[i]} {acts[j]}" for i, j in zip(*np.nonzero(hidden))]
    member_table.attrs.update(network=name, year=last, aggregated=list(groups),
                              approximated=[c for c in other if c not in groups], absent=absent, hidden_cells=cells, dataset=a.dataset, hidden=len(cells), scope=scope,
                              min_persons=min_persons, min_eu_share=min_eu_share)
    return NetworkBenchmark(name, last, member_table, shared, complementarity, rca, eco_table)
