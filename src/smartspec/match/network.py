"""The collaboration network of H2020 organisations: who took part in the same projects.

Two organisations are linked when they took part in the same project; the weight of the link is
the number of projects they share. :func:`top_partners` lists an organisation's partners,
:func:`external_links` a region's links to other countries and regions (a link between an
organisation of the region and one outside it, counted once per project and pair), and
:func:`search_organisations` / :func:`organisation_profile` answer the interfaces.

The whole graph's structure is in :func:`network_metrics` (cached by :func:`load_network_metrics`):
each organisation's Leiden community and its betweenness. :func:`region_network` and
:func:`organisation_network` read those for a region's brokers and an organisation's card.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.errors import InputError, UnknownNameError
from smartspec.match.registry import TYPES, Registry


#: Shown for the PICs that no organisation file names.
UNNAMED = "(name unknown: PIC not in the organisation files)"


def _pairs(parts: pd.DataFrame, left: pd.Series) -> pd.DataFrame:
    """(org_id, partner, project_id) for the participations selected by ``left``."""
    a = parts.loc[left, ["project_id", "org_id"]].drop_duplicates()
    b = parts[parts["project_id"].isin(a["project_id"])][["project_id", "org_id"]].drop_duplicates()
    m = a.merge(b.rename(columns={"org_id": "partner"}), on="project_id")
    return m[m["org_id"] != m["partner"]]


def top_partners(registry: Registry, org_id: str, k: int = 10) -> pd.DataFrame:
    """The organisations that shared most projects with ``org_id``.

    Returns
    -------
    DataFrame
        ``org_id, name, type, country, nuts2, shared_projects``, most shared first.
    """
    org = registry.organisation(org_id)
    parts = registry.participations
    m = _pairs(parts, parts["org_id"] == org["org_id"])
    counts = m.groupby("partner")["project_id"].nunique().rename("shared_projects")
    orgs = registry.organisations.set_index("org_id")
    out = orgs.loc[counts.index, ["name", "type", "country", "nuts2"]].assign(shared_projects=counts)
    out = out.rename_axis("org_id").reset_index()
    out["name"] = out["name"].fillna(UNNAMED)
    return out.sort_values(["shared_projects", "org_id"], ascending=[False, True], ignore_index=True).head(k)


def external_links(registry: Registry, region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A region's co-participation links with the world, by country and by NUTS 2 region.

    A link is a pair (organisation of the region, organisation outside it) in one project.

    Returns
    -------
    (by_country, by_region) : DataFrames
        ``country`` (or ``nuts2``), ``links``, ``projects`` (distinct shared projects) and
        ``partners`` (distinct organisations), most links first. Partners outside the region
        but in the same country are in ``by_country`` under the region's own country; partners
        that are unplaced count in ``by_country`` only.
    """
    code = str(region).strip().upper()
    parts = registry.participations
    inside = parts["nuts2"] == code
    if not inside.any():
        raise UnknownNameError("region", code, sorted(parts["nuts2"].dropna().unique()),
                               where="collaboration network (NUTS 2 regions with H2020 participations)")
    m = _pairs(parts, inside.fillna(False))
    orgs = registry.organisations.set_index("org_id")
    m = m.assign(country=orgs["country"].reindex(m["partner"]).to_numpy(),
                 nuts2=orgs["nuts2"].reindex(m["partner"]).to_numpy())
    m = m[m["nuts2"].fillna("") != code]

    def agg(col: str) -> pd.DataFrame:
        g = m.dropna(subset=[col]).groupby(col).agg(links=("partner", "size"), projects=("project_id", "nunique"),
                                                    partners=("partner", "nunique"))
        return g.sort_values("links", ascending=False).reset_index()

    return agg("country"), agg("nuts2")


