"""Readers of input-output tables into one shape: :class:`IOTable`.

Supported:

* WIOD 2016 release national IO tables (``*_NIOT_nov16.csv.gz``): ';'-separated, spaces as
  thousands separators, domestic and imported use by 56 sectors plus final demand
  (:func:`read_wiod_niot`).
* Eurostat-style tables as the R package ``iotables`` ships them (:func:`read_iotables`):
  the UK 2010 analytical tables (long format with an ``indicator`` column), wide symmetric
  tables (first column the row codes, e.g. ``prod_na``; Hungary, Czechia, Slovakia, Belgium,
  the Netherlands) and long tables with row/column/value columns (Croatia, Germany). Product
  rows are paired with industry columns where their codes differ only by a prefix
  (:data:`PRODUCT_INDUSTRY_PREFIXES`), and ESA totals beside their parts in final demand are
  left out (listed in :attr:`IOTable.notes`).

:func:`read_io_table` picks the reader from the file name.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.eurostat import read_text
from smartspec.errors import InputError, UnknownNameError


@dataclass
class IOTable:
    """A symmetric input-output table.

    Attributes
    ----------
    flows : DataFrame (sector x sector)   intermediate use; ``flows.loc[i, j]`` is what j buys from i
    final_demand : DataFrame (sector x category)
    output : Series (sector)              total output (or total use for tables without it)
    primary_inputs : DataFrame (component x sector)  value added, compensation of employees...
    labels : Series (sector -> name)
    source : str
    notes : list of str                   what reading the table changed (aggregates left out...)
    """

    flows: pd.DataFrame
    final_demand: pd.DataFrame
    output: pd.Series
    primary_inputs: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    source: str = ""
    notes: list = field(default_factory=list)

    @property
    def sectors(self) -> pd.Index:
        return self.flows.index

    def coefficients(self) -> pd.DataFrame:
        """Technical coefficients as a labelled frame."""
        from smartspec.metrics.io import technical_coefficients

        return pd.DataFrame(technical_coefficients(self.flows.to_numpy(), self.output.to_numpy()),
                            index=self.sectors, columns=self.sectors)


def _number(series: pd.Series) -> pd.Series:
    """Numbers from text with spaces as thousands separators; empty cells are 0, junk NaN."""
    cleaned = series.astype(str).str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    cleaned = cleaned.replace({"": "0", "nan": "0"})
    return pd.to_numeric(cleaned, errors="coerce")


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`_number` of every cell, in one pass over all columns (column by column is ~50x slower)."""
    flat = _number(pd.Series(frame.to_numpy(dtype=object).ravel()))
    return pd.DataFrame(flat.to_numpy(dtype=np.float64).reshape(frame.shape), index=frame.index, columns=frame.columns)


def read_wiod_niot(path: str | Path, year: int = 2014, *, use: str = "domestic") -> IOTable:
    """Read one year of a WIOD 2016 national input-output table.

    Parameters
    ----------
    path : path
        ``XXX_NIOT_nov16.csv.gz``.
    year : int
        2000-2014.
    use : {"domestic", "total"}
        Domestic use only, or domestic plus imported use (rows of both origins summed).
    """
    path = Path(path)
    text = read_text(path)
    df = pd.read_csv(io.StringIO(text), sep=";", dtype=str, skiprows=[1], keep_default_na=False)
    required = {"Year", "Code", "Description", "Origin", "GO"}
    if not required <= set(df.columns):
        raise InputError(f"not a WIOD national IO table: columns {sorted(required - set(df.columns))} missing",
                         where=str(path), fix="pass a *_NIOT_nov16.csv(.gz) file of the WIOD 2016 release")
    years = sorted(pd.to_numeric(df["Year"], errors="coerce").dropna().astype(int).unique())
    if year not in years:
        raise UnknownNameError("year", str(year), [str(y) for y in years], where=str(path))
    df = df[df["Year"].astype(str) == str(year)]
    if use not in ("domestic", "total"):
        raise InputError(f"unknown use {use!r}", fix="use 'domestic' or 'total'")
    rows = df[df["Origin"] == "Domestic"] if use == "domestic" else df[df["Origin"].isin(["Domestic", "Imports"])]
    sector_cols = [c for c in df.columns[4:] if c not in FINAL_DEMAND_WIOD and c != "GO"]
    values = _numbers(rows[sector_cols + FINAL_DEMAND_WIOD + ["GO"]])
    bad = values.isna().any(axis=1)
    if bad.any():
        i = rows.index[int(np.flatnonzero(bad.to_numpy())[0])]
        raise InputError(f"line {i + 3}: a value is not a number", where=str(path), fix="repair the file")
    values.index = rows["Code"].to_numpy()
    values = values.groupby(level=0, sort=False).sum()
    sectors = [c for c in sector_cols if c in values.index]
    labels = df.drop_duplicates("Code").set_index("Code")["Description"]
    other = df[~df["Origin"].isin(["Domestic", "Imports"])]
    primary = _numbers(other.set_index("Code")[sector_cols])
    go = df[df["Code"] == "GO"]
    output = _number(go[sector_cols].iloc[0]) if len(go) else values.loc[sectors, "GO"]
    output.index = sector_cols
    return IOTable(
        flows=values.loc[sectors, sectors].rename_axis(index="sector", columns="sector"),
        final_demand=values.loc[sectors, FINAL_DEMAND_WIOD].rename_axis(index="sector", columns="category"),
        output=output.loc[sectors].rename("output").rename_axis("sector"),
        primary_inputs=primary.loc[:, sectors],
        labels=labels.reindex(sectors),
        source=f"WIOD 2016 release, {path.name}, {year}, {use} use",
    )


