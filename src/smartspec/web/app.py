"""The FastAPI application: HTML pages and their JSON twins under ``/api``.

Every page reads the results store (:mod:`smartspec.store`) loaded once at start-up; nothing
is computed per request beyond selecting rows. Unknown region or activity names answer 404
with the closest valid names, bad parameters 422, both as JSON.
"""
from __future__ import annotations

import gzip
import json
import os
from collections import OrderedDict
from pathlib import Path as FilePath
from typing import Literal, Optional
from urllib.parse import urlencode

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from smartspec import __version__
from smartspec.errors import DataNotFoundError, SmartspecError, UnknownNameError
from smartspec.web import orgs_routes
from smartspec.store import Store, open_store
from smartspec.web import data as d
from smartspec.web import models as m
from smartspec.web.i18n import LANGUAGES, translator

HERE = FilePath(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

#: Content-Security-Policy: only this server; inline styles because plotly.js sets them.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

#: Labels the page scripts need (chart axes, quadrant names).
JS_LABELS = ("rca", "density", "complexity", "supporting", "probability", "diversity", "eci", "top_k", "precision", "proximity", "q_high_high", "q_low_high", "q_high_low",
             "q_low_low", "specialised", "not_specialised", "other")
NOT_FOUND = {404: {"model": m.ErrorBody, "description": "Unknown region, activity, network or table"}}
Lang = Optional[Literal["en", "it"]]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def plotly_js_path() -> FilePath:
    """plotly.js as bundled by the installed ``plotly`` package (served locally, never from a CDN)."""
    import plotly

    return FilePath(plotly.__file__).parent / "package_data" / "plotly.min.js"


class _Asset:
    """A response body kept in memory with its gzip-compressed form (compressed once)."""

    def __init__(self, raw: bytes, media_type: str, compress: bool = True):
        self.raw = raw
        self.gz = gzip.compress(raw, compresslevel=6, mtime=0) if compress and len(raw) > 1000 else None
        self.media_type = media_type
        import hashlib

        self.etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'

    def response(self, request: Request, max_age: int | None = 86400, status: int = 200,
                 headers: dict | None = None) -> Response:
        h = {"ETag": self.etag, "Vary": "Accept-Encoding, Cookie",
             "Cache-Control": f"public, max-age={max_age}" if max_age else "no-cache", **(headers or {})}
        if status == 200 and request.headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=h)
        if self.gz is not None and "gzip" in request.headers.get("accept-encoding", ""):
            h["Content-Encoding"] = "gzip"
            return Response(self.gz, status_code=status, media_type=self.media_type, headers=h)
        return Response(self.raw, status_code=status, media_type=self.media_type, headers=h)


class _LRU:
    """A bounded cache of rendered responses (the store never changes while the app runs)."""

    def __init__(self, size: int = 2048):
        self.size = size
        self.data: OrderedDict = OrderedDict()

    def get(self, key, build):
        try:
            self.data.move_to_end(key)
            return self.data[key]
        except KeyError:
            value = build()
            self.data[key] = value
            if len(self.data) > self.size:
                self.data.popitem(last=False)
            return value


