"""HTML pages: each one resolves its names, redirects to the canonical address, builds, renders."""
from __future__ import annotations

from typing import Callable, Literal, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smartspec import views as v
from smartspec.errors import UnknownNameError
from smartspec.store import Store
from smartspec.views.i18n import LANGUAGES
from smartspec.web.render import pick_language

#: ``?lang=`` on a page: any short text; an unsupported code falls back to the default language.
LangParam = Optional[str]
LANG = Query(None, max_length=16, description="Language of the page (en, it); others fall back to English")


def show(request: Request, page, template: str, key: tuple, build: Callable[[], dict], *, lang: Optional[str],
         canonical: Optional[str] = None, query: dict | None = None) -> Response:
    """The one page-route pattern: redirect to ``canonical`` when the address differs, else render.

    ``key`` holds the resolved, declared parameters only, so the cache never grows with junk
    query strings; ``query`` the declared parameters the language links keep.
    """
    if canonical is not None and canonical != request.url.path:
        return RedirectResponse(canonical + ("?" + urlencode({"lang": lang}) if lang in LANGUAGES else ""),
                                status_code=303)
    return page(request, template, build, lang=lang, key=key, query=query)


def router(store: Store, page) -> APIRouter:
    r = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    def dump(model) -> dict:
        return model.model_dump(mode="json")

    region_options: list = []

    def regions_for_select() -> list:
        if not region_options:
            regs = store.regions
            regs = regs[regs["has_data"]] if "has_data" in regs else regs
            region_options.extend(sorted(((c, f"{n} ({c})") for c, n in regs["name"].items()), key=lambda x: x[1]))
        return region_options

    @r.get("/")
    def home(request: Request, metric: Literal["eci", "diversity", "rca"] = "eci",
             activity: Optional[str] = Query(None, max_length=200), lang: LangParam = LANG):
        act = store.resolve_activity(activity) if activity else None

        def build():
            mp = v.map_data(store, metric, act)
            acts = [(a, store.activity_name(a)) for a in store.activities.index]
            return {"map": dump(mp), "metric": metric, "activity": mp.activity, "activities": acts, "page": "home"}

        return show(request, page, "home.html", ("home", metric, act), build, lang=lang,
                    query={"metric": metric if metric != "eci" else None, "activity": act})

    @r.get("/search")
    def search(request: Request, q: str = Query("", max_length=100), lang: LangParam = LANG):
        try:
            return RedirectResponse(f"/region/{store.resolve_region(q)}", status_code=303)
        except UnknownNameError as exc:
            hits = v.search_regions(store, q, 20) if q.strip() else []
            if len(hits) == 1:
                return RedirectResponse(f"/region/{hits[0].region}", status_code=303)
            return page(request, "search.html", {"q": q, "hits": hits, "suggestions": exc.suggestions,
                                                 "page": "home"}, lang=lang, query={"q": q})

    @r.get("/region/{region}")
    def region_page(request: Request, region: str, lang: LangParam = LANG):
        code = store.resolve_region(region)

        def build():
            prof = v.region_view(store, code, lang=pick_language(request, lang))
            return {"p": prof, "data": {"profile": dump(prof), "map": dump(v.map_data(store, "eci"))}, "page": "region"}

        return show(request, page, "region.html", ("region", code), build, lang=lang, canonical=f"/region/{code}")

    @r.get("/activity/{activity}")
    def activity_page(request: Request, activity: str, lang: LangParam = LANG):
        code = store.resolve_activity(activity)

        def build():
            det = v.activity_detail(store, code, lang=pick_language(request, lang))
            return {"a": det, "data": {"activity": dump(det)}, "page": "activity"}

        return show(request, page, "activity.html", ("activity", code), build, lang=lang,
                    canonical=f"/activity/{code}")

    @r.get("/space")
    def space_page(request: Request, color: Literal["presence", "ecosystem"] = "presence",
                   region: Optional[str] = Query(None, max_length=200), lang: LangParam = LANG):
        code = store.resolve_region(region) if region else None

        def build():
            sp = v.space(store, color, code, lang=pick_language(request, lang))
            return {"s": sp, "data": {"space": dump(sp)}, "page": "space", "regions": regions_for_select()}

        return show(request, page, "space.html", ("space", color, code), build, lang=lang,
                    query={"color": color if color != "presence" else None, "region": code})

    @r.get("/compare")
    def compare_page(request: Request, network: Optional[str] = Query(None, max_length=200), lang: LangParam = LANG):
        name = v.resolve_network(store, network)

        def build():
            c = v.compare(store, name, lang=pick_language(request, lang))
            return {"c": c, "data": {"compare": dump(c), "map": dump(v.map_data(store, "eci"))}, "page": "compare"}

        return show(request, page, "compare.html", ("compare", name), build, lang=lang, query={"network": name if network else None})

    @r.get("/backtest")
    def backtest_page(request: Request, lang: LangParam = LANG):
        def build():
            bt = v.backtest(store)
            return {"b": bt, "data": {"backtest": dump(bt)}, "page": "backtest"}

        return show(request, page, "backtest.html", ("backtest",), build, lang=lang)

    @r.get("/downloads")
    def downloads_page(request: Request, lang: LangParam = LANG):
        return show(request, page, "downloads.html", ("downloads",),
                    lambda: {"tables": v.tables(store), "page": "downloads"}, lang=lang)

    return r
