"""Download the newest Eurostat tables the package knows, atomically.

``smartspec data update`` fetches each table from Eurostat's public dissemination API (bulk
TSV, gzip-compressed) into ``<folder>/<code>.tsv.gz`` (:func:`table_file`), where the folder is
(:func:`destination`) ``dest`` (CLI ``--dest``) if given, else ``<data dir>/eurostat_regional``
when a data directory was passed explicitly (``--data-dir``), else the user's updates folder
:func:`smartspec.config.updates_dir` (``SMARTSPEC_UPDATES``, else
``$XDG_DATA_HOME/smartspec/eurostat_regional``). The shared data directory, often read-only, is
never written to unless asked for. :func:`smartspec.data.datasets.dataset_file` decides which
file a dataset then reads (a download if there is one, else the bundled file).

Each download is atomic:

1. the response is streamed to a temporary file next to the destination;
2. the temporary file is verified: complete gzip, and parsed by
   :func:`smartspec.data.eurostat.read_eurostat` (at least one row);
3. only then it is renamed over the previous file (``os.replace``, atomic on one file system),
   and a record of the download is written beside it (:func:`download_record`: the URL, when it
   was downloaded and the date the server gives for the table, its ``Last-Modified``).

A broken download (HTTP error, timeout, truncated gzip, unreadable content) removes the
temporary file, leaves the previous file untouched and raises :class:`UpdateError` (the CLI
exits with status 2 and names the table, the URL and the problem).

The API address is ``base_url`` (CLI ``--base-url``), else ``SMARTSPEC_EUROSTAT_URL``, else
:data:`DEFAULT_URL`. It may contain ``{code}``; without it ``/{code}?format=TSV&compressed=true``
is appended.
"""
from __future__ import annotations

import gzip
import os
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from smartspec.errors import InputError, SmartspecError, UnknownNameError

DEFAULT_URL = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV&compressed=true"
ENV_URL = "SMARTSPEC_EUROSTAT_URL"
SUBDIR = "eurostat_regional"

#: Tables the package reads, with what they hold.
TABLES: dict[str, str] = {
    "sbs_r_nuts2021": "Structural business statistics by NUTS 2 region and NACE Rev.2 (2021 onwards)",
    "sbs_r_nuts06_r2": "Structural business statistics by NUTS 2 region and NACE Rev.2, 2008-2020 "
                       "(the table of the bundled ki2017 file)",
    "nama_10r_3empers": "Employment (thousand persons) by NUTS 3 region and NACE Rev.2 aggregates",
    "lfst_r_lfe2en2": "LFS employment by NUTS 2 region, sex, age and NACE Rev.2 sections",
    "nama_10r_2gdp": "GDP at current market prices by NUTS 2 region",
}
DEFAULT_TABLES = ("sbs_r_nuts2021", "sbs_r_nuts06_r2", "nama_10r_3empers", "lfst_r_lfe2en2")


class UpdateError(SmartspecError):
    """A table could not be downloaded or verified; the previous file is intact.

    ``results`` holds the tables :func:`update_tables` did update before failing, ``failures``
    the error of each table that failed.
    """

    results: tuple = ()
    failures: tuple = ()


@dataclass
class UpdateResult:
    table: str
    path: Path
    url: str
    bytes: int
    rows: int
    seconds: float
    replaced: bool  # a previous file was replaced
    last_modified: str | None = None  # the server's date of the table (HTTP Last-Modified), YYYY-MM-DD


def record_file(path: str | os.PathLike) -> Path:
    """Where the record of a download is kept: ``<file>.json`` beside it."""
    return Path(f"{path}.json")


def download_record(path: str | os.PathLike) -> dict:
    """The record written with a download (``table``, ``url``, ``downloaded``,
    ``last_modified``, ``bytes``, ``cells``); empty when there is none or it is unreadable."""
    import json

    try:
        return json.loads(record_file(path).read_text())
    except (OSError, ValueError):
        return {}


