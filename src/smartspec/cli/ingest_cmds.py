"""CLI commands: ``ingest`` (validate and summarise a file) and ``data update`` (Eurostat downloads)."""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from smartspec.cli.app import app, console, err_console, print_frame, progress
from smartspec.cli.options import DataDirOpt
from smartspec.errors import DataNotFoundError, InputError

if TYPE_CHECKING:
    import pandas as pd

data_app = typer.Typer(help="Manage the data directory: download the newest Eurostat tables.", no_args_is_help=True)
app.add_typer(data_app, name="data")


# ------------------------------------------------------------------------------ detection
def _head(path: Path, n: int = 65536) -> str:
    try:
        with open(path, "rb") as fh:
            start = fh.read(2)
        if start == b"\x1f\x8b":
            with gzip.open(path, "rb") as fh:
                raw = fh.read(n)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(n)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(f"the gzip file is truncated or corrupt ({exc})", where=str(path),
                         fix="download or copy the file again") from exc
    return raw.decode("utf-8", errors="replace")


def detect_kind(path: Path) -> str:
    """``eurostat`` (bulk TSV or SDMX-CSV), ``io`` (input-output table) or ``table`` (generic)."""
    name = path.name.lower()
    if name.endswith((".parquet", ".pq", ".xlsx", ".xls", ".xlsm")):
        return "table"
    head = _head(path)
    first = head.splitlines()[0] if head else ""
    if "\\time" in first.split("\t")[0] or ("TIME_PERIOD" in first and "OBS_VALUE" in first):
        return "eurostat"
    if "_niot_" in name or name.startswith("iotablesr_"):
        return "io"
    return "table"


