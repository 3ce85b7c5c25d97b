"""A content-keyed cache of parsed data in the user cache directory.

A cache entry is keyed by the SHA-1 of the source files' bytes, the name of what was built,
its parameters and the package version, so editing or replacing a source file invalidates it
and nothing stale is ever read. Frames are stored as Parquet; a :class:`Panel` as a small
folder of Parquet files and a JSON header.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from smartspec._version import __version__
from smartspec.config import cache_dir
from smartspec.data.panel import Panel
from smartspec.errors import InputWarning

_CHUNK = 1 << 20
#: Bumped whenever the stored layout changes, so older entries are never read.
CACHE_FORMAT = 2


def file_digest(path: str | os.PathLike) -> str:
    """SHA-1 of a file's bytes."""
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-1 of the readers' source (this package's ``data`` modules and label tables), so a
    change in how files are parsed invalidates what was parsed before."""
    h = hashlib.sha1()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.glob("*.py"), *(root.parent / "labels").glob("*.csv")]):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Fingerprint of the installed smartspec code, profiles and label tables (paths, sizes and
    modification times of its files): whatever was computed by other code is recomputed.
    Taken once per process (the code a process runs does not change under it)."""
    root = Path(__file__).resolve().parents[1]
    return _listing_fingerprint(root, (".py", ".toml", ".csv"))


def directory_fingerprint(folder: str | os.PathLike) -> str:
    """Fingerprint of every file below ``folder`` (paths, sizes, modification times); ``""`` for
    a folder that does not exist."""
    return _listing_fingerprint(Path(folder), None) if Path(folder).is_dir() else ""


