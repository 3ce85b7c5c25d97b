"""CLI commands: datasets, profile, run (the README's main job)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import (
    DataDirOption, DatasetOption, OutputOption, YearOption, app, console, print_frame,
    progress, save_output,
)


@app.command()
def datasets(data_dir: Optional[Path] = DataDirOption) -> None:
    """List the named datasets with source, licence, shape, years and the file each reads
    (bundled, or updated by `smartspec data update`, with its date)."""
    from smartspec.data.datasets import data_files, list_datasets

    with progress("loading datasets"):
        table = list_datasets(data_dir)
        files = data_files(data_dir)
    print_frame(table.drop(columns=["path"]), title="smartspec datasets")
    console.print("files read (newest download of a table wins over the bundled file; see `smartspec data update`):")
    for row in files.itertuples():
        console.print(f"  {row.name}: {row.file}: {row.path}", soft_wrap=True, highlight=False)


def _resolve_region(query: str, panel, data_dir) -> str:
    if query in panel.regions:
        return query
    from smartspec.data.nuts import lookup_region

    return lookup_region(query, data_dir=data_dir)


@app.command()
def profile(
    region: str = typer.Argument("ITC4", help="NUTS code or name (e.g. ITC4, Lombardia, Lombardy)."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    top: int = typer.Option(15, help="Number of specialisations to print."),
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """A region's profile: its top specialisations by location quotient."""
    from smartspec.data.datasets import load_dataset
    from smartspec.strategy.specialisation import region_specialisations

    with progress(f"loading {dataset}"):
        panel = load_dataset(dataset, data_dir)
    code = _resolve_region(region, panel, data_dir)
    table = region_specialisations(panel, code, year)
    meta = table.attrs
    n_spec = int(table["specialised"].sum())
    console.print(
        f"[bold]{meta['region_name']} ({code})[/bold], {dataset}, {meta['year']}: "
        f"specialised (LQ >= 1) in {n_spec} of {len(table)} activities; {meta['value_name']}: "
        f"{table['value'].sum():,.0f}"
    )
    show = table.head(top)[["rank", "activity", "name", "value", "share", "lq", "lq_first", "lq_change"]].rename(
        columns={"value": meta["value_name"], "lq_first": f"lq {meta['first_year']}"}
    )
    print_frame(show, title=f"Top {top} specialisations by location quotient")
    save_output(table, output)


@app.command()
def run(
    region: str = typer.Argument("ITC4", help="Region to profile (default Lombardy)."),
    serve: bool = typer.Option(True, help="Start the web application afterwards."),
    port: int = typer.Option(8000, help="Port of the web application."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """The main job: a region's profile and opportunities on the default data, then the web app."""
    from smartspec.cli import strategy_cmds, web_cmds

    profile(region=region, dataset="eurostat-sbs", year=None, top=15, output=None, data_dir=data_dir)
    console.print()
    strategy_cmds.opportunities(region=region, dataset="eurostat-sbs", year=None, top=10, quadrant=None,
                                relatedness_threshold="median", complexity_threshold="median", profile="lombardy",
                                output=None, json_path=None, data_dir=data_dir)
    if serve:
        web_cmds.serve(host="127.0.0.1", port=port, dataset="eurostat-sbs", region="lombardy", data_dir=data_dir,
                       store=None, rebuild=False)
