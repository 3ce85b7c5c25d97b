"""NUTS regions: codes, names and levels per version, recoding between versions, boundaries, lookup.

Sources (in the data directory, see :func:`smartspec.config.resolve_data_dir`):

* ``nuts_codes/regionsR_all_valid_nuts_codes.csv`` -- every valid code per NUTS version;
* ``nuts_codes/regionsR_nuts_changes.csv`` -- one row per region tracked across the versions
  1999, 2003, 2006, 2010, 2013, 2016 and 2021 with its code and name in each, and the change
  (``code change``, ``merged``, ``split``, ``boundary shift``...); a code written ``DE40 (part)``
  means the region became part of (or was carved out of) ``DE40``;
* ``nuts_boundaries/NUTS_RG_03M_2021_4326_LEVL_{0,1,2,3}.geojson.gz`` -- GISCO boundaries
  (NUTS 2021, 1:3 million, WGS84) with ``NUTS_NAME`` (local name) and ``NAME_LATN`` (Latin script).

Recoding
--------
:func:`recode_panel` follows the code-change table version by version (``1999 -> 2003 -> ... ->
2021``). Each source code then reaches a set of target codes:

* one target reached by this code only: **relabelled** (``ITD5 -> ITH5``) or unchanged;
* one target reached by several codes of the same version: **merged**, values summed
  (``DE41 + DE42 -> DE40``); if any part is missing or confidential the sum is missing;
* several targets: **split** (``HU10 -> HU11, HU12``): a value cannot be divided, so the rows
  are dropped (default) or kept under the old code (``splits="keep"``) and listed either way;
* no target: **unknown** (not a NUTS code of any version, or discontinued without successor).

A few boundary shifts the table records without linking the codes (e.g. ``FR91 -> FRA1``
Guadeloupe, ``SI01 -> SI03``) are added from Eurostat's correspondence notes
(:data:`EXTRA_LINKS`). With ``source_version="auto"`` each code is read in the newest version it
is valid in, so a file that mixes versions across years (the SBS table has ITD/ITE before
ITH/ITI, FR91-94 before FRA1-4, DE41+DE42 before DE40) ends up with one row per target code.
When one year holds both an old and a newer code for the same target (overlap), the newer is
kept and the overlap reported. Everything is in ``panel.report["nuts_recoding"]``.
"""
from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.data.names import german_variant, normalise_name
from smartspec.data.panel import Panel
from smartspec.errors import DataNotFoundError, InputError, UnknownNameError

VERSIONS = (1999, 2003, 2006, 2010, 2013, 2016, 2021)
VALID_FILE = Path("nuts_codes") / "regionsR_all_valid_nuts_codes.csv"
CHANGES_FILE = Path("nuts_codes") / "regionsR_nuts_changes.csv"
BOUNDARY_FILE = "nuts_boundaries/NUTS_RG_03M_2021_4326_LEVL_{level}.geojson.gz"

_LEVELS = {"country": 0, "nuts_level_1": 1, "nuts_level_2": 2, "nuts_level_3": 3}

#: Links between versions that the change table records only in words ("boundary shift",
#: "split into new ...") without naming the successor: (version of the old code, old code, new
#: code). A code linked to several new codes is a split. Boundary shifts whose old and new
#: region share a name (FR91 -> FRA1 Guadeloupe, DED1 -> DED4 Chemnitz, SI01 -> SI03) are also
#: linked automatically by name, country and level.
EXTRA_LINKS: list[tuple[int, str, str]] = [
    (2010, "FR91", "FRA1"),  # Guadeloupe lost Saint-Martin / Saint-Barthelemy (boundary shift)
    (2006, "ITD5", "ITH5"),  # Emilia-Romagna: code change with a small boundary shift
    (2006, "ITE3", "ITI3"),  # Marche: code change with a small boundary shift
    (2006, "ITD", "ITH"),
    (2006, "ITE", "ITI"),
    (2010, "SI01", "SI03"),  # Vzhodna Slovenija (boundary shift)
    (2010, "SI02", "SI04"),  # Zahodna Slovenija (boundary shift)
    # splits in NUTS 2016 (Eurostat, NUTS 2013-2016 correspondence)
    (2013, "HU10", "HU11"), (2013, "HU10", "HU12"),
    (2013, "LT00", "LT01"), (2013, "LT00", "LT02"),
    (2013, "PL12", "PL91"), (2013, "PL12", "PL92"),
    (2013, "IE01", "IE04"), (2013, "IE01", "IE06"),
    (2013, "IE02", "IE05"), (2013, "IE02", "IE06"),
    (2013, "UKM3", "UKM8"), (2013, "UKM3", "UKM9"),
    # changes in NUTS 2021
    (2016, "HR04", "HR02"), (2016, "HR04", "HR05"), (2016, "HR04", "HR06"),
    (2016, "NO01", "NO08"),
    (2016, "NO03", "NO08"), (2016, "NO03", "NO09"),
    (2016, "NO04", "NO09"), (2016, "NO04", "NO0A"),
]

