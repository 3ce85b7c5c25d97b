"""CLI commands: datasets, regions, activities, profile, run (the README's main job)."""
from __future__ import annotations

from typing import Optional

import typer

from smartspec.cli.app import app, call_command, console, print_frame, progress, save_output
from smartspec.cli.options import DataDirOpt, DatasetOpt, OutputOpt, YearOpt
from smartspec.config import DEFAULT_DATASET, DEFAULT_REGION


@app.command()
def datasets(data_dir: DataDirOpt = None) -> None:
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


QueryArgument = typer.Argument(None, help="Part of a code or name (case and accents ignored); all when left out.")


@app.command()
def regions(query: Optional[str] = QueryArgument, dataset: DatasetOpt = DEFAULT_DATASET,
            data_dir: DataDirOpt = None) -> None:
    """Find a dataset's regions by code or by name in any language of the NUTS tables
    (`smartspec regions lomb`, `smartspec regions Bayern`, `smartspec regions ITC`)."""
    import pandas as pd

    from smartspec.data.datasets import load_dataset
    from smartspec.data.nuts import region_names

    with progress(f"loading {dataset}"):
        panel = load_dataset(dataset, data_dir)
    meta = panel.region_meta
    table = pd.DataFrame({"region": panel.regions.astype(str), "name": meta["name"].astype(str).to_numpy(),
                          "country": meta["country"].to_numpy(), "nuts level": meta["level"].to_numpy()})
    if query:
        names = pd.concat([table[["region", "name"]].rename(columns={"region": "code"}),
                           region_names(table["region"], data_dir)], ignore_index=True)
        table = _matches(table.set_index("region"), names, query, "region", "regions", dataset)
    print_frame(table, title=f"{len(table)} region(s) of {dataset}", max_rows=len(table))


@app.command()
def activities(query: Optional[str] = QueryArgument, dataset: DatasetOpt = DEFAULT_DATASET,
               data_dir: DataDirOpt = None) -> None:
    """Find a dataset's activities by code or name (`smartspec activities textile`,
    `smartspec activities C2`)."""
    import pandas as pd

    from smartspec.data.datasets import load_dataset

    with progress(f"loading {dataset}"):
        panel = load_dataset(dataset, data_dir)
    meta = panel.activity_meta
    table = pd.DataFrame({"activity": panel.activities.astype(str), "name": meta["name"].astype(str).to_numpy(),
                          "level": meta["level"].to_numpy() if "level" in meta else None})
    if query:
        names = table[["activity", "name"]].rename(columns={"activity": "code"})
        table = _matches(table.set_index("activity"), names, query, "activity", "activities", dataset)
    print_frame(table, title=f"{len(table)} activit{'y' if len(table) == 1 else 'ies'} of {dataset}",
                max_rows=len(table))


def _matches(table, names, query: str, kind: str, command: str, dataset: str):
    """Rows of ``table`` (indexed by code) whose code or a name matches ``query``, best first,
    with the name that matched when it is not the one shown."""
    from smartspec.data.names import match_names
    from smartspec.errors import InputError, closest

    hits = match_names(names, query)
    if hits.empty:
        near = closest(query, list(dict.fromkeys(names["name"].astype(str))))
        raise InputError(f"no {kind} of {dataset} matches {query!r}",
                         fix=(f"did you mean {', '.join(near)}? " if near else "")
                         + f"run `smartspec {command}` without a query to list them all")
    out = table.loc[hits["code"]].reset_index()
    out.insert(2, "matched name", [m if score > 0 and m != n else ""
                                   for m, n, score in zip(hits["name"], out["name"], hits["score"])])
    return out


@app.command()
def profile(
    region: str = typer.Argument(DEFAULT_REGION, help="NUTS code or name (e.g. ITC4, Lombardia, Lombardy)."),
    dataset: DatasetOpt = DEFAULT_DATASET,
    year: YearOpt = None,
    top: int = typer.Option(15, help="Number of specialisations to print."),
    scope: str = typer.Option("traded", help="'traded' (local activities are never specialisations) or 'all'."),
    min_persons: float = typer.Option(1000.0, help="Mass floor: persons employed a cell needs to count."),
    min_eu_share: float = typer.Option(0.001, help="Mass floor: share of the activity's total a cell needs."),
    output: OutputOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """A region's profile: its top specialisations by location quotient."""
    from smartspec.views.partners_text import floors
    from smartspec.data.datasets import load_dataset
    from smartspec.strategy.specialisation import region_specialisations

    with progress(f"loading {dataset}"):
        panel = load_dataset(dataset, data_dir)
    code = panel.region(region, data_dir=data_dir)
    table = region_specialisations(panel, code, year, scope=scope, min_persons=min_persons,
                                   min_eu_share=min_eu_share)
    meta = table.attrs
    n_spec = int(table["specialised"].sum())
    first, recent = meta["first_years"], meta["recent_years"]
    console.print(
        f"[bold]{meta['region_name']} ({code})[/bold], {dataset}, {meta['year']}: "
        f"specialised (LQ >= 1, {scope} activities) in {n_spec} of {len(table)} activities; {meta['value_name']}: "
        f"{table['value'].sum():,.0f}. Mass: {floors(min_persons, min_eu_share)}; trend = LQ of the mean of "
        f"{recent[0]}-{recent[-1]} against {first[0]}-{first[-1]}."
    )
    cols = ["rank", "activity", "name", "value", "share", "lq", "judgement", "lq_first", "lq_recent", "lq_change"]
    show = table.head(top)[cols].rename(
        columns={"value": meta["value_name"], "lq_first": f"lq {first[0]}-{first[-1]}",
                 "lq_recent": f"lq {recent[0]}-{recent[-1]}"}
    )
    print_frame(show, title=f"Top {top} specialisations by location quotient")
    save_output(table, output)


@app.command()
def run(
    region: str = typer.Argument(DEFAULT_REGION, help="Region to profile (default Lombardy)."),
    serve: bool = typer.Option(True, help="Start the web application afterwards."),
    port: int = typer.Option(8000, help="Port of the web application."),
    data_dir: DataDirOpt = None,
) -> None:
    """The main job: a region's profile and opportunities on the default data, then the web app."""
    from smartspec.cli import strategy_cmds, web_cmds

    call_command(profile, region=region, data_dir=data_dir)
    console.print()
    call_command(strategy_cmds.opportunities, region=region, top=10, data_dir=data_dir)
    if serve:
        call_command(web_cmds.serve, port=port, data_dir=data_dir)
