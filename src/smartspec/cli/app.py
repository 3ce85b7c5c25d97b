"""The Typer application every command module registers on, and shared CLI helpers."""
from __future__ import annotations

import contextlib
import os
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

# A terminal (or an explicit COLUMNS) sets the width; a file, CI log or pipe gets 160 columns
# for prose and every table in full (a file keeps everything; there is no screen to fit).
_SCREEN = Console().is_terminal or bool(os.environ.get("COLUMNS"))
console = Console(width=None if _SCREEN else 160)
err_console = Console(stderr=True)
#: Tables in full, however wide (see :func:`print_frame`): ``smartspec --wide CMD``, or not a screen.
WIDE = {"on": not _SCREEN}


@app.callback()
def _global_options(wide: bool = typer.Option(
        False, "--wide", help="Print tables in full: no column left out or shortened to fit the terminal.")) -> None:
    """Smart Specialisation Strategy analytics for European regions (default: Lombardy, ITC4)."""
    if wide:
        WIDE["on"] = True


# The shared options are defined in smartspec.cli.options.


def load_analysis(dataset: str, profile: Optional[str], data_dir):
    """The shared analysis of a dataset (measures of every year and the region profile)."""
    from smartspec.strategy.context import analyse

    with progress(f"analysing {dataset}"):
        return analyse(dataset, data_dir=data_dir, profile=profile)


def call_command(command, **arguments):
    """Call another command's function with ``arguments`` and every other parameter at its
    command-line default (so a command that gains an option does not break its callers)."""
    import inspect

    for name, param in inspect.signature(command).parameters.items():
        if name not in arguments:
            default = param.default
            arguments[name] = getattr(default, "default", default)
    return command(**arguments)


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


#: Widest a text column grows to fit a terminal (``--wide`` lifts it), and narrowest it shrinks to.
TEXT_MAX, TEXT_MIN = 48, 24


#: Words a long activity name can lose before it is cut: the NACE names of manufacturing all
#: begin "Manufacture of" (the code says as much), and a qualifier after ", except" or "; "
#: narrows a name the reader already recognises ("Wholesale trade, except of motor vehicles...").
_NAME_PREFIX = "Manufacture of "
_NAME_QUALIFIERS = (", except ", "; ")


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word boundary, with an ellipsis.

    A name too long for its column first loses the words that tell least (``_NAME_PREFIX``,
    then a qualifier): "Manufacture of chemicals and chemical products" in 20 characters is
    "Chemicals and…", not "Manufacture of…". A single word longer than ``width`` is the only
    one cut inside (a code such as ``C10-C12`` is never that long in a column that has room
    for its header).
    """
    if len(text) <= width:
        return text
    if text.startswith(_NAME_PREFIX) and len(text) > len(_NAME_PREFIX):
        rest = text[len(_NAME_PREFIX):]
        text = rest[0].upper() + rest[1:]
    for qualifier in _NAME_QUALIFIERS:
        if len(text) > width and qualifier in text:
            text = text[:text.index(qualifier)]
    if len(text) <= width:
        return text
    cut = text[:max(width - 1, 1)]
    if text[len(cut)] != " " and " " in cut.strip():  # the cut fell inside a word: drop that word
        cut = cut[:cut.rstrip().rfind(" ")]
    cut = cut.rstrip(" ,;:-(")
    return cut + "\u2026"


def _fit(natural: list[int], longest_word: list[int], text: list[bool], width: int) -> list[int | None]:
    """Width of each column, in priority order; None for a column left out.

    Numbers keep their full width; text columns share what is left (each up to its
    natural width, at least ``TEXT_MIN`` or its longest word, so no word is cut); a column
    that does not fit is left out, and so is every lower-priority one after it (the
    table's overhead is 3 characters a column).
    """
    need = [min(n, max(TEXT_MIN, w)) if t else n for n, w, t in zip(natural, longest_word, text)]
    keep, used = 0, 1
    while keep < len(need) and used + need[keep] + 3 <= width:
        used += need[keep] + 3
        keep += 1
    keep = max(keep, 1)
    widths: list[int | None] = need[:keep] + [None] * (len(need) - keep)
    spare = width - used
    growing = sorted((i for i in range(keep) if text[i]), key=lambda i: natural[i])
    for left, i in zip(range(len(growing), 0, -1), growing):  # narrowest first: the widest gets the rest
        share = spare // left
        grow = min(natural[i] - widths[i], max(share, 0))
        widths[i] += grow
        spare -= grow
    return widths


def print_frame(df: pd.DataFrame, title: str | None = None, float_format: str = "{:.3f}", max_rows: int = 50) -> None:
    """Print a frame as a Rich table that fits the terminal, one line per row.

    Columns are taken in the frame's order, which is their priority: those that do not fit
    the console width are left out and named under the table; long text is shortened at a
    word boundary with an ellipsis, never folded mid-word; headers wrap between words.
    ``smartspec --wide`` prints every column in full. Cells are plain text (a value such
    as ``[red]x[/red]`` is printed as it is, not read as Rich markup).
    """
    import pandas as pd
    from rich import box
    from rich.table import Table
    from rich.text import Text

    head = df.head(max_rows)
    columns, numeric, cells = [], [], []
    for col in df.columns:
        num = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        whole = False
        if num:
            vals = pd.to_numeric(df[col], errors="coerce").dropna()
            whole = bool(len(vals) and (vals == vals.round()).all() and vals.abs().max() >= 1000)
        out = []
        for v in head[col].tolist():
            if isinstance(v, float):
                out.append("" if pd.isna(v) else ("{:,.0f}".format(v) if whole else float_format.format(v)))
            else:
                out.append("" if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) else str(v))
        columns.append(str(col))
        numeric.append(num)
        cells.append(out)
    def longest(words: str) -> int:
        return max(map(len, words.split()), default=0)

    natural = [max([longest(name)] + [len(x) for x in col]) for name, col in zip(columns, cells)]
    longest_word = [max([longest(name)] + [longest(x) for x in col]) for name, col in zip(columns, cells)]
    text = [not n for n in numeric]
    full = WIDE["on"]
    if full:  # headers on one line too
        natural = [max(n, len(name)) for n, name in zip(natural, columns)]
        widths: list[int | None] = list(natural)
    else:
        natural = [min(n, TEXT_MAX) if t else n for n, t in zip(natural, text)]
        widths = _fit(natural, [min(w, TEXT_MAX) for w in longest_word], text, console.width)
    table = Table(title=title, show_lines=False, header_style="bold", box=box.SIMPLE_HEAD)
    shown = [i for i, w in enumerate(widths) if w is not None]
    for i in shown:
        table.add_column(Text(columns[i], no_wrap=False, overflow="fold"), justify="right" if numeric[i] else "left",
                         no_wrap=True, overflow="ellipsis", width=widths[i])
    for r in range(len(head)):
        table.add_row(*(Text(shorten(cells[i][r], widths[i])) for i in shown))
    if full:  # as wide as its cells; the prose around it keeps the console width
        screen = console.width
        console.width = max(screen, sum(natural) + 3 * len(natural) + 1)
        try:
            console.print(table, crop=False)
        finally:
            console.width = screen
    else:
        console.print(table)
    left_out = [columns[i] for i, w in enumerate(widths) if w is None]
    if left_out:
        console.print(Text(f"not shown at this width: {', '.join(left_out)} (smartspec --wide ... shows every "
                           "column)", style="dim"))
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
