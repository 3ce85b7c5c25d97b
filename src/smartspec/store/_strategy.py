"""Adapters from the strategy modules to the store's tidy tables.

Each ``*_tables(b)`` function is one step of :func:`smartspec.store.build.build_store`: it takes
the build and returns ``{table name: frame}``, which the build writes. A section the data do
not allow raises :class:`~smartspec.errors.InputError` with the reason,
which the store records as *not available*.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.errors import InputError


QUADRANT_KEYS = {
    "high relatedness, high complexity": "high_high",
    "low relatedness, high complexity": "low_high",
    "high relatedness, low complexity": "high_low",
    "low relatedness, low complexity": "low_low",
}


def _analysis(b):
    if b.analysis is None:
        from smartspec.strategy.context import analyse_panel

        b.analysis = analyse_panel(b.panel, profile=b.profile, data_dir=b.data_dir, dataset=b.dataset)
    return b.analysis


def _regions_with_data(b) -> list[str]:
    regs = b.computed.get("regions")
    if regs is None:
        return list(b.panel.regions)
    return list(regs.loc[regs["has_data"], "region"])


def opportunities_tables(b) -> dict:
    """:func:`smartspec.strategy.diversification.opportunities` of every region with data in the store's year.

    One row per region x candidate activity, with the quadrant as a key (``high_high`` ...), the
    region's quadrant thresholds, and every column the strategy function explains it with.
    """
    from smartspec.strategy.diversification import opportunities

    a = _analysis(b)
    parts = []
    for region in _regions_with_data(b):
        try:
            o = opportunities(a, region, b.year)
        except InputError:
            continue
        o.insert(0, "region", region)
        o["quadrant_label"] = o["quadrant"]
        o["quadrant"] = o["quadrant"].map(QUADRANT_KEYS).fillna(o["quadrant"])
        o["density_threshold"] = o.attrs.get("relatedness_threshold")
        o["pci_threshold"] = o.attrs.get("complexity_threshold")
        parts.append(o)
    if not parts:
        raise InputError("no region has opportunities in this year")
    table = pd.concat(parts, ignore_index=True)
    b.computed["opportunities"] = table  # the paths and partners steps start from it
    return {"opportunities": table}


def focus_regions(b) -> list[str]:
    """The profile region first, then the NUTS 2 regions of its networks (members given at NUTS 1
    stand for their NUTS 2 regions): the regions the profile-specific sections are computed for."""
    have = set(_regions_with_data(b))
    out = [b.region] if b.region in have else []
    nets = b.profile.networks if b.profile else {}
    for members in nets.values():
        for r in members:
            cands = [r] if r in have else ([c for c in sorted(have) if c.startswith(r) and len(c) == 4]
                                           if len(r) == 3 else ([r[:4]] if r[:4] in have else []))
            out += [c for c in cands if c not in out]
    return out


def competences_tables(b) -> dict:
    """Systems of competence of the panel and every region's strength in each."""
    from smartspec.strategy.competences import competence_systems, region_competences

    a = _analysis(b)
    systems = competence_systems(a)
    parts = []
    for region in _regions_with_data(b):
        rc = region_competences(a, region, year=b.year, systems=systems)
        rc.insert(0, "region", region)
        parts.append(rc)
    comm = systems.communities.copy()
    for k, v in systems.stability.items():
        comm[f"stability_{k}"] = ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
    return {"competence_systems": comm, "region_competences": pd.concat(parts, ignore_index=True)}


def paths_tables(b) -> dict:
    """Transition paths of every region with data: for the profile region from each traditional
    industry of its profile to each emerging one; for every other region from its largest traded
    specialisations to its best-ranked traded opportunities (``derived`` True;
    :func:`smartspec.strategy.paths.default_groups`), so that no region is given Lombardy's."""
    from smartspec.errors import SmartspecError
    from smartspec.strategy.paths import default_groups, path_summary, transition_paths

    a = _analysis(b)
    prof = b.profile
    opps = b.computed.get("opportunities")
    ranked = {} if opps is None else {r: list(g.sort_values("rank")["activity"])
                                      for r, g in opps.groupby("region", sort=False)}
    jobs = []  # (region, source label, source, target label, target, derived)
    if prof is not None and prof.traditional and prof.emerging:
        jobs += [(b.region, src.name, src.key, dst.name, dst.key, False)
                 for src in prof.traditional.values() for dst in prof.emerging.values()]
    for region in _regions_with_data(b):
        if region == b.region and jobs:
            continue
        try:
            (sl, sources), (tl, targets) = default_groups(a, region, year=b.year, ranked=ranked.get(region))
        except SmartspecError:
            continue
        jobs.append((region, sl, sources, tl, targets, True))
    steps, summaries = [], []
    for region, src_name, src, dst_name, dst, derived in jobs:
        try:
            tp = transition_paths(a, region, src, dst, year=b.year, k=3)
        except SmartspecError:
            continue
        tp.insert(0, "region", region)
        tp.insert(1, "source", src_name)
        tp.insert(2, "target", dst_name)
        steps.append(tp)
        sm = path_summary(tp.drop(columns=["region", "source", "target"]))
        sm.insert(0, "region", region)
        sm.insert(1, "from", src_name)
        sm.insert(2, "to", dst_name)
        sm["derived"] = derived
        summaries.append(sm)
    if not summaries:
        raise InputError("no transition path found for the profile's industries")
    summary = pd.concat(summaries, ignore_index=True).sort_values(["region", "from", "feasibility"],
                                                                   ascending=[True, True, False], kind="stable",
                                                                   ignore_index=True)
    return {"paths": summary, "path_steps": pd.concat(steps, ignore_index=True)}


