"""CLI commands: paths, competences, niches."""
from __future__ import annotations

from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame
from smartspec.cli.options import RegionArg, YearOpt, analysis_command
from smartspec.config import DEFAULT_REGION


@analysis_command(app, ranges={"k": (1, 50), "max_steps": (1, 10), "neighbours": (1, 30)})
def paths(
    a,
    region: RegionArg = DEFAULT_REGION,
    source: Optional[str] = typer.Option(
        None, "--from", help="Traditional industry of the profile (name or key), or NACE codes (C13,C14). Default: "
        "the profile's fashion for its own region, else the region's largest traded specialisations."),
    target: Optional[str] = typer.Option(
        None, "--to", help="Emerging industry of the profile, or NACE codes (C30). Default: the profile's aerospace "
        "for its own region, else the region's best-ranked traded opportunities."),
    scope: str = typer.Option("traded", "--scope", help="Targets among 'traded' activities (default) or 'all'."),
    k: int = typer.Option(5, "--k", help="Number of paths (1-50)."),
    max_steps: int = typer.Option(5, "--max-steps", help="Longest path in moves (1-10)."),
    neighbours: int = typer.Option(6, "--neighbours",
                                   help="Strongest links kept per activity in the relatedness network."),
    disjoint: bool = typer.Option(False, "--disjoint",
                                  help="Alternative routes that share no stepping stone (instead of variations of the best)."),
    year: YearOpt = None,
):
    """How a traditional industry can reach an emerging one through stepping-stone activities."""
    from smartspec.strategy.paths import path_summary, transition_paths
    from smartspec.views.text import path_route, weakest_step

    steps = transition_paths(a, region, source, target, year=year, k=k, max_steps=max_steps, neighbours=neighbours,
                             disjoint=disjoint, scope=scope)
    meta = steps.attrs
    if meta["derived"]:
        console.print(f"[dim]{meta['region']} has no profile of its own: paths go from its largest traded "
                      f"specialisations to its best-ranked traded opportunities (give --from/--to to choose).[/dim]",
                      highlight=False)
    if meta["left_out"]:
        console.print(f"[dim]Targets left out (confidential, missing or outside the {scope} scope): "
                      f"{', '.join(meta['left_out'])}.[/dim]", highlight=False)
    console.print(f"[bold]Transition paths for {meta['region_name']} ({meta['region']}), {meta['year']}[/bold]: from "
                  f"{meta['source']} ({', '.join(meta['sources'])}) to {meta['target']} ({', '.join(meta['targets'])}).",
                  highlight=False)
    console.print("Feasibility = product over the moves of proximity (how often regions specialised in one activity "
                  "are specialised in the next) x the region's reach of the next activity (1 for its strengths, "
                  "else its relatedness density); 'per move' is its geometric mean.", highlight=False)
    summary = path_summary(steps)
    for row in summary.itertuples():
        console.print(f"\n[bold]{row.path}.[/bold] feasibility {row.feasibility:.3f} ({row.step_feasibility:.3f} per "
                      f"move, {row.steps} moves, {row.new_capabilities} new "
                      f"{'capability' if row.new_capabilities == 1 else 'capabilities'} to build)", highlight=False)
        path = steps[steps["path"] == row.path]
        console.print(f"   {path_route(path, meta['year'], a.panel.activity_name, meta['target'])}", highlight=False)
        console.print(f"   [dim]hardest move: {weakest_step(path, row.weakest_step, a.panel.activity_name)}[/dim]",
                      highlight=False)
    first = steps[steps["path"] == 1].rename(columns={"value": meta.get("value_name") or "value"})
    console.print("")
    print_frame(first[["step", "activity", "name", "role", "status", "rca", "density", "proximity",
                       meta.get("value_name") or "value"]], title="Path 1, step by step: the region's position")
    return steps


