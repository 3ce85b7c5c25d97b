"""The FastAPI application: HTML pages and their JSON twins under ``/api``.

Every page reads the results store (:mod:`smartspec.store`) loaded once at start-up; nothing
is computed per request beyond selecting rows. Unknown region or activity names answer 404
with the closest valid names, bad parameters 422, both as JSON.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Literal, Optional
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import GZipMiddleware

from smartspec import __version__
from smartspec.errors import DataNotFoundError, SmartspecError, UnknownNameError
from smartspec.store import Store, open_store
from smartspec.web import data as d
from smartspec.web import models as m
from smartspec.web.i18n import LANGUAGES, translator

HERE = Path(__file__).parent
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
JS_LABELS = ("rca", "density", "complexity", "supporting", "proximity", "q_high_high", "q_low_high", "q_high_low",
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


def plotly_js_path() -> Path:
    """plotly.js as bundled by the installed ``plotly`` package (served locally, never from a CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class _Asset:
    """A file served from memory, gzip-compressed once."""

    def __init__(self, raw: bytes, media_type: str):
        self.raw = raw
        self.gz = gzip.compress(raw, compresslevel=6, mtime=0)
        self.media_type = media_type
        import hashlib

        self.etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'

    def response(self, request: Request, max_age: int = 86400) -> Response:
        headers = {"Cache-Control": f"public, max-age={max_age}", "ETag": self.etag, "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gz, media_type=self.media_type, headers=headers)
        return Response(self.raw, media_type=self.media_type, headers=headers)


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

    app.add_middleware(GZipMiddleware, minimum_size=1000)
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

    def _page(request: Request, template: str, ctx: dict, status: int = 200, lang: Optional[str] = None):
        lg = _lang(request, lang or request.query_params.get("lang"))
        params = {k: v for k, v in request.query_params.items() if k != "lang"}

        def lang_url(code: str) -> str:
            return str(request.url.path) + "?" + urlencode({**params, "lang": code})

        t = translator(lg)
        ctx = {"request": request, "t": t, "lang": lg, "lang_url": lang_url, "info": info,
               "version": __version__, "labels": {k: t(k) for k in JS_LABELS}, **ctx}
        resp = templates.TemplateResponse(request, template, ctx, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            resp.set_cookie("lang", lg, max_age=365 * 86400, samesite="lax", httponly=True)
        return resp

    def dump(model) -> dict:
        return model.model_dump(mode="json")

    # ------------------------------------------------------------------ assets
    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request):
        return plotly_asset.response(request)

    @app.get("/api/geojson", summary="NUTS 2 boundaries (simplified GeoJSON, WGS84)",
             response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    def geojson(request: Request):
        return geo_asset.response(request, max_age=3600)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    # ------------------------------------------------------------------ API
    @app.get("/api/info", response_model=m.StoreInfo, summary="What the store holds")
    def api_info():
        return info

    @app.get("/api/regions", response_model=list[m.RegionHit], summary="Search regions by code or name")
    def api_regions(q: str = Query(..., min_length=1, max_length=100, description="Code or name in any language"),
                    limit: int = Query(10, ge=1, le=100)):
        return d.search_regions(store, q, limit)

    @app.get("/api/map", response_model=m.MapData, responses=NOT_FOUND, summary="Values for the choropleth map")
    def api_map(metric: Literal["eci", "diversity", "rca"] = "eci",
                activity: Optional[str] = Query(None, max_length=200)):
        return d.map_data(store, metric, activity)

    @app.get("/api/region/{region}", response_model=m.RegionProfile, responses=NOT_FOUND,
             summary="A region's profile: specialisations, opportunities, competences, paths, niches, partners")
    def api_region(region: str):
        return d.region_profile(store, region)

    @app.get("/api/activity/{activity}", response_model=m.ActivityDetail, responses=NOT_FOUND,
             summary="An activity: where it is specialised, related activities, complexity, recent entrants")
    def api_activity(activity: str):
        return d.activity_detail(store, activity)

    @app.get("/api/space", response_model=m.Space, responses=NOT_FOUND, summary="The activity space network")
    def api_space(color: Literal["presence", "ecosystem"] = "presence",
                  region: Optional[str] = Query(None, max_length=200)):
        return d.space(store, color, region)

    @app.get("/api/compare", response_model=m.Compare, responses=NOT_FOUND, summary="Network benchmarking")
    def api_compare(network: Optional[str] = Query(None, max_length=200)):
        return d.compare(store, network)

    @app.get("/api/backtest", response_model=m.Backtest, summary="Backtest table and precision curves")
    def api_backtest():
        return d.backtest(store)

    @app.get("/api/tables", response_model=list[m.TableInfo], summary="Every downloadable table")
    def api_tables():
        return d.tables(store)

    @app.get("/api/download/{name}", responses={**NOT_FOUND, 200: {"content": {"text/csv": {},
             "application/vnd.apache.parquet": {}}}}, response_class=Response, summary="A table as CSV or Parquet")
    def api_download(name: str, format: Literal["csv", "parquet"] = "csv"):
        df = store.table(name)
        if format == "csv":
            return Response(df.to_csv(index=False).encode(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        import io

        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return Response(buf.getvalue(), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'})

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, metric: Literal["eci", "diversity", "rca"] = "eci",
             activity: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        mp = d.map_data(store, metric, activity)
        acts = [(a, store.activity_name(a)) for a in store.activities.index]
        return _page(request, "home.html", {"map": dump(mp), "metric": metric, "activity": mp.activity,
                                            "activities": acts, "page": "home"}, lang=lang)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: str = Query("", max_length=100), lang: Lang = None):
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
    def region_page(request: Request, region: str, lang: Lang = None):
        prof = d.region_profile(store, region)
        if prof.region != region:
            return RedirectResponse(f"/region/{prof.region}", status_code=303)
        mp = d.map_data(store, "eci")
        return _page(request, "region.html", {"p": prof, "data": {"profile": dump(prof), "map": dump(mp)},
                                              "page": "region"}, lang=lang)

    @app.get("/activity/{activity}", response_class=HTMLResponse, include_in_schema=False)
    def activity_page(request: Request, activity: str, lang: Lang = None):
        det = d.activity_detail(store, activity)
        if det.activity != activity:
            return RedirectResponse(f"/activity/{det.activity}", status_code=303)
        return _page(request, "activity.html", {"a": det, "data": {"activity": dump(det)}, "page": "activity"},
                     lang=lang)

    @app.get("/space", response_class=HTMLResponse, include_in_schema=False)
    def space_page(request: Request, color: Literal["presence", "ecosystem"] = "presence",
                   region: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        sp = d.space(store, color, region)
        return _page(request, "space.html", {"s": sp, "data": {"space": dump(sp)}, "page": "space",
                                             "regions": _region_options()}, lang=lang)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, network: Optional[str] = Query(None, max_length=200), lang: Lang = None):
        c = d.compare(store, network)
        mp = d.map_data(store, "eci")
        return _page(request, "compare.html", {"c": c, "data": {"compare": dump(c), "map": dump(mp)},
                                               "page": "compare"}, lang=lang)

    @app.get("/backtest", response_class=HTMLResponse, include_in_schema=False)
    def backtest_page(request: Request, lang: Lang = None):
        bt = d.backtest(store)
        return _page(request, "backtest.html", {"b": bt, "data": {"backtest": dump(bt)}, "page": "backtest"},
                     lang=lang)

    @app.get("/downloads", response_class=HTMLResponse, include_in_schema=False)
    def downloads_page(request: Request, lang: Lang = None):
        return _page(request, "downloads.html", {"tables": d.tables(store), "page": "downloads"}, lang=lang)

    _opts: list = []

    def _region_options():
        if not _opts:
            regs = store.regions
            regs = regs[regs["has_data"]] if "has_data" in regs else regs
            _opts.extend(sorted(((r, f"{n} ({r})") for r, n in regs["name"].items()), key=lambda x: x[1]))
        return _opts

    return app
