"""Rendering and caching of responses: the ``page`` callable every page route uses.

Handlers are plain ``def`` functions, which FastAPI runs in its threadpool, so one slow render
never holds the event loop; the cache is therefore guarded by a lock. Cache keys come from a
route's declared, resolved parameters only (never the raw query string), and the cache is
bounded by the bytes it holds, so junk query parameters cannot grow it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections import OrderedDict
from typing import Callable, Optional
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from smartspec._version import __version__
from smartspec.views.i18n import LANGUAGES, translator

#: Labels the page scripts need (chart axes, quadrant names).
JS_LABELS = ("rca", "density", "complexity", "supporting", "probability", "diversity", "eci", "top_k", "precision",
             "proximity", "q_high_high", "q_low_high", "q_high_low", "q_low_low", "specialised", "not_specialised",
             "other")
DEFAULT_LANGUAGE = "en"
#: Bytes of rendered responses kept in memory (raw and gzip forms together).
CACHE_BYTES = 96 * 2**20


class Asset:
    """A response body kept in memory with its gzip-compressed form (compressed once)."""

    def __init__(self, raw: bytes, media_type: str, compress: bool = True):
        self.raw = raw
        self.gz = gzip.compress(raw, compresslevel=6, mtime=0) if compress and len(raw) > 1000 else None
        self.media_type = media_type
        self.etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'

    @property
    def nbytes(self) -> int:
        return len(self.raw) + (len(self.gz) if self.gz is not None else 0)

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


class BytesLRU:
    """A thread-safe least-recently-used cache of :class:`Asset` bounded by the bytes it holds.

    Two threads missing the same key may both build it (the second result wins); a lock held
    while building would serialise every render behind the slowest one.
    """

    def __init__(self, max_bytes: int = CACHE_BYTES):
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key, build: Callable[[], Asset]) -> Asset:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.nbytes -= old.nbytes
            self._data[key] = value
            self.nbytes += value.nbytes
            while self.nbytes > self.max_bytes and len(self._data) > 1:
                _, dropped = self._data.popitem(last=False)
                self.nbytes -= dropped.nbytes
        return value


def pick_language(request: Request, lang: Optional[str]) -> str:
    """``lang`` if supported, else the ``lang`` cookie, else the default (an unknown code never fails)."""
    if lang in LANGUAGES:
        return lang
    c = request.cookies.get("lang")
    return c if c in LANGUAGES else DEFAULT_LANGUAGE


class Pages:
    """Renders templates and JSON bodies through one cache.

    An instance is the ``page`` given to every route module: ``page(request, template, ctx,
    status=200, lang=None, key=None, query=None)`` renders ``template`` with ``ctx`` (a dict or
    a function returning one), cached by ``key`` and the language when ``key`` is given;
    ``query`` holds the declared parameters kept by the language links.
    """

    def __init__(self, templates: Jinja2Templates, info, cache: BytesLRU | None = None):
        self.templates = templates
        self.info = info
        self.cache = cache or BytesLRU()

    def __call__(self, request: Request, template: str, ctx, status: int = 200, lang: Optional[str] = None,
                 key=None, query: dict | None = None) -> Response:
        lg = pick_language(request, lang or request.query_params.get("lang"))
        kept = {k: v for k, v in (query or {}).items() if v is not None}
        path = str(request.url.path)

        def render() -> bytes:
            def lang_url(code: str) -> str:
                return path + "?" + urlencode({**kept, "lang": code})

            t = translator(lg)
            full = {"request": request, "t": t, "lang": lg, "lang_url": lang_url, "info": self.info,
                    "version": __version__, "labels": {k: t(k) for k in JS_LABELS},
                    **(ctx() if callable(ctx) else ctx)}
            return self.templates.get_template(template).render(full).encode()

        if key is None:
            resp = HTMLResponse(render(), status_code=status)
        else:
            asset = self.cache.get(("page", template, key, path, lg), lambda: Asset(render(), "text/html; charset=utf-8"))
            resp = asset.response(request, max_age=None, status=status)
        if request.query_params.get("lang") in LANGUAGES:
            resp.set_cookie("lang", lg, max_age=365 * 86400, samesite="lax", httponly=True)
        return resp

    def json(self, request: Request, key: tuple, build) -> Response:
        """A response model's JSON, serialised and gzip-compressed once per ``key``."""
        asset = self.cache.get(("api",) + key, lambda: Asset(build().model_dump_json().encode(), "application/json"))
        return asset.response(request, max_age=None)

    def json_list(self, request: Request, key: tuple, build) -> Response:
        """A list of response models as JSON, cached like :meth:`json`."""
        asset = self.cache.get(("api",) + key, lambda: Asset(json.dumps(
            [x.model_dump(mode="json") for x in build()], separators=(",", ":")).encode(), "application/json"))
        return asset.response(request, max_age=None)
