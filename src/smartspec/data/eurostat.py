"""Readers for Eurostat's dissemination formats: bulk TSV and SDMX-CSV.

Bulk TSV
    The first column joins the dimensions with commas and ends with ``\\time`` (for example
    ``nace_r2,indic_sb,geo\\time``); the other columns are periods. A cell is a number
    optionally followed by flag letters (``12.3 e``, ``4.0 bu``), or ``:`` (missing)
    optionally followed by flags (``: c`` confidential, ``: z`` not applicable).
SDMX-CSV
    One observation per line with the dimension columns, ``TIME_PERIOD``, ``OBS_VALUE`` and
    ``OBS_FLAG`` (newer files add ``CONF_STATUS``).

Both readers return the same tidy frame: one column per dimension, ``time`` (the period as
written), ``year`` (integer for annual data, else missing), ``value`` (float, NaN for a
missing cell, never zero) and ``flag`` (the flag letters, ``""`` if none). Nothing is dropped:
missing cells are rows with NaN values and their flag.

References
----------
Eurostat, "Bulk download: tab-separated values (TSV) format" and "SDMX-CSV 1.0/2.0" notes.
"""
from __future__ import annotations

import csv
import gzip
import io
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.encoding import decode_text
from smartspec.errors import InputError

#: Flag letters Eurostat documents: b break, c confidential, d definition differs, e estimated,
#: f forecast, n not significant, p provisional, r revised, s Eurostat estimate, u low
#: reliability, z not applicable.
FLAG_MEANINGS = {
    "b": "break in time series", "c": "confidential", "d": "definition differs", "e": "estimated",
    "f": "forecast", "i": "see metadata", "n": "not significant", "p": "provisional", "r": "revised",
    "s": "Eurostat estimate", "u": "low reliability", "z": "not applicable",
}

_CELL = r"^\s*(?::|(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?))\s*(?P<flag>[a-z]*)\s*$"


def read_text(path: str | Path) -> str:
    """Read a text file, gzip-compressed or not, with a clear error for truncated archives."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", where=str(path), fix="check the path")
    if path.is_dir():
        raise InputError("this is a directory, not a file", where=str(path),
                         fix="pass a Eurostat bulk TSV or SDMX-CSV file inside it")
    raw = path.read_bytes()
    if not raw:
        raise InputError("the file is empty", where=str(path), fix="download the file again")
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(
                f"the gzip archive is truncated or corrupt ({exc})", where=str(path),
                fix="download the file again (smartspec data update) or replace it with a complete copy",
            ) from None
    return decode_text(raw, str(path))[0]


def is_sdmx_csv(text: str) -> bool:
    head = text.split("\n", 1)[0]
    return "OBS_VALUE" in head and "TIME_PERIOD" in head


def read_eurostat(path: str | Path) -> pd.DataFrame:
    """Read a Eurostat bulk TSV or SDMX-CSV file (gzip or plain) into the tidy frame above."""
    text = read_text(path)
    if is_sdmx_csv(text):
        return parse_sdmx_csv(text, str(path))
    return parse_bulk_tsv(text, str(path))


def parse_bulk_tsv(text: str, source: str = "<text>") -> pd.DataFrame:
    """Parse the text of a Eurostat bulk TSV file (see module docstring)."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError("the file is empty", where=source, fix="download the file again")
    header = lines[0].split("\t")
    first = header[0]
    if "\\" not in first or len(header) < 2:
        hint = "it looks comma-separated" if "," in first and "\t" not in lines[0] else "no tab-separated period columns"
        raise InputError(
            f"line 1: not a Eurostat bulk TSV header ({hint}); expected e.g. 'nace_r2,indic_sb,geo\\time<TAB>2015<TAB>...'",
            where=source, fix="pass a Eurostat bulk TSV (tab-separated) or SDMX-CSV file",
        )
    dims = first.split("\\")[0].split(",")
    periods = [h.strip() for h in header[1:]]
    df = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    if df.empty:
        raise InputError("the file has a header but no data rows", where=source,
                         fix="download the file again (smartspec data update) or pass a complete table")
    if df.shape[1] != len(header):
        raise InputError("the header and the rows have different numbers of columns", where=source,
                         fix="check the file is a complete Eurostat bulk TSV")
    keys = df.iloc[:, 0].str.split(",", expand=True)
    if keys.shape[1] != len(dims):
        bad = int(np.flatnonzero(df.iloc[:, 0].str.count(",").to_numpy() != len(dims) - 1)[0])
        raise InputError(
            f"line {bad + 2}: the key {df.iloc[bad, 0]!r} does not have the {len(dims)} parts {dims}",
            where=source, fix="repair or re-download the file",
        )
    keys.columns = dims
    cells = df.iloc[:, 1:].to_numpy(dtype=object)
    n_rows, n_periods = cells.shape
    flat = pd.Series(cells.ravel(), dtype=str)
    parsed = flat.str.extract(_CELL)
    bad = parsed["flag"].isna() & flat.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        row, col = divmod(i, n_periods)
        raise InputError(
            f"line {row + 2}, column {periods[col]!r}: cannot read the cell {flat.iloc[i]!r} "
            f"(expected a number with optional flag letters, or ':' )",
            where=source, fix="repair or re-download the file",
        )
    values = pd.to_numeric(parsed["num"], errors="coerce").to_numpy()
    _check_values(values, lambda i: (f"line {i // n_periods + 2}, column {periods[i % n_periods]!r}",
                                     flat.iloc[i]), source)
    out = keys.loc[np.repeat(np.arange(n_rows), n_periods)].reset_index(drop=True)
    out["time"] = np.tile(np.asarray(periods, dtype=object), n_rows)
    out["year"] = _year(out["time"])
    out["value"] = values
    out["flag"] = parsed["flag"].fillna("").to_numpy()
    return out