#: English (and other) names of major regions where the official names differ.
EXONYMS: dict[str, str] = {
    "Lombardy": "ITC4", "Piedmont": "ITC1", "Aosta Valley": "ITC2", "Liguria": "ITC3",
    "Tuscany": "ITI1", "Umbria": "ITI2", "The Marches": "ITI3", "Latium": "ITI4",
    "Apulia": "ITF4", "Sicily": "ITG1", "Sardinia": "ITG2", "Venetia": "ITH3",
    "Friuli Venezia Giulia": "ITH4", "South Tyrol": "ITH1", "Trentino": "ITH2",
    "Bavaria": "DE2", "Baden-Wuerttemberg": "DE1", "Baden-Wurttemberg": "DE1", "Baden-Württemberg": "DE1",
    "Lower Saxony": "DE9", "North Rhine-Westphalia": "DEA", "Hesse": "DE7", "Saxony": "DED",
    "Saxony-Anhalt": "DEE", "Thuringia": "DEG", "Rhineland-Palatinate": "DEB",
    "Mecklenburg-Western Pomerania": "DE80", "Upper Bavaria": "DE21", "Lower Bavaria": "DE22",
    "Catalonia": "ES51", "Catalunya": "ES51", "Andalusia": "ES61", "Basque Country": "ES21",
    "Valencian Community": "ES52", "Valencia": "ES52", "Navarre": "ES22", "Aragon": "ES24",
    "Castile and Leon": "ES41", "Castile-La Mancha": "ES42", "Balearic Islands": "ES53",
    "Canary Islands": "ES70", "Community of Madrid": "ES30", "Madrid": "ES30",
    "Auvergne-Rhone-Alpes": "FRK", "Auvergne-Rhône-Alpes": "FRK", "Brittany": "FRH", "Normandy": "FRD",
    "Burgundy": "FRC1", "Corsica": "FRM0", "Paris Region": "FR1", "Ile-de-France": "FR1",
    "Flanders": "BE2", "Flemish Region": "BE2", "Wallonia": "BE3", "Brussels": "BE1",
    "Lower Austria": "AT12", "Upper Austria": "AT31", "Styria": "AT22", "Carinthia": "AT21",
    "Tyrol": "AT33", "Vienna": "AT13", "Greater Poland": "PL41", "Lesser Poland": "PL21",
    "Silesia": "PL22", "Lower Silesia": "PL51", "Warsaw": "PL91", "Prague": "CZ01",
    "Bohemia": "CZ0", "Moravia-Silesia": "CZ08", "Attica": "EL30", "Crete": "EL43",
    "Central Macedonia": "EL52", "Scotland": "UKM", "Wales": "UKL", "Northern Ireland": "UKN",
    "Greater London": "UKI", "London": "UKI", "Budapest": "HU11", "Bucharest": "RO32",
    "Lisbon": "PT17", "North Holland": "NL32", "South Holland": "NL33", "North Brabant": "NL41",
    "Zealand": "DK02", "Capital Region of Denmark": "DK01", "Stockholm": "SE11",
    "Helsinki-Uusimaa": "FI1B", "Italy": "IT", "Germany": "DE", "France": "FR", "Spain": "ES",
    "Austria": "AT", "Belgium": "BE", "Netherlands": "NL", "Poland": "PL", "Czechia": "CZ",
    "Czech Republic": "CZ", "Greece": "EL", "Portugal": "PT", "Sweden": "SE", "Finland": "FI",
    "Denmark": "DK", "Ireland": "IE", "Hungary": "HU", "Romania": "RO", "Bulgaria": "BG",
    "Croatia": "HR", "Slovenia": "SI", "Slovakia": "SK", "Lithuania": "LT", "Latvia": "LV",
    "Estonia": "EE", "Luxembourg": "LU", "Malta": "MT", "Cyprus": "CY", "Norway": "NO",
    "Switzerland": "CH", "United Kingdom": "UK",
}


def _dir(data_dir) -> Path:
    return resolve_data_dir(data_dir)


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataNotFoundError(f"the NUTS file {path.name} is missing", where=str(path),
                                fix="pass --data-dir (or set SMARTSPEC_DATA) to a directory laid out like ../shared/data")
    return path


def _cached(name: str, files: list[Path], build):
    """Frame from the content-keyed cache when :mod:`smartspec.data.cache` is available."""
    try:
        from smartspec.data.cache import cached_frame
    except ImportError:  # pragma: no cover - the cache module ships with the package
        return build()
    return cached_frame(name, files, build)


# --------------------------------------------------------------------------- raw tables
@functools.lru_cache(maxsize=8)
def _changes(data_dir: Path) -> pd.DataFrame:
    path = _require(data_dir / CHANGES_FILE)
    return _cached("nuts-changes", [path], lambda: pd.read_csv(path, dtype=str, keep_default_na=False))