def create_app(store_path: str | os.PathLike | None = None) -> FastAPI:
    """The web application serving the results store at ``store_path``.

    Parameters
    ----------
    store_path : path, optional
        A folder written by :func:`smartspec.store.build_store` (default: the default store).
    """
    store: Store = open_store(store_path)
    app = FastAPI(
        title="smartspec",
        version=__version__,
        description=(
            "Smart Specialisation Strategy analytics for European regions: specialisations, "
            "relatedness, complexity, diversification opportunities, transition paths, niches and "
            f"partner regions. Dataset: {store.manifest.get('dataset')} ({store.manifest.get('year')})."
        ),
        docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json",
    )
    app.state.store = store
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["zip"] = zip
    plotly_asset = _Asset(plotly_js_path().read_bytes(), "application/javascript")
    geo_asset = _Asset(store.geojson_bytes or b'{"type":"FeatureCollection","features":[]}', "application/geo+json")
    info = d.info(store)

    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # ------------------------------------------------------------------ errors
    def _wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")

    @app.exception_handler(UnknownNameError)
    async def unknown_name(request: Request, exc: UnknownNameError):
        if _wants_html(request):
            return _page(request, "error.html", {"exc": exc, "title": "not_found"}, status=404)
        return JSONResponse(exc.to_dict(), status_code=404)

    @app.exception_handler(DataNotFoundError)
    async def not_found(request: Request, exc: DataNotFoundError):
        return JSONResponse(exc.to_dict(), status_code=404)

    @app.exception_handler(SmartspecError)
    async def bad_input(request: Request, exc: SmartspecError):
        return JSONResponse(exc.to_dict(), status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # pragma: no cover - a bug: say so in JSON
        return JSONResponse({"error": type(exc).__name__, "problem": "internal error while answering this request",
                             "where": request.url.path, "fix": "report it with the address you opened"},
                            status_code=500)

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    # ------------------------------------------------------------------ helpers
    def _lang(request: Request, lang: Optional[str]) -> str:
        if lang in LANGUAGES:
            return lang
        c = request.cookies.get("lang")
        return c if c in LANGUAGES else "en"

    cache = _LRU()

    def _page(request: Request, template: str, ctx, status: int = 200, lang: Optional[str] = None, key=None):
        """Render ``template`` (``ctx`` a dict or a function returning one); cached by ``key`` and language."""
        lg = _lang(request, lang or request.query_params.get("lang"))
        params = {k: v for k, v in request.query_params.items() if k != "lang"}

        def render() -> bytes:
            def lang_url(code: str) -> str:
                return str(request.url.path) + "?" + urlencode({**params, "lang": code})

            t = translator(lg)
            full = {"request": request, "t": t, "lang": lg, "lang_url": lang_url, "info": info,
                    "version": __version__, "labels": {k: t(k) for k in JS_LABELS},
                    **(ctx() if callable(ctx) else ctx)}
            return templates.get_template(template).render(full).encode()

        if key is None:
            resp = HTMLResponse(render(), status_code=status)
        else:
            asset = cache.get(("page", template, key, request.url.path, tuple(sorted(params.items())), lg),
                              lambda: _Asset(render(), "text/html; charset=utf-8"))
            resp = asset.response(request, max_age=None, status=status)
        if request.query_params.get("lang") in LANGUAGES:
            resp.set_cookie("lang", lg, max_age=365 * 86400, samesite="lax", httponly=True)
        return resp

    def dump(model) -> dict:
        return model.model_dump(mode="json")

    def _json(key, build, request: Request | None = None) -> Response:
        """JSON of a response model, serialised and gzip-compressed once per key (no per-request compression)."""
        asset = cache.get(("api",) + key, lambda: _Asset(build().model_dump_json().encode(), "application/json"))
        return asset.response(request, max_age=None) if request is not None else Response(asset.raw, media_type="application/json")

    def _json_list(key, build, request: Request | None = None) -> Response:
        asset = cache.get(("api",) + key, lambda: _Asset(json.dumps([x.model_dump(mode="json") for x in build()],
                                                                    separators=(",", ":")).encode(), "application/json"))
        return asset.response(request, max_age=None) if request is not None else Response(asset.raw, media_type="application/json")

    # ------------------------------------------------------------------ assets
    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_js(request: Request):
        return plotly_asset.response(request)

    @app.get("/api/geojson", summary="NUTS 2 boundaries (simplified GeoJSON, WGS84)",
             response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    async def geojson(request: Request):
        return geo_asset.response(request, max_age=3600)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    # ------------------------------------------------------------------ API
    @app.get("/api/info", response_model=m.StoreInfo, summary="What the store holds")
    async def api_info(request: Request):
        return _json(("info",), lambda: info, request)

    @app.get("/api/regions", response_model=list[m.RegionHit], summary="Search regions by code or name")
    async def api_regions(request: Request, q: str = Query(..., min_length=1, max_length=100, description="Code or name in any language"),
                          limit: int = Query(10, ge=1, le=100)):
        return _json_list(("regions", q, limit), lambda: d.search_regions(store, q, limit), request)

    @app.get("/api/map", response_model=m.MapData, responses=NOT_FOUND, summary="Values for the choropleth map")
    async def api_map(request: Request, metric: Literal["eci", "diversity", "rca"] = "eci",
                      activity: Optional[str] = Query(None, max_length=200)):
        act = store.resolve_activity(activity) if metric == "rca" and activity else None
        return _json(("map", metric, act), lambda: d.map_data(store, metric, act), request)

    @app.get("/api/region/{region}", response_model=m.RegionProfile, responses=NOT_FOUND,
             summary="A region's profile: specialisations, opportunities, competences, paths, niches, partners")
    async def api_region(request: Request, region: str = Path(..., examples=["ITC4", "Lombardia", "Lombardy", "DE11"])):
        code = store.resolve_region(region)
        return _json(("region", code), lambda: d.region_profile(store, code), request)

    @app.get("/api/activity/{activity}", response_model=m.ActivityDetail, responses=NOT_FOUND,
             summary="An activity: where it is specialised, related activities, complexity, recent entrants")
    async def api_activity(request: Request, activity: str = Path(..., examples=["C13", "C28", "Manufacture of textiles"])):
        code = store.resolve_activity(activity)
        return _json(("activity", code), lambda: d.activity_detail(store, code), request)

    @app.get("/api/space", response_model=m.Space, responses=NOT_FOUND, summary="The activity space network")
    async def api_space(request: Request, color: Literal["presence", "ecosystem"] = "presence",
                        region: Optional[str] = Query(None, max_length=200)):
        code = store.resolve_region(region) if region else None
        return _json(("space", color, code), lambda: d.space(store, color, code), request)

    @app.get("/api/compare", response_model=m.Compare, responses=NOT_FOUND, summary="Network benchmarking")
    async def api_compare(request: Request, network: Optional[str] = Query(None, max_length=200)):
        name = d.resolve_network(store, network)
        return _json(("compare", name), lambda: d.compare(store, name), request)

    @app.get("/api/backtest", response_model=m.Backtest, summary="Backtest table and precision curves")
    async def api_backtest(request: Request):
        return _json(("backtest",), lambda: d.backtest(store), request)

    @app.get("/api/tables", response_model=list[m.TableInfo], summary="Every downloadable table")
    async def api_tables(request: Request):
        return _json_list(("tables",), lambda: d.tables(store), request)

    @app.get("/api/download/{name}", responses={**NOT_FOUND, 200: {"content": {"text/csv": {},
             "application/vnd.apache.parquet": {}}}}, response_class=Response, summary="A table as CSV or Parquet")
    async def api_download(request: Request, name: str = Path(..., examples=["regions", "rca", "opportunities"]),
                           format: Literal["csv", "parquet"] = "csv"):
        df = store.table(name)

        def build() -> bytes:
            if format == "csv":
                return df.to_csv(index=False).encode()
            import io

            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            return buf.getvalue()

        media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
        asset = cache.get(("download", name, format), lambda: _Asset(build(), media, compress=format == "csv"))
        return asset.response(request, max_age=None,
                              headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})

    app.include_router(orgs_routes.router(store, _page))  # organisations and the R&I lens

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, metric: Literal["eci", "diversity", "rca"] = "eci",
                   activity: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        act = store.resolve_activity(activity) if activity else None

        def ctx():
            mp = d.map_data(store, metric, act)
            acts = [(a, store.activity_name(a)) for a in store.activities.index]
            return {"map": dump(mp), "metric": metric, "activity": mp.activity, "activities": acts, "page": "home"}

        return _page(request, "home.html", ctx, lang=lang, key=("home", metric, act))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search(request: Request, q: str = Query("", max_length=100), lang: Lang = None):
        try:
            code = store.resolve_region(q)
            return RedirectResponse(f"/region/{code}", status_code=303)
        except UnknownNameError as exc:
            hits = d.search_regions(store, q, 20) if q.strip() else []
            if len(hits) == 1:
                return RedirectResponse(f"/region/{hits[0].region}", status_code=303)
            return _page(request, "search.html", {"q": q, "hits": hits, "suggestions": exc.suggestions,
                                                  "page": "home"}, lang=lang)

    @app.get("/region/{region}", response_class=HTMLResponse, include_in_schema=False)
    async def region_page(request: Request, region: str, lang: Lang = None):
        code = store.resolve_region(region)
        if code != region:
            return RedirectResponse(f"/region/{code}", status_code=303)

        def ctx():
            prof = d.region_profile(store, code)
            mp = d.map_data(store, "eci")
            return {"p": prof, "data": {"profile": dump(prof), "map": dump(mp)}, "page": "region"}

        return _page(request, "region.html", ctx, lang=lang, key=("region", code))

    @app.get("/activity/{activity}", response_class=HTMLResponse, include_in_schema=False)
    async def activity_page(request: Request, activity: str, lang: Lang = None):
        code = store.resolve_activity(activity)
        if code != activity:
            return RedirectResponse(f"/activity/{code}", status_code=303)

        def ctx():
            det = d.activity_detail(store, code)
            return {"a": det, "data": {"activity": dump(det)}, "page": "activity"}

        return _page(request, "activity.html", ctx, lang=lang, key=("activity", code))

    @app.get("/space", response_class=HTMLResponse, include_in_schema=False)
    async def space_page(request: Request, color: Literal["presence", "ecosystem"] = "presence",
                         region: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        code = store.resolve_region(region) if region else None

        def ctx():
            sp = d.space(store, color, code)
            return {"s": sp, "data": {"space": dump(sp)}, "page": "space", "regions": _region_options()}

        return _page(request, "space.html", ctx, lang=lang, key=("space", color, code))

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_page(request: Request, network: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        name = d.resolve_network(store, network)

        def ctx():
            c = d.compare(store, name)
            mp = d.map_data(store, "eci")
            return {"c": c, "data": {"compare": dump(c), "map": dump(mp)}, "page": "compare"}

        return _page(request, "compare.html", ctx, lang=lang, key=("compare", name))

    @app.get("/backtest", response_class=HTMLResponse, include_in_schema=False)
    async def backtest_page(request: Request, lang: Lang = None):
        def ctx():
            bt = d.backtest(store)
            return {"b": bt, "data": {"backtest": dump(bt)}, "page": "backtest"}

        return _page(request, "backtest.html", ctx, lang=lang, key=("backtest",))

    @app.get("/downloads", response_class=HTMLResponse, include_in_schema=False)
    async def downloads_page(request: Request, lang: Lang = None):
        return _page(request, "downloads.html", lambda: {"tables": d.tables(store), "page": "downloads"}, lang=lang,
                     key=("downloads",))

    _opts: list = []

    def _region_options():
        if not _opts:
            regs = store.regions
            regs = regs[regs["has_data"]] if "has_data" in regs else regs
            _opts.extend(sorted(((r, f"{n} ({r})") for r, n in regs["name"].items()), key=lambda x: x[1]))
        return _opts

    return app