def search_organisations(registry: Registry, query: str = "", *, region: str | None = None,
                         type: str | None = None, limit: int = 50) -> pd.DataFrame:
    """Organisations whose name or short name contains ``query`` (case and accents ignored).

    Parameters
    ----------
    query : str
        Part of the name; empty lists all (with the filters).
    region : str, optional
        A NUTS code of any level (``ITC4``, ``ITC4C``, ``IT``): organisations placed in it.
    type : str, optional
        firm, university, research centre, public or other (or the CORDIS code PRC, HES...).

    Returns
    -------
    DataFrame
        Registry rows, largest EC contribution first, at most ``limit``.
    """
    from smartspec.match.registry import place_key

    orgs = registry.organisations
    keep = pd.Series(True, index=orgs.index)
    q = str(query or "").strip()
    if q:
        key = place_key(pd.Series([q])).iloc[0] or q.casefold()
        names = place_key(orgs["name"].fillna("")).fillna("") + " | " + place_key(orgs["short_name"].fillna("")).fillna("")
        keep &= names.str.contains(key, regex=False) | orgs["org_id"].eq(q)
    if region:
        code = str(region).strip().upper()
        col = orgs["nuts3"] if len(code) == 5 else orgs["nuts2"] if len(code) == 4 else orgs["country"]
        if len(code) < 4:
            keep &= orgs["country"].fillna("") == code
        else:
            keep &= col.fillna("") == code
    if type:
        t = TYPES.get(str(type).upper(), str(type).strip().lower())
        if t not in TYPES.values():
            raise InputError(f"unknown organisation type {type!r}", where="type",
                             fix=f"use one of {', '.join(TYPES.values())}")
        keep &= orgs["type"] == t
    return orgs[keep].sort_values("ec_contribution", ascending=False, ignore_index=True).head(limit)


def organisation_profile(registry: Registry, org_id: str, k: int = 10) -> dict:
    """Everything the interfaces show about one organisation.

    Returns
    -------
    dict
        ``organisation`` (the registry row as a dict), ``programme_mix`` (DataFrame
        ``programme_part, participations, ec_contribution, share``), ``roles`` (participations
        by role), ``partners`` (:func:`top_partners`), ``partner_countries`` (shared projects
        by the partners' country).
    """
    org = registry.organisation(org_id)
    p = registry.participations[registry.participations["org_id"] == org["org_id"]]
    mix = p.groupby("programme_part").agg(participations=("project_id", "size"),
                                          ec_contribution=("ec_contribution", "sum"))
    mix = mix.assign(share=mix["participations"] / max(len(p), 1)).sort_values("participations", ascending=False)
    partners = top_partners(registry, org["org_id"], k)
    allp = top_partners(registry, org["org_id"], k=10**9)
    countries = allp.groupby("country")["shared_projects"].sum().sort_values(ascending=False)
    return {"organisation": org.to_dict(), "programme_mix": mix.reset_index(),
            "roles": p["role"].value_counts().to_dict(), "partners": partners,
            "partner_countries": countries.rename("shared_projects").reset_index()}


#: Seed of the Leiden optimiser: the same graph gives the same communities on every run.
LEIDEN_SEED = 42
#: Source organisations sampled for the betweenness estimate (exact betweenness on 35,871
#: organisations and about 800,000 links takes hours; see :func:`network_metrics`).
BETWEENNESS_SOURCES = 400


def collaboration_graph(participations: pd.DataFrame, org_ids) -> "igraph.Graph":  # noqa: F821
    """The co-participation graph: one vertex per organisation of ``org_ids`` (in that order),
    one edge per pair that shared a project, weighted by the number of projects shared.

    Parameters
    ----------
    participations : DataFrame
        ``project_id, org_id`` rows (duplicates count once).
    org_ids : sequence of str
        The vertices; organisations without a participation are isolated vertices.

    Returns
    -------
    igraph.Graph
        Undirected, with the edge attribute ``weight`` (shared projects).
    """
    import igraph as ig
    import scipy.sparse as sp

    p = participations[["project_id", "org_id"]].drop_duplicates()
    rows = pd.Index(list(org_ids)).get_indexer(p["org_id"])
    keep = rows >= 0
    _, cols = np.unique(p["project_id"].to_numpy()[keep], return_inverse=True)
    incidence = sp.csr_matrix((np.ones(keep.sum()), (rows[keep], cols)), shape=(len(org_ids), cols.max() + 1 if len(cols) else 0))
    shared = sp.triu(incidence @ incidence.T, k=1).tocoo()  # upper triangle: each pair once, no self-loops
    return ig.Graph(n=len(org_ids), edges=np.column_stack([shared.row, shared.col]).tolist(),
                    edge_attrs={"weight": shared.data.astype(float)})


