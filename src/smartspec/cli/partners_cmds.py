"""CLI commands: partners, peers, network."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import DataDirOption, app, console, print_frame, progress, write_frame


def _analysis(dataset: str, profile: str, data_dir):
    from smartspec.strategy.context import analyse

    with progress(f"analysing {dataset}"):
        return analyse(dataset, data_dir=data_dir, profile=profile)


@app.command()
def partners(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    activity: Optional[str] = typer.Option(None, help="Target activity (NACE code or name)."),
    ecosystem: Optional[str] = typer.Option(None, help="Target S3 ecosystem of the profile."),
    network: Optional[str] = typer.Option(None, help="Only members of this network (e.g. 'Four Motors')."),
    country: Optional[str] = typer.Option(None, help="Only regions of this country (NUTS prefix, e.g. DE)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    top: int = typer.Option(15, min=1, max=500, help="Number of partners."),
    dataset: str = typer.Option("eurostat-sbs", help="Named dataset."),
    year: Optional[int] = typer.Option(None, help="Year (default: the region's last year with data)."),
    profile: str = typer.Option("lombardy", help="Region strategy profile."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the table (.csv/.parquet)."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Regions whose capabilities complement the region's for an activity or an ecosystem."""
    from smartspec.strategy.partners import complementary_partners

    a = _analysis(dataset, profile, data_dir)
    table = complementary_partners(a, region, activity, ecosystem, year=year, network=network, country=country,
                                   exclude_own_country=exclude_own_country, top=top)
    meta = table.attrs
    console.print(f"[bold]Complementary partners of {meta['region_name']} ({meta['region']}) for {meta['target']}"
                  f"[/bold], {meta['year']}: relatedness density alone {meta['density_alone']:.2f}; gain = how much "
                  f"it rises with the partner's specialisations (Balland and Boschma 2021). Similarity is shown apart: "
                  f"it is not complementarity.")
    print_frame(table[["rank", "region", "name", "country", "gain", "density_with", "partner_rca", "similarity",
                       "brings"]])
    if output:
        write_frame(table, output)
        console.print(f"wrote {len(table)} rows to {output}")


@app.command()
def peers(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    top: int = typer.Option(10, min=1, max=500, help="Number of peers."),
    by: str = typer.Option("profile", help="'profile' (cosine of RCA vectors) or 'structure' (distance)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    dataset: str = typer.Option("eurostat-sbs", help="Named dataset."),
    year: Optional[int] = typer.Option(None, help="Year (default: the region's last year with data)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the table (.csv/.parquet)."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Structural peers: the regions most similar to the region."""
    from smartspec.strategy.partners import structural_peers

    a = _analysis(dataset, "lombardy", data_dir)
    table = structural_peers(a, region, year=year, top=top, exclude_own_country=exclude_own_country, by=by)
    meta = table.attrs
    console.print(f"[bold]Structural peers of {meta['region_name']} ({meta['region']})[/bold], {meta['year']}, ranked by "
                  f"{'cosine similarity of RCA vectors' if by == 'profile' else 'structural distance'}; distance over "
                  f"standardised {', '.join(meta['variables'])}.")
    print_frame(table[["rank", "region", "name", "country", "similarity", "distance", "variables",
                       "gdp_per_head_pps" if "gdp_per_head_pps" in table else "diversity", "eci"]])
    if output:
        write_frame(table, output)
        console.print(f"wrote {len(table)} rows to {output}")


@app.command()
def network(
    name: str = typer.Argument("Four Motors for Europe", help="Network of the profile (e.g. 'Vanguard Initiative')."),
    dataset: str = typer.Option("eurostat-sbs", help="Named dataset."),
    year: Optional[int] = typer.Option(None, help="Year (default: the last year all members have data)."),
    profile: str = typer.Option("lombardy", help="Region strategy profile."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the member table (.csv/.parquet)."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Side-by-side benchmark of a network's members, with who brings what to whom."""
    from smartspec.strategy.partners import network_benchmark

    a = _analysis(dataset, profile, data_dir)
    bench = network_benchmark(a, name, year=year)
    meta = bench.members.attrs
    console.print(f"[bold]{bench.network}[/bold], {bench.year}. {meta['note']}")
    print_frame(bench.members, title="Members")
    print_frame(bench.shared.reset_index().head(15), title="Shared specialisations (RCA by member)",
                float_format="{:.2f}")
    comp = bench.complementarity.pivot_table(index=["from_member", "to_member"], columns="ecosystem", values="gain")
    print_frame(comp.reset_index(), title="Complementarity: density gain of the receiving member by S3 ecosystem",
                float_format="{:.2f}")
    if output:
        write_frame(bench.members, output)
        console.print(f"wrote {output}")
