"""CLI command ``smartspec measures``: every measure of a table or a named dataset, tidy."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame, progress, write_frame
from smartspec.cli.options import DataDirOpt

PROXIMITIES = ("min_cp", "asymmetric", "continuous", "cosine", "association", "jaccard")


def _read_population(path: Path, region: str):
    """A population table: a region column and one value column (optionally a year column)."""
    import pandas as pd

    from smartspec.data.generic import read_raw
    from smartspec.errors import InputError

    df = read_raw(path)
    if region not in df.columns and "region" not in df.columns:
        raise InputError(f"the population table has no region column {region!r}; it has {list(map(str, df.columns))}",
                         where=str(path), fix="name the region column like the main table's, or 'region'")
    df = df.rename(columns={region: "region"})
    values = [c for c in df.columns if c not in ("region", "year")]
    if len(values) != 1:
        raise InputError(f"the population table needs exactly one value column besides region (and year); "
                         f"it has {values}", where=str(path))
    df[values[0]] = pd.to_numeric(df[values[0]], errors="coerce")
    return df[["region", *(["year"] if "year" in df.columns else []), values[0]]]


@app.command()
def measures(
    input: Optional[Path] = typer.Argument(None, help="A long table (.csv, .tsv, .parquet, .xlsx), one row per "
                                                       "(year,) region and activity."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="A named dataset instead of INPUT "
                                                                  "(eurostat-sbs, eurostat-lfs, trade-1998-2000, "
                                                                  "patents-wipo35)."),
    region: str = typer.Option("region", "--region", help="Region column of INPUT."),
    activity: str = typer.Option("activity", "--activity", help="Activity column of INPUT."),
    value: str = typer.Option("value", "--value", help="Value column of INPUT."),
    year: Optional[str] = typer.Option(None, "--year", help="Year column of INPUT (default: one period)."),
    convention: str = typer.Option("smartspec", "--convention",
                                   help="smartspec, harvard (= the ecomplexity package) or harvard-stata."),
    rca_threshold: float = typer.Option(1.0, "--rca-threshold", help="Presence where RCA >= this."),
    presence: str = typer.Option("rca", "--presence", help="Presence test: rca, rpop, both (needs --population) "
                                                           "or manual (needs --presence-column)."),
    population: Optional[Path] = typer.Option(None, "--population", help="Table with region (optionally year) "
                                                                         "and population, for rpop/both."),
    presence_column: Optional[str] = typer.Option(None, "--presence-column", help="0/1 column of INPUT with the "
                                                                                   "presence to use."),
    proximity: str = typer.Option("min_cp", "--proximity", help=f"Proximity: {', '.join(PROXIMITIES)}."),
    knn: Optional[int] = typer.Option(None, "--knn", help="Keep each activity's k nearest neighbours for density."),
    pooled: bool = typer.Option(False, "--pooled", help="One proximity pooled over all years (default: per year)."),
    include_self: Optional[bool] = typer.Option(None, "--include-self/--exclude-self",
                                                help="Count the activity itself in its density "
                                                     "(default: as the convention does)."),
    components: str = typer.Option("largest", "--components", help="Complexity on a disconnected graph: largest, "
                                                                   "each or raise."),
    sign: str = typer.Option("auto", "--sign", help="Orientation of ECI/PCI: auto (the one rule everywhere: "
                                                    "positive Spearman with regional GDP per head, Eurostat "
                                                    "nama_10r_2gdp, on NUTS regions that have it, else positive "
                                                    "with diversity), gdp, or diversity (the Harvard rule)."),
    scope: str = typer.Option("traded", "--scope", help="Activities complexity is computed on: traded (default; "
                                                        "local activities such as retail get no PCI) or all."),
    sum_duplicates: bool = typer.Option(False, "--sum-duplicates", help="Sum repeated keys instead of failing."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the tidy table (.csv or .parquet)."),
    top: int = typer.Option(10, "--top", help="Rows of the summary printed (regions by ECI)."),
    data_dir: DataDirOpt = None,
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV INPUT (default: "
                                           "detected; e.g. latin-1)."),
) -> None:
    """RCA, presence, density, ECI/PCI, diversity/ubiquity, COI/COG and fitness of every region and activity.

    Examples: `smartspec measures exports.csv --region country --activity product --value export_value
    --year year -o measures.parquet`; `smartspec measures --dataset eurostat-sbs -o sbs.csv`.
    """
    import warnings

    import pandas as pd

    from smartspec.errors import InputError
    from smartspec.measure_table import measures as compute_measures
    from smartspec.metrics.complexity import ComplexityWarning

    if (input is None) == (dataset is None):
        raise InputError("give either an INPUT table or --dataset NAME", fix="e.g. smartspec measures --dataset eurostat-sbs")
    if proximity not in PROXIMITIES:
        raise InputError(f"unknown proximity {proximity!r}", fix=f"use one of {', '.join(PROXIMITIES)}")
    if output is not None and output.suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise InputError(f"unsupported output format {output.suffix!r}", where=str(output),
                         fix="use a .csv or .parquet file name")
    if dataset is not None:
        from smartspec.data.datasets import load_dataset

        if presence_column is not None:
            raise InputError("--presence-column needs an INPUT table, not --dataset")
        with progress(f"loading {dataset}"):
            table = load_dataset(dataset, data_dir)
        source = dataset
    else:
        from smartspec.data.generic import read_raw, read_table

        with progress(f"reading {input.name}"):
            if presence_column is None:
                table = read_table(input, region=region, activity=activity, value=value, year=year,
                                   duplicates="sum" if sum_duplicates else "error", encoding=encoding)
            else:
                table = read_raw(input, encoding=encoding)
                missing = [c for c in (region, activity, value, presence_column, year) if c and c not in table.columns]
                if missing:
                    raise InputError(f"missing column(s) {missing}; the table has {list(map(str, table.columns))}",
                                     where=str(input))
        source = input.name
    pop = _read_population(population, region) if population is not None else None
    if pop is not None and "year" in pop.columns and year is None and dataset is None:
        pop = pop.drop(columns="year")
    from smartspec.data.scope import check_scope

    check_scope(scope)
    caught: list[str] = []
    with progress(f"measures of {source}"), warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", ComplexityWarning)
        df = compute_measures(table, region_col=region, activity_col=activity, value_col=value, year_col=year,
                              convention=convention, rca_threshold=rca_threshold, presence=presence,
                              population=pop, presence_column=presence_column, proximity=proximity, knn=knn,
                              proximity_by_year=not pooled, density_includes_self=include_self,
                              components=components, orientation=sign, scope=scope, data_dir=data_dir)
        caught = [str(r.message) for r in records if issubclass(r.category, ComplexityWarning)]
    years = sorted(df["year"].unique())
    period = "one period" if years == [0] else (
        f"{len(years)} year(s) ({years[0]}-{years[-1]})" if len(years) > 1 else f"1 year ({years[0]})")
    console.print(f"[bold]{source}[/bold]: {df['region'].nunique()} regions x {df['activity'].nunique()} activities"
                  f" x {period}, convention {convention}", highlight=False)
    console.print(f"Complexity on {'traded activities' if scope == 'traded' else 'every activity'} "
                  f"(--scope); orientation: {df.attrs['eci_orientation']}.", highlight=False)
    for msg in dict.fromkeys(caught):
        console.print(f"[yellow]note:[/yellow] {msg}", highlight=False)
    # summarise the last well-covered year (a last year reported by few regions is a poor summary)
    per_year = df.groupby("year")["region"].nunique()
    shown = int(per_year.index[per_year >= 0.8 * per_year.max()].max())
    last = df[df["year"] == shown]
    summary = (last.groupby("region", observed=True)
               .agg(eci=("eci", "first"), diversity=("diversity", "first"), coi=("coi", "first"),
                    fitness=("fitness", "first"), specialisations=("mcp", "sum"))
               .sort_values("eci", ascending=False).reset_index())
    summary.insert(0, "eci_rank", summary["eci"].rank(ascending=False, method="min").astype("Int64"))
    print_frame(summary.head(top), title=f"Top {top} regions by ECI" + (f", {shown}" if shown else "")
                + f" (of {int(summary['eci'].notna().sum())} ranked)")
    if output is not None:
        out = df.assign(region=df["region"].astype(str), activity=df["activity"].astype(str))
        write_frame(pd.DataFrame(out), output)
        console.print(f"wrote {len(df):,} rows to {output}", highlight=False)