@functools.lru_cache(maxsize=8)
def _valid(data_dir: Path) -> pd.DataFrame:
    """Long table (version, code, level) of every valid code, from both NUTS tables."""
    path = _require(data_dir / VALID_FILE)

    def build() -> pd.DataFrame:
        v = pd.read_csv(path, dtype=str, keep_default_na=False)
        out = pd.DataFrame({"version": v["nuts"].str[5:].astype(int), "code": v["geo"].str.strip(),
                            "level": v["typology"].map(_LEVELS)})
        ch = _changes(data_dir)
        extra = []
        for ver in VERSIONS:  # codes of the change table (e.g. Norway) missing from the list
            codes = ch[f"code_{ver}"].str.strip()
            keep = (codes != "") & ~codes.str.contains(r"\(", regex=True)
            extra.append(pd.DataFrame({"version": ver, "code": codes[keep],
                                       "level": ch.loc[keep, "typology"].map(_LEVELS)}))
        out = pd.concat([out, *extra], ignore_index=True).dropna(subset=["level"])
        out["level"] = out["level"].astype(int)
        return out.drop_duplicates(["version", "code"], ignore_index=True)

    return _cached("nuts-valid", [path, _require(data_dir / CHANGES_FILE)], build)


def region_table(version: int = 2021, data_dir=None) -> pd.DataFrame:
    """Codes of one NUTS version with ``name``, ``level``, ``country``, ``name_latn`` and ``name_en``.

    ``name`` is the official (national-language) name of that version; for 2021 ``name_latn``
    comes from the GISCO boundaries (Latin script) and ``name_en`` from :data:`EXONYMS`.
    """
    return _region_table(int(_check_version(version)), _dir(data_dir)).copy()


def _check_version(version) -> int:
    try:
        v = int(version)
    except (TypeError, ValueError):
        v = -1
    if v not in VERSIONS:
        raise UnknownNameError("NUTS version", str(version), [str(x) for x in VERSIONS])
    return v


@functools.lru_cache(maxsize=16)
def _region_table(version: int, data_dir: Path) -> pd.DataFrame:
    valid = _valid(data_dir)
    v = valid[valid["version"] == version].drop_duplicates("code").set_index("code")
    ch = _changes(data_dir)
    names = pd.Series(dtype=str)
    # the name of the code in this version, else the name of the same code in the nearest version
    order = [version] + sorted((x for x in VERSIONS if x != version and x != 1999), key=lambda x: abs(x - version))
    for ver in order:
        if ver == 1999:
            continue
        codes, nm = ch[f"code_{ver}"].str.strip(), ch[f"geo_name_{ver}"].str.strip()
        ok = (codes != "") & (nm != "") & ~codes.str.contains(r"\(", regex=True)
        s = pd.Series(nm[ok].to_numpy(), index=codes[ok].to_numpy())
        s = s[~s.index.duplicated()]
        names = names.combine_first(s) if len(names) else s
    out = pd.DataFrame(index=pd.Index(sorted(v.index), name="code"))
    out["name"] = names.reindex(out.index)
    out["level"] = v["level"].reindex(out.index).astype(int)
    out["country"] = out.index.str[:2]
    out["name_latn"] = pd.Series(dtype=object)
    if version == 2021:
        latn = _gisco_names(data_dir)
        out["name_latn"] = latn["name_latn"].reindex(out.index)
        out["name"] = latn["name"].reindex(out.index).fillna(out["name"])
    out["name"] = out["name"].fillna(pd.Series(out.index, index=out.index))
    en = {}
    for exo, code in EXONYMS.items():
        en.setdefault(code, exo)
    out["name_en"] = pd.Series(en).reindex(out.index)
    return out


@functools.lru_cache(maxsize=4)
def _gisco_names(data_dir: Path) -> pd.DataFrame:
    files = [data_dir / BOUNDARY_FILE.format(level=lv) for lv in range(4)]
    files = [f for f in files if f.exists()]

    def build() -> pd.DataFrame:
        rows = []
        for f in files:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                for feat in json.load(fh)["features"]:
                    p = feat["properties"]
                    rows.append((p["NUTS_ID"], p.get("NUTS_NAME"), p.get("NAME_LATN")))
        return pd.DataFrame(rows, columns=["code", "name", "name_latn"])

    if not files:
        return pd.DataFrame(columns=["name", "name_latn"])
    return _cached("nuts-gisco-names", files, build).drop_duplicates("code").set_index("code")