def network_metrics(registry: Registry, *, seed: int = LEIDEN_SEED,
                    betweenness_sources: int = BETWEENNESS_SOURCES) -> pd.DataFrame:
    """Leiden communities and betweenness of every organisation of the co-participation graph.

    Communities maximise weighted modularity (Leiden, Traag et al. 2019, ``leidenalg`` with a
    fixed seed). Betweenness counts the shortest paths (in links, unweighted: a broker is the
    short way between organisations, whatever the number of projects behind a link) that pass
    through an organisation. Exact betweenness costs one breadth-first search per organisation;
    it is estimated from ``betweenness_sources`` sources drawn at random (fixed seed) and scaled
    by ``n / sources`` (Brandes and Pich 2007), which keeps the order of the top brokers.

    Returns
    -------
    DataFrame
        ``org_id, community, community_size, degree, strength, betweenness, betweenness_rank``
        (rank 1 = the largest betweenness of all organisations). ``attrs`` holds ``modularity``,
        ``communities``, ``links``, ``giant_component`` and ``betweenness_sources``.

    References
    ----------
    V. A. Traag, L. Waltman, N. J. van Eck (2019), From Louvain to Leiden: guaranteeing
    well-connected communities, Scientific Reports 9, 5233.
    U. Brandes, C. Pich (2007), Centrality estimation in large networks, Int. J. Bifurcation and
    Chaos 17(7), 2303-2318.
    """
    import leidenalg

    ids = registry.organisations["org_id"].astype(str).to_numpy()
    g = collaboration_graph(registry.participations, ids)
    part = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, weights="weight", seed=seed)
    membership = np.asarray(part.membership)
    sizes = np.bincount(membership)
    rng = np.random.default_rng(seed)
    n_src = min(betweenness_sources, g.vcount())
    sources = np.sort(rng.choice(g.vcount(), size=n_src, replace=False)).tolist()
    btw = np.asarray(g.betweenness(directed=False, sources=sources)) * (g.vcount() / max(n_src, 1))
    out = pd.DataFrame({"org_id": ids, "community": membership, "community_size": sizes[membership],
                        "degree": g.degree(), "strength": np.asarray(g.strength(weights="weight")).astype(int),
                        "betweenness": btw})
    out["betweenness_rank"] = out["betweenness"].rank(ascending=False, method="min").astype(int)
    out.attrs.update(modularity=float(g.modularity(membership, weights="weight")), communities=int(len(sizes)),
                     links=int(g.ecount()), giant_component=int(max(g.connected_components().sizes())),
                     betweenness_sources=int(n_src))
    return out


def load_network_metrics(registry: Registry) -> pd.DataFrame:
    """:func:`network_metrics`, cached in the user cache, keyed by the participations and this
    module's code (about a minute to compute, a fraction of a second to read)."""
    import hashlib

    from smartspec.data.cache import cached_frame

    pairs = registry.participations[["project_id", "org_id"]].astype(str)
    digest = hashlib.sha1(pd.util.hash_pandas_object(pairs, index=False).to_numpy().tobytes())
    digest.update("|".join(registry.organisations["org_id"].astype(str)).encode())

    def build() -> pd.DataFrame:
        m = network_metrics(registry)
        # the graph figures travel with the frame as columns (Parquet keeps attrs, but not every reader)
        return m.assign(**{f"graph_{k}": v for k, v in m.attrs.items()})

    m = cached_frame("org-network", [Path(__file__)], build,
                     params={"graph": digest.hexdigest(), "seed": LEIDEN_SEED, "sources": BETWEENNESS_SOURCES})
    graph_cols = [c for c in m.columns if c.startswith("graph_")]
    out = m.drop(columns=graph_cols)
    out.attrs = {c[len("graph_"):]: m[c].iloc[0].item() for c in graph_cols} if len(m) else {}
    return out