def _listing_fingerprint(root: Path, suffixes: tuple[str, ...] | None) -> str:
    h = hashlib.sha1()
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and (suffixes is None or f.suffix in suffixes):
            st = f.stat()
            h.update(f"{f.relative_to(root)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def cached_result(name: str, params: dict, data_dir, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Return ``build()``, read from the cache when the same code computed it with the same
    parameters from the same data files.

    For results that take seconds and depend on many files of the data directory (a backtest
    reads the dataset, the NUTS tables and GDP): the key holds :func:`package_fingerprint` and the
    fingerprints of the data directory and of the updates folder, so a changed file or a new
    download recomputes the result. The frame's ``attrs`` are kept (Parquet metadata).
    """
    from smartspec.config import resolve_data_dir, updates_dir

    h = hashlib.sha1(json.dumps({"name": name, "params": params, "version": __version__, "format": CACHE_FORMAT,
                                 "code": package_fingerprint(),
                                 "data": directory_fingerprint(resolve_data_dir(data_dir)),
                                 "updates": directory_fingerprint(updates_dir())},
                                sort_keys=True, default=str).encode())
    return _parquet_entry(cache_dir() / "results" / f"{name}-{h.hexdigest()[:16]}.parquet", build)


def cached_arrays(name: str, params: dict, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Return ``build()`` (named numpy arrays), read from one ``.npz`` when built before with ``params``.

    ``params`` must name everything the arrays depend on (a panel digest, the code's
    fingerprint, options); the entry is written atomically and a damaged one is discarded
    with a warning and rebuilt. Arrays are read without pickle, so only numeric and string
    arrays can be stored.
    """
    h = hashlib.sha1(f"{name}|{__version__}|{CACHE_FORMAT}|{json.dumps(params, sort_keys=True, default=str)}".encode())
    path = cache_dir() / "arrays" / f"{name}-{h.hexdigest()[:16]}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as stored:
                return {k: stored[k] for k in stored.files}
        except Exception as exc:  # truncated or foreign file: rebuild it
            _discard(path, exc)
    arrays = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    return arrays


def panel_digest(panel: Panel) -> str:
    """SHA-1 of a panel's codes, years, values and missing cells: equal panels, equal digests."""
    h = hashlib.sha1()
    h.update(json.dumps([list(map(str, panel.regions)), list(map(str, panel.activities)), panel.years]).encode())
    for mats in (panel.matrices, panel.missing):
        for y in panel.years:
            m = mats[y].tocsr()
            # indices hashed as int64 whatever scipy chose to store (int32 or int64): same cells, same digest
            for arr in (m.indptr.astype(np.int64, copy=False), m.indices.astype(np.int64, copy=False), m.data):
                h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def cache_key(name: str, files: Iterable[str | os.PathLike], params: dict | None = None) -> str:
    """Key of an entry: what is built, from which file contents, by which code, with which parameters."""
    h = hashlib.sha1()
    h.update(f"{name}|{__version__}|{CACHE_FORMAT}|{code_fingerprint()}|"
             f"{json.dumps(params or {}, sort_keys=True, default=str)}".encode())
    for f in files:
        h.update(file_digest(f).encode())
    return f"{name}-{h.hexdigest()[:16]}"


def cached_frame(name: str, files: Iterable[str | os.PathLike], build: Callable[[], pd.DataFrame],
                 params: dict | None = None) -> pd.DataFrame:
    """Return ``build()``, read from the cache when the same files were parsed before."""
    return _parquet_entry(cache_dir() / "frames" / f"{cache_key(name, list(files), params)}.parquet", build)


def _parquet_entry(path: Path, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame stored at ``path``, or ``build()`` written there atomically (a temporary file
    renamed into place, so a reader never sees half an entry)."""
    if path.exists():
        try:
            return pd.read_parquet(path)
        except Exception as exc:  # any failure to read an entry means it is damaged: rebuild it
            _discard(path, exc)
    df = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return df


def cached_panel(name: str, files: Iterable[str | os.PathLike], build: Callable[[], Panel],
                 params: dict | None = None) -> Panel:
    """Return ``build()``, read from the cache when the same files were parsed before."""
    folder = cache_dir() / "panels" / cache_key(name, list(files), params)
    if folder.exists():
        try:
            return load_panel(folder)
        except Exception as exc:  # truncated .npz, bad JSON, missing file: rebuild the entry
            _discard(folder, exc)
    panel = build()
    save_panel(panel, folder)
    return panel


def _discard(entry: Path, exc: Exception) -> None:
    """Remove a damaged cache entry, saying so (it is recomputed by the caller)."""
    warnings.warn(f"the cache entry {entry} is damaged ({type(exc).__name__}: {str(exc)[:120]}); it was discarded "
                  "and is being recomputed", InputWarning, stacklevel=3)
    if entry.is_dir():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def save_panel(panel: Panel, folder: Path) -> None:
    """Write a panel atomically: the sparse arrays of all years concatenated in one ``.npz``
    and a JSON header with the metadata (written into a temporary folder, then renamed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    arrays = {}
    for kind, mats in (("values", panel.matrices), ("missing", panel.missing)):
        csr = [mats[y].tocsr() for y in panel.years]
        arrays[f"{kind}_data"] = np.concatenate([m.data for m in csr]) if csr else np.array([])
        arrays[f"{kind}_indices"] = np.concatenate([m.indices for m in csr]).astype(np.int32) if csr else np.array([])
        arrays[f"{kind}_indptr"] = np.stack([m.indptr.astype(np.int64) for m in csr]) if csr else np.zeros((0, 1))
    np.savez(tmp / "arrays.npz", **arrays)
    header = {"name": panel.name, "value_name": panel.value_name, "source": panel.source,
              "years": panel.years, "report": _to_json(panel.report),
              "region_meta": _to_json(panel.region_meta.reset_index()),
              "activity_meta": _to_json(panel.activity_meta.reset_index())}
    (tmp / "header.json").write_text(json.dumps(header))
    try:
        os.replace(tmp, folder)
    except OSError:  # another process wrote the same entry first
        shutil.rmtree(tmp, ignore_errors=True)


def load_panel(folder: Path) -> Panel:
    """Read a panel written by :func:`save_panel`."""
    import scipy.sparse as sp

    header = json.loads((folder / "header.json").read_text())
    regions = _from_json(header["region_meta"]).set_index("region")
    activities = _from_json(header["activity_meta"]).set_index("activity")
    if "level" in regions:
        regions["level"] = regions["level"].astype("Int64")
    shape = (len(regions), len(activities))
    arrays = np.load(folder / "arrays.npz")
    out = {}
    for kind in ("values", "missing"):
        data, indices, indptr = arrays[f"{kind}_data"], arrays[f"{kind}_indices"], arrays[f"{kind}_indptr"]
        mats, offset = {}, 0
        for k, year in enumerate(header["years"]):
            ptr = indptr[k]
            n = int(ptr[-1])
            mats[year] = sp.csr_array((data[offset:offset + n], indices[offset:offset + n], ptr - ptr[0]), shape=shape)
            offset += n
        out[kind] = mats
    return Panel(out["values"], regions.index, activities.index, missing=out["missing"], region_meta=regions,
                 activity_meta=activities, name=header["name"], value_name=header["value_name"],
                 source=header["source"], report=_from_json(header["report"]))


def _to_json(obj):
    if isinstance(obj, pd.DataFrame):
        return {"__frame__": json.loads(obj.to_json(orient="split", index=False, default_handler=str))}
    if isinstance(obj, dict):
        return {str(k): _to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [_to_json(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    return obj


def _from_json(obj):
    if isinstance(obj, dict):
        if set(obj) == {"__frame__"}:
            f = obj["__frame__"]
            return pd.DataFrame(f["data"], columns=f["columns"])
        return {k: _from_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_from_json(v) for v in obj]
    return obj