# --------------------------------------------------------------------------- recoding
@functools.lru_cache(maxsize=16)
def _links(data_dir: Path) -> dict[int, pd.DataFrame]:
    """For each version v < 2021: frame (old, new) of codes of v linked to codes of the next version."""
    ch = _changes(data_dir)
    valid = _valid(data_dir)
    valid_sets = {v: set(g["code"]) for v, g in valid.groupby("version")}
    out = {}
    for a, b in zip(VERSIONS[:-1], VERSIONS[1:]):
        ca = ch[f"code_{a}"].str.replace(r"\s*\(part\)", "", regex=True).str.strip()
        cb = ch[f"code_{b}"].str.replace(r"\s*\(part\)", "", regex=True).str.strip()
        note = ch[f"change_{b}"].str.strip()
        both = (ca != "") & (cb != "")
        edges = pd.DataFrame({"old": ca[both], "new": cb[both], "note": note[both]})
        extra = pd.DataFrame([(o, n, "boundary shift (added)") for v, o, n in EXTRA_LINKS if v == a],
                             columns=["old", "new", "note"])
        edges = pd.concat([edges, extra], ignore_index=True)
        edges = pd.concat([edges, _name_links(data_dir, a, b, edges)], ignore_index=True)
        # a code valid in both versions with no explicit link keeps its code
        linked = set(edges["old"])
        same = sorted((valid_sets.get(a, set()) & valid_sets.get(b, set())) - linked)
        edges = pd.concat([edges, pd.DataFrame({"old": same, "new": same, "note": ""})], ignore_index=True)
        # a link from a code to a code absent in the next version is a stale row: drop
        edges = edges[edges["new"].isin(valid_sets.get(b, set())) | edges["new"].isin(edges["old"])]
        out[a] = edges.drop_duplicates(["old", "new"], ignore_index=True)
    return out


def _name_links(data_dir: Path, a: int, b: int, edges: pd.DataFrame) -> pd.DataFrame:
    """Link codes of version ``a`` that have no successor to codes of ``b`` without predecessor
    when both carry the same name in the same country and level (boundary shifts)."""
    ta, tb = _region_table(a, data_dir), _region_table(b, data_dir)
    old = ta[~ta.index.isin(edges["old"]) & ~ta.index.isin(tb.index)]
    new = tb[~tb.index.isin(edges["new"]) & ~tb.index.isin(ta.index)]
    if not len(old) or not len(new):
        return pd.DataFrame(columns=["old", "new", "note"])
    ko = pd.DataFrame({"old": old.index, "k": [f"{c}|{lv}|{normalise_name(n)}" for c, lv, n in
                                                 zip(old["country"], old["level"], old["name"])]})
    kn = pd.DataFrame({"new": new.index, "k": [f"{c}|{lv}|{normalise_name(n)}" for c, lv, n in
                                                 zip(new["country"], new["level"], new["name"])]})
    m = ko.merge(kn, on="k")
    m = m[~m["k"].duplicated(keep=False)]  # only unambiguous names
    return m.assign(note="boundary shift (same name)")[["old", "new", "note"]]


@functools.lru_cache(maxsize=32)
def correspondence(source_version: int, target_version: int = 2021, data_dir=None) -> pd.DataFrame:
    """Frame (source, target, note) linking the codes of ``source_version`` to ``target_version``.

    A source with several rows is split; a target with several sources is a merge. Sources
    valid in ``source_version`` with no row have no successor.
    """
    data_dir = _dir(data_dir)
    s, t = _check_version(source_version), _check_version(target_version)
    if s > t:
        raise InputError(f"cannot recode backwards from NUTS {s} to NUTS {t}",
                         fix="recode to a newer version (target_version >= source_version)")
    valid = _valid(data_dir)
    src = sorted(set(valid.loc[valid["version"] == s, "code"]))
    cur = pd.DataFrame({"source": src, "target": src, "note": ""})
    links = _links(data_dir)
    for a in VERSIONS:
        if a < s or a >= t:
            continue
        e = links[a].rename(columns={"old": "target", "new": "next", "note": "step"})
        cur = cur.merge(e, on="target", how="inner")
        step = cur["step"].fillna("")
        cur["note"] = np.where((step != "") & (cur["note"] != ""), cur["note"] + "; " + step,
                               np.where(step != "", step, cur["note"]))
        cur = cur.drop(columns=["target", "step"]).rename(columns={"next": "target"})
    cur = cur.drop_duplicates(["source", "target"], ignore_index=True)
    return cur[["source", "target", "note"]]


def _classify(corr: pd.DataFrame) -> pd.DataFrame:
    """Per source code: kind (same, relabelled, merged, split) and its targets."""
    n_targets = corr.groupby("source")["target"].transform("size")
    n_sources = corr.groupby("target")["source"].transform("size")
    kind = np.where(n_targets > 1, "split",
                    np.where(n_sources > 1, "merged",
                             np.where(corr["source"] == corr["target"], "same", "relabelled")))
    return corr.assign(kind=kind)