def read_io_table(path: str | Path, **options) -> IOTable:
    """Read an input-output table in any supported layout: a WIOD national table
    (``*_NIOT_*``, :func:`read_wiod_niot`) or an Eurostat-style table (:func:`read_iotables`).
    ``options`` go to the reader chosen."""
    path = Path(path)
    reader = read_wiod_niot if "_niot_" in path.name.lower() else read_iotables
    return reader(path, **options)


FINAL_DEMAND_WIOD = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN", "EXP"]

#: Row labels that mean total output in the iotables-style tables.
OUTPUT_ROWS = ("Total output", "P1", "output", "TS_BP", "Output", "OUTPUT", "total_output", "TOTAL_OUTPUT")
UK_IOT = "Input-Output table (domestic use, basic prices, product by product)"


def read_iotables(path: str | Path, *, indicator: str | None = None, output_row: str | None = None) -> IOTable:
    """Read an Eurostat-style table in one of the layouts of the ``iotables`` R package.

    Parameters
    ----------
    path : path
    indicator : str, optional
        For long files with several tables (UK 2010): which one (default: the domestic-use
        product-by-product input-output table).
    output_row : str, optional
        Label of the total-output row, if not one of :data:`OUTPUT_ROWS`; without any, output
        is taken as intermediate plus final use (row totals).
    """
    path = Path(path)
    text = read_text(path)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    cols = list(df.columns)
    if {"uk_row", "uk_col", "values"} <= set(cols):
        ind = indicator or UK_IOT
        if "indicator" in df and ind not in set(df["indicator"]):
            raise UnknownNameError("indicator", ind, sorted(df["indicator"].unique()), where=str(path))
        d = df[df["indicator"] == ind] if "indicator" in df else df
        wide = _pivot(d, "uk_row", "uk_col", "values")
        labels = d.drop_duplicates("uk_row").set_index("uk_row")["uk_row_lab"]
    elif {"values"} <= set(cols) and any(c in cols for c in ("t_rows2", "prod_na")) and \
            any(c in cols for c in ("t_cols2", "induse")):
        r = "t_rows2" if "t_rows2" in cols else "prod_na"
        c = "t_cols2" if "t_cols2" in cols else "induse"
        wide = _pivot(df, r, c, "values")
        lab_col = "t_rows2_lab" if "t_rows2_lab" in cols else ("prod_na_lab" if "prod_na_lab" in cols else None)
        labels = df.drop_duplicates(r).set_index(r)[lab_col] if lab_col else pd.Series(dtype=str)
    elif len(cols) > 3:
        first = cols[0]
        wide = df.set_index(first)
        wide.index = wide.index.astype(str)
        wide = _numbers(wide)
        bad = wide.isna().any(axis=1)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"line {i + 2}: a value is not a number", where=str(path), fix="repair the file")
        labels = pd.Series(dtype=str)
    else:
        raise InputError("unrecognised input-output table layout", where=str(path),
                         fix="pass a WIOD NIOT file or an Eurostat-style table (wide, or long with row/column/value)")
    return _split(wide, labels, str(path), output_row)


def _pivot(d: pd.DataFrame, r: str, c: str, v: str) -> pd.DataFrame:
    vals = _number(d[v])  # empty cells are zero flows
    if vals.isna().any():
        i = int(np.flatnonzero(vals.isna().to_numpy())[0])
        raise InputError(f"row {i + 2} of the long table has a non-numeric value {d[v].iloc[i]!r}")
    rows = list(dict.fromkeys(d[r].astype(str)))
    cols = list(dict.fromkeys(d[c].astype(str)))
    wide = d.assign(**{v: vals}).pivot_table(index=r, columns=c, values=v, aggfunc="sum")
    wide.index, wide.columns = wide.index.astype(str), wide.columns.astype(str)
    return wide.reindex(index=rows, columns=cols).fillna(0.0)


