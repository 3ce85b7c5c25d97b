"""CLI commands: the organisation registry (``orgs build``, ``orgs search``), ``org ID`` and
``ri`` (the R&I lens of a region)."""
from __future__ import annotations

from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame, progress, save_output
from smartspec.cli.options import DataDirOpt, OutputOpt
from smartspec.config import DEFAULT_REGION

orgs_app = typer.Typer(help="The registry of H2020 research and innovation organisations.", no_args_is_help=True)
app.add_typer(orgs_app, name="orgs")


def _registry(data_dir):
    from smartspec.match.registry import load_registry

    with progress("loading the organisation registry"):
        return load_registry(data_dir)


@orgs_app.command("build")
def orgs_build(data_dir: DataDirOpt = None, output: OutputOpt = None) -> None:
    """Build the registry and print its coverage: placed by method, unplaced by reason."""
    import pandas as pd

    reg = _registry(data_dir)
    cov = reg.coverage()
    shown = cov.assign(unplaced_reason=cov["unplaced_reason"].replace("", "-"),
                       share_organisations=(100 * cov["share_organisations"]).round(1).astype(str) + "%",
                       share_participations=(100 * cov["share_participations"]).round(1).astype(str) + "%")
    total = pd.DataFrame([{"placement": "total", "unplaced_reason": "", "organisations": int(cov["organisations"].sum()),
                           "participations": int(cov["participations"].sum()), "share_organisations": "100%",
                           "share_participations": "100%"}])
    print_frame(pd.concat([shown, total], ignore_index=True),
                title=f"Organisation registry: {len(reg.organisations):,} organisations, "
                      f"{len(reg.participations):,} H2020 participations")
    save_output(reg.organisations, output)


@orgs_app.command("search")
def orgs_search(
    query: str = typer.Argument("", help="Part of the name (case and accents ignored)."),
    region: Optional[str] = typer.Option(None, help="NUTS code of the region (ITC4, ITC4C) or a country code (IT)."),
    type: Optional[str] = typer.Option(None, "--type", help="firm, university, 'research centre', public or other."),
    top: int = typer.Option(20, min=1, max=1000, help="Number of organisations."),
    output: OutputOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Search organisations by name, region and type (largest EC funding first)."""
    from smartspec.match.network import search_organisations

    hits = search_organisations(_registry(data_dir), query, region=region, type=type, limit=top)
    if hits.empty:
        console.print("No organisation matches.")
        return
    print_frame(hits[["org_id", "name", "type", "country", "nuts3", "nuts2", "placement", "n_projects",
                      "ec_contribution"]], title=f"Organisations matching {query!r}", float_format="{:,.0f}")
    save_output(hits, output)


@app.command("org")
def org(org_id: str = typer.Argument(..., help="The organisation's PIC (see `smartspec orgs search`)."),
        data_dir: DataDirOpt = None) -> None:
    """Profile of one organisation: place, projects, funding, programme mix, top partners."""
    import pandas as pd

    from smartspec.match.network import organisation_profile

    p = organisation_profile(_registry(data_dir), org_id)
    o = p["organisation"]
    place = (f"{o['nuts3'] or ''} / {o['nuts2']} (by {o['placement']}, confidence {o['placement_confidence']:.2f}: "
             f"{o['placement_note']})" if o["placement"] != "unplaced" else f"unplaced ({o['unplaced_reason']})")
    console.print(f"[bold]{o['name'] if pd.notna(o['name']) else '(name unknown)'}[/bold] "
                  f"{'(' + o['short_name'] + ')' if pd.notna(o['short_name']) else ''} PIC {o['org_id']}")
    console.print(f"type: {o['type']}; country {o['country']}; city {o['city'] if pd.notna(o['city']) else '-'}; "
                  f"region {place}")
    console.print(f"{o['n_projects']} H2020 projects ({o['first_year']}-{o['last_year']}), EC contribution "
                  f"EUR {o['ec_contribution']:,.0f}; roles: "
                  + ", ".join(f"{k} {v}" for k, v in p["roles"].items()))
    mix = p["programme_mix"]
    print_frame(mix.assign(ec_contribution=mix["ec_contribution"].round(0)), title="Programme mix")
    print_frame(p["partners"], title="Top partners (shared projects)")


@app.command("ri")
def ri(region: str = typer.Argument(DEFAULT_REGION, help="NUTS 2 code of the region."),
       output: OutputOpt = None, data_dir: DataDirOpt = None) -> None:
    """The R&I lens of a region: H2020 participations by programme part, RCA, leading organisations."""
    from smartspec.match.lens import ri_lens

    lens = ri_lens(region, _registry(data_dir))
    s = lens.summary
    console.print(f"[bold]R&I lens of {s['region']}[/bold]: {s['n_organisations']} placed organisations, "
                  f"{s['n_participations']:,} participations in {s['n_projects']:,} projects, EC EUR "
                  f"{s['ec_contribution']:,.0f}; rank {s['rank_participations']} of {s['n_regions']} regions by "
                  f"participations; specialised in {s['diversity']} programme parts.")
    # euros in whole numbers with separators, as in `org` (the file written keeps the cents)
    print_frame(lens.profile.assign(ec_contribution=lens.profile["ec_contribution"].round(0)),
                title="Programme parts (RCA of participations)")
    print_frame(lens.leaders, title="Leading organisations by type (EC contribution)", float_format="{:,.0f}")
    save_output(lens.profile, output)


@orgs_app.command("network")
def orgs_network(region: str = typer.Argument(DEFAULT_REGION, help="NUTS 2 code of the region."),
                 top: int = typer.Option(15, min=1, max=200, help="Brokers and external regions shown."),
                 output: OutputOpt = None, data_dir: DataDirOpt = None) -> None:
    """The region in the H2020 collaboration network: its brokers, communities and links abroad."""
    from smartspec.match.network import load_network_metrics, region_network

    reg = _registry(data_dir)
    with progress("collaboration network (communities, betweenness; cached after the first run)"):
        metrics = load_network_metrics(reg)
    net = region_network(reg, metrics, region, k=top)
    n = len(metrics)
    console.print(f"[bold]{net['region']} in the H2020 collaboration network[/bold]: {n:,} organisations; "
                  f"the region's organisations belong to {len(net['communities'])} Leiden communities.")
    brokers = net["brokers"].assign(betweenness_rank=net["brokers"]["betweenness_rank"].map(lambda r: f"{r:,} of {n:,}"))
    print_frame(brokers[["org_id", "name", "type", "betweenness_rank", "community", "community_size", "degree"]],
                title="Brokers (betweenness: shortest paths between other organisations that pass through them)")
    # the country before the name: a long name is shortened at the terminal's width, the country never
    comms = net["communities"][["community", "members_in_region", "community_size", "leading_country", "leading_member"]]
    print_frame(comms.head(top), title="Communities of the region's organisations")
    print_frame(net["by_country"].head(top), title="Links outside the region by country (its own country included)")
    print_frame(net["by_region"].head(top), title="Links to other regions")
    save_output(net["brokers"], output)
