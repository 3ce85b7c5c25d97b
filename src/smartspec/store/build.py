"""Build the results store (see :mod:`smartspec.store`).

Each section of the store is one step: it calls the shared function that owns the computation
(``smartspec.measures``, ``smartspec.strategy.*``, ``smartspec.data.nuts``) and writes tidy
tables with names. A step the data do not allow (a profile without industries, a network without members in the
panel) or that fails is recorded in the manifest as *not available* with the reason, and the
pages show that note instead of the section; nothing is computed in its place.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from smartspec._version import __version__
from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE, cache_dir, resolve_data_dir
from smartspec.data.cache import package_fingerprint
from smartspec.errors import SmartspecError

#: Bumped whenever the layout of the store changes (older stores are rebuilt).
STORE_FORMAT = 4

ProgressFn = Callable[[str, int, int], None]


def default_store_path(dataset: str = DEFAULT_DATASET, region_profile: str = DEFAULT_PROFILE) -> Path:
    """Where :func:`build_store` writes by default: ``<cache dir>/store/<dataset>-<profile>``."""
    profile = Path(str(region_profile)).stem.lower()
    return cache_dir() / "store" / f"{dataset}-{profile}"


def store_is_current(path: str | os.PathLike) -> bool:
    """True when ``path`` holds a complete store of this store format, built by this code, with
    every table its manifest lists."""
    folder = Path(path).resolve()
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return False
    try:
        meta = json.loads(manifest.read_text())
    except ValueError:
        return False
    return (meta.get("format") == STORE_FORMAT and meta.get("version") == __version__
            and meta.get("complete", False) and meta.get("code") == package_fingerprint()
            and not missing_tables(folder, meta))


def missing_tables(folder: Path, manifest: dict) -> list[str]:
    """The tables ``manifest`` lists that are not files of ``folder``."""
    return [name for name in manifest.get("tables", {})
            if not (folder / (name if name.endswith(".geojson") else f"{name}.parquet")).is_file()]


@dataclass
class _Build:
    panel: object
    data_dir: Path
    out: Path
    dataset: str
    region_profile: str
    year: int | None = None
    first_year: int | None = None
    profile: object = None
    region: str | None = None
    computed: dict = field(default_factory=dict)
    analysis: object = None
    sections: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    def write(self, name: str, df: pd.DataFrame) -> None:
        df = df.reset_index(drop=True)
        for col in df.columns:  # Parquet wants one type per column
            if df[col].dtype == object:
                df[col] = df[col].map(lambda v: v if v is None or isinstance(v, str) else _to_text(v))
        df.to_parquet(self.out / f"{name}.parquet", index=False)
        self.tables[name] = int(len(df))


def _to_text(v) -> str:
    if isinstance(v, (list, tuple, set, np.ndarray, pd.Index)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, float) and np.isnan(v):
        return ""
    return str(v)


def build_store(
    dataset: str = DEFAULT_DATASET,
    region_profile: str = DEFAULT_PROFILE,
    data_dir: str | os.PathLike | None = None,
    path: str | os.PathLike | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Precompute every table of the web pages and the region report into a store folder.

    Parameters
    ----------
    dataset : str
        Named dataset (see :func:`smartspec.data.datasets.load_dataset`).
    region_profile : str
        Region strategy profile (name or TOML path, see
        :func:`smartspec.strategy.profiles.load_profile`); its region, groups and networks drive
        the profile-specific sections (paths, niches, partners, compare).
    data_dir : path, optional
        The data directory (see :func:`smartspec.config.resolve_data_dir`).
    path : path, optional
        Output folder (default :func:`default_store_path`). It is replaced atomically: the
        store is built into a folder beside it and ``path`` becomes a symbolic link to it in
        one rename; a lock file beside it makes a second build wait for the first.
    progress : callable, optional
        Called as ``progress(step_description, step_number, n_steps)`` before each step.

    Returns
    -------
    pathlib.Path
        The store folder; read it with :func:`smartspec.store.open_store`.
    """
    root = resolve_data_dir(data_dir)
    final = Path(path) if path is not None else default_store_path(dataset, region_profile)
    final.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(final) as waited:
        _remove_stale(final)
        if waited and store_is_current(final):  # another process built it while this one waited
            return final
        tmp = final.parent / f".{final.name}.building-{os.getpid()}"
        tmp.mkdir(parents=True)
        try:
            _build_into(tmp, dataset, region_profile, root, progress)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _swap(tmp, final)
    return final


