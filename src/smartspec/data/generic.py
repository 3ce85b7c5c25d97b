"""Generic region x activity (x year) tables from CSV, Parquet or Excel files.

Two shapes are read:

* **long**: one row per (year,) region, activity with a value; the columns are named by the
  caller (``region="country", activity="product", value="exports"``);
* **wide** (``wide=True``): a region x activity matrix, the first column (or ``region``) holds
  the regions and every other column is an activity (``year`` may name a year column).

Bad input raises :class:`~smartspec.errors.InputError` naming the file, the line (CSV/Excel line
numbers count the header as line 1) or column, the problem and the fix. Nothing is dropped
silently: empty values become *missing* cells, and rows left out (no region or activity code)
are counted in ``panel.report``.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.panel import Panel
from smartspec.errors import DataNotFoundError, InputError, closest

#: Cell texts read as a missing value (not an error, not zero).
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", ":", ".."}
_DELIMS = [",", ";", "\t", "|"]
_DELIM_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _suffixes(path: Path) -> tuple[str, bool]:
    s = [x.lower() for x in path.suffixes]
    gz = bool(s) and s[-1] == ".gz"
    if gz:
        s = s[:-1]
    return (s[-1] if s else ""), gz


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, decompressed if gzip; a truncated or corrupt gzip is an InputError."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(f"the gzip file is truncated or corrupt ({exc})", where=str(path),
                             fix="download or copy the file again (check its size), then retry") from exc
    return raw


def _sniff(text: str, where: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters="".join(_DELIMS)).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in _DELIMS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_raw(path: str | os.PathLike, *, sheet: str | int | None = None, delimiter: str | None = None) -> pd.DataFrame:
    """Read a CSV / Parquet / Excel file as strings (CSV, Excel) or native types (Parquet)."""
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise DataNotFoundError(f"file not found: {path}", where=where, fix="check the path")
    if path.is_dir():
        raise InputError("this is a directory, not a file", where=where, fix="pass a CSV, Parquet or Excel file")
    ext, _ = _suffixes(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", where=where, fix="pass a file with a header row and data rows")
    if ext in (".parquet", ".pq"):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:
            raise InputError(f"cannot read the Parquet file ({exc})", where=where,
                             fix="check that the file is a complete Parquet file") from exc
    elif ext in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=str)
        except ValueError as exc:
            raise InputError(f"cannot read the sheet {sheet!r} ({exc})", where=where,
                             fix="name an existing sheet (--sheet)") from exc
        except Exception as exc:
            raise InputError(f"cannot read the Excel file ({exc})", where=where,
                             fix="save it again as .xlsx, or export it to CSV") from exc
        df = df.fillna("")
    else:
        data = read_bytes(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if not text.strip():
            raise InputError("the file is empty", where=where, fix="pass a file with a header row and data rows")
        sep = delimiter or _sniff(text, where)
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
        except pd.errors.ParserError as exc:
            raise InputError(f"cannot parse the file with delimiter {sep!r}: {exc}", where=where,
                             fix="check the delimiter (--delimiter) and that quotes are balanced") from exc
        if df.shape[1] == 1:
            header = str(df.columns[0])
            other = [d for d in _DELIMS if d != sep and d in header]
            if other:
                d = other[0]
                raise InputError(
                    f"line 1: only one column was found, and its header contains {_DELIM_NAMES[d]}s "
                    f"({header[:60]!r}): the file is {_DELIM_NAMES[d]}-separated, not {_DELIM_NAMES.get(sep, sep)}-separated",
                    where=where, fix=f"pass delimiter={d!r} (CLI: --delimiter '{d}'), or leave the delimiter to be detected",
                )
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError("the file has a header but no data rows", where=where,
                         fix="pass a file with at least one data row")
    return df


def _line(i: int, ext: str) -> str:
    return f"row {i}" if ext in (".parquet", ".pq") else f"line {i + 2}"


#: Words that usually name each role's column, for the suggestion when a column is not found; a
#: trailing ``*`` also accepts longer words (``nuts*``: ``nuts2``, ``nuts_id``).
ROLE_WORDS = {
    "region": ("region*", "geo*", "nuts*", "country", "iso*", "location", "loc"),
    "activity": ("activity", "nace*", "product*", "sector*", "industry", "tech*", "field*", "hs*", "sitc*",
                 "isic*"),
    "value": ("value", "obs", "count", "employ*", "export*", "amount", "val"),
    "year": ("year", "time", "period"),
}


def _guess(role: str, columns: list[str], taken: set[str]) -> str | None:
    """The first column with a word (split at ``_``, spaces and punctuation) that usually names
    the role's column (:data:`ROLE_WORDS`)."""
    import re

    words = {c: re.split(r"[^a-z0-9]+", c.lower()) for c in columns if c not in taken}
    for pattern in ROLE_WORDS[role]:
        stem = pattern.rstrip("*")
        for c, ws in words.items():
            if any(w == stem or (pattern.endswith("*") and w.startswith(stem)) for w in ws):
                return c
    return None


