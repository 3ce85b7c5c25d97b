"""Web page and JSON API of matchmaking: ``/match`` ("who can do this") and ``/api/match``.

The routes call :mod:`smartspec.match.matchmaking` and word the reasons with
:mod:`smartspec.views.matchmaking`; nothing is computed here.
"""
from __future__ import annotations

import functools
from typing import Callable, Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from smartspec.web.orgs_routes import Lang, OrgType, _records

BAD_INPUT = {422: {"description": "Empty challenge or no known term (JSON body: error, problem, where, fix)"},
             404: {"description": "Unknown region or type (JSON body with the closest valid names)"}}


def router(store, page: Callable) -> APIRouter:
    """The routes, given the app's store and its page helper."""
    from smartspec.match.matchmaking import match, suggest_consortium
    from smartspec.match.profiles import load_profiles
    from smartspec.match.registry import load_registry, registry_from_store
    from smartspec.views.matchmaking import with_reasons

    r = APIRouter()
    data_dir = store.manifest.get("data_dir")

    @functools.lru_cache(maxsize=1)
    def loaded():
        reg = registry_from_store(store) or load_registry(data_dir)
        return reg, load_profiles(data_dir, reg)

    def result(q: str, region: Optional[str], partners: bool, type: Optional[str], country: Optional[str], k: int,
               consortium: bool, lang: str) -> dict:
        reg, prof = loaded()
        if consortium:
            res = suggest_consortium(q, region, registry=reg, profiles=prof, data_dir=data_dir)
            members = res["members"].assign(rank=range(1, len(res["members"]) + 1))
            members.attrs["region"] = region
            names = dict(zip(members["org_id"], members["name"]))
            links = res["links"].assign(name_a=res["links"]["org_a"].map(names), name_b=res["links"]["org_b"].map(names))
            return {"challenge": res["challenge"], "region": region, "rules": res["rules"],
                    "organisations": _records(with_reasons(members, lang)), "links": _records(links),
                    "partner_regions": _records_plain(res["partner_regions"])}
        ranked = match(q, region=region, partners=partners, types=type, country=country, k=k,
                       registry=reg, profiles=prof, data_dir=data_dir)
        return {"challenge": ranked.attrs["challenge"], "region": ranked.attrs["region"],
                "partner_regions": _records_plain(ranked.attrs["partner_regions"]),
                "organisations": _records(with_reasons(ranked, lang))}

    @r.get("/api/match", summary="Who can take on a challenge: ranked organisations with reasons", responses=BAD_INPUT)
    def api_match(q: str = Query(..., min_length=1, max_length=500, pattern=r"\S", description="Challenge: English or Italian text, a NACE code or an S3 ecosystem"),
                  region: Optional[str] = Query(None, max_length=9, description="NUTS 2 code (ITC4)"),
                  partners: bool = Query(False, description="Add the organisations of the partner regions"),
                  type: OrgType = Query(None, description="Organisation type"),
                  country: Optional[str] = Query(None, max_length=2, description="Country code (IT, DE)"),
                  k: int = Query(20, ge=1, le=500),
                  consortium: bool = Query(False, description="A triple-helix consortium instead (needs region)"),
                  lang: Literal["en", "it"] = "en") -> dict:
        return result(q, region, partners, type, country, k, consortium, lang)

    @r.get("/match", response_class=HTMLResponse, include_in_schema=False)
    def match_page(request: Request, q: str = Query("", max_length=500), region: Optional[str] = Query(None, max_length=9),
                   partners: bool = False, consortium: bool = False, type: Optional[str] = Query(None, max_length=20),
                   lang: Lang = None):
        ctx = {"q": q, "region": region or "", "partners": partners, "consortium": consortium, "type": type or "",
               "page": "match", "res": None}
        if q.strip():
            ctx["res"] = result(q, region or None, partners, type or None, None, 20, consortium and bool(region),
                                lang or "en")
        return page(request, "match.html", ctx, lang=lang)

    return r


def _records_plain(rows: list[dict]) -> list[dict]:
    import pandas as pd

    return _records(pd.DataFrame(rows)) if rows else []
