"""The Typer application every command module registers on, and shared CLI helpers."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import typer
from rich.console import Console

if TYPE_CHECKING:  # pandas and the rest of Rich load when a command prints, not at start-up
    import pandas as pd
    from rich.progress import Progress

app = typer.Typer(
    name="smartspec",
    help="Smart Specialisation Strategy analytics for European regions (default: Lombardy, ITC4).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Tables are wide: when the output is not a terminal (a file, CI, a pipe) do not fold at 80 columns.
console = Console(width=None if Console().is_terminal else 160)
err_console = Console(stderr=True)

#: Reusable option: the data directory (see smartspec.config.resolve_data_dir).
DataDirOption = typer.Option(
    None, "--data-dir", help="Directory with the data files (default: $SMARTSPEC_DATA, ../shared/data, ./data).",
    show_default=False,
)


DatasetOption = typer.Option("eurostat-sbs", help="Named dataset (see `smartspec datasets`).")
ProfileOption = typer.Option("lombardy", help="Region strategy profile (name or .toml path).")
YearOption = typer.Option(None, help="Year (default: the region's last year with data).")
OutputOption = typer.Option(None, "-o", "--output", help="Write the full table (.csv or .parquet).")
#: Reusable argument: the region a command is about (default Lombardy).
RegionArgument = typer.Argument("ITC4", help="NUTS code or name of the region.")


def load_analysis(dataset: str, profile: Optional[str], data_dir):
    """The shared analysis of a dataset (measures of every year and the region profile)."""
    from smartspec.strategy.context import analyse

    with progress(f"analysing {dataset}"):
        return analyse(dataset, data_dir=data_dir, profile=profile)


def save_output(df: pd.DataFrame, output: Optional[Path]) -> None:
    """Write ``df`` when the user asked for ``-o FILE`` and say so."""
    if output:
        write_frame(df, output)
        console.print(f"wrote {len(df)} rows to {output}")


@contextlib.contextmanager
def progress(description: str, total: Optional[int] = None) -> Iterator[Progress]:
    """A Rich progress bar on stderr; yields the Progress with one task id 0 ``total`` steps long."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.completed}/{task.total}" if total else ""), TimeElapsedColumn(),
        console=err_console, transient=True,
    ) as bar:
        bar.add_task(description, total=total)
        yield bar


def print_frame(df: pd.DataFrame, title: str | None = None, float_format: str = "{:.3f}", max_rows: int = 50) -> None:
    """Print a frame as a Rich table (numbers right-aligned, floats formatted)."""
    import pandas as pd
    from rich import box
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold", box=box.SIMPLE_HEAD)
    whole = set()
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        if numeric:
            vals = pd.to_numeric(df[col], errors="coerce").dropna()
            if len(vals) and (vals == vals.round()).all() and vals.abs().max() >= 1000:
                whole.add(col)
        table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for _, row in df.head(max_rows).iterrows():
        cells = []
        for col, v in row.items():
            if isinstance(v, float):
                cells.append("" if pd.isna(v) else ("{:,.0f}".format(v) if col in whole else float_format.format(v)))
            else:
                cells.append("" if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) else str(v))
        table.add_row(*cells)
    console.print(table)
    if len(df) > max_rows:
        console.print(f"[dim]... {len(df) - max_rows} more rows[/dim]")


def write_frame(df: pd.DataFrame, path: Path) -> None:
    """Write a frame to CSV or Parquet according to the file suffix."""
    from smartspec.errors import InputError

    suffix = path.suffix.lower()
    if suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    else:
        raise InputError(f"unsupported output format {suffix!r}", where=str(path), fix="use a .csv or .parquet file name")
