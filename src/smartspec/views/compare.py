"""Network benchmarking and backtest views."""
from __future__ import annotations

from smartspec.errors import UnknownNameError
from smartspec.store import Store
from smartspec.views import models as m
from smartspec.views import partners_text as partner_words
from smartspec.views import text as words
from smartspec.views.tables import COLUMNS, clean, num, table_model, text

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


def compare(store: Store, network: str | None = None, lang: str = "en") -> m.Compare:
    """A network's members side by side (benchmark, heatmap, who brings what); names in ``lang``."""
    name_of = words.names_in(store, lang)
    profile = store.manifest.get("region_profile")
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
                         "employment": num(reg.get("total")), "eci": num(reg["eci"]),
                         "diversity": num(reg["diversity"]),
                         "top specialisations": "; ".join(f"{name_of(a)} ({x:.2f})"
                                                          for a, x in top[["activity", "rca"]].itertuples(index=False))})
        wide = sub.pivot_table(index="region", columns="activity", values="rca").reindex(present)
        keep = wide.columns[(wide >= 1).any(axis=0).to_numpy()]
        wide = wide[keep]
        order = wide.max(axis=0).sort_values(ascending=False).index[:30]
        wide = wide[order]
        heat = m.Heatmap(regions=present, region_names=[store.region_name(r) for r in present],
                         activities=list(wide.columns), activity_names=[name_of(a) for a in wide.columns],
                         z=[[num(v) for v in row] for row in wide.to_numpy()])
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
                         rows=[{k: clean(v) for k, v in r.items()}
                               for r in comp[COLUMNS["complementarity"]].head(20).to_dict(orient="records")])
        for row in charts.rows:
            row["ecosystem"] = words.group_name(text(row.get("ecosystem")), lang, profile)
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
                                 activity_names=[name_of(a) for a in wide.columns],
                                 z=[[num(v) for v in row] for row in wide.to_numpy()])
        facts = store.table("compare").query(q)
        if len(facts) and "min_persons" in facts:  # a store built before the facts were kept has none
            table.note = partner_words.network_note(facts.iloc[0].to_dict(), lang)
    if lang != "en":
        known = set(store.activities.index)
        for row in table.rows:
            if row.get("top_specialisations"):
                row["top_specialisations"] = words.coded_list(text(row["top_specialisations"]), known, name_of)
    return m.Compare(network=network, networks=list(nets), members=members, member_names=names, regions=present,
                     members_table=members_table, heatmap=heat, table=table, charts=charts)


def backtest(store: Store) -> m.Backtest:
    design = {}
    if store.available("backtest") and store.has("backtest_design"):
        design = {k: clean(v) for k, v in store.table("backtest_design").iloc[0].items()}
    return m.Backtest(design=design, table=table_model(store, "backtest", "backtest"),
                      curves=table_model(store, "backtest", "precision_curves", limit=5000))


