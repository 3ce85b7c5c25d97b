"""The collaboration network of H2020 organisations: who took part in the same projects.

Two organisations are linked when they took part in the same project; the weight of the link is
the number of projects they share. :func:`top_partners` lists an organisation's partners,
:func:`external_links` a region's links to other countries and regions (a link between an
organisation of the region and one outside it, counted once per project and pair), and
:func:`search_organisations` / :func:`organisation_profile` answer the interfaces.
"""
from __future__ import annotations

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
