"""The FastAPI application: HTML pages and their JSON twins under ``/api``.

Every page reads the results store (:mod:`smartspec.store`) loaded once at start-up; nothing
is computed per request beyond selecting rows. Unknown region or activity names answer 404
with the closest valid names, bad parameters 422 (JSON under ``/api``, an HTML page
elsewhere). Route modules (:mod:`smartspec.web.routes`) follow ``router(store, page)``.
"""
from __future__ import annotations

import os
from pathlib import Path as FilePath
from typing import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from smartspec import views
from smartspec._version import __version__
from smartspec.errors import DataNotFoundError, InputError, NoMatchError, SmartspecError, UnknownNameError
from smartspec.store import Store, open_store
from smartspec.web.render import Pages
from smartspec.web import match_routes, monitor_routes, orgs_routes
from smartspec.web.routes import api, assets, pages

HERE = FilePath(__file__).parent
TEMPLATES = HERE / "templates"
#: Route modules, each ``router(store, page) -> APIRouter``.
ROUTES = (assets, api, pages, monitor_routes, orgs_routes, match_routes)

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
#: Host names always accepted (the loopback names); ``create_app(allowed_hosts=...)`` adds more.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


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


class HeadAsGet:
    """Pure ASGI middleware answering ``HEAD`` as ``GET`` with the same headers and no body (RFC 9110 9.3.2)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def create_app(store_path: str | os.PathLike | None = None, allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The web application serving the results store at ``store_path``.

    Parameters
    ----------
    store_path : path, optional
        A folder written by :func:`smartspec.store.build_store` (default: the default store).
    allowed_hosts : iterable of str, optional
        Host names accepted in the ``Host`` header besides the loopback names (e.g. the bind
        address or a public name); any other host answers 400, against DNS rebinding.
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
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    app.state.store = store
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["zip"] = zip
    page = Pages(templates, views.info(store))
    app.state.page = page

    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted({*LOCAL_HOSTS, *allowed_hosts} - {"", "0.0.0.0", "::"}))
    app.add_middleware(HeadAsGet)
    _error_handlers(app, page)
    for module in ROUTES:
        app.include_router(module.router(store, page))
    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _error_handlers(app: FastAPI, page: Pages) -> None:
    @app.exception_handler(UnknownNameError)
    def unknown_name(request: Request, exc: UnknownNameError):
        if _wants_html(request):
            return page(request, "error.html", {"exc": exc, "title": "not_found"}, status=404)
        return JSONResponse(exc.to_dict(), status_code=404)

    @app.exception_handler(DataNotFoundError)
    @app.exception_handler(NoMatchError)
    def not_found(request: Request, exc: SmartspecError):
        return JSONResponse(exc.to_dict(), status_code=404)

    @app.exception_handler(SmartspecError)
    def bad_input(request: Request, exc: SmartspecError):
        return JSONResponse(exc.to_dict(), status_code=422)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception):  # pragma: no cover - a bug: say so in JSON
        return JSONResponse({"error": type(exc).__name__, "problem": "internal error while answering this request",
                             "where": request.url.path, "fix": "report it with the address you opened"},
                            status_code=500)

    @app.exception_handler(RequestValidationError)
    def bad_params(request: Request, exc: RequestValidationError):
        errors = [_described(e) for e in exc.errors()]
        if _wants_html(request):  # a person at a browser gets a page, not raw JSON
            where = ", ".join(".".join(str(x) for x in e["loc"][1:]) or "request" for e in errors)
            problem = InputError(f"bad parameter {where}: " + "; ".join(e["msg"] for e in errors),
                                 fix="correct the address or start from the home page")
            return page(request, "error.html", {"exc": problem, "title": "bad_request"}, status=400)
        return JSONResponse({"detail": errors}, status_code=422)


def _described(error: dict) -> dict:
    """One validation error as JSON: where, what, its type; a blank text (only white space) is
    called blank, with what to do, rather than shown as the regular expression it failed."""
    out = {"loc": list(error.get("loc", [])), "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}
    if out["type"] == "string_pattern_mismatch" and (error.get("ctx") or {}).get("pattern") == match_routes.NOT_BLANK:
        out["msg"] = "is blank: it holds only white space"
        out["fix"] = "write the challenge in words (English or Italian), a NACE code or an S3 ecosystem"
    return out
