"""Named datasets: panels built from the files of the data directory.

=================  ==========================================================================
name               what it is
=================  ==========================================================================
eurostat-sbs       persons employed (SBS V16110), NUTS 2 regions x NACE Rev.2 divisions,
                   recoded to NUTS 2021 (bundled file: 2008-2015)
eurostat-lfs       employment (LFS, thousands, ages 15-64), NUTS 2 regions x coarse NACE
                   aggregates (bundled file: 2008-2015)
trade-1998-2000    exports (USD, average 1998-2000, labelled year 2000), countries x SITC rev.2
                   4-digit products
patents-wipo35     patent families by inventor country x 35 WIPO technology fields x year
=================  ==========================================================================

Which file a dataset reads is decided in one place, :func:`dataset_file`: for the Eurostat
datasets (and :func:`gdp_per_head`) a table downloaded by ``smartspec data update`` wins over the
bundled file. The chosen file is recorded in ``panel.source`` and ``panel.report["data_file"]``.

A dataset can declare how its entry forecasts are backtested (:data:`BACKTESTS`, the
``backtest`` field of :class:`Dataset`; used by :mod:`smartspec.strategy.forecast.backtest`).

Each is parsed once and then read from the content-keyed cache (:mod:`smartspec.data.cache`),
so a new download (new bytes) is parsed afresh.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.data.cache import cached_panel
from smartspec.data.eurostat import read_eurostat
from smartspec.data.labels import nace_labels, wipo_code_for, wipo_labels
from smartspec.data.panel import Panel, default_region_meta
from smartspec.data.update import download_folders, download_record, table_file
from smartspec.errors import DataNotFoundError, UnknownNameError


@dataclass(frozen=True)
class BacktestDesign:
    """How a dataset's entry forecasts are backtested out of time (built by
    :func:`smartspec.strategy.forecast.backtest.design_setup`).

    Years left as None follow from the panel's years: the test is the last transition, the
    validation the one before it.
    """

    #: An entry must last: RCA >= 1 at the end of a 2-3 year horizon and the year before it.
    persistence: bool
    test: tuple[int, int] | None = None
    validation: tuple[int, int] | None = None
    #: The earliest start year of a training transition.
    train_from: int | None = None
    #: Years summed per period (windows named by their first year, from ``first_year`` to
    #: ``last_year``); a region with less than ``min_per_window`` in a window is left out of it.
    window: int = 1
    first_year: int | None = None
    last_year: int | None = None
    min_per_window: float = 0.0


#: The datasets' backtest designs (docs/backtest.md gives the reasons).
BACKTESTS = {
    # 2015 is 46% filled: the last complete transition is 2011 -> 2014; validation 2009 -> 2011,
    # trained on 2008 -> 2010 (the only earlier transition).
    "eurostat-sbs": BacktestDesign(persistence=True, test=(2011, 2014), validation=(2009, 2011)),
    # 5-year windows 1975-79 ... 2015-19 (2020 is incomplete); countries with fewer than 500
    # patents in a window (100 a year) are noise there; training starts from 1980-84.
    "patents-wipo35": BacktestDesign(persistence=False, train_from=1980, window=5, first_year=1975, last_year=2019,
                                     min_per_window=500.0),
}


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    files: tuple[str, ...]  # the bundled files, relative to the data directory
    source: str
    licence: str
    build: Callable[[Path, Path], Panel]  # (data directory, file read) -> panel
    table: str | None = None  # the Eurostat table `smartspec data update` can download instead
    #: How its entry forecasts are backtested (None: no backtest, e.g. a single year).
    backtest: BacktestDesign | None = None


@dataclass(frozen=True)
class DataFile:
    """The file a dataset reads, as chosen by :func:`dataset_file`."""

    name: str  # dataset (or "gdp_per_head")
    path: Path
    kind: str  # "bundled" or "updated" (downloaded by `smartspec data update`)
    table: str | None  # Eurostat table code, when `data update` can refresh it
    modified: str  # the file's modification date, YYYY-MM-DD
    released: str | None = None  # a download's date of the table on the server (Last-Modified)

    @property
    def label(self) -> str:
        """``"bundled 2017-05-02"`` / ``"updated 2026-11-30 (Eurostat's table of 2025-10-14)"``."""
        return f"{self.kind} {self.modified}" + (f" (Eurostat's table of {self.released})" if self.released else "")

    def as_dict(self) -> dict:
        return {"path": str(self.path), "kind": self.kind, "table": self.table, "modified": self.modified,
                "released": self.released, "label": self.label}


def _only(df: pd.DataFrame, **wanted: str) -> pd.DataFrame:
    """Keep the rows where each named dimension has the wanted code, for the dimensions the file
    has (tables downloaded from today's API add ``freq`` and, for the LFS, ``sex``, which the
    bundled files were already filtered on)."""
    for col, code in wanted.items():
        if col in df.columns:
            df = df[df[col] == code]
    return df


def _sbs(data_dir: Path, path: Path) -> Panel:
    raw = _only(read_eurostat(path), freq="A")
    df = raw[(raw["indic_sb"] == "V16110") & raw["year"].notna()]
    report = {"source_rows": int(len(df))}
    levels = df["geo"].str.len() - 2
    div = df["nace_r2"].map(nace_labels()["level"]) == "division"
    keep = (levels == 2) & div & ~df["geo"].str.endswith("ZZ")
    report["rows_not_nuts2_division"] = int((~keep).sum())
    df = df[keep]
    report["confidential_cells"] = int(df["flag"].str.contains("c").sum())
    report["missing_cells"] = int(df["value"].isna().sum())
    panel = Panel.from_frame(
        df.rename(columns={"geo": "region", "nace_r2": "activity"}),
        source_name=str(path), name="eurostat-sbs", value_name="persons employed",
        source=DATASETS_INFO["eurostat-sbs"][1], report=report,
    )
    panel = _recode_nuts(panel, data_dir)
    panel.activity_meta = nace_labels().reindex(panel.activities).rename_axis("activity")
    return panel


def _recode_nuts(panel: Panel, data_dir: Path) -> Panel:
    """Recode the mixed-vintage SBS region codes to NUTS 2021 and attach region names."""
    from smartspec.data import nuts

    panel = nuts.recode_panel(panel, source_version="auto", target_version=2021, data_dir=data_dir)
    names = nuts.region_table(2021, data_dir=data_dir)
    meta = default_region_meta(panel.regions)
    meta["name"] = names["name"].reindex(panel.regions).fillna(meta["name"]).to_numpy()
    panel.region_meta = meta
    return panel


def _lfs(data_dir: Path, path: Path) -> Panel:
    raw = _only(read_eurostat(path), freq="A", sex="T")
    df = raw[(raw["age"] == "Y15-64") & (raw["unit"] == "THS") & raw["year"].notna()]
    report = {"source_rows": int(len(df))}
    keep = (df["geo"].str.len() == 4) & ~df["nace_r2"].isin(["TOTAL", "NRP"]) & ~df["geo"].str.endswith("ZZ")
    report["rows_not_nuts2_or_totals"] = int((~keep).sum())
    df = df[keep]
    report["missing_cells"] = int(df["value"].isna().sum())
    panel = Panel.from_frame(
        df.rename(columns={"geo": "region", "nace_r2": "activity"}), source_name=str(path),
        name="eurostat-lfs", value_name="employment (thousands)", source=DATASETS_INFO["eurostat-lfs"][1],
        report=report,
    )
    panel = _recode_nuts(panel, data_dir)
    panel.activity_meta = pd.DataFrame(
        {"name": [LFS_AGGREGATES.get(a, a) for a in panel.activities], "level": "aggregate"},
        index=panel.activities,
    )
    return panel


LFS_AGGREGATES = {
    "A": "Agriculture, forestry and fishing",
    "B-E": "Industry (except construction)",
    "F": "Construction",
    "G-I": "Wholesale and retail trade, transport, accommodation and food services",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M_N": "Professional, scientific, technical, administrative and support services",
    "O-Q": "Public administration, defence, education, human health and social work",
    "R-U": "Arts, entertainment and recreation; other services; households; extra-territorial bodies",
}


def _country_meta(codes: pd.Index, data_dir: Path) -> pd.DataFrame:
    countries = pd.read_csv(data_dir / "atlas_common_data" / "country.csv", dtype=str)
    names = countries.set_index("iso3_code")["name_short_en"]
    return pd.DataFrame(
        {"name": names.reindex(codes).fillna(pd.Series(codes, index=codes)).to_numpy(),
         "level": pd.array([pd.NA] * len(codes), dtype="Int64"), "country": list(codes)},
        index=pd.Index(codes, name="region"),
    )


def _trade(data_dir: Path, path: Path) -> Panel:
    df = pd.read_csv(path, dtype={"country": str, "product": str})
    df["country"] = df["country"].str.upper()
    df["year"] = 2000
    panel = Panel.from_frame(df, region="country", activity="product", value="value", source_name=str(path),
                             name="trade-1998-2000", value_name="exports (USD, 1998-2000 average)",
                             source=DATASETS_INFO["trade-1998-2000"][1], report={"source_rows": int(len(df))})
    panel.region_meta = _country_meta(panel.regions, data_dir)
    panel.activity_meta = pd.DataFrame({"name": [f"SITC {a}" for a in panel.activities], "level": "sitc4"},
                                       index=panel.activities)
    return panel


def _patents(data_dir: Path, path: Path) -> Panel:
    df = pd.read_csv(path, dtype={"country_iso_code": str})
    df["activity"] = wipo_code_for(df["tech"])
    unknown = df["activity"].isna()
    if unknown.any():
        raise UnknownNameError("WIPO field", str(df.loc[unknown, "tech"].iloc[0]), wipo_labels()["name"],
                               where=str(path))
    no_country = df["country_iso_code"].isna() | (df["country_iso_code"].astype(str).str.strip() == "")
    # Rows with no inventor country cannot be placed; they are counted, not silently lost.
    report = {"source_rows": int(len(df)), "rows_without_country": int(no_country.sum()),
              "patents_without_country": float(df.loc[no_country, "count"].sum())}
    df = df[~no_country]
    panel = Panel.from_frame(df, region="country_iso_code", activity="activity", value="count",
                             year="year", source_name=str(path), duplicates="sum", name="patents-wipo35",
                             value_name="patents (inventor country)", source=DATASETS_INFO["patents-wipo35"][1],
                             report=report)
    names = df.drop_duplicates("country_iso_code").set_index("country_iso_code")["country_name"]
    meta = _country_meta(panel.regions, data_dir)
    meta["name"] = names.reindex(panel.regions).fillna(meta["name"]).to_numpy()
    panel.region_meta = meta
    panel.activity_meta = wipo_labels().reindex(panel.activities).rename_axis("activity").assign(level="wipo35")
    return panel


SBS_FILE = "eurostat_regional/ki2017_sbs_r_nuts06_r2.tsv.gz"
LFS_FILE = "eurostat_regional/hack2017_lfst_r_lfe2en2.tsv.gz"
TRADE_FILE = "trade/world_trade_avg_1998_to_2000.csv.gz"
PATENTS_FILE = "patents/patstat_country_tech35_year_inventor.csv.gz"
GDP_FILE = "eurostat_regional/hack2017_nama_10r_2gdp.tsv.gz"

#: What each dataset reads: name -> (bundled file under the data directory, Eurostat table that
#: ``smartspec data update`` downloads in its place, or None). ``gdp_per_head`` is the series of
#: :func:`gdp_per_head`.
FILES: dict[str, tuple[str, str | None]] = {
    "eurostat-sbs": (SBS_FILE, "sbs_r_nuts06_r2"),
    "eurostat-lfs": (LFS_FILE, "lfst_r_lfe2en2"),
    "trade-1998-2000": (TRADE_FILE, None),
    "patents-wipo35": (PATENTS_FILE, None),
    "gdp_per_head": (GDP_FILE, "nama_10r_2gdp"),
}

#: name -> (description, source, licence)
DATASETS_INFO = {
    "eurostat-sbs": ("Persons employed (SBS V16110), NUTS 2 x NACE Rev.2 division, NUTS 2021",
                     "Eurostat sbs_r_nuts06_r2 (vintage 2017)", "Eurostat: reuse with attribution"),
    "eurostat-lfs": ("Employment (LFS, thousands, 15-64), NUTS 2 x coarse NACE aggregates",
                     "Eurostat lfst_r_lfe2en2 (vintage 2017)", "Eurostat: reuse with attribution"),
    "trade-1998-2000": ("Exports (USD, average 1998-2000), countries x SITC rev.2 4-digit products",
                        "Open Trade Statistics via R package economiccomplexity", "Apache-2.0 package; data public"),
    "patents-wipo35": ("Patents by inventor country x 35 WIPO technology fields x year",
                       "EPO PATSTAT aggregated by the Harvard Growth Lab", "no licence file; cite EPO PATSTAT"),
}

DATASETS: dict[str, Dataset] = {
    name: Dataset(name, info[0], (FILES[name][0],), info[1], info[2], build, FILES[name][1], BACKTESTS.get(name))
    for (name, info), build in zip(DATASETS_INFO.items(), [_sbs, _lfs, _trade, _patents])
}


def backtest_design(name: str) -> BacktestDesign | None:
    """The backtest design dataset ``name`` declares; None for a dataset without one or a name
    that is not a named dataset (a user's panel)."""
    ds = DATASETS.get(name)
    return ds.backtest if ds else None


def dataset_file(name: str, data_dir: str | os.PathLike | None = None) -> DataFile:
    """The file dataset ``name`` reads: the one place that decides it.

    For a dataset with a Eurostat table (``eurostat-sbs``, ``eurostat-lfs``, ``gdp_per_head``),
    a download by ``smartspec data update`` wins: the most recently modified of
    ``<updates folder>/<code>.tsv.gz`` (:func:`smartspec.config.updates_dir`) and
    ``<data dir>/eurostat_regional/<code>.tsv.gz``. Otherwise the bundled file of the data
    directory. Downloads are verified before they replace anything, so an existing one is whole.

    Raises :class:`DataNotFoundError` when the bundled file is needed and missing.
    """
    if name not in FILES:
        raise UnknownNameError("dataset", name, FILES)
    bundled, table = FILES[name]
    root = resolve_data_dir(data_dir)
    if table:
        found = [f for f in (table_file(table, folder) for folder in download_folders(root)) if f.is_file()]
        if found:  # max keeps the first of equal times: the updates folder
            return _data_file(name, max(found, key=lambda f: f.stat().st_mtime), "updated", table)
    path = root / bundled
    if not path.is_file():
        also = f" and no download of {table} ('smartspec data update --table {table}')" if table else ""
        raise DataNotFoundError(f"dataset {name!r} needs {path}, which does not exist{also}", where=str(root),
                                fix="point --data-dir / SMARTSPEC_DATA to a complete data directory")
    return _data_file(name, path, "bundled", table)


def _data_file(name: str, path: Path, kind: str, table: str | None) -> DataFile:
    modified = _dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    released = download_record(path).get("last_modified") if kind == "updated" else None
    return DataFile(name, path.resolve(), kind, table, modified, released)


def _source(ds: Dataset, f: DataFile) -> str:
    if f.kind == "updated":
        return f"Eurostat {f.table} (downloaded {f.modified}" + (f", table of {f.released})" if f.released else ")")
    return ds.source


def load_dataset(name: str, data_dir: str | os.PathLike | None = None) -> Panel:
    """Load a named dataset as a :class:`~smartspec.data.panel.Panel` (cached after the first call).

    Parameters
    ----------
    name : str
        One of ``eurostat-sbs``, ``eurostat-lfs``, ``trade-1998-2000``, ``patents-wipo35``.
    data_dir : path, optional
        The data directory; see :func:`smartspec.config.resolve_data_dir`.
    """
    if name not in DATASETS:
        raise UnknownNameError("dataset", name, DATASETS)
    ds = DATASETS[name]
    root = resolve_data_dir(data_dir)
    f = dataset_file(name, root)
    panel = cached_panel(name, [f.path], lambda: ds.build(root, f.path))
    # provenance is set on every load, outside the content-keyed cache: identical bytes in
    # another file share the parsed panel but are reported as the file actually read
    panel.source = _source(ds, f)
    panel.report = {**panel.report, "data_file": f.as_dict()}
    return panel


def list_datasets(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per dataset: name, description, source, licence, shape, years, and the file read
    (``file``: bundled or updated, with its date; ``path``). Loads each."""
    rows = []
    for name, ds in DATASETS.items():
        p = load_dataset(name, data_dir)
        f = p.report["data_file"]
        rows.append({"name": name, "description": ds.description, "source": p.source, "licence": ds.licence,
                     "regions": len(p.regions), "activities": len(p.activities),
                     "years": f"{p.years[0]}-{p.years[-1]}" if len(p.years) > 1 else str(p.years[0]),
                     "file": f["label"], "path": f["path"]})
    return pd.DataFrame(rows)


def data_files(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The file every dataset (and :func:`gdp_per_head`) reads now, without loading it: name,
    file (bundled or updated, with its date), Eurostat table, path."""
    rows = []
    for name in FILES:
        f = dataset_file(name, data_dir)
        rows.append({"name": name, "file": f.label, "table": f.table or "", "path": str(f.path)})
    return pd.DataFrame(rows)


def gdp_per_head(regions, year: int, data_dir=None, unit: str = "PPS_HAB") -> pd.Series:
    """Regional GDP per head (Eurostat nama_10r_2gdp) for ``regions`` in ``year``.

    The file is chosen by :func:`dataset_file` (``"gdp_per_head"``): a download by ``smartspec
    data update`` if there is one, else the bundled file (2000-2014, NUTS 2013 codes). Codes
    that match the panel's match directly, others are NaN (this series is used to orient
    complexity indices, where a few gaps do not matter). Years after the file's last year take
    that year's values. ``attrs["data_file"]`` names the file read.
    """
    from smartspec.data.cache import cached_frame

    f = dataset_file("gdp_per_head", data_dir)
    df = cached_frame("gdp", [f.path], lambda: read_eurostat(f.path))
    df = _only(df, freq="A")
    df = df[(df["unit"] == unit) & df["year"].notna()]
    year = min(int(year), int(df["year"].max()))
    values = df[df["year"] == year].set_index("geo")["value"]
    out = values.reindex(pd.Index(regions, name="region")).astype(float)
    out.attrs["data_file"] = f.as_dict()
    return out


def sbs_activity_wages(data_dir=None) -> pd.DataFrame:
    r"""Wages and salaries per person employed of every NACE division in Europe, per year.

    .. math:: w_{a,t} = 10^6 \, \frac{\sum_c V13320_{c,a,t}}{\sum_c V16110_{c,a,t}}

    summed over the countries ``c`` of the SBS file (``sbs_r_nuts06_r2`` country rows) that
    report both wages and salaries (V13320, million euro) and persons employed (V16110) for the
    division and year; a country with either figure missing or confidential is left out of both
    sums, so the ratio is over what is known. It is a desirability component of the
    diversification opportunities and the external check of PCI (docs/methods.md).

    Returns
    -------
    DataFrame
        ``activity``, ``year``, ``wages`` (million euro), ``persons`` (persons employed),
        ``wage_per_person`` (euro per person employed), ``n_countries`` (countries summed).
    """
    from smartspec.data.cache import cached_frame

    f = dataset_file("eurostat-sbs", data_dir)

    def build() -> pd.DataFrame:
        raw = _only(read_eurostat(f.path), freq="A")
        raw = raw[raw["indic_sb"].isin(["V13320", "V16110"]) & (raw["geo"].str.len() == 2) & raw["year"].notna()]
        raw = raw[raw["nace_r2"].map(nace_labels()["level"]) == "division"]
        wide = raw.pivot_table(index=["nace_r2", "year", "geo"], columns="indic_sb", values="value", aggfunc="first")
        wide = wide.dropna().reset_index()
        wide = wide[wide["V16110"] > 0]
        out = wide.groupby(["nace_r2", "year"]).agg(wages=("V13320", "sum"), persons=("V16110", "sum"),
                                                    n_countries=("geo", "nunique")).reset_index()
        out["wage_per_person"] = 1e6 * out["wages"] / out["persons"]
        out["year"] = out["year"].astype(int)
        return out.rename(columns={"nace_r2": "activity"})

    return cached_frame("sbs-activity-wages", [f.path], build)
