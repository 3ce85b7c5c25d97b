"""Web fixtures: one results store built from the real default data, one real uvicorn server."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Flags headless chromium needs when run as root in a container without a GPU or network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def store_path(tmp_path_factory, data_dir) -> Path:
    """The store of the default data (eurostat-sbs, Lombardy profile), built once per test run.

    Under pytest-xdist the workers share one build: the first takes a file lock and builds,
    the others wait for it and reuse the folder.
    """
    import fcntl

    from smartspec.store import build_store, store_is_current

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # shared by this run's workers only
    path = root / "web-store"
    with open(root / "web-store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not store_is_current(path):
                build_store(dataset="eurostat-sbs", region_profile="lombardy", data_dir=data_dir, path=path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


@pytest.fixture(scope="session")
def store(store_path):
    from smartspec.store import open_store

    return open_store(store_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(store_path):
    """Base URL of a real uvicorn server on loopback serving the session store."""
    import uvicorn

    from smartspec.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(store_path), host="127.0.0.1", port=port, http="httptools",
                            loop="uvloop", log_level="warning", access_log=False)  # as `smartspec serve`
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the uvicorn test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def client(server):
    import httpx

    with httpx.Client(base_url=server, timeout=30, follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; skipped only outside CI when chromium is missing."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed but CI is set: browser tests must run in CI")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs these tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    """A fresh page that records console errors, page errors and requests leaving the server."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.problems = []
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("request", lambda r: pg.problems.append(f"external request: {r.url}")
          if not (r.url.startswith(server) or r.url.startswith("data:") or r.url.startswith("blob:")) else None)
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
