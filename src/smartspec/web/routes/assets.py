"""Static assets, served from memory (never a CDN): the package's ``static/`` folder, plotly.js, Swagger UI, the map.

Every file is read and gzip-compressed once when the app starts, and answered with its ETag
(``304 Not Modified`` when the browser has it), so a page load costs no disk read or compression.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from smartspec.store import Store
from smartspec.web.render import Asset

#: The API docs page: Swagger UI from the ``fastapi-offline`` package, started by a local script
#: (no inline script, so the Content-Security-Policy stays ``script-src 'self'``).
DOCS_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>smartspec API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>
"""


#: The package's own scripts and style sheet, served under ``/static``.
STATIC = Path(__file__).resolve().parents[1] / "static"


def static_assets(folder: Path = STATIC) -> dict[str, Asset]:
    """Every file under ``folder`` by its relative path, as an in-memory :class:`Asset`."""
    assets = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media == "application/javascript":
            media += "; charset=utf-8"
        assets[path.relative_to(folder).as_posix()] = Asset(path.read_bytes(), media)
    return assets


def plotly_js_path() -> Path:
    """plotly.js as bundled by the installed ``plotly`` package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def swagger_ui_path() -> Path:
    """The Swagger UI files bundled by the installed ``fastapi-offline`` package."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def router(store: Store, page) -> APIRouter:
    r = APIRouter()
    plotly_asset = Asset(plotly_js_path().read_bytes(), "application/javascript")
    geo_asset = Asset(store.geojson_bytes or b'{"type":"FeatureCollection","features":[]}', "application/geo+json")
    swagger = swagger_ui_path()
    docs_assets = {"swagger-ui.css": Asset((swagger / "swagger-ui.css").read_bytes(), "text/css"),
                   "swagger-ui-bundle.js": Asset((swagger / "swagger-ui-bundle.js").read_bytes(),
                                                 "application/javascript")}
    docs_page = Asset(DOCS_HTML, "text/html; charset=utf-8")
    static = static_assets()

    @r.get("/static/{name:path}", include_in_schema=False)
    def static_file(request: Request, name: str):
        # the pages link these with ?v=<version>, so a day of browser caching never serves an old script
        asset = static.get(name)
        if asset is None:
            return Response(status_code=404)
        return asset.response(request)

    @r.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request):
        return plotly_asset.response(request)

    @r.get("/api/geojson", summary="NUTS 2 boundaries (simplified GeoJSON, WGS84)",
           response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    def geojson(request: Request):
        return geo_asset.response(request, max_age=3600)

    @r.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return docs_page.response(request, max_age=None)

    @r.get("/api/docs/{name}", include_in_schema=False)
    def docs_asset(request: Request, name: str):
        asset = docs_assets.get(name)
        if asset is None:
            return Response(status_code=404)
        return asset.response(request)

    @r.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    return r