def recode_panel(panel: Panel, source_version: int | str = 2013, target_version: int = 2021,
                 data_dir=None, *, splits: str = "drop") -> Panel:
    """Recode the region codes of ``panel`` from one NUTS version to another.

    Parameters
    ----------
    panel : Panel
        Regions are NUTS codes (any level; other codes are reported as unknown).
    source_version : int or "auto"
        NUTS version of the codes (1999 ... 2016); ``"auto"`` reads each code in the newest
        version (up to the target) it is valid in, which handles files that mix versions.
        Codes not valid in an explicit ``source_version`` are read as with ``"auto"`` and
        counted in the report (``not_in_source_version``).
    target_version : int
        NUTS version of the result (default 2021).
    splits : {"drop", "keep"}
        Rows of a split region are dropped (listed in the report) or kept under the old code.

    Returns
    -------
    Panel
        One row per target code (plus kept split codes); ``report["nuts_recoding"]`` holds
        ``relabelled``, ``merged``, ``split``, ``unknown`` and ``overlaps`` frames and ``counts``.
    """
    if splits not in ("drop", "keep"):
        raise InputError(f"splits must be 'drop' or 'keep', not {splits!r}")
    data_dir = _dir(data_dir)
    target = _check_version(target_version)
    valid = _valid(data_dir)
    codes = pd.Series(panel.regions.astype(str), index=panel.regions)
    vv = valid[valid["code"].isin(codes) & (valid["version"] <= target)]
    newest = vv.groupby("code")["version"].max()
    not_in_source = []
    if str(source_version) == "auto":
        version_of = newest
    else:
        s = _check_version(source_version)
        in_s = set(vv.loc[vv["version"] == s, "code"])
        version_of = pd.Series({c: (s if c in in_s else newest.get(c)) for c in newest.index}, dtype="Int64")
        not_in_source = sorted(c for c in newest.index if c not in in_s)
        version_of = version_of.dropna().astype(int)

    # source code -> targets, per source version
    parts = []
    for ver, grp in version_of.groupby(version_of):
        corr = correspondence(int(ver), target, data_dir)
        corr = corr[corr["source"].isin(grp.index)]
        parts.append(_classify(corr).assign(source_version=int(ver)))
    cols = ["source", "target", "note", "kind", "source_version"]
    corr = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    # a target that several codes of *different* versions reach is not a merge by itself
    merged_t = corr[corr["kind"] == "merged"]
    mixed = merged_t.groupby("target")["source_version"].nunique()
    for t in mixed[mixed > 1].index:
        sel = (corr["target"] == t) & (corr["kind"] == "merged")
        same_ver = corr[sel].groupby("source_version")["source"].transform("size")
        corr.loc[sel, "kind"] = np.where(same_ver > 1, "merged",
                                         np.where(corr.loc[sel, "source"] == t, "same", "relabelled"))

    # a target that also receives part of a split region of the same version lacks that part:
    # its value would be too small, so it is treated like the split (dropped or kept, listed)
    split_keys = set(zip(corr.loc[corr["kind"] == "split", "target"], corr.loc[corr["kind"] == "split", "source_version"]))
    inc = (corr["kind"] != "split") & pd.Series([k in split_keys for k in zip(corr["target"], corr["source_version"])],
                                                index=corr.index, dtype=bool)
    incomplete = corr[inc].copy()
    if len(incomplete):
        sp_ = corr[corr["kind"] == "split"]
        incomplete["missing_part_of"] = [
            ", ".join(sorted(sp_.loc[(sp_["target"] == t) & (sp_["source_version"] == v), "source"]))
            for t, v in zip(incomplete["target"], incomplete["source_version"])]
    else:
        incomplete["missing_part_of"] = pd.Series(dtype=str)
    corr = corr[~inc]
    # recount merges without the removed rows
    n_src = corr[corr["kind"] == "merged"].groupby(["target", "source_version"])["source"].transform("size")
    lone = n_src[n_src == 1].index
    corr.loc[lone, "kind"] = np.where(corr.loc[lone, "source"] == corr.loc[lone, "target"], "same", "relabelled")

    tidy = panel.to_frame(include_missing=True)
    tidy["region"] = tidy["region"].astype(str)
    is_incomplete = tidy["region"].isin(set(incomplete["source"]))
    if splits == "keep":
        corr = pd.concat([corr, incomplete.assign(target=incomplete["source"], kind="same")[corr.columns]],
                         ignore_index=True)
    single = corr[corr["kind"] != "split"].set_index("source")
    is_split = tidy["region"].isin(set(corr.loc[corr["kind"] == "split", "source"]))
    tidy["target"] = tidy["region"].map(single["target"])
    tidy["rank"] = tidy["region"].map(single["source_version"])
    if splits == "keep":
        tidy.loc[is_split, "target"] = tidy.loc[is_split, "region"]
        tidy.loc[is_split, "rank"] = -1
    unknown_mask = tidy["target"].isna() & ~is_split & ~is_incomplete
    dropped_incomplete = tidy["target"].isna() & is_incomplete
    dropped_split = tidy["target"].isna() & is_split

    def _summary(df: pd.DataFrame) -> pd.DataFrame:
        return (df.groupby("region").agg(cells=("value", "size"), value=("value", "sum"),
                                         years=("year", lambda y: ",".join(map(str, sorted(set(y))))))
                .reset_index().rename(columns={"region": "code"}))

    unknown = _summary(tidy[unknown_mask])
    split_codes = corr[corr["kind"] == "split"]
    split = (split_codes.groupby(["source", "source_version"])["target"].agg(lambda t: ", ".join(sorted(t)))
             .reset_index().rename(columns={"source": "code", "target": "targets"}))
    split_sum = _summary(tidy[is_split])
    split = split.merge(split_sum, on="code", how="left")
    split["action"] = "kept under old code" if splits == "keep" else "dropped"
    incomplete = incomplete[["source", "source_version", "target", "missing_part_of"]].rename(
        columns={"source": "code"}).merge(_summary(tidy[is_incomplete]), on="code", how="left")
    incomplete["action"] = "kept under old code" if splits == "keep" else "dropped"

    work = tidy[tidy["target"].notna()].copy()
    # overlaps: in one year a target fed by codes of different versions. Codes with no observed
    # value that year give way to codes with values; among codes with values the newest wins.
    work["obs"] = work["value"].notna()
    work["present"] = work.groupby(["year", "region"])["obs"].transform("any")
    best_present = work["rank"].where(work["present"]).groupby([work["year"], work["target"]]).transform("max")
    best_any = work.groupby(["year", "target"])["rank"].transform("max")
    best = best_present.fillna(best_any)
    overlap = work["rank"] != best
    dropped = work[overlap & work["present"]]
    overlaps = (dropped.groupby(["year", "target", "region"]).agg(cells=("value", "size"),
                                                                   value=("value", "sum")).reset_index()
                .rename(columns={"region": "dropped_code"}))
    superseded_empty = int((overlap & ~work["present"]).sum())
    work = work[~overlap]

    # merges: sum; any missing part makes the sum missing
    work["isna"] = work["value"].isna()
    agg = work.groupby(["year", "target", "activity"], sort=False).agg(
        value=("value", "sum"), n_missing=("isna", "sum"), n=("value", "size"))
    agg.loc[agg["n_missing"] > 0, "value"] = np.nan
    agg = agg.reset_index()

    used = work.groupby("region").agg(years=("year", lambda y: ",".join(map(str, sorted(set(y))))),
                                      cells=("value", "size"))
    rel = corr[(corr["kind"] == "relabelled") & corr["source"].isin(used.index)]
    relabelled = rel[["source", "source_version", "target", "note"]].merge(
        used, left_on="source", right_index=True).reset_index(drop=True)
    mg = corr[(corr["kind"] == "merged") & corr["source"].isin(used.index)]
    merged = (mg.groupby(["target", "source_version"])
              .agg(sources=("source", lambda s: " + ".join(sorted(s))), note=("note", "first"))
              .reset_index())
    merged = merged.merge(
        work[work["region"].isin(mg["source"])].groupby("target")["year"]
        .agg(lambda y: ",".join(map(str, sorted(set(y))))).rename("years"), left_on="target", right_index=True,
        how="left")
    partial_missing = int(((agg["n_missing"] > 0) & (agg["n_missing"] < agg["n"])).sum())

    targets = sorted(agg["target"].unique())
    report = {
        "source_version": str(source_version), "target_version": target,
        "relabelled": relabelled, "merged": merged, "split": split, "incomplete": incomplete, "unknown": unknown, "overlaps": overlaps,
        "counts": {
            "source_regions": int(len(panel.regions)), "target_regions": len(targets),
            "unchanged": int(((corr["kind"] == "same") & corr["source"].isin(used.index)).sum()),
            "relabelled": int(len(relabelled)), "merged_groups": int(len(merged)),
            "merged_sources": int(mg["source"].nunique()), "split": int(len(split)),
            "split_cells_dropped": int(dropped_split.sum()),
            "incomplete": int(len(incomplete)), "incomplete_cells_dropped": int(dropped_incomplete.sum()), "unknown": int(len(unknown)),
            "unknown_cells_dropped": int(unknown_mask.sum()), "overlap_cells_dropped": int(len(dropped)),
            "empty_cells_of_superseded_codes": superseded_empty,
            "merged_cells_missing_because_a_part_is_missing": partial_missing,
            "not_in_source_version": len(not_in_source),
        },
    }
    if not_in_source:
        report["not_in_source_version"] = not_in_source
    table = _region_table(target, data_dir)
    meta = pd.DataFrame(index=pd.Index(targets, name="region"))
    for col in ("name", "level", "country"):
        meta[col] = table[col].reindex(meta.index)
    meta["level"] = meta["level"].fillna(pd.Series([len(c) - 2 for c in targets], index=meta.index)).astype(int)
    meta["country"] = meta["country"].fillna(pd.Series([c[:2] for c in targets], index=meta.index))
    if splits == "keep":
        meta["nuts_note"] = ""
        for frame, why in ((split, "split"), (incomplete, "lacks part of a split region")):
            if len(frame):
                codes_ = frame["code"].to_numpy()
                old = _region_table(int(frame["source_version"].iloc[0]), data_dir)["name"]
                meta.loc[codes_, "name"] = [old.get(c, c) for c in codes_]
                meta.loc[codes_, "nuts_note"] = f"{why} in NUTS {target}; kept under the old code"
    agg_years = sorted(panel.years)
    out = Panel.from_frame(
        agg.rename(columns={"target": "region"}), years=agg_years, regions=targets,
        activities=list(panel.activities), source_name=panel.name or "panel",
        region_meta=meta, activity_meta=panel.activity_meta, name=panel.name, value_name=panel.value_name,
        source=panel.source, report={**panel.report, "nuts_recoding": report},
    )
    return out


