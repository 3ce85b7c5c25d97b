"""CLI commands: partners, peers, network (smartspec.strategy.partners)."""
from __future__ import annotations

from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame, shorten
from smartspec.cli.options import RegionArg, YearOpt, analysis_command
from smartspec.config import DEFAULT_REGION


def _short(text: str, n: int = 34) -> str:
    """``C28 Manufacture of machinery and equipment n.e.c. (3.8)`` -> ``C28 Manufacture of… (3.8)``
    (the name is shortened between words, a trailing figure in brackets kept)."""
    text = str(text)
    tail = ""
    if text.endswith(")") and " (" in text:
        head, _, fig = text.rpartition(" (")
        if any(ch.isdigit() for ch in fig) and len(fig) <= 28:  # "(3.8)", "(10,999 persons, 50%)"
            text, tail = head, f" ({fig}"
    return shorten(text, n) + tail


def _shorten_list(cell: str, n: int = 34, k: int | None = None) -> str:
    """The first ``k`` items of a ``" | "``-separated cell, each shortened, on one line (a table
    row stays one line; the table shortens the cell further to fit the terminal)."""
    from smartspec.strategy.partners import SEP

    parts = [p.strip() for p in str(cell).split(SEP) if p.strip()][:k]
    return "; ".join(_short(p, n) for p in parts)


@analysis_command(app)
def partners(
    a,
    region: str = typer.Argument(DEFAULT_REGION, help="NUTS code or name of the region (ITC4, Lombardia, Lombardy)."),
    activity: Optional[str] = typer.Option(None, help="Target activity (NACE code or name), e.g. C30."),
    ecosystem: Optional[str] = typer.Option(None, help="Target S3 ecosystem of the profile, e.g. 'Advanced manufacturing'."),
    network: Optional[str] = typer.Option(None, help="Only members of this network (e.g. 'Four Motors', 'Vanguard')."),
    country: Optional[str] = typer.Option(None, help="Only regions of this country (code DE or name Germany)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    specialised_only: bool = typer.Option(False, "--specialised-only",
                                          help="Only partners specialised (RCA >= 1) in the target themselves."),
    top: int = typer.Option(15, min=1, max=500, help="Number of partners."),
    scope_: str = typer.Option("traded", "--scope", help="What partners bring: 'traded' activities (default) or 'all'."),
    min_persons: float = typer.Option(1000.0, help="Mass floor: persons employed a partner needs in what it brings."),
    min_eu_share: float = typer.Option(0.001, help="Mass floor: share of the activity's total it needs."),
    year: YearOpt = None,
):
    """Complementary partner regions for an activity or an S3 ecosystem (Balland and Boschma 2021)."""
    from smartspec.strategy.partners import complementary_partners
    from smartspec.views.partners_text import floors, with_partner_texts

    table = complementary_partners(a, region, activity, ecosystem, year=year, network=network, country=country,
                                   exclude_own_country=exclude_own_country, specialised_only=specialised_only, top=top,
                                   scope=scope_, min_persons=min_persons, min_eu_share=min_eu_share)
    table = with_partner_texts(table, a.panel.activity_name)
    meta = table.attrs
    scope = []
    if meta["network"]:
        scope.append(f"members of {meta['network']}")
    if country:
        scope.append(f"country {country}")
    if exclude_own_country:
        scope.append("other countries")
    if specialised_only:
        scope.append("specialised in the target")
    console.print(
        f"[bold]Complementary partners of {meta['region_name']} ({meta['region']}) for {meta['target']}[/bold], "
        f"{meta['year']}{' (' + ', '.join(scope) + ')' if scope else ''}. {meta['region']}'s relatedness density "
        f"there alone: {meta['density_alone']:.2f}{_own_strength(meta)}. gain = how much it rises when the partner's specialisations are "
        f"added (Balland and Boschma 2021); partner_rca = the partner's own strength in the target; similarity "
        f"(cosine of RCA) and overlap (shared specialisations) are shown apart: similarity is not complementarity. "
        f"brings = the partner's specialisations {meta['region']} lacks that add most (persons employed, share of "
        f"the gain): {meta['scope']} activities related to the target (top quarter of its proximities) that the "
        f"partner holds with mass ({floors(meta['min_persons'], meta['min_eu_share'])}); score = the gain weighted by that mass (full at ten times "
        f"the floor), the ranking; holds = persons employed in what it brings.")
    if table.empty:
        console.print("No region passes the filters.")
    else:
        in_eco = "brings_in_ecosystem" in table and (table["brings_in_ecosystem"] != "").any()
        shown = table.assign(brings=table["brings"].map(lambda c: _shorten_list(c, 30 if in_eco else 34,
                                                                                2 if in_eco else 3)))
        cols = ["rank", "region", "name", "country", "score", "holds", "partner_rca", "target_persons", "similarity",
                "overlap", "brings"]
        if in_eco:
            shown["in_ecosystem"] = table["brings_in_ecosystem"].map(lambda c: _shorten_list(c, 30, 3))
            cols.append("in_ecosystem")
        print_frame(shown[cols], float_format="{:.2f}")
        console.print(f"Best: {table['reason'].iloc[0]}")
    return table


