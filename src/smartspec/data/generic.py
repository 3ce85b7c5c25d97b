"""Generic region x activity (x year) tables from CSV, Parquet or Excel files.

Two shapes are read:

* **long**: one row per (year,) region, activity with a value; the columns are named by the
  caller (``region="country", activity="product", value="exports"``);
* **wide** (``wide=True``): a region x activity matrix, the first column (or ``region``) holds
  the regions and every other column is an activity (``year`` may name a year column).

Bad input raises :class:`~smartspec.errors.InputError` naming the file, the line (CSV/Excel line
numbers count the header as line 1) or column, the problem and the fix. Nothing is dropped
silently: empty values become *missing* cells, and rows left out (no region or activity code)
are counted and named in ``panel.report`` and in an :class:`~smartspec.errors.InputWarning`.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.encoding import decode_text
from smartspec.data.panel import Panel
from smartspec.errors import DataNotFoundError, InputError, InputWarning, closest

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


_EXCEL_MAGIC = {b"PK\x03\x04": (".xlsx", ".xlsm"), b"\xd0\xcf\x11\xe0": (".xls",)}


def _check_excel_magic(path: Path, ext: str) -> None:
    """A workbook is a ZIP (.xlsx) or an OLE file (.xls); name what a file with another start is."""
    with open(path, "rb") as fh:
        start = fh.read(512)
    if any(start.startswith(m) for m in _EXCEL_MAGIC):
        return
    looks = "text" if start and all(b >= 9 for b in start[:64]) else "binary data"
    shown = start[:40].decode("utf-8", errors="replace")
    hint = " (it looks like a CSV text file)" if looks == "text" and any(d in shown for d in _DELIMS) else ""
    raise InputError(f"not an Excel workbook: the {ext} file starts with {shown!r}, {looks}{hint}",
                     where=str(path),
                     fix="rename a CSV/TSV file to .csv or .tsv, or save the workbook again from Excel as .xlsx")


def _read_excel(path: Path, ext: str, sheet: str | int | None) -> pd.DataFrame:
    _check_excel_magic(path, ext)
    try:
        with pd.ExcelFile(path) as book:
            names = [str(n) for n in book.sheet_names]
            if sheet is not None and str(sheet) not in names and not (isinstance(sheet, int) and sheet < len(names)):
                raise InputError(f"no sheet {sheet!r}; the workbook has the sheets {names}", where=str(path),
                                 fix="name one of them with sheet= (CLI: --sheet)")
            chosen = (sheet if isinstance(sheet, int) else names.index(str(sheet))) if sheet is not None else 0
            # every cell as text, and no cell as a missing marker: a region "NA" is Namibia, "None" a name
            df = pd.read_excel(book, sheet_name=chosen, dtype=str, keep_default_na=False, na_filter=False)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read the Excel file ({type(exc).__name__}: {exc})", where=str(path),
                         fix="save it again as .xlsx, or export it to CSV") from exc
    df = df.fillna("")
    df.attrs["sheets"] = names
    df.attrs["sheet"] = names[chosen]
    return df


def read_raw(path: str | os.PathLike, *, sheet: str | int | None = None, delimiter: str | None = None,
             encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV / Parquet / Excel file as strings (CSV, Excel) or native types (Parquet).

    No cell of a CSV or Excel file is read as a missing marker (``NA`` stays the text ``NA``);
    the callers decide which texts mean *missing* in which column. The text encoding is
    detected per file (:func:`smartspec.data.encoding.decode_text`) unless ``encoding`` names it.
    """
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise DataNotFoundError(f"file not found: {path}", where=where, fix="check the path")
    if path.is_dir():
        raise InputError("this is a directory, not a file", where=where, fix="pass a CSV, Parquet or Excel file")
    ext, _ = _suffixes(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", where=where, fix="pass a file with a header row and data rows")
    used = None
    if ext in (".parquet", ".pq"):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:
            raise InputError(f"cannot read the Parquet file ({exc})", where=where,
                             fix="check that the file is a complete Parquet file") from exc
    elif ext in (".xlsx", ".xlsm", ".xls"):
        df = _read_excel(path, ext, sheet)
    else:
        data = read_bytes(path)
        text, used = decode_text(data, where, encoding)
        if not text.strip():
            raise InputError("the file is empty", where=where, fix="pass a file with a header row and data rows")
        sep = delimiter or _sniff(text, where)
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                             skipinitialspace=True)
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
    if used is not None:
        df.attrs["encoding"] = used
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
        fix = ("name the columns with region=, activity=, value=, year= (CLI: --region, --activity, --value, --year)"
               + (f"; for this file perhaps {' '.join(options)}" if options else ""))
        sheets = df.attrs.get("sheets") or []
        if len(sheets) > 1:
            fix = _sheet_hint(where, df.attrs.get("sheet"), sheets, [c for c in cols.values() if c]) + "; or " + fix
        raise InputError("; ".join(parts) + f"; the columns are {columns}"
                         + (f" (sheet {df.attrs['sheet']!r})" if sheets else ""), where=where, fix=fix)


def _sheet_hint(where: str, read: str | None, sheets: list[str], wanted: list[str]) -> str:
    """Point to the sheet of a workbook whose header has the wanted columns (the first sheet is
    often a README or notes)."""
    with pd.ExcelFile(where) as book:
        for name in sheets:
            if name == read:
                continue
            header = [str(c).strip() for c in pd.read_excel(book, sheet_name=name, nrows=0, dtype=str).columns]
            if all(c in header for c in wanted):
                return f"the columns are on the sheet {name!r}: pass sheet={name!r} (CLI: --sheet {name!r})"
    return f"the workbook has the sheets {sheets}: pick the data sheet with sheet= (CLI: --sheet NAME)"