@contextlib.contextmanager
def _build_lock(final: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``.<name>.lock`` beside the store for the whole build, so two
    builds of one store never race; yields whether another build held it first."""
    with open(final.parent / f".{final.name}.lock", "w") as fh:
        waited = False
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waited = True
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield waited
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _versions(final: Path) -> list[Path]:
    """The version folders of a store, oldest first (by the build time in their name, not by
    modification times, which copies and backups change)."""
    def built(p: Path) -> int:
        stamp = p.name.rsplit(".v-", 1)[1].split("-")[0]
        return int(stamp) if stamp.isdigit() else 0  # "old": a store of the older layout
    return sorted(final.parent.glob(f".{final.name}.v-*"), key=built)


def _remove_stale(final: Path) -> None:
    """Under the lock no other build runs: its ``.building-*`` folders were left by a killed
    build, and versions other than the current and the previous one are no longer served."""
    for folder in final.parent.glob(f".{final.name}.building-*"):
        shutil.rmtree(folder, ignore_errors=True)
    for link in final.parent.glob(f".{final.name}.link-*"):
        link.unlink(missing_ok=True)
    current = final.resolve() if final.is_symlink() else None
    old = [v for v in _versions(final) if v.resolve() != current]
    for v in old[:-1]:  # keep the one before the current, for readers still opening it
        shutil.rmtree(v, ignore_errors=True)


def _swap(tmp: Path, final: Path) -> None:
    """Make the built folder the store in one atomic step: ``final`` is a symbolic link to a
    versioned folder, replaced by ``os.replace`` (rename(2)), so a reader sees the old complete
    store or the new one, never a partial one or none."""
    version = final.parent / f".{final.name}.v-{time.time_ns()}-{os.getpid()}"
    tmp.rename(version)
    if final.exists() and not final.is_symlink():  # a store of the older layout: a plain folder
        final.rename(final.parent / f".{final.name}.v-old-{os.getpid()}")
    link = final.parent / f".{final.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(version.name)
    os.replace(link, final)
    _remove_stale(final)


def _build_into(tmp: Path, dataset: str, region_profile: str, root: Path, progress: ProgressFn | None) -> None:
    """Run every step of the store into the folder ``tmp`` and write its manifest last."""
    from smartspec.data.datasets import load_dataset

    from smartspec.store import _strategy as S

    # (what the progress line says, the manifest's section, the step: it writes its tables or
    # returns them as {name: frame})
    steps = [
        ("loading the dataset", "load", None),
        ("region strategy profile", "profile", _step_profile),
        ("specialisation, relatedness and complexity", "measures", _step_measures),
        ("NUTS 2 regions and boundaries", "geo", _step_geo),
        ("activity space layout", "layout", _step_layout),
        ("diversification opportunities", "opportunities", S.opportunities_tables),
        ("systems of competence", "competences", S.competences_tables),
        ("transition paths", "paths", S.paths_tables),
        ("cross-sector niches", "niches", S.niches_tables),
        ("interregional partners", "partners", S.partners_tables),
        ("network benchmarking", "compare", S.compare_tables),
        ("backtest", "backtest", S.backtest_tables),
        ("organisation registry and R&I lens", "organisations", _step_organisations),
        ("monitoring indicators, composite and targets", "monitoring", S.monitoring_tables),
    ]
    n = len(steps)
    t0 = time.perf_counter()
    if progress:
        progress(steps[0][0], 1, n)
    panel = load_dataset(dataset, root)
    b = _Build(panel=panel, data_dir=root, out=tmp, dataset=dataset, region_profile=region_profile)
    b.timings["load"] = round(time.perf_counter() - t0, 2)
    for i, (desc, name, fn) in enumerate(steps[1:], start=2):
        if progress:
            progress(desc, i, n)
        t = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for table, df in (fn(b) or {}).items():
                    b.write(table, df)
            b.sections.setdefault(name, {"available": True, "reason": ""})
            notes = sorted({str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)})
            if notes:  # kept in the manifest (and shown by `smartspec build`), not printed as raw warnings
                b.sections[name]["warnings"] = notes
        except SmartspecError as exc:  # the data do not allow this section (no path, no network...)
            b.sections[name] = {"available": False,
                                "reason": f"{desc[0].upper() + desc[1:]}: not available on this data ({exc.problem})"}
        except Exception as exc:  # a bug must not take the whole store down; its traceback is kept
            b.sections[name] = {"available": False,
                                "reason": f"{desc[0].upper() + desc[1:]}: could not be computed on this data ({exc})",
                                "traceback": traceback.format_exc(limit=4)}
        b.timings[name] = round(time.perf_counter() - t, 2)
    if progress:
        progress("done", n, n)

    manifest = {
        "format": STORE_FORMAT,
        "version": __version__,
        "code": package_fingerprint(),
        "complete": True,
        "dataset": dataset,
        "value_name": panel.value_name,
        "eci_orientation": ("gdp" if b.analysis.sign == "GDP per head" else "diversity") if b.analysis else None,
        "scope": b.analysis.scope if b.analysis else None,
        "source": panel.source,
        "data_dir": str(root),
        "region_profile": region_profile,
        "region": b.region,
        "region_name": _region_name(b, b.region) if b.region else None,
        "year": b.year,
        "first_year": b.first_year,
        "years": [int(y) for y in panel.years],
        "n_regions": int(len(panel.regions)),
        "n_activities": int(len(panel.activities)),
        "sections": b.sections,
        "tables": b.tables,
        "timings": b.timings,
        "build_seconds": round(time.perf_counter() - t0, 2),
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))


# --------------------------------------------------------------------------- helpers

def _region_name(b: _Build, code: str | None) -> str:
    if code is None:
        return ""
    meta = b.panel.region_meta
    return str(meta.at[code, "name"]) if code in meta.index else code


# --------------------------------------------------------------------------- steps

def _step_profile(b: _Build) -> None:
    from smartspec.data import nuts
    from smartspec.errors import UnknownNameError
    from smartspec.strategy.profiles import available_profiles, load_profile

    try:
        prof = load_profile(b.region_profile, data_dir=b.data_dir)
    except UnknownNameError:
        # `--region ITC4` / `--region Lombardia`: the profile whose region that is
        prof = None
        for name in available_profiles():
            cand = load_profile(name, data_dir=b.data_dir)
            if str(b.region_profile).lower() in {cand.region.lower(), cand.name.lower(), cand.name_en.lower()}:
                prof = cand
                break
        if prof is None:
            raise
    b.profile = prof
    b.region = prof.region
    rows = []
    for kind in ("ecosystems", "specialisation_areas", "traditional", "emerging"):
        for g in getattr(prof, kind).values():
            rows.append({"kind": kind, "group": g.name, "group_it": g.name_it or "", "key": g.key,
                         "nace": list(g.nace), "wipo": list(g.wipo), "note": g.note or ""})
    b.write("profile_groups", pd.DataFrame(rows, columns=["kind", "group", "group_it", "key", "nace", "wipo", "note"]))
    nets = pd.DataFrame([{"network": net, "region": r} for net, regs in prof.networks.items() for r in regs],
                        columns=["network", "region"])
    # members may be NUTS 1 or 3 regions: name them from the NUTS table
    nets["name"] = nets["region"].map(nuts.region_table(2021, data_dir=b.data_dir)["name_latn"]).fillna(nets["region"])
    b.write("networks", nets)


def _step_measures(b: _Build) -> None:
    from smartspec.store._measures import compute_tables, measures_for

    panel = b.panel
    b.year = panel.default_year()
    years_before = [y for y in panel.years if y <= b.year - 5] or [panel.years[0]]
    b.first_year = years_before[-1]
    res = compute_tables(panel, b.year, b.first_year, pair=measures_for(b, b.year, b.first_year))
    b.computed.update(res)
    acts = res["activities"].copy()
    acts["ecosystems"] = [_to_text(b.profile.ecosystems_of(a)) for a in acts["activity"]] if b.profile else ""
    res["activities"] = acts
    b.computed["activities"] = acts
    for name in ("regions", "activities", "rca", "proximity"):
        b.write(name, res[name])


def _step_geo(b: _Build) -> None:
    from smartspec.data import nuts

    gj = nuts.boundaries(2, simplify=0.02, data_dir=b.data_dir)
    have = set(b.panel.regions)
    feats = []
    for f in gj["features"]:
        code, props = f["id"], f["properties"]
        feats.append({"type": "Feature", "id": code,
                      "properties": {"NUTS_ID": code, "name": props["NAME_LATN"] or props["NUTS_NAME"] or code,
                                     "has_data": code in have},
                      "geometry": _round_geometry(f["geometry"], 3)})
    text = json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))
    (b.out / "nuts2.geojson").write_text(text)
    b.tables["nuts2.geojson"] = len(feats)
    # names in every language the NUTS table has, for the region search
    names = pd.concat([nuts.region_names(have, b.data_dir),
                       pd.DataFrame({"code": [f["id"] for f in feats],
                                     "name": [f["properties"]["name"] for f in feats]})], ignore_index=True)
    names = names.rename(columns={"code": "region"})
    b.write("region_names", names[names["region"].isin(have)].drop_duplicates())
    # display names in Latin script (GISCO NAME_LATN), so every page reads in one alphabet
    if "regions" in b.computed:
        latn = nuts.region_table(2021, data_dir=b.data_dir)["name_latn"].dropna()
        latn = latn[latn.astype(str).str.len() > 0]
        regs = b.computed["regions"]
        regs["name"] = regs["region"].map(latn).fillna(regs["name"])
        b.write("regions", regs)


def _round_geometry(geom: dict, digits: int) -> dict:
    def rnd(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), digits), round(float(c[1]), digits)]
        return [rnd(x) for x in c]

    return {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}


def _step_layout(b: _Build) -> None:
    import igraph as ig

    prox = b.computed["proximity_matrix"]
    acts = list(prox.index)
    P = prox.to_numpy(copy=True)
    np.fill_diagonal(P, 0.0)
    n = len(acts)
    # backbone: maximum spanning tree plus the strongest links (Hidalgo et al. 2007)
    iu, ju = np.triu_indices(n, 1)
    w = P[iu, ju]
    g_full = ig.Graph(n=n, edges=list(zip(iu.tolist(), ju.tolist())))
    g_full.es["weight"] = (-w).tolist()
    tree = g_full.spanning_tree(weights="weight")
    tree_edges = {tuple(sorted(e.tuple)) for e in tree.es}
    k = max(n, 1)
    strongest = np.argsort(-w)[:k]
    extra = {(int(iu[s]), int(ju[s])) for s in strongest if w[s] > 0}
    edges = sorted(tree_edges | extra)
    g = ig.Graph(n=n, edges=edges)
    g.es["weight"] = [float(P[i, j]) for i, j in edges]
    # Kamada-Kawai on the backbone (seeded) spreads the dense manufacturing core better than
    # Fruchterman-Reingold on this small network; a light Fruchterman-Reingold pass follows.
    layout = g.layout_kamada_kawai(seed=_seed_layout(n), maxiter=50 * n)
    layout = g.layout_fruchterman_reingold(seed=layout.coords, niter=60, start_temp=0.05)
    xy = np.asarray(layout.coords, dtype=float)
    xy = (xy - xy.mean(axis=0)) / (np.abs(xy).max() or 1.0)
    b.write("layout", pd.DataFrame({"activity": acts, "x": xy[:, 0], "y": xy[:, 1],
                                    "degree": g.degree()}))
    b.write("edges", pd.DataFrame({"source": [acts[i] for i, _ in edges], "target": [acts[j] for _, j in edges],
                                   "proximity": [float(P[i, j]) for i, j in edges],
                                   "backbone": [e in tree_edges for e in edges]}))


def _seed_layout(n: int) -> list[list[float]]:
    rng = np.random.default_rng(42)
    return rng.uniform(-1, 1, size=(n, 2)).tolist()


def _step_organisations(b: _Build) -> None:
    from smartspec.match.lens import ri_table
    from smartspec.match.registry import load_registry

    reg = load_registry(b.data_dir)
    b.write("organisations", reg.organisations)
    b.write("org_participations", reg.participations)
    b.write("ri_lens", ri_table(reg))
