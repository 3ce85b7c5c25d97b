"""Read the store into the API's response models (shared by the web pages and the report).

Nothing here computes a measure: every number comes from a table of the results store.
"""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pandas as pd

from smartspec.errors import UnknownNameError
from smartspec.store import Store
from smartspec.web import models as m

METRICS = ("eci", "diversity", "rca")

#: The columns each section shows (in this order); the downloads keep every column.
COLUMNS = {
    "competences": ["name", "strength", "specialised", "size", "employment_share", "trend", "specialisations",
                    "ecosystems"],
    "paths": ["from", "to", "feasibility", "steps", "stepping_stones", "route"],
    "niches": ["rank", "a", "a_name", "b", "b_name", "link", "io_link", "proximity", "bridges"],
    "partners": ["rank", "partner", "partner_name", "country", "targets_helped", "best_gain", "targets"],
    "compare": ["member", "name", "built_from", "size", "diversity", "eci", "top_specialisations"],
    "complementarity": ["from_member", "to_member", "ecosystem", "gain"],
}


def _f(v) -> Optional[float]:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def _clean(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return _f(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (list, tuple, np.ndarray)):
        return "; ".join(str(x) for x in v)
    return v


def _text(v) -> str:
    v = _clean(v)
    return "" if v is None else str(v)


def table_model(store: Store, section: str, table: str, *, query: str | None = None, limit: int = 200,
                columns: list[str] | None = None) -> m.Table:
    """A store table (optionally filtered with a pandas query) as a :class:`Table` section."""
    if not store.available(section) or not store.has(table):
        return m.Table(available=False, note=store.reason(section) or "not computed by this store")
    df = store.table(table)
    if query:
        df = df.query(query)
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    df = df.head(limit)
    rows = [{k: _clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
    return m.Table(available=True, columns=[str(c) for c in df.columns], rows=rows)


def info(store: Store) -> m.StoreInfo:
    man = store.manifest
    return m.StoreInfo(
        dataset=man["dataset"], value_name=man.get("value_name", ""), source=man.get("source", ""),
        year=man.get("year"), first_year=man.get("first_year"), region=man.get("region"),
        region_name=man.get("region_name"), n_regions=man.get("n_regions", 0), n_activities=man.get("n_activities", 0),
        sections={k: m.SectionStatus(available=v.get("available", False), reason=v.get("reason", ""))
                  for k, v in man.get("sections", {}).items()},
        built_at=man.get("built_at", ""),
    )


def search_regions(store: Store, q: str, limit: int = 10) -> list[m.RegionHit]:
    """Regions whose code or any name (in any language the data has) contains ``q``."""
    from smartspec.data.names import match_names

    hits = match_names(store.region_search_names.rename(columns={"region": "code"}), q, limit)
    regs = store.regions
    return [m.RegionHit(region=r, name=store.region_name(r), matched_name=n,
                        country=str(regs.at[r, "country"]), eci=_f(regs.at[r, "eci"]),
                        diversity=_f(regs.at[r, "diversity"]))
            for r, n in hits[["code", "name"]].itertuples(index=False)]


def map_data(store: Store, metric: str = "eci", activity: str | None = None, lang_label=None) -> m.MapData:
    if not store.has("regions") or not store.has("rca"):
        return m.MapData(metric=metric, label=metric, regions=[], names=[], values=[])
    regs = store.regions
    regs = regs[regs["has_data"]] if "has_data" in regs else regs
    if metric == "rca":
        if not activity:
            activity = _default_activity(store)
        act = store.resolve_activity(activity)
        rca = store.table("rca")
        sub = rca[rca["activity"] == act].set_index("region")["rca"].reindex(regs.index)
        return m.MapData(metric="rca", label=f"RCA {act}", activity=act, activity_name=store.activity_name(act),
                         regions=list(regs.index), names=list(regs["name"]), values=[_f(v) for v in sub])
    col = "eci" if metric == "eci" else "diversity"
    return m.MapData(metric=col, label=col.upper() if col == "eci" else "diversity", regions=list(regs.index),
                     names=list(regs["name"]), values=[_f(v) for v in regs[col]])


def _default_activity(store: Store) -> str:
    acts = store.activities
    return str(acts.index[0]) if len(acts) else ""


def _rank(series: pd.Series, key) -> tuple[Optional[int], int]:
    s = series.dropna()
    if key not in s.index:
        return None, len(s)
    return int((s > s[key]).sum() + 1), len(s)


def region_profile(store: Store, region: str, top: int = 20) -> m.RegionProfile:
    code = store.resolve_region(region)
    man = store.manifest
    r = store.regions.loc[code]
    eci_rank, n_ranked = _rank(store.regions["eci"], code)
    rca = store.table("rca")
    mine = rca[rca["region"] == code]
    acts = store.activities
    spec = mine.sort_values("rca", ascending=False).head(top)
    specs = [m.Specialisation(rank=i + 1, activity=a, name=store.activity_name(a), value=_f(v), share=_f(s),
                              rca=_f(x), rca_first=_f(x0), pci=_f(acts.at[a, "pci"]) if a in acts.index else None)
             for i, (a, v, s, x, x0) in enumerate(spec[["activity", "value", "share", "rca", "rca_first"]]
                                                   .itertuples(index=False))]
    is_profile = code == man.get("region")
    opps: list[m.Opportunity] = []
    note = ""
    dthr = pthr = None
    if store.available("opportunities") and store.has("opportunities"):
        o = store.table("opportunities")
        o = o[o["region"] == code]
        if len(o):
            dthr = _f(o["density_threshold"].iloc[0]) if "density_threshold" in o else None
            pthr = _f(o["pci_threshold"].iloc[0]) if "pci_threshold" in o else None
            for row in o.to_dict(orient="records"):
                opps.append(m.Opportunity(
                    activity=row["activity"], name=store.activity_name(row["activity"]),
                    density=_f(row.get("density")), pci=_f(row.get("pci")), rca=_f(row.get("rca")),
                    quadrant=str(row.get("quadrant", "")), supporting=_text(row.get("supporting")),
                    rank=int(row["rank"]) if _f(row.get("rank")) is not None else None,
                    probability=_f(row.get("probability")), predictor=_text(row.get("predictor")),
                    ecosystems=_text(row.get("ecosystems")), advice=_text(row.get("advice")),
                    reason=_text(row.get("reason"))))
        else:
            note = "no opportunities stored for this region"
    else:
        note = store.reason("opportunities")

    def section(sec: str, table: str, columns: list[str] | None = None, column: str = "region",
                extra: str = "", profile_region_only: bool = False) -> m.Table:
        t = table_model(store, sec, table)
        if not t.available:
            return t
        df = store.table(table)
        if column in df.columns:
            t = table_model(store, sec, table, query=f"{column} == {code!r}" + extra, columns=columns)
            if not t.rows and profile_region_only and not is_profile:
                t.note = "only_profile_region"
        return t

    partners = section("partners", "partners", COLUMNS["partners"])
    for row in partners.rows:  # names in Latin script, as everywhere else on the pages
        if row.get("partner") in store.regions.index:
            row["partner_name"] = store.region_name(row["partner"])
    return m.RegionProfile(
        region=code, name=store.region_name(code), country=str(r["country"]), year=man.get("year"),
        first_year=man.get("first_year"), value_name=man.get("value_name", ""), total=_f(r.get("total")),
        eci=_f(r["eci"]), eci_rank=eci_rank, n_ranked=n_ranked, diversity=_f(r["diversity"]),
        is_profile_region=is_profile, specialisations=specs, opportunities=opps, opportunities_note=note,
        density_threshold=dthr, pci_threshold=pthr,
        competences=section("competences", "region_competences", COLUMNS["competences"]),
        paths=section("paths", "paths", COLUMNS["paths"], extra=" and path == 1", profile_region_only=True),
        niches=section("niches", "niches", COLUMNS["niches"]),
        partners=partners,
        ri=table_model(store, "organisations", "ri_lens", query=f"region == {code!r}",
                       columns=["programme_part", "participations", "ec_contribution", "rca", "rca_funding"]),
    )


def _region_rcas(store: Store, rows: pd.DataFrame) -> list[m.EnteredRegion]:
    """One :class:`EnteredRegion` (code, name, first and last RCA) per row of an rca-table slice, in its order."""
    return [m.EnteredRegion(region=r, name=store.region_name(r), rca_first=_f(x0), rca=_f(x))
            for r, x0, x in rows[["region", "rca_first", "rca"]].itertuples(index=False)]


def activity_detail(store: Store, activity: str, n_related: int = 12) -> m.ActivityDetail:
    code = store.resolve_activity(activity)
    man = store.manifest
    a = store.activities.loc[code]
    pci_rank, n_ranked = _rank(store.activities["pci"], code)
    prox = store.table("proximity")
    rel = prox[(prox["activity_a"] == code) | (prox["activity_b"] == code)]
    other = np.where(rel["activity_a"] == code, rel["activity_b"], rel["activity_a"])
    rel = pd.DataFrame({"activity": other, "proximity": rel["proximity"].to_numpy()})
    rel = rel.sort_values("proximity", ascending=False).head(n_related)
    acts = store.activities
    related = [m.RelatedActivity(activity=o, name=store.activity_name(o), proximity=float(p),
                                 pci=_f(acts.at[o, "pci"]) if o in acts.index else None)
               for o, p in rel.itertuples(index=False)]
    rca = store.table("rca")
    mine = rca[rca["activity"] == code]
    entered = _region_rcas(store, mine[mine["entered"]].sort_values("rca", ascending=False))
    top_regions = _region_rcas(store, mine.sort_values("rca", ascending=False).head(15))
    return m.ActivityDetail(
        activity=code, name=store.activity_name(code), pci=_f(a["pci"]), pci_rank=pci_rank, n_ranked=n_ranked,
        ubiquity=_f(a["ubiquity"]), ecosystems=str(a.get("ecosystems", "") or ""), year=man.get("year"),
        first_year=man.get("first_year"), map=map_data(store, "rca", code), related=related, entered=entered,
        top_regions=top_regions,
    )


def space(store: Store, color: str = "presence", region: str | None = None) -> m.Space:
    if not store.has("layout"):
        return m.Space(color=color, region=None, region_name=None, groups=[], nodes=[], edges=[], available=False,
                       note=store.reason("layout"))
    code = store.resolve_region(region) if region else (store.manifest.get("region") or "ITC4")
    if code and code not in store.regions.index:
        code = None
    lay = store.table("layout")
    acts = store.activities
    values = {}
    if color == "presence" and code:
        rca = store.table("rca")
        values = rca[rca["region"] == code].set_index("activity")["rca"].to_dict()
    groups: list[str] = []
    nodes = []
    for act, x, y in lay[["activity", "x", "y"]].itertuples(index=False):
        if color == "ecosystem":
            eco = str(acts.at[act, "ecosystems"]) if act in acts.index and "ecosystems" in acts else ""
            group = eco.split("; ")[0] if eco else "other"
        else:
            v = values.get(act)
            group = "specialised" if v is not None and v >= 1 else "not_specialised"
        if group not in groups:
            groups.append(group)
        nodes.append(m.SpaceNode(activity=act, name=store.activity_name(act), x=float(x), y=float(y),
                                 pci=_f(acts.at[act, "pci"]) if act in acts.index else None, group=group,
                                 value=_f(values.get(act))))
    e = store.table("edges")
    edges = [m.SpaceEdge(source=s, target=t, proximity=float(p))
             for s, t, p in e[["source", "target", "proximity"]].itertuples(index=False)]
    return m.Space(color=color, region=code, region_name=store.region_name(code) if code else None,
                   groups=sorted(groups, key=lambda g: (g in ("other", "not_specialised"), g)), nodes=nodes, edges=edges)


def networks(store: Store) -> dict[str, list[str]]:
    if "_networks" not in store.__dict__:
        nets = {}
        if store.has("networks"):
            n = store.table("networks")
            nets = {k: list(v) for k, v in n.groupby("network", sort=False)["region"]}
        store.__dict__["_networks"] = nets
    return store.__dict__["_networks"]


def expand_members(store: Store, members: list[str]) -> list[str]:
    """NUTS 2 regions of the store standing for network members given at NUTS 1, 2 or 3
    (Baden-Wuerttemberg ``DE1`` -> DE11..DE14; ``SE224`` -> SE22)."""
    idx = store.regions.index
    out: list[str] = []
    for r in members:
        if r in idx:
            cand = [r]
        elif len(r) == 3:
            cand = [c for c in idx if c.startswith(r) and len(c) == 4]
        elif len(r) == 5 and r[:4] in idx:
            cand = [r[:4]]
        else:
            cand = []
        out += [c for c in cand if c not in out]
    return out


def resolve_network(store: Store, network: str | None) -> str:
    """The stored name of a network (case-insensitive; default: Four Motors for Europe)."""
    nets = networks(store)
    if network is None:
        return next((k for k in nets if "four" in k.lower()), next(iter(nets), ""))
    if network in nets or not nets:
        return network if network in nets else ""
    low = {k.lower(): k for k in nets}
    if network.lower() in low:
        return low[network.lower()]
    hits = [k for k in nets if network.lower() in k.lower()]
    if len(hits) == 1:
        return hits[0]
    raise UnknownNameError("network", network, list(nets))


def compare(store: Store, network: str | None = None) -> m.Compare:
    nets = networks(store)
    network = resolve_network(store, network)
    members = [r for r in nets.get(network, [])]
    net_names = {}
    if store.has("networks") and "name" in store.table("networks"):
        net_names = dict(zip(store.table("networks")["region"], store.table("networks")["name"]))
    names = [net_names.get(r) or store.region_name(r) for r in members]
    present = expand_members(store, members)
    rows = []
    heat = m.Heatmap(regions=[], region_names=[], activities=[], activity_names=[], z=[])
    if present and store.has("rca"):
        rca = store.table("rca")
        sub = rca[rca["region"].isin(present)]
        for r in present:
            reg = store.regions.loc[r]
            top = sub[sub["region"] == r].nlargest(3, "rca")
            rows.append({"region": r, "name": store.region_name(r), "country": str(reg["country"]),
                         "employment": _f(reg.get("total")), "eci": _f(reg["eci"]),
                         "diversity": _f(reg["diversity"]),
                         "top specialisations": "; ".join(f"{store.activity_name(a)} ({x:.2f})"
                                                          for a, x in top[["activity", "rca"]].itertuples(index=False))})
        wide = sub.pivot_table(index="region", columns="activity", values="rca").reindex(present)
        keep = wide.columns[(wide >= 1).any(axis=0).to_numpy()]
        wide = wide[keep]
        order = wide.max(axis=0).sort_values(ascending=False).index[:30]
        wide = wide[order]
        heat = m.Heatmap(regions=present, region_names=[store.region_name(r) for r in present],
                         activities=list(wide.columns), activity_names=[store.activity_name(a) for a in wide.columns],
                         z=[[_f(v) for v in row] for row in wide.to_numpy()])
    members_table = m.Table(available=bool(rows), note="" if rows else "no member of this network is in the data",
                            columns=["region", "name", "country", "employment", "eci", "diversity",
                                     "top specialisations"], rows=rows)
    q = f"network == {network!r}"
    table = table_model(store, "compare", "compare", query=q, columns=COLUMNS["compare"])
    charts = m.Table(available=False, note=store.reason("compare"))
    if table.available and store.has("compare_complementarity"):
        comp = store.table("compare_complementarity")
        comp = comp[comp["network"] == network].sort_values("gain", ascending=False)
        charts = m.Table(available=True, columns=COLUMNS["complementarity"],
                         rows=[{k: _clean(v) for k, v in r.items()}
                               for r in comp[COLUMNS["complementarity"]].head(20).to_dict(orient="records")])
        if store.has("compare_shared"):
            sh = store.table("compare_shared")
            sh = sh[sh["network"] == network]
            if len(sh):
                wide = sh.pivot_table(index="member", columns="activity", values="rca", sort=False)
                order = sh.drop_duplicates("activity").sort_values("members_specialised", ascending=False)["activity"]
                wide = wide[[a for a in order if a in wide.columns][:30]]
                mem = [r for r in members if r in wide.index]
                wide = wide.reindex(mem)
                heat = m.Heatmap(regions=mem, region_names=[net_names.get(r) or store.region_name(r) for r in mem],
                                 activities=list(wide.columns),
                                 activity_names=[store.activity_name(a) for a in wide.columns],
                                 z=[[_f(v) for v in row] for row in wide.to_numpy()])
        if table.rows and table.rows[0].get("note") is None:
            note = store.table("compare").query(q)["note"]
            table.note = str(note.iloc[0]) if len(note) else ""
    return m.Compare(network=network, networks=list(nets), members=members, member_names=names, regions=present,
                     members_table=members_table, heatmap=heat, table=table, charts=charts)


def backtest(store: Store) -> m.Backtest:
    design = {}
    if store.available("backtest") and store.has("backtest_design"):
        design = {k: _clean(v) for k, v in store.table("backtest_design").iloc[0].items()}
    return m.Backtest(design=design, table=table_model(store, "backtest", "backtest"),
                      curves=table_model(store, "backtest", "precision_curves", limit=5000))


def tables(store: Store) -> list[m.TableInfo]:
    return [m.TableInfo(name=n, rows=len(store.table(n)), csv=f"/api/download/{n}?format=csv",
                        parquet=f"/api/download/{n}?format=parquet") for n in store.table_names]