# ------------------------------------------------------------------------------ summaries
def summarise_eurostat(path: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Counts, dimension table and flag table of a Eurostat file."""
    import pandas as pd
    from smartspec.data.eurostat import FLAG_MEANINGS, read_eurostat
    from smartspec.data.panel import nuts_level

    df = read_eurostat(path)
    dims = [c for c in df.columns if c not in ("time", "year", "value", "flag")]
    flags = df["flag"].astype(str)
    conf = flags.str.contains("c")
    years = df["year"].dropna()
    summary = {
        "file": str(path), "format": "Eurostat (bulk TSV / SDMX-CSV)",
        "rows read (cells)": len(df), "cells with a value": int(df["value"].notna().sum()),
        "missing cells": int((df["value"].isna() & ~conf).sum()), "confidential cells": int(conf.sum()),
        "years": f"{int(years.min())}-{int(years.max())} ({years.nunique()})" if len(years) else "none",
        "periods": int(df["time"].nunique()),
        "negative values": int((df["value"] < 0).sum()),
    }
    neg = df["value"] < 0
    if neg.any():  # counts cannot be negative: say where they are, so a bad file is not "valid" unseen
        ind = [d for d in dims if d.startswith(("indic", "unit", "na_item"))]
        where = (df.loc[neg, ind].drop_duplicates().astype(str).agg(",".join, axis=1).tolist()
                 if ind else [])
        summary["negative values"] = (f"{int(neg.sum())} (in {', '.join(where[:6])}{' ...' if len(where) > 6 else ''})"
                                      if where else int(neg.sum()))
    rows = []
    for d in dims:
        vals = df[d].unique()
        extra = ""
        if d == "geo":
            lv = pd.Series([nuts_level(v) for v in vals]).value_counts().sort_index()
            extra = ", ".join(f"level {int(k)}: {v}" for k, v in lv.items())
        rows.append({"dimension": d, "distinct": len(vals), "examples": ", ".join(map(str, vals[:6])), "note": extra})
    letters = flags.str.replace(" ", "").str.split("").explode()
    letters = letters[letters != ""]
    ftab = letters.value_counts().rename_axis("flag").reset_index(name="cells")
    ftab["meaning"] = ftab["flag"].map(FLAG_MEANINGS).fillna("")
    return summary, pd.DataFrame(rows), ftab


def summarise_panel(panel) -> dict:
    rep = panel.report
    missing = int(sum(m.nnz for m in panel.missing.values()))
    years = panel.years
    s = {
        "file": rep.get("file", panel.source), "format": f"generic table ({rep.get('shape', 'long')})",
        "rows read": rep.get("rows_read"), "cells kept": rep.get("cells_kept"),
        "rows left out (no region or activity)": rep.get("rows_without_region_or_activity", 0),
        "missing values": missing, "duplicates summed": rep.get("duplicates_summed", 0),
        "negative values": rep.get("negative_values", 0),
        "regions": len(panel.regions), "activities": len(panel.activities),
        "years": "none (single table)" if years == [0] else f"{years[0]}-{years[-1]} ({len(years)})",
    }
    if rep.get("encoding"):
        s["encoding"] = rep["encoding"]
    if rep.get("lines_without_region_or_activity"):
        s["lines left out (first)"] = ", ".join(rep["lines_without_region_or_activity"][:5])
    return s


def _print_summary(summary: dict, title: str) -> None:
    import pandas as pd

    print_frame(pd.DataFrame({"": list(summary), "value": [str(v) for v in summary.values()]}), title=title)


# ------------------------------------------------------------------------------ commands
@app.command()
def ingest(
    file: Path = typer.Argument(..., help="Eurostat TSV/SDMX-CSV, CSV/TSV (.gz), Parquet or Excel file."),
    region: str = typer.Option("region", "--region", help="Region column (long tables; wide: region column)."),
    activity: str = typer.Option("activity", "--activity", help="Activity column (long tables)."),
    value: str = typer.Option("value", "--value", help="Value column (long tables)."),
    year: Optional[str] = typer.Option(None, "--year", help="Year column (optional)."),
    wide: bool = typer.Option(False, "--wide", help="Region x activity matrix: regions in the first column."),
    sum_duplicates: bool = typer.Option(False, "--sum-duplicates", help="Sum rows that repeat a key."),
    allow_negative: bool = typer.Option(False, "--allow-negative", help="Accept negative values."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Excel sheet (default the first)."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="CSV delimiter (default: detected)."),
    nuts_version: Optional[int] = typer.Option(None, "--nuts-version", help="Check regions are NUTS codes of this version."),
    kind: str = typer.Option("auto", "--kind", help="auto, eurostat, table or io."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV file (default: "
                                           "detected; e.g. latin-1, cp1252, utf-16)."),
) -> None:
    """Validate a data file and summarise it: rows read and kept, missing and confidential cells,
    regions, activities, years and flags. Bad input exits with status 2 and a message naming the
    file, line and problem."""
    if not file.exists():
        raise DataNotFoundError(f"file not found: {file}", where=str(file), fix="check the path")
    if file.is_dir():
        raise InputError("this is a directory, not a file", where=str(file),
                         fix="pass a Eurostat TSV, CSV, Parquet or Excel file inside it")
    if kind not in ("auto", "eurostat", "table", "io"):
        raise InputError(f"unknown --kind {kind!r}", fix="use auto, eurostat, table or io")
    detected = kind == "auto"
    kind = detect_kind(file) if detected else kind
    with progress(f"reading {file.name}"):
        if kind == "eurostat":
            summary, dims, flags = summarise_eurostat(file)
        elif kind == "io":
            try:
                summary, dims, flags = _summarise_io(file), None, None
            except InputError as exc:
                if detected:  # the file name suggested an IO table; it may be another kind of table
                    exc.fix = (exc.fix + "; " if exc.fix else "") + \
                        "if it is not an input-output table, read it as a table with --kind table"
                raise
        else:
            from smartspec.data.generic import read_table

            panel = read_table(file, region=region, activity=activity, value=value, year=year, wide=wide,
                               sheet=sheet, delimiter=delimiter, allow_negative=allow_negative,
                               duplicates="sum" if sum_duplicates else "error", nuts_version=nuts_version,
                               encoding=encoding)
            summary, dims, flags = summarise_panel(panel), None, None
    _print_summary(summary, f"{file.name}: valid")
    if dims is not None:
        print_frame(dims, title="dimensions")
    if flags is not None and len(flags):
        print_frame(flags, title="flags")


def _summarise_io(path: Path) -> dict:
    """Sectors, flows, final demand and output of an input-output table."""
    from smartspec.data.io_tables import read_io_table

    t = read_io_table(path)
    inputs = t.flows.sum(axis=0)
    over = int((inputs > t.output.where(t.output > 0)).sum())
    return {
        "file": str(path), "format": "input-output table", "source": t.source,
        "sectors": len(t.sectors), "final demand categories": ", ".join(map(str, t.final_demand.columns)),
        "primary input rows": len(t.primary_inputs),
        "intermediate use (sum of flows)": f"{t.flows.to_numpy().sum():,.0f}",
        "total output": f"{t.output.sum():,.0f}",
        "sectors with zero output": int((t.output <= 0).sum()),
        "sectors buying more than they produce": over,
        **({"left out": "; ".join(t.notes)} if t.notes else {}),
    }


@data_app.command("tables")
def data_tables() -> None:
    """List the Eurostat tables `data update` knows."""
    import pandas as pd
    from smartspec.data.update import DEFAULT_TABLES, TABLES

    print_frame(pd.DataFrame({"table": list(TABLES), "default": [t in DEFAULT_TABLES for t in TABLES],
                              "content": list(TABLES.values())}), title="Eurostat tables")


@data_app.command("update")
def data_update(
    table: Optional[List[str]] = typer.Option(None, "--table", help="Table code (repeatable; default: the main tables)."),
    dest: Optional[Path] = typer.Option(
        None, "--dest", help="Folder for the files (default: $SMARTSPEC_UPDATES, else "
        "~/.local/share/smartspec/eurostat_regional; with --data-dir: <data dir>/eurostat_regional).",
        show_default=False),
    base_url: Optional[str] = typer.Option(None, "--base-url", envvar="SMARTSPEC_EUROSTAT_URL",
                                           help="API address, may contain {code} (default: Eurostat's dissemination API)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds before a stalled download fails."),
    data_dir: DataDirOpt = None,
) -> None:
    """Download the newest versions of the Eurostat tables, verify them, then replace the old files.
    A broken download leaves the previous file intact and exits with status 2."""
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn,
                               TransferSpeedColumn)

    from smartspec.data.update import UpdateError, update_tables

    tasks: dict[str, int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeElapsedColumn(), console=err_console) as bar:
        def on_progress(code: str, done: int, total: int | None) -> None:
            if code not in tasks:
                tasks[code] = bar.add_task(code, total=total)
            bar.update(tasks[code], completed=done, total=total)

        try:
            results = update_tables(table, dest=dest, base_url=base_url, data_dir=data_dir, timeout=timeout,
                                    on_progress=on_progress)
        except UpdateError as exc:
            for r in exc.results:
                console.print(f"updated {r.table}: {r.path} ({r.bytes:,} bytes, {r.rows:,} cells)")
            raise
    import pandas as pd

    print_frame(pd.DataFrame([{"table": r.table, "file": str(r.path), "bytes": r.bytes, "cells": r.rows,
                               "seconds": round(r.seconds, 2), "replaced": r.replaced,
                               "table date (server)": r.last_modified or ""} for r in results]),
                title="updated tables")
    _say_what_reads(results, data_dir)


def _say_what_reads(results, data_dir) -> None:
    """Tell whether the datasets will read the new files (they look only in the updates folder
    and in <data dir>/eurostat_regional)."""
    from smartspec.config import resolve_data_dir
    from smartspec.data.update import is_read_by_datasets

    if not results:
        return
    folder = results[0].path.parent
    try:
        root = resolve_data_dir(data_dir)
    except DataNotFoundError:
        return
    if is_read_by_datasets(folder, root):
        console.print(f"the datasets now read these files (see `smartspec datasets`); folder: {folder}",
                      soft_wrap=True, highlight=False)
    else:
        console.print(f"note: the datasets do not look in {folder}; set SMARTSPEC_UPDATES={folder} to make "
                      "them read these files", soft_wrap=True, highlight=False)
