"""`data update` against a real HTTP server on 127.0.0.1 serving copies of the real Eurostat files."""
from __future__ import annotations

import gzip
import hashlib
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smartspec.data import update
from smartspec.data.eurostat import read_eurostat
from smartspec.errors import UnknownNameError


#: The date the test server gives its tables, as Eurostat's API does in Last-Modified.
LAST_MODIFIED = "Tue, 14 Oct 2025 11:00:00 GMT"


def _sha(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@pytest.fixture()
def server(tmp_path, data_dir):
    """Serve tmp_path/site/<name> at /<name>; special names misbehave (500, truncated, slow)."""
    site = tmp_path / "site"
    site.mkdir()
    src = data_dir / "eurostat_regional"
    shutil.copy(src / "hack2017_lfst_r_lfe2en2.tsv.gz", site / "lfst_r_lfe2en2.tsv.gz")
    shutil.copy(src / "hack2017_nama_10r_2gdp.tsv.gz", site / "nama_10r_2gdp.tsv.gz")
    raw = (src / "hack2017_nama_10r_2gdp.tsv.gz").read_bytes()
    (site / "sbs_r_nuts2021.tsv.gz").write_bytes(raw[: len(raw) // 2])  # truncated gzip
    plain = gzip.decompress(raw)
    (site / "sbs_r_nuts06_r2.tsv.gz").write_bytes(plain)  # served uncompressed: stored gzipped
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            """Answer with ``status``, exactly these ``headers`` (besides Server and Date) and ``body``."""
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            hits.append(self.path)
            name = self.path.lstrip("/").split("?")[0]
            if name.startswith("nama_10r_3empers"):
                return self.reply(500, b"internal error")
            if name.startswith("slow"):
                time.sleep(2)
            if name.startswith("short"):  # promises more bytes than it sends
                return self.reply(200, raw[:1000], {"Content-Length": str(len(raw))})
            if name.startswith("encoded"):  # gzip transfer encoding, truncated body
                full = gzip.compress(raw)
                body = full[: len(full) // 2]
                return self.reply(200, body, {"Content-Encoding": "gzip", "Content-Length": str(len(body))})
            if name.startswith("wrapped"):  # gzip transfer encoding around the gzip file
                body = gzip.compress(raw)
                return self.reply(200, body, {"Content-Encoding": "gzip", "Content-Length": str(len(body))})
            path = site / name
            if not path.exists():
                return self.reply(404)
            body = path.read_bytes()
            self.reply(200, body, {"Content-Type": "application/octet-stream", "Content-Length": str(len(body)),
                                   "Last-Modified": LAST_MODIFIED})

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{{code}}.tsv.gz", hits
    httpd.shutdown()
    httpd.server_close()


def test_url_building(monkeypatch):
    assert update.table_url("lfst_r_lfe2en2", None) == update.DEFAULT_URL.format(code="lfst_r_lfe2en2")
    assert update.table_url("x", "http://h/api") == "http://h/api/x?format=TSV&compressed=true"
    monkeypatch.setenv(update.ENV_URL, "http://h/{code}.gz")
    assert update.table_url("x") == "http://h/x.gz"


def test_download_ok_and_replaces(server, tmp_path, data_dir):
    url, hits = server
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "lfst_r_lfe2en2.tsv.gz").write_bytes(b"old")
    seen = []
    res = update.update_tables(["lfst_r_lfe2en2", "sbs_r_nuts06_r2"], dest=dest, base_url=url,
                               on_progress=lambda c, n, t: seen.append((c, n, t)))
    assert [r.table for r in res] == ["lfst_r_lfe2en2", "sbs_r_nuts06_r2"]
    assert res[0].replaced and not res[1].replaced
    assert _sha(dest / "lfst_r_lfe2en2.tsv.gz") == _sha(data_dir / "eurostat_regional" / "hack2017_lfst_r_lfe2en2.tsv.gz")
    assert res[0].rows == len(read_eurostat(dest / "lfst_r_lfe2en2.tsv.gz")) > 0
    assert (dest / "sbs_r_nuts06_r2.tsv.gz").read_bytes()[:2] == b"\x1f\x8b"  # plain stored gzipped
    assert seen and seen[-1][1] > 0
    assert not list(dest.glob(".*part"))  # no temporary files left behind
    # the record beside each download: the server's date of the table, the URL, the size
    assert res[0].last_modified == "2025-10-14"
    record = update.download_record(dest / "lfst_r_lfe2en2.tsv.gz")
    assert record["last_modified"] == "2025-10-14" and record["url"].endswith("lfst_r_lfe2en2.tsv.gz")
    assert record["cells"] == res[0].rows and record["downloaded"][:4].isdigit()


@pytest.mark.parametrize("table,words", [("sbs_r_nuts2021", "gzip"), ("nama_10r_3empers", "HTTP 500")])
def test_broken_download_keeps_previous(server, tmp_path, table, words):
    url, _ = server
    dest = tmp_path / "dest"
    dest.mkdir()
    previous = dest / f"{table}.tsv.gz"
    previous.write_bytes(b"previous data")
    with pytest.raises(update.UpdateError) as e:
        update.update_tables([table], dest=dest, base_url=url)
    assert words in e.value.message and table in e.value.message
    assert previous.read_bytes() == b"previous data"
    assert sorted(p.name for p in dest.iterdir()) == [previous.name]


def test_one_failure_does_not_stop_others(server, tmp_path):
    url, _ = server
    with pytest.raises(update.UpdateError) as e:
        update.update_tables(["nama_10r_3empers", "nama_10r_2gdp"], dest=tmp_path / "d", base_url=url)
    assert "1 of 2" in e.value.message and [r.table for r in e.value.results] == ["nama_10r_2gdp"]
    assert (tmp_path / "d" / "nama_10r_2gdp.tsv.gz").exists()


def test_timeout_and_short_body(server, tmp_path):
    url, _ = server
    folder = tmp_path / "d"
    with pytest.raises(update.UpdateError) as e:
        update.download_table("x", folder, base_url=url.replace("{code}", "slow{code}"), timeout=0.3)
    assert "timed out" in e.value.message
    with pytest.raises(update.UpdateError) as e:
        update.download_table("x", folder, base_url=url.replace("{code}", "short{code}"), timeout=5)
    assert "x" in e.value.message
    assert not list(folder.iterdir())


def test_transfer_encoding(server, tmp_path, data_dir):
    url, _ = server
    folder = tmp_path / "d"
    with pytest.raises(update.UpdateError) as e:
        update.download_table("x", folder, base_url=url.replace("{code}", "encoded{code}"))
    assert "gzip" in e.value.message and not list(folder.iterdir())
    r = update.download_table("x", folder, base_url=url.replace("{code}", "wrapped{code}"))
    assert _sha(r.path) == _sha(data_dir / "eurostat_regional" / "hack2017_nama_10r_2gdp.tsv.gz")
    assert oct(r.path.stat().st_mode & 0o777) != oct(0o600)


def test_unknown_table(tmp_path):
    with pytest.raises(UnknownNameError) as e:
        update.update_tables(["sbs_r_nuts2020"], dest=tmp_path)
    assert "sbs_r_nuts2021" in e.value.suggestions
