"""Web pages and JSON API of the organisation registry: ``/orgs``, ``/org/{id}``, ``/api/orgs``,
``/api/org/{id}``, ``/api/region/{code}/ri`` (the R&I lens) and ``/api/region/{code}/network``
(the region's brokers, communities and external links).

The routes call :mod:`smartspec.match` (registry, lens, network); nothing is computed here.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Literal, Optional

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

Lang = Optional[Literal["en", "it"]]
#: The registry types (declared, so the schema says which values are valid).
OrgType = Optional[Literal["firm", "university", "research centre", "public", "other"]]
NOT_FOUND = {404: {"description": "Unknown organisation or region (JSON body: error, problem, where, fix)"}}


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (NaN and NA as null)."""
    out = []
    for row in df.to_dict(orient="records"):
        out.append({k: _scalar(v) for k, v in row.items()})
    return out


def _scalar(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def router(store, page: Callable) -> APIRouter:
    """The routes, given the app's store and its ``_page(request, template, ctx, ...)`` helper."""
    from smartspec.match.lens import ri_lens
    from smartspec.match.network import (load_network_metrics, organisation_network, organisation_profile,
                                         region_network, search_organisations)
    from smartspec.match.registry import load_registry, registry_from_store

    r = APIRouter()

    @functools.lru_cache(maxsize=1)
    def registry():
        # the store's copy when it has one (built by `smartspec build`), else the cached registry
        return registry_from_store(store) or load_registry(store.manifest.get("data_dir"))

    @functools.lru_cache(maxsize=1)
    def metrics():
        # communities and betweenness of the whole graph, read from the user cache
        return load_network_metrics(registry())

    def profile_json(org_id: str) -> dict:
        p = organisation_profile(registry(), org_id)
        net = organisation_network(registry(), metrics(), org_id)
        net = {k: _records(v) if isinstance(v, pd.DataFrame) else v for k, v in net.items()}
        return {"organisation": {k: _scalar(v) for k, v in p["organisation"].items()},
                "programme_mix": _records(p["programme_mix"]), "roles": p["roles"],
                "partners": _records(p["partners"]), "partner_countries": _records(p["partner_countries"].head(15)),
                "network": net}

    def network_json(code: str) -> dict:
        net = region_network(registry(), metrics(), code)
        out = {k: _records(v.head(30)) if isinstance(v, pd.DataFrame) else v for k, v in net.items()}
        out["graph"] = dict(metrics().attrs)
        return out

    def lens_json(code: str) -> dict:
        lens = ri_lens(code, registry())
        return {"region": lens.region, "summary": {k: _scalar(v) for k, v in lens.summary.items()},
                "profile": _records(lens.profile), "leaders": _records(lens.leaders)}

    @r.get("/api/orgs", summary="Search H2020 organisations by name, region and type")
    def api_orgs(q: str = Query("", max_length=200, description="Part of the name (case and accents ignored)"),
                 region: Optional[str] = Query(None, max_length=9, description="NUTS code (ITC4, ITC4C) or country"),
                 type: OrgType = Query(None, description="Organisation type"),
                 limit: int = Query(50, ge=1, le=500)) -> list[dict]:
        hits = search_organisations(registry(), q, region=region, type=type, limit=limit)
        return _records(hits.drop(columns=["placement_note"]))

    @r.get("/api/org/{org_id}", summary="Profile of one organisation", responses=NOT_FOUND)
    def api_org(org_id: str) -> dict:
        return profile_json(org_id)

    @r.get("/api/region/{region}/ri", summary="The R&I lens of a NUTS 2 region (H2020 programme parts)",
           responses=NOT_FOUND)
    def api_ri(region: str) -> dict:
        return lens_json(region)

    @r.get("/api/region/{region}/network", responses=NOT_FOUND,
           summary="A NUTS 2 region's brokers (betweenness), Leiden communities and external links by country and region")
    def api_network(region: str) -> dict:
        return network_json(region)

    @r.get("/orgs", response_class=HTMLResponse, include_in_schema=False)
    def orgs_page(request: Request, q: str = Query("", max_length=200), region: Optional[str] = Query(None, max_length=9),
                  type: Optional[str] = Query(None, max_length=20), lang: Lang = None):
        hits = search_organisations(registry(), q, region=region or None, type=type or None, limit=100)
        # a NUTS 2 code shows the region's place in the network beside the list
        net = network_json(region) if region and len(region.strip()) == 4 and len(hits) else None
        return page(request, "orgs.html", {"q": q, "region": region or "", "type": type or "",
                                           "hits": _records(hits), "net": net, "page": "orgs"}, lang=lang)

    @r.get("/org/{org_id}", response_class=HTMLResponse, include_in_schema=False)
    def org_page(request: Request, org_id: str, lang: Lang = None):
        return page(request, "org.html", {"p": profile_json(org_id), "page": "orgs"}, lang=lang)

    return r