def _own_strength(meta: dict) -> str:
    """The region's own RCA in the target, and whether it is already specialised there (then the
    partners add related capabilities around a strength, not a new activity)."""
    rca = meta["region_rca"]
    if rca != rca:  # NaN: every target cell confidential in the source
        return "; its own RCA there is not published (confidential)"
    if meta["target_kind"] == "ecosystem":
        return f"; its own mean RCA in the ecosystem's activities: {rca:.2f}"
    if rca >= 1:
        return f"; its own RCA there: {rca:.2f}, already specialised (partners add related capabilities around it)"
    return f"; its own RCA there: {rca:.2f}, not specialised"


@analysis_command(app)
def peers(
    a,
    region: RegionArg = DEFAULT_REGION,
    top: int = typer.Option(10, min=1, max=500, help="Number of peers."),
    by: str = typer.Option("profile", help="'profile' (cosine of RCA vectors) or 'structure' (structural distance)."),
    exclude_own_country: bool = typer.Option(False, "--exclude-own-country", help="Leave out the region's own country."),
    year: YearOpt = None,
):
    """Structural peers: the regions most similar to the region (specialisation profile or structure)."""
    from smartspec.strategy.partners import structural_peers

    table = structural_peers(a, region, year=year, top=top, exclude_own_country=exclude_own_country, by=by)
    meta = table.attrs
    blocks = "; ".join(f"{b}: {', '.join(v)}" for b, v in meta["blocks"].items())
    console.print(
        f"[bold]Structural peers of {meta['region_name']} ({meta['region']})[/bold], {meta['year']}"
        f"{', other countries' if exclude_own_country else ''}, ranked by "
        f"{'similarity = cosine of the RCA vectors' if by == 'profile' else 'structural distance'}. "
        f"distance = root mean square difference of standardised variables, blocks weighted equally "
        f"(blocks = how many both regions have) — {blocks}.")
    cols = ["rank", "region", "name", "country", "similarity", "distance", "blocks"]
    cols += [c for c in ("gdp_per_head_pps", "eci", "innovation_index") if c in table]
    cols += ["closest_on", "farthest_on"]
    shown = table[cols].rename(columns={"gdp_per_head_pps": "gdp_pps", "innovation_index": "RIS"})
    for c in ("closest_on", "farthest_on"):  # the first variable only: the full lists are in the -o table
        shown[c] = shown[c].str.split("; ").str[0]
    print_frame(shown, float_format="{:.2f}")
    return table


@analysis_command(app)
def network(
    a,
    name: str = typer.Argument("Four Motors for Europe", help="Network of the profile (e.g. 'Vanguard Initiative')."),
    ecosystem: Optional[str] = typer.Option(None, help="Show the complementarity matrix of this ecosystem only."),
    year: Optional[int] = typer.Option(None, help="Year (default: the last year all members have data)."),
):
    """Side-by-side benchmark of a network's members, with who brings what to whom by S3 ecosystem."""
    import pandas as pd

    from smartspec.strategy.partners import network_benchmark
    from smartspec.views.partners_text import network_note

    bench = network_benchmark(a, name, year=year)
    meta = bench.members.attrs
    console.print(f"[bold]{bench.network}[/bold], {bench.year} ({meta['dataset']}). {network_note(meta)}")
    members = bench.members.drop(columns="measured_as").assign(
        top_specialisations=bench.members["top_specialisations"].map(lambda c: _shorten_list(c, 40, 3)))
    print_frame(members, title="Members (nuts_level = the level the network defines the member at)")
    shared = bench.shared.reset_index()
    shared["name"] = shared["name"].map(lambda s: _short(s, 40))
    cols = [c for c in shared.columns if c in set(bench.members["member"])]
    # unknown is never zero: a confidential or missing cell is printed "n/a"
    shared[cols] = shared[cols].map(lambda v: "n/a" if pd.isna(v) else f"{v:.2f}")
    print_frame(shared.head(12), title="Shared specialisations (RCA >= 1 with mass, traded): RCA of each member")
    if bench.ecosystems is not None:
        eco = bench.ecosystems.T.map(lambda v: "n/a" if pd.isna(v) else f"{v:.0%}")
        print_frame(eco.reset_index(names="ecosystem"),
                    title="Strength by S3 ecosystem: share of the ecosystem's known activities each member is "
                          "specialised in")
    console.print("n/a = confidential or missing in the source: unknown, not 0, and left out of the shares.",
                  highlight=False)
    mat = bench.matrix(ecosystem).reset_index()
    print_frame(mat, float_format="{:.2f}",
                title=f"Complementarity{' in ' + ecosystem if ecosystem else ' (mean over ecosystems)'}: density gain "
                      f"of the column member when the row member's specialisations are added")
    focus = a.profile.region if a.profile is not None and a.profile.region in set(bench.members["member"]) else None
    if focus:
        c = bench.complementarity[bench.complementarity["to_member"] == focus]
        gains = c.pivot_table(index="ecosystem", columns="from_member", values="gain", sort=False)
        best = c.sort_values("gain", ascending=False, kind="stable").groupby("ecosystem", sort=False).head(1)
        best = best.set_index("ecosystem").reindex(gains.index)
        gains["best brings"] = [f"{frm}: " + _shorten_list(b, 30) for frm, b in
                                zip(best["from_member"], best["brings"])]
        print_frame(gains.reset_index(), float_format="{:.2f}",
                    title=f"What the other members bring to {focus}, by S3 ecosystem: density gain and what the "
                          f"best giver brings (share of its gain)")
    return bench.members