def _key_text(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A key column as stripped text, and where it is empty. Only an empty cell (or a null of a
    Parquet file) is missing: ``NA``, ``None`` and ``nan`` are names."""
    null = col.isna().to_numpy()
    text = col.where(~null, "").astype(str).str.strip()
    return text, null | (text == "").to_numpy()


def _check_wide(df: pd.DataFrame, reg_col: str, year: str | None, act_cols: list[str], where: str) -> None:
    """A wide table has one row per region (and year) and numeric activity columns; repeated
    regions and a column of text names mean the table is long (one row per region and
    activity) and was read with ``wide=True``."""
    if not df.duplicated([reg_col] + ([year] if year else [])).any():
        return
    for c in act_cols:
        cells = df[c].astype(str).str.strip()
        given = cells[~cells.str.lower().isin(MISSING_TOKENS)]
        if len(given) and pd.to_numeric(given, errors="coerce").isna().all():
            numeric = [o for o in act_cols if o != c and pd.to_numeric(df[o], errors="coerce").notna().any()]
            raise InputError(
                f"column {c!r} holds text ({given.iloc[0]!r}...), not numbers: a wide table has one numeric "
                "column per activity, so this looks like a long table (one row per region and activity)",
                where=where,
                fix=f"read it without wide=True (CLI: drop --wide), e.g. --region {reg_col} --activity {c}"
                    + (f" --value {numeric[0]}" if numeric else ""),
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
    encoding: str | None = None,
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
    encoding : str, optional
        Text encoding of a CSV file (default: detected, see
        :func:`smartspec.data.encoding.decode_text`).

    Region and activity cells are read as text: ``NA`` (Namibia), ``None`` and ``nan`` are
    names. Only an empty region or activity cell leaves its row out; those rows are counted
    and named in ``panel.report`` and in a :class:`~smartspec.errors.InputWarning`.
    """
    path = Path(path)
    where = str(path)
    if duplicates not in ("error", "sum"):
        raise InputError(f"duplicates must be 'error' or 'sum', not {duplicates!r}")
    df = read_raw(path, sheet=sheet, delimiter=delimiter, encoding=encoding)
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
        _check_wide(df, reg_col, year, act_cols, where)
        # private names for the melted columns: a wide table may have columns named
        # "activity" or "value" (and a long table read with --wide has both)
        df = df.reset_index(names="_row")
        long = df.melt(id_vars=["_row", reg_col] + ([year] if year else []), value_vars=act_cols,
                       var_name="_activity", value_name="_value")
        cols = {"region": reg_col, "activity": "_activity", "value": "_value", "year": year}
        df = long
        row_of = long["_row"].to_numpy()
    else:
        _need(df, {"region": region, "activity": activity, "value": value, "year": year}, where)
        cols = {"region": region, "activity": activity, "value": value, "year": year}
        row_of = np.arange(len(df))

    reg, reg_missing = _key_text(df[cols["region"]])
    act, act_missing = _key_text(df[cols["activity"]])
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
            col = cols["value"] if not wide else f"{df['_activity'].iloc[i]}"
            raise InputError(
                f"{_line(int(row_of[i]), ext)}, column {col!r}: {sv.iloc[i]!r} is not a number "
                f"({int(bad.sum())} non-numeric value(s) in all)",
                where=where, fix="clean the values (use '.' for decimals, no thousand separators), "
                                 "leave missing values empty, or point --value to the numeric column",
            )
    infinite = np.isinf(val.to_numpy(dtype=float, na_value=np.nan))
    if infinite.any():
        i = int(np.flatnonzero(infinite)[0])
        col = cols["value"] if not wide else f"{df['_activity'].iloc[i]}"
        shown = raw_val.iloc[i] if not pd.api.types.is_numeric_dtype(raw_val) else val.iloc[i]
        raise InputError(
            f"{_line(int(row_of[i]), ext)}, column {col!r}: {str(shown).strip()!r} is not a finite number "
            f"(infinite, or beyond the largest float 1.8e308); {int(infinite.sum())} such value(s) in all",
            where=where, fix="correct the value, or leave it empty if it is unknown",
        )
    neg = (val < 0).fillna(False)
    if neg.any() and not allow_negative:
        i = int(np.flatnonzero(neg.to_numpy())[0])
        col = cols["value"] if not wide else f"{df['_activity'].iloc[i]}"
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
    no_key = pd.Series(reg_missing | act_missing, index=df.index)
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
        "shape": "wide" if wide else "long", "encoding": df.attrs.get("encoding", ""),
    }
    if report["rows_without_region_or_activity"]:
        lines = [_line(int(r), ext) for r in work.loc[no_key.to_numpy(), "_row"].drop_duplicates()]
        report["lines_without_region_or_activity"] = lines[:20]
        warnings.warn(f"{where}: {len(lines)} row(s) left out because the region or activity cell is empty: "
                      f"{', '.join(lines[:10])}{' ...' if len(lines) > 10 else ''}", InputWarning, stacklevel=2)
    panel = Panel.from_frame(kept.drop(columns="_row"), year="year", duplicates=duplicates, source_name=where,
                             name=name or path.name, value_name=value if not wide else "value", source=where,
                             report=report)
    report["cells_kept"] = int(len(kept) - (n_dup if duplicates == "sum" else 0))
    return panel
