"""CLI commands: paths, competences, niches."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import (
    DataDirOption, DatasetOption, OutputOption, ProfileOption, YearOption, app, console, load_analysis, print_frame,
    save_output,
)


@app.command()
def paths(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    source: str = typer.Option("fashion", "--from", help="Traditional industry of the profile, or NACE codes (C13,C14)."),
    target: str = typer.Option("aerospace", "--to", help="Emerging industry of the profile, or NACE codes."),
    k: int = typer.Option(5, "--k", min=1, max=50, help="Number of paths."),
    max_steps: int = typer.Option(5, "--max-steps", min=1, max=10, help="Longest path (moves)."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """How a traditional industry can reach an emerging one through stepping stones."""
    from smartspec.strategy.paths import path_summary, transition_paths

    a = load_analysis(dataset, profile, data_dir)
    steps = transition_paths(a, region, source, target, year=year, k=k, max_steps=max_steps)
    meta = steps.attrs
    console.print(f"[bold]Paths for {meta['region_name']} ({meta['region']}), {meta['year']}[/bold]: from "
                  f"{meta['source']} ({', '.join(meta['sources'])}) to {meta['target']} ({', '.join(meta['targets'])}). "
                  "Feasibility = product over the moves of proximity x the region's reach of the next activity "
                  "(1 for its strengths, else its relatedness density).")
    print_frame(path_summary(steps), title="Most feasible paths")
    first = steps[steps["path"] == 1]
    console.print("\n[bold]Path 1, step by step[/bold]")
    print_frame(first[["step", "activity", "name", "status", "rca", "density", "proximity", "value"]])
    save_output(steps, output)


@app.command()
def competences(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    resolution: float = typer.Option(1.0, min=0.05, max=5.0, help="Leiden resolution (higher: more, smaller systems)."),
    dataset: str = DatasetOption,
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Systems of competence (communities of related activities) and the region's strength in each."""
    from smartspec.strategy.competences import competence_systems, region_competences

    a = load_analysis(dataset, profile, data_dir)
    systems = competence_systems(a, resolution=resolution)
    table = region_competences(a, region, systems=systems)
    st = systems.stability
    meta = table.attrs
    console.print(f"[bold]Systems of competence[/bold]: {len(systems.communities)} communities (Leiden, resolution "
                  f"{resolution}); stability: adjusted Rand {st['ari_across_seeds']:.2f} across {st['seeds']} seeds, "
                  f"{st['ari_across_resolutions']:.2f} across resolutions {st['resolutions']}.")
    print_frame(systems.communities[["community", "name", "size", "core", "sections"]], title="Systems")
    console.print(f"\n[bold]{meta['region_name']} ({meta['region']})[/bold], {meta['year']} "
                  f"(trend since {meta['first_year']}, percentage points of employment)")
    print_frame(table[["community", "name", "strength", "specialised", "size", "employment_share", "trend",
                       "ecosystems"]], float_format="{:.2f}")
    save_output(table, output)


@app.command()
def niches(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    top: int = typer.Option(10, min=1, max=200, help="Number of pairs."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Cross-sector niches: pairs of strengths linked by input-output or co-location, with bridges."""
    from smartspec.strategy.niches import cross_sector_niches

    a = load_analysis(dataset, profile, data_dir)
    table = cross_sector_niches(a, region, year=year, top=top)
    meta = table.attrs
    console.print(f"[bold]Cross-sector niches of {meta['region_name']} ({meta['region']}), {meta['year']}[/bold]: "
                  f"pairs of its {meta['strengths']} strengths in different sections; input-output: {meta['io_source']}.")
    print_frame(table[["rank", "a", "a_name", "b", "b_name", "io_link", "proximity", "link", "bridge_codes"]])
    console.print("\n[bold]The first three, explained[/bold]")
    for reason in table["reason"].head(3):
        console.print(f"- {reason}")
    save_output(table, output)
