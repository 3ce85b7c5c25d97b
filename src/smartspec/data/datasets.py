"""Named datasets: panels built from the files of the data directory.

=================  ==========================================================================
name               what it is
=================  ==========================================================================
eurostat-sbs       persons employed (SBS V16110), NUTS 2 regions x NACE Rev.2 divisions,
                   2008-2015, recoded to NUTS 2021
eurostat-lfs       employment (LFS, thousands, ages 15-64), NUTS 2 regions x coarse NACE
                   aggregates, 2008-2015
trade-1998-2000    exports (USD, average 1998-2000, labelled year 2000), countries x SITC rev.2
                   4-digit products
patents-wipo35     patent families by inventor country x 35 WIPO technology fields x year
=================  ==========================================================================

Each is parsed once and then read from the content-keyed cache (:mod:`smartspec.data.cache`).
"""
from __future__ import annotations

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
from smartspec.errors import DataNotFoundError, UnknownNameError


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    files: tuple[str, ...]
    source: str
    licence: str
    build: Callable[[Path], Panel]


def _sbs(data_dir: Path) -> Panel:
    raw = read_eurostat(data_dir / SBS_FILE)
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
        source_name=str(data_dir / SBS_FILE), name="eurostat-sbs", value_name="persons employed",
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


def _lfs(data_dir: Path) -> Panel:
    raw = read_eurostat(data_dir / LFS_FILE)
    df = raw[(raw["age"] == "Y15-64") & (raw["unit"] == "THS") & raw["year"].notna()]
    report = {"source_rows": int(len(df))}
    keep = (df["geo"].str.len() == 4) & ~df["nace_r2"].isin(["TOTAL", "NRP"]) & ~df["geo"].str.endswith("ZZ")
    report["rows_not_nuts2_or_totals"] = int((~keep).sum())
    df = df[keep]
    report["missing_cells"] = int(df["value"].isna().sum())
    panel = Panel.from_frame(
        df.rename(columns={"geo": "region", "nace_r2": "activity"}), source_name=str(data_dir / LFS_FILE),
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


def _trade(data_dir: Path) -> Panel:
    path = data_dir / TRADE_FILE
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


def _patents(data_dir: Path) -> Panel:
    path = data_dir / PATENTS_FILE
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

#: name -> (description, source, licence)
DATASETS_INFO = {
    "eurostat-sbs": ("Persons employed (SBS V16110), NUTS 2 x NACE Rev.2 division, 2008-2015, NUTS 2021",
                     "Eurostat sbs_r_nuts06_r2 (vintage 2017)", "Eurostat: reuse with attribution"),
    "eurostat-lfs": ("Employment (LFS, thousands, 15-64), NUTS 2 x coarse NACE aggregates, 2008-2015",
                     "Eurostat lfst_r_lfe2en2 (vintage 2017)", "Eurostat: reuse with attribution"),
    "trade-1998-2000": ("Exports (USD, average 1998-2000), countries x SITC rev.2 4-digit products",
                        "Open Trade Statistics via R package economiccomplexity", "Apache-2.0 package; data public"),
    "patents-wipo35": ("Patents by inventor country x 35 WIPO technology fields x year",
                       "EPO PATSTAT aggregated by the Harvard Growth Lab", "no licence file; cite EPO PATSTAT"),
}

DATASETS: dict[str, Dataset] = {
    name: Dataset(name, info[0], (file,), info[1], info[2], build)
    for (name, info), (file, build) in zip(
        DATASETS_INFO.items(),
        [(SBS_FILE, _sbs), (LFS_FILE, _lfs), (TRADE_FILE, _trade), (PATENTS_FILE, _patents)],
    )
}


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
    files = [root / f for f in ds.files]
    for f in files:
        if not f.exists():
            raise DataNotFoundError(f"dataset {name!r} needs {f}, which does not exist", where=str(root),
                                    fix="point --data-dir / SMARTSPEC_DATA to a complete data directory")
    return cached_panel(name, files, lambda: ds.build(root))


def list_datasets(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per dataset: name, description, source, licence, shape and years (loads each)."""
    rows = []
    for name, ds in DATASETS.items():
        p = load_dataset(name, data_dir)
        rows.append({"name": name, "description": ds.description, "source": ds.source, "licence": ds.licence,
                     "regions": len(p.regions), "activities": len(p.activities),
                     "years": f"{p.years[0]}-{p.years[-1]}" if len(p.years) > 1 else str(p.years[0])})
    return pd.DataFrame(rows)


GDP_FILE = "eurostat_regional/hack2017_nama_10r_2gdp.tsv.gz"


def gdp_per_head(regions, year: int, data_dir=None, unit: str = "PPS_HAB") -> pd.Series:
    """Regional GDP per head (Eurostat nama_10r_2gdp, 2000-2014) for ``regions`` in ``year``.

    The table uses NUTS 2013 codes; codes unchanged in NUTS 2021 match directly, others are
    NaN (this series is used to orient complexity indices, where a few gaps do not matter).
    Years after 2014 take 2014's values.
    """
    root = resolve_data_dir(data_dir)
    from smartspec.data.cache import cached_frame

    df = cached_frame("gdp", [root / GDP_FILE], lambda: read_eurostat(root / GDP_FILE))
    df = df[(df["unit"] == unit)]
    year = min(int(year), int(df["year"].max()))
    values = df[df["year"] == year].set_index("geo")["value"]
    return values.reindex(pd.Index(regions, name="region")).astype(float)