#: Row and column prefixes of tables whose rows are products and columns industries, as the
#: ``iotables`` R package ships Eurostat's (``CPA_A01`` x ``A01``) and the OECD's (``TTL_01`` x
#: ``D01``) symmetric tables.
PRODUCT_INDUSTRY_PREFIXES = (("CPA_", ""), ("TTL_", "D"))


def _align_products_with_industries(wide: pd.DataFrame) -> pd.DataFrame:
    """Name each industry column after the product row it matches (see
    :data:`PRODUCT_INDUSTRY_PREFIXES`), so that the table is square on its sectors."""
    for row_prefix, col_prefix in PRODUCT_INDUSTRY_PREFIXES:
        row_of = {col_prefix + r[len(row_prefix):]: r for r in wide.index if r.startswith(row_prefix)}
        renamed = {c: row_of[c] for c in wide.columns if c in row_of}
        if len(renamed) >= 2:
            return wide.rename(columns=renamed)
    return wide


def _without_aggregates(final: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Final demand without the columns that are sums of others, and which ones they were.

    Eurostat-style tables repeat ESA 2010 totals beside their parts (``P3`` beside ``P3_S13``,
    ``P3_S14`` and ``P3_S15``; ``P52_P53`` beside ``P52`` and ``P53``), so summing the columns
    would count final demand twice. A column is an aggregate when it equals (within rounding)
    the sum of the columns its code joins (``P52_P53``), or of two or more other non-zero
    columns of its transaction class (same first two characters); the largest are tested
    first, so nested totals (``P5`` over ``P5M`` over ``P52`` and ``P53``) are all found.
    """
    from itertools import combinations

    values = {c: final[c].to_numpy(dtype=float) for c in final.columns}

    def sum_of(cols, x):
        return np.allclose(np.sum([values[c] for c in cols], axis=0), x, rtol=1e-4, atol=1.0)

    keep = list(final.columns)
    dropped: dict[str, list[str]] = {}
    for col in sorted(final.columns, key=lambda c: (str(c).count("_") == 0, -np.abs(values[c]).sum())):
        x = values[col]
        joined = str(col).split("_")
        if len(joined) > 1 and all(part in keep for part in joined) and sum_of(joined, x):
            keep.remove(col)
            dropped[str(col)] = joined
            continue
        same_class = [c for c in keep if c != col and str(c)[:2] == str(col)[:2] and np.abs(values[c]).max() > 1.0]
        for size in range(len(same_class), 1, -1):
            parts = next((list(s) for s in combinations(same_class, size) if sum_of(s, x)), None)
            if parts:
                keep.remove(col)
                dropped[str(col)] = [str(c) for c in parts]
                break
    return final[keep], dropped


def _split(wide: pd.DataFrame, labels: pd.Series, source: str, output_row: str | None) -> IOTable:
    def common(w):
        columns = set(w.columns)
        return [s for s in w.index if s in columns and not s.upper().startswith(("TOTAL", "CPA_TOTAL"))]

    sectors = common(wide)
    if len(sectors) < 2:
        wide = _align_products_with_industries(wide)
        sectors = common(wide)
    if len(sectors) < 2:
        raise InputError("no sectors found that are both rows and columns of the table", where=source,
                         fix="the table must be symmetric (product x product or industry x industry)")
    flows = wide.loc[sectors, sectors]
    last_sector = max(list(wide.columns).index(s) for s in sectors)
    final_cols = [c for c in list(wide.columns)[last_sector + 1:]
                  if not c.lower().startswith(("total", "cpa_total", "tu", "tfu", "tfinu"))]
    final, aggregates = _without_aggregates(wide.loc[sectors, final_cols])
    candidates = [output_row] if output_row else list(OUTPUT_ROWS)
    out_label = next((r for r in candidates if r in wide.index), None)
    if output_row and out_label is None:
        raise UnknownNameError("output row", output_row, wide.index, where=source)
    if out_label is not None:
        output = wide.loc[out_label, sectors].astype(float)
    else:
        output = flows.sum(axis=1) + final.sum(axis=1)
    primary_rows = [r for r in wide.index if r not in sectors and r != out_label]
    primary = wide.loc[primary_rows, sectors]
    return IOTable(flows=flows.rename_axis(index="sector", columns="sector"),
                   final_demand=final.rename_axis(index="sector", columns="category"),
                   output=output.rename("output").rename_axis("sector"), primary_inputs=primary,
                   labels=labels.reindex(sectors) if len(labels) else pd.Series(sectors, index=sectors),
                   source=source,
                   notes=[f"final demand column {a} left out: it is the sum of {' + '.join(parts)}"
                          for a, parts in aggregates.items()])