def _named(registry: Registry, metrics: pd.DataFrame) -> pd.DataFrame:
    orgs = registry.organisations[["org_id", "name", "type", "country", "nuts2"]]
    out = metrics.merge(orgs, on="org_id", how="left")
    out["name"] = out["name"].fillna(UNNAMED)
    return out


def organisation_network(registry: Registry, metrics: pd.DataFrame, org_id: str, k: int = 10) -> dict:
    """An organisation's place in the network: its community and its brokerage.

    Returns
    -------
    dict
        ``community`` (id), ``community_size``, ``community_top`` (DataFrame of the ``k``
        members with the largest strength, i.e. shared projects with any partner, ``org_id, name, type, country, nuts2,
        strength``), ``community_countries`` (members by country, top 5), ``betweenness``,
        ``betweenness_rank``, ``organisations`` (ranked), ``degree`` and ``strength``.
    """
    org = registry.organisation(org_id)
    row = metrics[metrics["org_id"] == org["org_id"]].iloc[0]
    members = _named(registry, metrics[metrics["community"] == row["community"]])
    top = members.sort_values(["strength", "org_id"], ascending=[False, True]).head(k)
    return {"community": int(row["community"]), "community_size": int(row["community_size"]),
            "community_top": top[["org_id", "name", "type", "country", "nuts2", "strength"]].reset_index(drop=True),
            "community_countries": members["country"].value_counts().head(5).rename_axis("country")
            .rename("organisations").reset_index(),
            "betweenness": float(row["betweenness"]), "betweenness_rank": int(row["betweenness_rank"]),
            "organisations": int(len(metrics)), "degree": int(row["degree"]), "strength": int(row["strength"])}


def region_network(registry: Registry, metrics: pd.DataFrame, region: str, k: int = 15) -> dict:
    """A NUTS 2 region's brokers and its external links.

    Returns
    -------
    dict
        ``region``, ``brokers`` (the region's ``k`` organisations of largest betweenness:
        ``org_id, name, type, betweenness, betweenness_rank, community, community_size,
        degree``), ``communities`` (the communities the region's organisations belong to, by
        number of them: ``community, members_in_region, community_size, leading_member,
        leading_country``: the member with the most shared projects and its country),
        ``by_country`` and
        ``by_region`` (:func:`external_links`).
    """
    by_country, by_region = external_links(registry, region)
    code = str(region).strip().upper()
    named = _named(registry, metrics)
    inside = named[named["nuts2"].fillna("") == code]
    brokers = inside.sort_values(["betweenness", "org_id"], ascending=[False, True]).head(k)
    comms = inside.groupby("community").agg(members_in_region=("org_id", "size"), community_size=("community_size", "first"))
    # A community is named by its most connected member anywhere (a number alone tells an analyst nothing).
    members = named[named["community"].isin(comms.index)].sort_values(["strength", "org_id"], ascending=[False, True])
    leading = members.drop_duplicates("community").set_index("community")
    comms["leading_member"] = leading["name"].reindex(comms.index)
    comms["leading_country"] = leading["country"].reindex(comms.index)
    comms = comms.sort_values(["members_in_region", "community_size"], ascending=False).reset_index()
    return {"region": code,
            "brokers": brokers[["org_id", "name", "type", "betweenness", "betweenness_rank", "community",
                                "community_size", "degree"]].reset_index(drop=True),
            "communities": comms, "by_country": by_country, "by_region": by_region}