# --------------------------------------------------------------------------- boundaries
def boundaries(level: int, data_dir=None, simplify: float | None = None, precision: int | None = None) -> dict:
    """NUTS 2021 boundaries of ``level`` (0-3) as a GeoJSON FeatureCollection (a dict).

    Parameters
    ----------
    simplify : float, optional
        Douglas-Peucker tolerance in degrees (e.g. ``0.01``, about 1 km): drops points closer
        than that to the simplified line. Rings keep at least four points.
    precision : int, optional
        Decimals kept in coordinates (default 4 when simplifying, else unchanged).

    Each feature keeps ``NUTS_ID``, ``NUTS_NAME``, ``NAME_LATN``, ``CNTR_CODE``, ``LEVL_CODE``.
    """
    if level not in (0, 1, 2, 3):
        raise InputError(f"NUTS level must be 0, 1, 2 or 3, not {level!r}", fix="use --level 2 for NUTS 2 regions")
    if precision is None and simplify:
        precision = 4
    data = _boundaries(_dir(data_dir), int(level), simplify, precision)
    return json.loads(data)


@functools.lru_cache(maxsize=16)
def _boundaries(data_dir: Path, level: int, simplify: float | None, precision: int | None) -> str:
    path = _require(data_dir / BOUNDARY_FILE.format(level=level))
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the boundaries: {exc}", where=str(path), fix="restore the file") from exc
    keep = ("NUTS_ID", "NUTS_NAME", "NAME_LATN", "CNTR_CODE", "LEVL_CODE")
    feats = []
    for f in raw["features"]:
        geom = f["geometry"]
        if simplify or precision is not None:
            geom = _simplify_geometry(geom, simplify or 0.0, precision)
        feats.append({"type": "Feature", "id": f["properties"]["NUTS_ID"],
                      "properties": {k: f["properties"].get(k) for k in keep}, "geometry": geom})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))


