"""The options shared by the commands, defined once, and the one body of an analysis command.

Shared options (Typer ``Annotated`` aliases: the type and the help in one name, the default
where the command declares it):

* :data:`DatasetOpt`, :data:`YearOpt`, :data:`ProfileOpt`, :data:`OutputOpt`,
  :data:`DataDirOpt`, :data:`JsonOpt`, :data:`RegionArg`;
* the results store's :data:`StoreOpt`, :data:`StoreRegionOpt`, :data:`StoreProfileOpt`.

:func:`analysis_command` registers a command whose body takes the analysis of a dataset:
it adds the shared options (``--dataset``, the body's ``--year``, ``--profile``,
``-o/--output``, ``--data-dir``, in that order, after the body's own options), checks
the declared ranges before anything is loaded, loads the analysis, calls the body (which
prints) and writes the frame it returns when ``-o FILE`` is given.

Only Typer and the standard library are imported here: ``smartspec --help`` must not load
numpy or pandas.
"""
from __future__ import annotations

import functools
import inspect
import typing
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from smartspec.cli.app import load_analysis, save_output
from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE

DatasetOpt = Annotated[str, typer.Option(help="Named dataset (see `smartspec datasets`).")]
YearOpt = Annotated[Optional[int], typer.Option(help="Year (default: the region's last year with data).")]
ProfileOpt = Annotated[str, typer.Option(help="Region strategy profile (name or .toml path).")]
OutputOpt = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the full table (.csv or .parquet).")]
DataDirOpt = Annotated[Optional[Path], typer.Option(
    "--data-dir", help="Directory with the data files (default: $SMARTSPEC_DATA, ../shared/data, ./data).",
    show_default=False)]
JsonOpt = Annotated[Optional[Path], typer.Option("--json", help="Also write the result as JSON to this file.")]
RegionArg = Annotated[str, typer.Argument(help="NUTS code or name of the region.")]
#: The results store's options (``build``, ``serve``, ``report``, ``monitor``, ``evidence``).
StoreOpt = Annotated[Optional[Path], typer.Option(
    "--store", show_default=False, help="Folder of the results store (default: in the cache directory).")]
StoreRegionOpt = Annotated[str, typer.Option(
    "--region", "--profile", help="Region strategy profile (name or TOML file) driving paths, niches and partners.")]
StoreProfileOpt = Annotated[str, typer.Option("--profile", help="Region strategy profile of the store.")]
FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="html or pdf (default: the output file's suffix; html without one).")]

#: The options :func:`analysis_command` adds, in the order ``--help`` lists them (the body's
#: ``year`` goes after ``--dataset``).
SHARED = [
    inspect.Parameter("dataset", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_DATASET, annotation=DatasetOpt),
    inspect.Parameter("profile", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_PROFILE, annotation=ProfileOpt),
    inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=OutputOpt),
    inspect.Parameter("data_dir", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DataDirOpt),
]


def check_range(option: str, value, low, high) -> None:
    """Out-of-range options raise InputError (the CLI prints it and exits with status 2)."""
    from smartspec.errors import InputError

    if not low <= value <= high:
        raise InputError(f"{option} {value} is out of range", fix=f"use a value from {low} to {high}")


def analysis_command(app: typer.Typer, *, ranges: dict[str, tuple] | None = None) -> Callable:
    """Register ``body(analysis, **options)`` on ``app`` as a command of the same name and help.

    Parameters
    ----------
    app : typer.Typer
    ranges : dict, optional
        Option name -> (low, high): checked (:func:`check_range`) before the analysis loads, so
        a bad value fails at once.

    Returns
    -------
    The decorator. The body receives the analysis of ``--dataset`` with ``--profile``
    (:func:`smartspec.cli.app.load_analysis`) and its own options, ``year`` among them; it
    prints its answer and returns the frame ``-o FILE`` writes.
    """
    def register(body: Callable) -> Callable:
        hints = typing.get_type_hints(body, include_extras=True)
        own = [p.replace(annotation=hints.get(p.name, p.annotation), kind=inspect.Parameter.KEYWORD_ONLY)
               for p in list(inspect.signature(body).parameters.values())[1:]]
        # the shared options follow the body's own, its year (each body says what it defaults to)
        # between --dataset and --profile
        year = [p for p in own if p.name == "year"]
        params = [p for p in own if p.name != "year"] + SHARED[:1] + year + SHARED[1:]

        @functools.wraps(body)
        def command(**options):
            for name, (low, high) in (ranges or {}).items():
                check_range(f"--{name.replace('_', '-')}", options[name], low, high)
            output, data_dir = options.pop("output"), options.pop("data_dir")
            analysis = load_analysis(options.pop("dataset"), options.pop("profile"), data_dir)
            save_output(body(analysis, **options), output)

        del command.__wrapped__  # Typer reads the signature below, not the body's
        command.__signature__ = inspect.Signature(params)
        command.__annotations__ = {p.name: p.annotation for p in params}
        return app.command()(command)

    return register