def _http_date(value: str | None) -> str | None:
    """``Tue, 14 Oct 2025 11:00:00 GMT`` -> ``2025-10-14``; None if absent or unreadable."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat() if value else None
    except (TypeError, ValueError):
        return None


ProgressCallback = Callable[[str, int, int | None], None]


def table_url(code: str, base_url: str | None = None) -> str:
    """The download address of table ``code``."""
    base = base_url or os.environ.get(ENV_URL) or DEFAULT_URL
    if "{code}" in base:
        return base.replace("{code}", code)
    return base.rstrip("/") + f"/{code}?format=TSV&compressed=true"


def destination(dest: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None) -> Path:
    """The folder new tables go into: ``dest``; else ``<data_dir>/eurostat_regional`` when
    ``data_dir`` is given; else :func:`smartspec.config.updates_dir` (the user's folder, not the
    data directory found by default, which may be shared and read-only)."""
    if dest is not None:
        return Path(dest)
    from smartspec.config import resolve_data_dir, updates_dir

    if data_dir is not None:
        return resolve_data_dir(data_dir) / SUBDIR
    return updates_dir()


def table_file(code: str, folder: str | os.PathLike) -> Path:
    """The file a download of table ``code`` is stored as in ``folder``."""
    return Path(folder) / f"{code}.tsv.gz"


def download_folders(root: str | os.PathLike) -> list[Path]:
    """The folders where downloads may be for the data directory ``root``: the user's updates
    folder (:func:`smartspec.config.updates_dir`) and ``<root>/eurostat_regional`` (where
    ``data update --data-dir ROOT`` writes). Duplicates removed, order kept."""
    from smartspec.config import updates_dir

    out: list[Path] = []
    for folder in (updates_dir(), Path(root) / SUBDIR):
        if not any(_same(folder, f) for f in out):
            out.append(folder)
    return out


def is_read_by_datasets(folder: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether the datasets of data directory ``root`` look for downloads in ``folder``."""
    return any(_same(Path(folder), f) for f in download_folders(root))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _check_gzip(path: Path, where: str) -> None:
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        raise UpdateError(f"the download is not a complete gzip file ({exc})", where=where,
                          fix="retry later; the previous file was left as it was") from exc


def verify(path: Path, *, where: str) -> int:
    """Check a downloaded file: complete gzip (if gzip) and readable as a Eurostat table.
    Returns the number of rows read."""
    from smartspec.data.eurostat import read_eurostat

    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        _check_gzip(path, where)
    try:
        df = read_eurostat(path)
    except InputError as exc:
        raise UpdateError(f"the download is not a readable Eurostat table: {exc.problem}", where=where,
                          fix="check --base-url points to Eurostat's dissemination API; the previous file was kept") from exc
    if len(df) == 0:
        raise UpdateError("the download holds no rows", where=where, fix="retry later; the previous file was kept")
    return int(len(df))


