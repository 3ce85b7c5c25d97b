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

#: A character that is not white space to Python's str.strip() (which the challenge goes through),
#: whichever regex dialect reads the pattern: JSON Schema's (ECMAScript) \s lacks the information
#: separators \x1c-\x1f and NEL \x85 that Python strips, pydantic's (Rust) lacks \x1c-\x1f; both are
#: named, so a schema-valid challenge is never blank to the handler. The app's validation handler
#: words a mismatch as "blank" (quoting this pattern would tell a user nothing).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"

BAD_INPUT = {422: {"description": "Empty challenge, both or neither of q and opportunity (JSON body: error, problem, where, fix)"},
             404: {"description": "Unknown region, type or opportunity, no known term (JSON body with the closest valid names)"}}


def router(store, page: Callable) -> APIRouter:
    """The routes, given the app's store and its page helper."""
    from smartspec.errors import InputError, UnknownNameError
    from smartspec.match.matchmaking import match, opportunity_challenge, suggest_consortium
    from smartspec.match.profiles import load_profiles
    from smartspec.match.registry import load_registry, registry_from_store
    from smartspec.views.matchmaking import with_reasons

    r = APIRouter()
    data_dir = store.manifest.get("data_dir")

    @functools.lru_cache(maxsize=1)
    def loaded():
        reg = registry_from_store(store) or load_registry(data_dir)
        return reg, load_profiles(data_dir, reg)

    def challenge_of(q: Optional[str], opportunity: Optional[str], activity: Optional[str]):
        """The text, or the opportunity of the strategy read from the store's opportunities table
        (the page takes ``?q=TEXT`` or ``?opportunity=REGION[&activity=CODE]``)."""
        if (q is None) == (opportunity is None):
            raise InputError("give either a challenge q or an opportunity (region code)", where="q",
                             fix="/match?q=additive+manufacturing&region=ITC4 or /match?opportunity=ITC4&activity=J62")
        if opportunity is None:
            return q
        code = opportunity.strip().upper()
        table = store.table("opportunities") if store.has("opportunities") else None
        rows = None if table is None else table[table["region"] == code]
        if rows is not None and rows.empty:
            raise UnknownNameError("region", opportunity, sorted(table["region"].unique()),
                                   where="opportunity (a region with opportunities in the results store)")
        return opportunity_challenge(code, activity, table=rows, data_dir=data_dir)

    def result(q, region: Optional[str], partners: bool, type: Optional[str], country: Optional[str], k: int,
               consortium: bool, lang: str) -> dict:
        reg, prof = loaded()
        if not isinstance(q, str) and region is None:
            region = q.opportunity["region"]
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
    def api_match(q: str = Query(..., min_length=1, max_length=500, pattern=NOT_BLANK, description="Challenge: English or Italian text, a NACE code or an S3 ecosystem"),
                  region: Optional[str] = Query(None, max_length=9, description="NUTS 2 code (ITC4)"),
                  partners: bool = Query(False, description="Add the organisations of the partner regions"),
                  type: OrgType = Query(None, description="Organisation type"),
                  country: Optional[str] = Query(None, max_length=2, description="Country code (IT, DE)"),
                  k: int = Query(20, ge=1, le=500),
                  consortium: bool = Query(False, description="A triple-helix consortium instead (needs region)"),
                  lang: Literal["en", "it"] = "en") -> dict:
        return result(q, region, partners, type, country, k, consortium, lang)

    @r.get("/api/match/opportunity", responses=BAD_INPUT,
           summary="Who can do an opportunity of the region's strategy: ranked organisations with reasons")
    def api_match_opportunity(region: str = Query(..., min_length=1, max_length=9, description="NUTS 2 code whose opportunity it is (ITC4)"),
                              activity: Optional[str] = Query(None, max_length=9, description="One of the region's top 10 opportunities (J62); default its first"),
                              partners: bool = Query(False, description="Add the organisations of the partner regions"),
                              type: OrgType = Query(None, description="Organisation type"),
                              country: Optional[str] = Query(None, max_length=2, description="Country code (IT, DE)"),
                              k: int = Query(20, ge=1, le=500),
                              consortium: bool = Query(False, description="A triple-helix consortium instead"),
                              lang: Literal["en", "it"] = "en") -> dict:
        return result(challenge_of(None, region, activity), region, partners, type, country, k, consortium, lang)

    @r.get("/match", response_class=HTMLResponse, include_in_schema=False)
    def match_page(request: Request, q: str = Query("", max_length=500), region: Optional[str] = Query(None, max_length=9),
                   partners: bool = False, consortium: bool = False, type: Optional[str] = Query(None, max_length=20),
                   opportunity: Optional[str] = Query(None, max_length=9), activity: Optional[str] = Query(None, max_length=9),
                   lang: Lang = None):
        ctx = {"q": q, "region": region or opportunity or "", "partners": partners, "consortium": consortium,
               "type": type or "", "page": "match", "res": None}
        if q.strip() or opportunity:
            ch = challenge_of(None if opportunity else q, opportunity or None, activity or None)
            ctx["res"] = result(ch, region or None, partners, type or None, None, 20,
                                consortium and bool(region or opportunity), lang or "en")
        return page(request, "match.html", ctx, lang=lang)

    return r


def _records_plain(rows: list[dict]) -> list[dict]:
    import pandas as pd

    return _records(pd.DataFrame(rows)) if rows else []