def _need(df: pd.DataFrame, cols: dict[str, str | None], where: str) -> None:
    absent = {k: c for k, c in cols.items() if c is not None and c not in df.columns}
    if absent:
        parts = []
        for kind, c in absent.items():
            near = closest(c, list(df.columns), n=3)
            parts.append(f"{kind} column {c!r} not found" + (f" (closest: {', '.join(near)})" if near else ""))
        columns = [str(c) for c in df.columns]
        taken = {c for c in cols.values() if c in df.columns}
        options = []
        for role in ("region", "activity", "value", "year"):
            if role in cols and (role in absent or role == "year"):
                guess = _guess(role, columns, taken)
                if guess and (role != "year" or cols.get("year") is None):
                    taken.add(guess)
                    options.append(f"--{role} {guess}")
        raise InputError(
            "; ".join(parts) + f"; the columns are {columns}", where=where,
            fix="name the columns with region=, activity=, value=, year= (CLI: --region, --activity, --value, --year)"
                + (f"; for this file perhaps {' '.join(options)}" if options else ""),
        )


def read_table(
    path: str | os.PathLike,
    *,
    region: str = "region",
    activity: str = "activity",
    value: str = "value",
    year: str | None = None,
    sheet: str | int | None = None,
    wide: bool = False,
    duplicates: str = "error",
    delimiter: str | None = None,
    allow_negative: bool = False,
    nuts_version: int | None = None,
    name: str | None = None,
) -> Panel:
    """Read a region x activity (x year) table into a :class:`~smartspec.data.panel.Panel`.

    Parameters
    ----------
    path : path
        CSV / TSV / TXT (optionally ``.gz``), Parquet, or Excel (``.xlsx``).
    region, activity, value, year : str
        Column names of a long table (``year`` optional: without it the panel has one year, 0).
        For a wide table ``region`` is the region column (default: the first column) and
        ``year`` an optional year column; ``activity`` and ``value`` are unused.
    sheet : str or int, optional
        Excel sheet (default the first).
    wide : bool
        Read a region x activity matrix.
    duplicates : {"error", "sum"}
        Repeated (year, region, activity) keys are an error, or summed.
    delimiter : str, optional
        CSV delimiter; detected when not given.
    allow_negative : bool
        Accept negative values (by default values are counts and a negative one is an error).
    nuts_version : int, optional
        Check that every region is a code of this NUTS version (2013, 2016, 2021...).
    """
    path = Path(path)
    where = str(path)
    if duplicates not in ("error", "sum"):
        raise InputError(f"duplicates must be 'error' or 'sum', not {duplicates!r}")
    df = read_raw(path, sheet=sheet, delimiter=delimiter)
    ext, _ = _suffixes(path)
    rows_read = len(df)
    if wide:
        reg_col = region if region in df.columns else None
        if region != "region" and reg_col is None:
            _need(df, {"region": region}, where)
        reg_col = reg_col or df.columns[0]
        if year is not None:
            _need(df, {"year": year}, where)
        act_cols = [c for c in df.columns if c not in (reg_col, year)]
        if not act_cols:
            raise InputError("a wide table needs activity columns after the region column", where=where,
                             fix="put regions in the first column and one column per activity, or read it as long")
        df = df.reset_index(names="_row")
        long = df.melt(id_vars=["_row", reg_col] + ([year] if year else []), value_vars=act_cols,
                       var_name="activity", value_name="value")
        long = long.rename(columns={reg_col: "region"})
        cols = {"region": "region", "activity": "activity", "value": "value", "year": year}
        df = long
        row_of = long["_row"].to_numpy()
    else:
        _need(df, {"region": region, "activity": activity, "value": value, "year": year}, where)
        cols = {"region": region, "activity": activity, "value": value, "year": year}
        row_of = np.arange(len(df))

    reg = df[cols["region"]].astype(str).str.strip()
    act = df[cols["activity"]].astype(str).str.strip()
    raw_val = df[cols["value"]]
    if pd.api.types.is_numeric_dtype(raw_val):
        val = raw_val.astype(float)
        missing = val.isna()
    else:
        sv = raw_val.astype(str).str.strip()
        missing = sv.str.lower().isin(MISSING_TOKENS) | raw_val.isna()
        cleaned = sv.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        val = pd.to_numeric(cleaned.where(~missing), errors="coerce")
        bad = val.isna() & ~missing
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            col = cols["value"] if not wide else f"{df['activity'].iloc[i]}"
            raise InputError(
                f"{_line(int(row_of[i]), ext)}, column {col!r}: {sv.iloc[i]!r} is not a number "
                f"({int(bad.sum())} non-numeric value(s) in all)",
                where=where, fix="clean the values (use '.' for decimals, no thousand separators), "
                                 "leave missing values empty, or point --value to the numeric column",
            )
    neg = (val < 0).fillna(False)
    if neg.any() and not allow_negative:
        i = int(np.flatnonzero(neg.to_numpy())[0])
        col = cols["value"] if not wide else f"{df['activity'].iloc[i]}"
        raise InputError(
            f"{_line(int(row_of[i]), ext)}, column {col!r}: negative value {val.iloc[i]:g} where counts are expected "
            f"({int(neg.sum())} negative value(s) in all)",
            where=where, fix="correct the value, or accept negative values with allow_negative=True (CLI: --allow-negative)",
        )
    if cols["year"] is not None:
        ys = df[cols["year"]].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
        yv = pd.to_numeric(ys, errors="coerce")
        bad = yv.isna() | (yv != yv.round())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{_line(int(row_of[i]), ext)}, column {cols['year']!r}: {ys.iloc[i]!r} is not a year",
                             where=where, fix="years must be integers such as 2014")
        yv = yv.astype(np.int64)
    else:
        yv = pd.Series(0, index=df.index, dtype=np.int64)
    no_key = reg.isin(["", "nan", "None"]) | act.isin(["", "nan", "None"])
    work = pd.DataFrame({"year": yv.to_numpy(), "region": reg.to_numpy(), "activity": act.to_numpy(),
                         "value": val.to_numpy(dtype=float), "_row": row_of})
    kept = work[~no_key.to_numpy()]
    dup = kept.duplicated(["year", "region", "activity"], keep=False)
    n_dup = int(kept.duplicated(["year", "region", "activity"]).sum())
    if dup.any() and duplicates == "error":
        first = kept[dup].iloc[0]
        same = kept[dup & (kept["region"] == first["region"]) & (kept["activity"] == first["activity"])
                    & (kept["year"] == first["year"])]["_row"].tolist()[:2]
        key = f"({first['region']}, {first['activity']}" + (f", {first['year']})" if cols["year"] else ")")
        raise InputError(
            f"{_line(same[0], ext)} and {_line(same[1], ext)} repeat the key {key}; "
            f"{n_dup} duplicate row(s) in all",
            where=where, fix="remove the duplicates, or sum them with duplicates='sum' (CLI: --sum-duplicates)",
        )
    if nuts_version is not None:
        from smartspec.data.nuts import region_table

        valid = region_table(nuts_version).index
        unknown = ~kept["region"].isin(valid)
        if unknown.any():
            codes = list(dict.fromkeys(kept.loc[unknown, "region"]))
            i = int(kept.loc[unknown, "_row"].iloc[0])
            sugg = closest(codes[0], list(valid), n=3)
            raise InputError(
                f"{_line(i, ext)}: {len(codes)} region code(s) are not NUTS {nuts_version} codes: "
                f"{', '.join(codes[:8])}{' ...' if len(codes) > 8 else ''}"
                + (f" (closest to {codes[0]!r}: {', '.join(sugg)})" if sugg else ""),
                where=where, fix="correct the codes, give the right nuts_version (CLI: --nuts-version), "
                                 "or recode them with smartspec.data.nuts.recode_panel",
            )
    report = {
        "file": where, "rows_read": rows_read, "cells_read": int(len(work)),
        "rows_without_region_or_activity": int(no_key.sum()), "missing_values": int(np.isnan(kept["value"]).sum()),
        "duplicates_summed": n_dup if duplicates == "sum" else 0, "negative_values": int(neg.sum()),
        "shape": "wide" if wide else "long",
    }
    if report["rows_without_region_or_activity"]:
        report["lines_without_region_or_activity"] = [_line(int(r), ext) for r in work.loc[no_key.to_numpy(), "_row"].head(20)]
    panel = Panel.from_frame(kept.drop(columns="_row"), year="year", duplicates=duplicates, source_name=where,
                             name=name or path.name, value_name=value if not wide else "value", source=where,
                             report=report)
    report["cells_kept"] = int(len(kept) - (n_dup if duplicates == "sum" else 0))
    return panel