def download_table(code: str, folder: Path, *, base_url: str | None = None, timeout: float = 120.0,
                   client=None, on_progress: ProgressCallback | None = None) -> UpdateResult:
    """Download one table into ``folder/<code>.tsv.gz`` atomically (see the module docstring)."""
    import httpx

    url = table_url(code, base_url)
    where = f"table {code} ({url})"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UpdateError(f"cannot create {folder} ({exc.strerror})", where=where,
                          fix="pass a writable folder with --dest") from exc
    if not os.access(folder, os.W_OK):
        raise UpdateError(f"cannot write to {folder}", where=where,
                          fix="pass a writable folder with --dest, or leave out --data-dir to use the "
                              "user's updates folder (the shared data directory may be read-only)")
    target = table_file(code, folder)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{code}.", suffix=".part")
    tmp = Path(tmp_name)
    t0 = time.perf_counter()
    own = client is None
    client = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            try:
                with client.stream("GET", url) as resp:
                    if resp.status_code != 200:
                        raise UpdateError(f"the server answered HTTP {resp.status_code} {resp.reason_phrase}",
                                          where=where, fix="retry later or check the table code / --base-url; "
                                                           "the previous file was kept")
                    last_modified = _http_date(resp.headers.get("last-modified"))
                    total = resp.headers.get("content-length")
                    total = int(total) if total and total.isdigit() else None
                    encoding = resp.headers.get("content-encoding", "").lower().strip()
                    # raw bytes whenever we can check them ourselves: a truncated gzip
                    # transfer encoding must fail the gzip check, not be decoded partially
                    raw = encoding in ("", "identity", "gzip", "x-gzip")
                    transport_gzip = encoding in ("gzip", "x-gzip")
                    stream = resp.iter_raw() if raw else resp.iter_bytes()
                    for chunk in stream:
                        out.write(chunk)
                        size += len(chunk)
                        if on_progress:
                            on_progress(code, size, total)
                    if total is not None and raw and size < total:
                        raise UpdateError(f"the download stopped after {size:,} of {total:,} bytes", where=where,
                                          fix="retry; the previous file was kept")
            except httpx.TimeoutException as exc:
                raise UpdateError(f"the download timed out after {timeout:g} s", where=where,
                                  fix="retry, or raise the timeout (--timeout); the previous file was kept") from exc
            except httpx.HTTPError as exc:
                raise UpdateError(f"the download failed: {exc}", where=where,
                                  fix="check the network and --base-url; the previous file was kept") from exc
        if transport_gzip:  # unwrap the transfer encoding (verifying it) if the body is gzip itself
            _check_gzip(tmp, where)
            with gzip.open(tmp, "rb") as fh:
                inner_is_gzip = fh.read(2) == b"\x1f\x8b"
            if inner_is_gzip:
                inner = tmp.with_suffix(".inner")
                with gzip.open(tmp, "rb") as src, open(inner, "wb") as dst:
                    while block := src.read(1 << 20):
                        dst.write(block)
                os.replace(inner, tmp)
        with open(tmp, "rb") as fh:
            is_gzip = fh.read(2) == b"\x1f\x8b"
        if not is_gzip:  # plain TSV / SDMX-CSV: store compressed like Eurostat's bulk files
            gz_tmp = tmp.with_suffix(".gzpart")
            with open(tmp, "rb") as src, gzip.open(gz_tmp, "wb") as dst:
                while block := src.read(1 << 20):
                    dst.write(block)
            os.replace(gz_tmp, tmp)
        rows = verify(tmp, where=where)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        replaced = target.exists()
        os.replace(tmp, target)
        _write_record(target, {"table": code, "url": url, "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "last_modified": last_modified, "bytes": size, "cells": rows})
        return UpdateResult(code, target, url, size, rows, time.perf_counter() - t0, replaced, last_modified)
    finally:
        if own:
            client.close()
        if tmp.exists():
            tmp.unlink()


def _write_record(target: Path, record: dict) -> None:
    import json

    tmp = record_file(target).with_suffix(f".{os.getpid()}.part")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, record_file(target))


def update_tables(tables: Iterable[str] | None = None, *, dest: str | os.PathLike | None = None,
                  base_url: str | None = None, data_dir: str | os.PathLike | None = None, timeout: float = 120.0,
                  on_progress: ProgressCallback | None = None) -> list[UpdateResult]:
    """Download ``tables`` (default :data:`DEFAULT_TABLES`) into ``dest``.

    Every table is tried; if any failed, :class:`UpdateError` lists them after the others were
    updated (each failed table keeps its previous file).
    """
    import httpx

    codes = list(tables) if tables else list(DEFAULT_TABLES)
    for c in codes:
        if c not in TABLES:
            raise UnknownNameError("Eurostat table", c, TABLES, where="data update")
    folder = destination(dest, data_dir)
    results, failures = [], []
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        for code in codes:
            try:
                results.append(download_table(code, folder, base_url=base_url, timeout=timeout, client=client,
                                              on_progress=on_progress))
            except UpdateError as exc:
                failures.append(exc)
    if len(failures) == 1 and not results:
        failures[0].results, failures[0].failures = [], failures
        raise failures[0]
    if failures:
        done = f" ({len(results)} other table(s) updated)" if results else ""
        err = UpdateError(
            f"{len(failures)} of {len(codes)} table(s) failed{done}:\n    " + "\n    ".join(e.message.replace("\n", "\n    ") for e in failures),
            fix="the previous files of the failed tables are intact; retry later",
        )
        err.results = results
        err.failures = failures
        raise err
    return results