def parse_sdmx_csv(text: str, source: str = "<text>") -> pd.DataFrame:
    """Parse the text of a Eurostat SDMX-CSV file (see module docstring)."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if df.empty:
        raise InputError("the file has a header but no data rows", where=source,
                         fix="download the file again (smartspec data update) or pass a complete table")
    required = ["TIME_PERIOD", "OBS_VALUE"]
    absent = [c for c in required if c not in df.columns]
    if absent:
        raise InputError(f"missing SDMX-CSV column(s) {absent}", where=source, fix="pass a Eurostat SDMX-CSV file")
    skip = {"DATAFLOW", "LAST UPDATE", "freq", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS", "STRUCTURE",
            "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}
    dims = [c for c in df.columns if c not in skip]
    out = df[dims].copy()
    out = out.rename(columns={"TIME": "time"})
    out["time"] = df["TIME_PERIOD"].str.strip()
    out["year"] = _year(out["time"])
    raw = df["OBS_VALUE"].str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & ~raw.isin(["", ":"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"line {i + 2}, column 'OBS_VALUE': not a number: {raw.iloc[i]!r}", where=source,
                         fix="repair or re-download the file")
    _check_values(values.to_numpy(), lambda i: (f"line {i + 2}, column 'OBS_VALUE'", raw.iloc[i]), source)
    out["value"] = values.to_numpy()
    flag = df["OBS_FLAG"].str.strip() if "OBS_FLAG" in df else pd.Series("", index=df.index)
    if "CONF_STATUS" in df:
        conf = df["CONF_STATUS"].str.strip().str.lower()
        flag = flag + np.where(conf.str.startswith("c"), "c", "")
    out["flag"] = flag.to_numpy()
    return out


def _check_values(values: np.ndarray, locate, source: str) -> None:
    """An infinite value (``inf``, ``1e309``) is an error naming its line and period, never a
    valid cell. (Negative values are legitimate in some indicators, growth rates say; ``smartspec
    ingest`` counts them per indicator.)"""
    for bad, what in ((np.isinf(values), "not a finite number"),):
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where, cell = locate(i)
            raise InputError(f"{where}: the value {str(cell).strip()!r} is {what} ({int(bad.sum())} such cell(s))",
                             where=source, fix="repair or re-download the file; a value not known is ':'")


def _year(time: pd.Series) -> pd.Series:
    t = time.astype(str).str.strip()
    return pd.to_numeric(t.where(t.str.fullmatch(r"\d{4}")), errors="coerce").astype("Int64")
