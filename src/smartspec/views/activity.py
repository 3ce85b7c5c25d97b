"""An activity's view and the activity-space network view."""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.config import DEFAULT_REGION
from smartspec.store import Store
from smartspec.views import models as m
from smartspec.views.region import map_data
from smartspec.views.tables import num, pci_of, rank_of, rca_rows

def _region_rcas(store: Store, rows: pd.DataFrame) -> list[m.EnteredRegion]:
    """One :class:`EnteredRegion` (code, name, first and last RCA) per row of an rca-table slice, in its order."""
    return [m.EnteredRegion(region=r, name=store.region_name(r), rca_first=num(x0), rca=num(x))
            for r, x0, x in rows[["region", "rca_first", "rca"]].itertuples(index=False)]


def activity_detail(store: Store, activity: str, n_related: int = 12) -> m.ActivityDetail:
    code = store.resolve_activity(activity)
    man = store.manifest
    a = store.activities.loc[code]
    pci_rank, n_ranked = rank_of(store.activities["pci"], code)
    prox = store.table("proximity")
    rel = prox[(prox["activity_a"] == code) | (prox["activity_b"] == code)]
    other = np.where(rel["activity_a"] == code, rel["activity_b"], rel["activity_a"])
    rel = pd.DataFrame({"activity": other, "proximity": rel["proximity"].to_numpy()})
    rel = rel.sort_values("proximity", ascending=False).head(n_related)
    related = [m.RelatedActivity(activity=o, name=store.activity_name(o), proximity=float(p), pci=pci_of(store, o))
               for o, p in rel.itertuples(index=False)]
    mine = rca_rows(store, "activity", code)
    entered = _region_rcas(store, mine[mine["entered"]].sort_values("rca", ascending=False))
    top_regions = _region_rcas(store, mine.sort_values("rca", ascending=False).head(15))
    return m.ActivityDetail(
        activity=code, name=store.activity_name(code), pci=num(a["pci"]), pci_rank=pci_rank, n_ranked=n_ranked,
        ubiquity=num(a["ubiquity"]), ecosystems=str(a.get("ecosystems", "") or ""), year=man.get("year"),
        first_year=man.get("first_year"), map=map_data(store, "rca", code), related=related, entered=entered,
        top_regions=top_regions,
    )


def space(store: Store, color: str = "presence", region: str | None = None) -> m.Space:
    if not store.has("layout"):
        return m.Space(color=color, region=None, region_name=None, groups=[], nodes=[], edges=[], available=False,
                       note=store.reason("layout"))
    code = store.resolve_region(region) if region else (store.manifest.get("region") or DEFAULT_REGION)
    if code and code not in store.regions.index:
        code = None
    lay = store.table("layout")
    acts = store.activities
    values = {}
    if color == "presence" and code:
        values = rca_rows(store, "region", code).set_index("activity")["rca"].to_dict()
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
                                 pci=pci_of(store, act), group=group,
                                 value=num(values.get(act))))
    e = store.table("edges")
    edges = [m.SpaceEdge(source=s, target=t, proximity=float(p))
             for s, t, p in e[["source", "target", "proximity"]].itertuples(index=False)]
    return m.Space(color=color, region=code, region_name=store.region_name(code) if code else None,
                   groups=sorted(groups, key=lambda g: (g in ("other", "not_specialised"), g)), nodes=nodes, edges=edges)