def neighbours(level: int, data_dir=None) -> pd.DataFrame:
    """Pairs of NUTS 2021 regions of ``level`` that share a border, each pair in both orders.

    Two regions are neighbours when their boundary polygons (Eurostat GISCO, 1:3 million, see
    :func:`boundaries`) share at least two vertices: GISCO boundaries are topologically
    consistent, so a shared border has shared vertices, while regions meeting at one point
    share one. Cached by the content of the boundary file.

    Returns
    -------
    DataFrame
        Columns ``a`` and ``b`` (region codes).
    """
    if level not in (0, 1, 2, 3):
        raise InputError(f"NUTS level must be 0, 1, 2 or 3, not {level!r}", fix="use level 2 for NUTS 2 regions")
    return _neighbours(_dir(data_dir), int(level)).copy()


@functools.lru_cache(maxsize=4)
def _neighbours(data_dir: Path, level: int) -> pd.DataFrame:
    path = _require(data_dir / BOUNDARY_FILE.format(level=level))
    return _cached(f"nuts-neighbours-{level}", [path],
                   lambda: _shared_borders(json.loads(_boundaries(data_dir, level, None, None))))


def _shared_borders(geo: dict) -> pd.DataFrame:
    ids, pts = [], []
    for f in geo["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        xy = np.concatenate([np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly])
        ids.append(np.full(len(xy), f["id"], dtype=object))
        pts.append(xy)
    xy = np.round(np.concatenate(pts), 5)
    v = pd.DataFrame({"id": np.concatenate(ids), "x": xy[:, 0], "y": xy[:, 1]}).drop_duplicates()
    m = v.merge(v, on=["x", "y"])
    m = m[m["id_x"] != m["id_y"]]
    shared = m.groupby(["id_x", "id_y"]).size()
    shared = shared[shared >= 2].reset_index()
    return pd.DataFrame({"a": shared["id_x"].astype(str), "b": shared["id_y"].astype(str)})


def _simplify_geometry(geom: dict, tol: float, precision: int | None) -> dict:
    def ring(coords):
        pts = np.asarray(coords, dtype=float)
        if tol > 0 and len(pts) > 4:
            keep = _douglas_peucker(pts, tol)
            if keep.sum() < 4:
                keep[np.linspace(0, len(pts) - 1, 4).astype(int)] = True
            pts = pts[keep]
        if precision is not None:
            pts = np.round(pts, precision)
            # drop consecutive duplicates made by rounding (keep closure)
            d = np.any(np.diff(pts, axis=0) != 0, axis=1)
            pts = pts[np.concatenate([[True], d])]
            if len(pts) < 4 or not np.array_equal(pts[0], pts[-1]):
                pts = np.vstack([pts, pts[:1]]) if len(pts) >= 3 else np.asarray(np.round(coords, precision))
        return pts.tolist()

    t = geom["type"]
    if t == "Polygon":
        return {"type": t, "coordinates": [ring(r) for r in geom["coordinates"]]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[ring(r) for r in poly] for poly in geom["coordinates"]]}
    return geom


