"""Defect 9 of issue 13 through the real server: Host check, HEAD, ?lang fallback, bounded cache."""
from __future__ import annotations

import httpx
import pytest


def test_unknown_host_is_refused(server):
    r = httpx.get(server + "/api/info", headers={"Host": "evil.example"})
    assert r.status_code == 400
    ok = httpx.get(server + "/api/info", headers={"Host": "localhost"})
    assert ok.status_code == 200 and ok.json()["dataset"] == "eurostat-sbs"


def test_allowed_host_option_is_accepted(store_path):
    from starlette.testclient import TestClient

    from smartspec.web import create_app

    with TestClient(create_app(store_path, allowed_hosts=["s3.example.eu"]), base_url="http://s3.example.eu") as c:
        assert c.get("/api/info").status_code == 200
    with TestClient(create_app(store_path), base_url="http://s3.example.eu") as c:
        assert c.get("/api/info").status_code == 400


@pytest.mark.parametrize("path", ["/region/ITC4", "/api/region/ITC4", "/api/docs", "/static/style.css"])
def test_head_answers_like_get_without_body(client, path):
    g = client.get(path)
    h = client.head(path)
    assert h.status_code == g.status_code == 200
    assert h.content == b""
    assert h.headers["content-type"] == g.headers["content-type"]
    assert h.headers.get("etag") == g.headers.get("etag")


def test_unknown_language_falls_back_to_english_html(client):
    r = client.get("/region/ITC4?lang=xx", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="en"' in r.text and "Lombardia" in r.text


def test_bad_page_parameter_is_an_html_400_page(client):
    r = client.get("/?metric=gdp", headers={"Accept": "text/html"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "metric" in r.text
    j = client.get("/api/map?metric=gdp")
    assert j.status_code == 422 and j.json()["detail"][0]["loc"] == ["query", "metric"]


def test_junk_query_parameters_neither_rerender_nor_grow_the_cache(client):
    """The cache key holds the declared parameters only, so junk query strings reuse one entry."""
    first = client.get("/region/DE11")
    for i in range(30):
        r = client.get(f"/region/DE11?junk={i}&x{i}=y")
        assert r.status_code == 200 and r.headers["etag"] == first.headers["etag"]
    assert "junk=" not in r.text  # the language links keep declared parameters only


def test_junk_query_parameters_add_no_cache_entry(store_path):
    from starlette.testclient import TestClient

    from smartspec.web import create_app

    app = create_app(store_path)
    client = TestClient(app, base_url="http://localhost")
    cache = app.state.page.cache
    for path in ("/region/ITC4", "/api/region/ITC4", "/activity/C13", "/api/map?metric=eci"):
        client.get(path)
    entries, held = len(cache), cache.nbytes
    for i in range(40):
        for path in ("/region/ITC4?", "/api/region/ITC4?", "/activity/C13?", "/api/map?metric=eci&"):
            assert client.get(f"{path}junk{i}={i}&lang_{i}=x").status_code == 200
    assert (len(cache), cache.nbytes) == (entries, held)


def test_static_files_come_from_memory_gzipped_with_etags(client):
    from smartspec.web.routes.assets import STATIC

    plain = client.get("/static/app.js", headers={"Accept-Encoding": "identity"})
    assert plain.content == (STATIC / "app.js").read_bytes()
    assert plain.headers["content-type"] == "text/javascript; charset=utf-8"  # RFC 9239
    zipped = client.get("/static/app.js?v=1", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == plain.content
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2
    again = client.get("/static/app.js", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/static/nothing.js").status_code == 404
    page = client.get("/region/ITC4").text
    assert 'src="/static/app.js?v=' in page and 'href="/static/style.css?v=' in page


def test_cache_is_bounded_by_bytes():
    from smartspec.web.render import Asset, BytesLRU

    cache = BytesLRU(max_bytes=10_000)
    for i in range(100):
        cache.get(i, lambda: Asset(bytes(1000), "text/plain", compress=False))
    assert cache.nbytes <= 10_000 and len(cache) == 10
    assert cache.get(99, lambda: pytest.fail("a cached key must not be rebuilt")).raw == bytes(1000)


def test_handlers_do_not_block_the_event_loop(store_path):
    """Every route handler is a plain def, which FastAPI runs in its threadpool (a slow render holds one thread)."""
    import inspect

    from fastapi.routing import APIRoute

    from smartspec.web.app import ROUTES, create_app

    app = create_app(store_path)
    routes = [r for module in ROUTES for r in module.router(app.state.store, app.state.page).routes
              if isinstance(r, APIRoute)]
    assert len(routes) >= 20
    assert [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)] == []