def niches_tables(b) -> dict:
    """Cross-sector niches of every region with data (about 5 ms a region)."""
    from smartspec.errors import SmartspecError
    from smartspec.strategy.niches import cross_sector_niches

    a = _analysis(b)
    parts = []
    for region in _regions_with_data(b):
        try:
            n = cross_sector_niches(a, region, year=b.year, top=15)
        except SmartspecError:
            continue
        n.insert(0, "region", region)
        n["io_source"] = n.attrs.get("io_source", "")
        parts.append(n)
    return {"niches": pd.concat(parts, ignore_index=True)}


#: Opportunities whose partners the store holds: for the focus regions, and for every other region.
FOCUS_PARTNER_TARGETS, OTHER_PARTNER_TARGETS = 10, 3


def partners_tables(b) -> dict:
    """Complementary partners of every region with data for its best opportunities (the focus
    regions: ten, and each S3 ecosystem of the profile; the others: three), and one summary row
    per (region, partner)."""
    from smartspec.errors import SmartspecError
    from smartspec.strategy.partners import complementary_partners

    a = _analysis(b)
    opps = b.computed.get("opportunities")
    best = {} if opps is None else {r: list(g.sort_values("rank")["activity"])
                                     for r, g in opps.groupby("region", sort=False)}
    ecosystems = [eco.name for eco in b.profile.ecosystems.values()] if b.profile else []
    focus = set(focus_regions(b))
    frames, keys = [], []
    for region in _regions_with_data(b):
        n_best = FOCUS_PARTNER_TARGETS if region in focus else OTHER_PARTNER_TARGETS
        targets = [("activity", act) for act in best.get(region, [])[:n_best]]
        if region in focus:
            targets += [("ecosystem", name) for name in ecosystems]
        for kind, target in targets:
            try:
                cp = complementary_partners(a, region, **{kind: target}, year=b.year, top=5)
            except SmartspecError:
                continue
            frames.append(cp)
            keys.append((region, kind, target, len(cp)))
    if not frames:
        raise InputError("no complementary partner found")
    # the keys are added once to the joined frame (inserting them frame by frame costs seconds)
    detail = pd.concat(frames, ignore_index=True).rename(columns={"region": "partner", "name": "partner_name"})
    counts = [k[3] for k in keys]
    for i, col in enumerate(("region", "target_kind", "target")):
        detail.insert(i, col, np.repeat([k[i] for k in keys], counts))
    g = detail.groupby(["region", "partner"], sort=False)
    summary = pd.DataFrame({
        "partner_name": g["partner_name"].first(), "country": g["country"].first(),
        "targets_helped": g.size(), "best_gain": g["gain"].max(),
        # persons employed in what it brings, for the target it brings most to (issue 10, point 7)
        "holds": g["holds"].max(),
        "targets": g["target"].agg(lambda s: "; ".join(s)),
    }).reset_index()
    summary = summary.sort_values(["region", "targets_helped", "best_gain"], ascending=[True, False, False],
                                  ignore_index=True)
    summary.insert(2, "rank", summary.groupby("region").cumcount() + 1)
    return {"partners": summary, "partner_details": detail}


def compare_tables(b) -> dict:
    """Network benchmarking (smartspec.strategy.partners.network_benchmark) of every profile network."""
    from smartspec.errors import SmartspecError
    from smartspec.strategy.partners import network_benchmark

    a = _analysis(b)
    members, shared, comp = [], [], []
    for name in (b.profile.networks if b.profile else {}):
        try:
            nb = network_benchmark(a, name, year=b.year)
        except SmartspecError:
            continue
        t = nb.members.copy()
        t.insert(0, "network", nb.network)
        facts = nb.members.attrs  # the note on how members are measured is worded by the views, in each language
        for key in ("aggregated", "approximated", "absent", "hidden_cells"):
            t[key] = "; ".join(facts[key])
        t["scope"], t["min_persons"], t["min_eu_share"] = facts["scope"], facts["min_persons"], facts["min_eu_share"]
        members.append(t)
        sh = nb.shared.reset_index().rename(columns={"index": "activity"})
        sh = sh.melt(id_vars=[c for c in ("activity", "name", "members_specialised") if c in sh.columns],
                      var_name="member", value_name="rca")
        sh.insert(0, "network", nb.network)
        shared.append(sh)
        c = nb.complementarity.copy()
        c.insert(0, "network", nb.network)
        comp.append(c)
    if not members:
        raise InputError("no network could be benchmarked")
    return {"compare": pd.concat(members, ignore_index=True),
            "compare_shared": pd.concat(shared, ignore_index=True),
            "compare_complementarity": pd.concat(comp, ignore_index=True)}


def backtest_tables(b) -> dict:
    """The strategy backtest (every predictor x subset), its precision@k curves and its design."""
    from smartspec.strategy.forecast import backtest, precision_curves

    table = backtest(b.dataset, b.data_dir)
    curves = precision_curves(b.dataset, b.data_dir)
    design = pd.DataFrame([{k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                            for k, v in table.attrs.items()}])
    return {"backtest": table, "precision_curves": curves, "backtest_design": design}


def monitoring_tables(b) -> dict:
    """The monitoring indicators, composite and targets of every region
    (:func:`smartspec.strategy.monitoring.tables.monitoring_tables`)."""
    from smartspec.strategy.monitoring.tables import monitoring_tables as tables

    return tables(_analysis(b))