def _douglas_peucker(pts: np.ndarray, tol: float) -> np.ndarray:
    """Boolean mask of the points Douglas-Peucker keeps (iterative, vectorised distances)."""
    n = len(pts)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = pts[i], pts[j]
        seg = pts[i + 1:j]
        ab = b - a
        norm = np.hypot(*ab)
        if norm == 0:
            d = np.hypot(*(seg - a).T)
        else:
            d = np.abs(ab[0] * (seg[:, 1] - a[1]) - ab[1] * (seg[:, 0] - a[0])) / norm
        k = int(np.argmax(d))
        if d[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return keep


# --------------------------------------------------------------------------- lookup
@functools.lru_cache(maxsize=4)
def _name_index(data_dir: Path) -> pd.DataFrame:
    """(key, code, level, rank, name) for every name of every code; rank orders preferences."""
    parts = []
    for rank, ver in enumerate((2021, 2016, 2013, 2010, 2006, 2003)):
        t = _region_table(ver, data_dir)
        for col in ("name", "name_latn"):
            s = t[col].dropna()
            names = pd.DataFrame({"code": s.index, "name": s.to_numpy(), "level": t.loc[s.index, "level"].to_numpy()})
            # "Bruxelles / Brussel": each part is a name too
            names["part"] = names["name"].str.split(r"\s*/\s*")
            names = names.explode("part")
            names = pd.concat([names, names.assign(part=names["name"])]).drop_duplicates(["code", "part"])
            parts.append(names.assign(key=names["part"].map(normalise_name), rank=rank))
            parts.append(names.assign(key=names["part"].map(german_variant), rank=rank))
    exo = pd.DataFrame({"code": list(EXONYMS.values()), "name": list(EXONYMS)})
    parts.append(exo.assign(key=exo["name"].map(normalise_name), level=exo["code"].str.len() - 2, rank=-1))
    df = pd.concat(parts, ignore_index=True)[["key", "code", "level", "rank", "name"]]
    df = df.sort_values("rank", kind="stable")
    return df[df["key"] != ""].drop_duplicates(["key", "code"])


def region_names(codes, data_dir=None) -> pd.DataFrame:
    """Every name the NUTS 2021 table and the English exonyms give the regions ``codes``.

    Returns
    -------
    DataFrame
        ``code`` and ``name``, one row per distinct name: national (``Bayern``), Latin script,
        English (``Bavaria``). Codes that are not NUTS 2021 codes have no rows.
    """
    codes = pd.Index([str(c) for c in codes])
    table = region_table(2021, data_dir)
    table = table[table.index.isin(codes)]
    names = table[["name", "name_latn", "name_en"]].reset_index(names="code").melt(id_vars="code", value_name="_name")
    names = names.rename(columns={"_name": "name"})[["code", "name"]]
    exonyms = pd.DataFrame({"code": list(EXONYMS.values()), "name": list(EXONYMS)})
    names = pd.concat([names, exonyms[exonyms["code"].isin(codes)]], ignore_index=True).dropna()
    return names[names["name"].astype(str).str.len() > 0].drop_duplicates().reset_index(drop=True)


def lookup_region(query: str, data_dir=None, level: int | None = None) -> str:
    """The NUTS code of a region given by code (``ITC4``) or name in any language the data has
    (``Lombardia``, ``Lombardy``, ``Baden-Wuerttemberg``; accents and case ignored).

    Names shared by several levels (``Berlin``) resolve to NUTS 2 first, then 1, 3, 0, unless
    ``level`` is given. Unknown names raise :class:`~smartspec.errors.UnknownNameError` listing
    the closest names.
    """
    data_dir = _dir(data_dir)
    q = str(query).strip()
    valid = _valid(data_dir)
    code = q.upper()
    codes = valid[valid["code"] == code]
    if len(codes) and (level is None or int(codes["level"].iloc[0]) == level):
        return code
    idx = _name_index(data_dir)
    if level is not None:
        idx = idx[idx["level"] == level]
    hits = idx[idx["key"] == normalise_name(q)]
    if not len(hits):
        hits = idx[idx["key"] == german_variant(q)]
    if len(hits):
        pref = {2: 0, 1: 1, 3: 2, 0: 3}
        hits = hits.assign(p=hits["level"].map(pref), r=hits["rank"]).sort_values(["r", "p"])
        # exonyms (rank -1) first, then newest version, then preferred level
        hits = hits.sort_values(["p", "r"]) if (hits["r"] >= 0).all() else hits
        return str(hits["code"].iloc[0])
    names = sorted(set(idx.loc[idx["rank"] <= 0, "name"]))
    raise UnknownNameError("region", q, names + sorted(set(idx["code"])), where="NUTS lookup")