@analysis_command(app, ranges={"resolution": (0.05, 5.0)})
def competences(
    a,
    region: RegionArg = DEFAULT_REGION,
    resolution: float = typer.Option(1.0, help="Leiden resolution (higher: more, smaller systems)."),
    seed: int = typer.Option(0, help="Seed of the Leiden partition shown."),
    year: YearOpt = None,
):
    """Systems of competence (communities of related activities across sectors) and the region's strength in each."""
    from smartspec.strategy.competences import competence_systems, region_competences
    from smartspec.views.text import competence_summary

    systems = competence_systems(a, resolution=resolution, seed=seed)
    table = region_competences(a, region, year=year, systems=systems)
    st = systems.stability
    meta = table.attrs
    console.print(f"[bold]Systems of competence[/bold]: {len(systems.communities)} communities of related activities "
                  f"(Leiden on the proximity network pooled over {len(a.years)} years, resolution {resolution}, "
                  f"seed {seed}; modularity {st['modularity']:.2f}).", highlight=False)
    console.print(f"Stability: adjusted Rand {st['ari_across_seeds']:.2f} / NMI {st['nmi_across_seeds']:.2f} between "
                  f"{st['seeds']} seeds; {st['ari_across_resolutions']:.2f} / {st['nmi_across_resolutions']:.2f} "
                  f"between resolutions {st['resolutions']} ({st['communities_per_resolution']} communities); "
                  "1 = identical partitions.", highlight=False)
    print_frame(systems.communities[["community", "name", "size", "core", "sections"]], title="Systems")
    console.print(f"\n[bold]{meta['region_name']} ({meta['region']})[/bold], {meta['year']} "
                  f"(trend since {meta['first_year']}, percentage points of {a.panel.value_name or 'the total'})", highlight=False)
    shown = table.assign(share_pct=100 * table["employment_share"])
    print_frame(shown[["community", "name", "strength", "specialised", "size", "share_pct", "trend",
                       "trend_per_year", "ecosystems"]], float_format="{:.2f}")
    console.print("")
    for row in table.to_dict(orient="records"):
        said = competence_summary(row, year=meta["year"], first_year=meta["first_year"],
                                  value_name=meta.get("value_name") or "")
        console.print(f"- {row['name']}: {said}.", highlight=False)
    return table


@analysis_command(app, ranges={"top": (1, 200), "bridges": (0, 10), "explain": (0, 200)})
def niches(
    a,
    region: RegionArg = DEFAULT_REGION,
    top: int = typer.Option(10, help="Number of pairs (1-200)."),
    bridges: int = typer.Option(3, help="Bridging activities per pair (0-10)."),
    explain: int = typer.Option(3, help="Pairs explained in words."),
    scope: str = typer.Option("traded", "--scope", help="Pairs and bridges among 'traded' activities (default) or 'all'."),
    year: YearOpt = None,
):
    """Cross-sector niches: pairs of strengths linked by input-output or co-location, with bridging activities."""
    from smartspec.strategy.niches import cross_sector_niches
    from smartspec.views.text import niche_reason

    table = cross_sector_niches(a, region, year=year, top=top, n_bridges=bridges, scope=scope)
    meta = table.attrs
    console.print(f"[bold]Cross-sector niches of {meta['region_name']} ({meta['region']}), {meta['year']}[/bold]: "
                  f"pairs of its {meta['strengths']} strengths (RCA >= 1) in different sectors (NACE sections), ranked by "
                  f"input-output and co-location links (percentiles among all cross-section pairs). "
                  f"Input-output: {meta['io_source']}.", highlight=False)
    print_frame(table[["rank", "a", "a_name", "b", "b_name", "linked_by", "io_link", "proximity", "link",
                       "bridge_codes"]])
    if explain:
        console.print(f"\n[bold]The first {min(explain, len(table))}, explained[/bold]")
        for row in table.head(explain).to_dict(orient="records"):
            said = niche_reason(row, region_name=meta["region_name"], io_source=meta["io_source"],
                                name_of=a.panel.activity_name)
            console.print(f"{row['rank']}. {said}", highlight=False)
    return table
