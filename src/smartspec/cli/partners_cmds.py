"""CLI commands: partners, peers, network."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import (
    DataDirOption, DatasetOption, OutputOption, ProfileOption, YearOption, app, console, load_analysis, print_frame,
    save_output,
)


@app.command()
def partners(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    activity: Optional[str] = typer.Option(None, help="Target activity (NACE code or name)."),
    ecosystem: Optional[str] = typer.Option(None, help="Target S3 ecosystem of the profile."),
    network: Optional[str] = typer.Option(None, help="Only members of this network (e.g. 'Four Motors')."),
    country: Optional[str] = typer.Option(None, help="Only regions of this country (NUTS prefix, e.g. DE)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    top: int = typer.Option(15, min=1, max=500, help="Number of partners."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Regions whose capabilities complement the region's for an activity or an ecosystem."""
    from smartspec.strategy.partners import complementary_partners

    a = load_analysis(dataset, profile, data_dir)
    table = complementary_partners(a, region, activity, ecosystem, year=year, network=network, country=country,
                                   exclude_own_country=exclude_own_country, top=top)
    meta = table.attrs
    console.print(f"[bold]Complementary partners of {meta['region_name']} ({meta['region']}) for {meta['target']}"
                  f"[/bold], {meta['year']}: relatedness density alone {meta['density_alone']:.2f}; gain = how much "
                  f"it rises with the partner's specialisations (Balland and Boschma 2021). Similarity is shown apart: "
                  f"it is not complementarity.")
    print_frame(table[["rank", "region", "name", "country", "gain", "density_with", "partner_rca", "similarity",
                       "brings"]])
    save_output(table, output)


@app.command()
def peers(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    top: int = typer.Option(10, min=1, max=500, help="Number of peers."),
    by: str = typer.Option("profile", help="'profile' (cosine of RCA vectors) or 'structure' (distance)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Structural peers: the regions most similar to the region."""
    from smartspec.strategy.partners import structural_peers

    a = load_analysis(dataset, "lombardy", data_dir)
    table = structural_peers(a, region, year=year, top=top, exclude_own_country=exclude_own_country, by=by)
    meta = table.attrs
    console.print(f"[bold]Structural peers of {meta['region_name']} ({meta['region']})[/bold], {meta['year']}, ranked by "
                  f"{'cosine similarity of RCA vectors' if by == 'profile' else 'structural distance'}; distance over "
                  f"standardised {', '.join(meta['variables'])}.")
    print_frame(table[["rank", "region", "name", "country", "similarity", "distance", "variables",
                       "gdp_per_head_pps" if "gdp_per_head_pps" in table else "diversity", "eci"]])
    save_output(table, output)


@app.command()
def network(
    name: str = typer.Argument("Four Motors for Europe", help="Network of the profile (e.g. 'Vanguard Initiative')."),
    dataset: str = DatasetOption,
    year: Optional[int] = typer.Option(None, help="Year (default: the last year all members have data)."),
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Side-by-side benchmark of a network's members, with who brings what to whom."""
    from smartspec.strategy.partners import network_benchmark

    a = load_analysis(dataset, profile, data_dir)
    bench = network_benchmark(a, name, year=year)
    meta = bench.members.attrs
    console.print(f"[bold]{bench.network}[/bold], {bench.year}. {meta['note']}")
    print_frame(bench.members, title="Members")
    print_frame(bench.shared.reset_index().head(15), title="Shared specialisations (RCA by member)",
                float_format="{:.2f}")
    comp = bench.complementarity.pivot_table(index=["from_member", "to_member"], columns="ecosystem", values="gain")
    print_frame(comp.reset_index(), title="Complementarity: density gain of the receiving member by S3 ecosystem",
                float_format="{:.2f}")
    save_output(bench.members, output)
