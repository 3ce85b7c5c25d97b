"""CLI commands: monitor (the dashboard by pillar) and evidence (the enabling-condition pack)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import math

import typer

from smartspec.cli.app import app, console, print_frame, save_output
from smartspec.cli.options import DataDirOpt, DatasetOpt, FormatOpt, StoreOpt, StoreProfileOpt
from smartspec.cli.web_cmds import current_store
from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE, DEFAULT_REGION


def _store(dataset: str, profile: str, data_dir, store):
    from smartspec.store import open_store

    path, _ = current_store(dataset, profile, data_dir, store)
    st = open_store(path)
    if not st.has("monitor_observations"):
        from smartspec.errors import DataNotFoundError

        raise DataNotFoundError(f"the store has no monitoring tables: {st.reason('monitoring')}", where=str(path),
                                fix="rebuild it with `smartspec build`")
    return st


def fmt(v: float) -> str:
    """A value as the tables show it: thousands separated, one decimal below 1,000."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "no value"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}"


@app.command()
def monitor(
    region: Annotated[str, typer.Argument(help="NUTS code or name of the region (e.g. ITC4, Lombardia).")] = DEFAULT_REGION,
    indicator: Annotated[Optional[str], typer.Option(help="One indicator over every year (its key, e.g. ris).")] = None,
    breakdown: Annotated[Optional[str], typer.Option(help="With --indicator: the breakdown (e.g. 'Nutrition').")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the full dashboard (.csv or .parquet).")] = None,
    dataset: DatasetOpt = DEFAULT_DATASET,
    profile: StoreProfileOpt = DEFAULT_PROFILE,
    data_dir: DataDirOpt = None,
    store: StoreOpt = None,
) -> None:
    """The monitoring dashboard by pillar: indicators over time against peers, the composite and targets."""
    import pandas as pd

    from smartspec.errors import UnknownNameError
    from smartspec.strategy.monitoring.dashboard import latest
    from smartspec.strategy.monitoring.indicators import CATALOGUE, PILLARS
    from smartspec.strategy.monitoring.tables import region_dashboard
    from smartspec.views.monitoring_text import with_cell_notes

    st = _store(dataset, profile, data_dir, store)
    code = st.resolve_region(region)
    board = with_cell_notes(region_dashboard(st.table, code))
    cat = CATALOGUE.set_index("key")
    peers = board.drop_duplicates("unit")[["unit", "name", "role", "group"]]
    console.print(f"[bold]Monitoring {st.region_name(code)} ({code})[/bold] against "
                  + "; ".join(f"{r}: " + ", ".join(f"{u} {n}" for u, n in zip(g["unit"], g["name"]))
                              for r, g in peers[peers["role"] != "region"].groupby("role", sort=False))
                  + ". Country = median of its other NUTS 2 regions (national figure for country-level indicators).")
    if indicator:
        if indicator not in cat.index:
            raise UnknownNameError("indicator", indicator, list(cat.index), where="--indicator")
        sel = board[board["indicator"] == indicator]
        brks = list(dict.fromkeys(sel["breakdown"]))
        if breakdown is None:
            breakdown = "All S3 ecosystems" if "All S3 ecosystems" in brks else (brks[0] if brks else "")
        elif breakdown not in brks:
            raise UnknownNameError("breakdown", breakdown, brks, where="--breakdown")
        rows = sel[sel["breakdown"] == breakdown]
        if rows.empty:
            console.print(f"{cat.at[indicator, 'label']}: no value for {code} or its peers in the data.")
        else:
            wide = rows.pivot_table(index="year", columns="unit", values="value", sort=False)
            wide = wide.reindex(columns=list(peers["unit"])).reset_index()
            i = cat.loc[indicator]
            print_frame(wide, title=f"{i['label']}{' — ' + rows['breakdown'].iloc[0] if rows['breakdown'].iloc[0] else ''}"
                                    f" ({i['unit']}; {i['source']})", float_format="{:,.1f}")
            gaps = rows[rows["value"].isna()].groupby(["unit", "note"])["year"].agg(lambda s: _years(s)).reset_index()
            for r in gaps.itertuples(index=False):
                console.print(f"  {r.unit} {r.year}: {r.note}")
        save_output(board, output)
        return
    summary = latest(board)
    units = [u for u in peers["unit"] if u != code]
    for pillar, title in PILLARS.items():
        part = summary[summary["pillar"] == pillar]
        rows = []
        notes = []
        for r in part.itertuples(index=False):
            i = cat.loc[r.indicator]
            label = i["label"].replace(", by S3 ecosystem", "").replace(" by S3 ecosystem", "")
            row = {"indicator": label + (f": {r.breakdown}" if r.breakdown else ""), "unit": i["unit"],
                   code: (f"{fmt(r.first_value)} ({int(r.first_year)}) → {fmt(r.value)} ({r.year})"
                          if not math.isnan(r.first_year) else f"no value: {r.region_note}")}
            missing = []
            for u, _n, _role, v, note in r.peers:
                row[u] = fmt(v) if not math.isnan(v) else "–"
                if math.isnan(v):
                    missing.append(f"{u} ({note})")
            rows.append(row)
            if missing:
                notes.append(f"{row['indicator']} {r.year}: " + "; ".join(missing))
        print_frame(pd.DataFrame(rows, columns=["indicator", "unit", code, *units]), max_rows=100,
                    title=f"Pillar {list(PILLARS).index(pillar) + 1}: {title} — {code} first → last year with "
                          f"a value; peers in {code}'s last year")
        if notes:
            console.print("[dim]no value (–): " + " | ".join(_compress(notes)) + "[/dim]")
    _print_composite(st, code)
    _print_targets(st, code)
    save_output(board, output)


def _years(s) -> str:
    y = sorted(int(v) for v in s)
    return f"{y[0]}-{y[-1]}" if len(y) > 1 and y[-1] - y[0] == len(y) - 1 else ", ".join(map(str, y))


def _compress(notes: list[str], n: int = 12) -> list[str]:
    return notes[:n] + ([f"... {len(notes) - n} more (see -o FILE)"] if len(notes) > n else [])


def _print_composite(st, code: str) -> None:
    comp = st.table("monitor_composite")
    agree = st.table("monitor_agreement")
    steps = st.table("monitor_composite_steps")
    inputs = ", ".join(f"{r.indicator} {int(r.year)}" for r in steps.itertuples(index=False))
    rho = "; ".join(f"{int(r.edition)}: {r.spearman:.2f}" for r in agree.itertuples(index=False))
    n = int(agree["n_regions"].max()) if len(agree) else 0
    console.print(f"[bold]Composite (Regional Innovation Scoreboard method)[/bold] over {len(comp)} Central European "
                  f"regions; inputs {inputs}. Spearman with the published RIS across {n} regions, by edition: {rho}.")
    row = comp[comp["region"] == code]
    if row.empty:
        console.print(f"{code} is not among the regions of the composite (the Interreg Central Europe file).")
    else:
        r = row.iloc[0]
        console.print(f"{code}: composite {r['composite']:.3f}, rank {int(r['rank'])} of {len(comp)} with equal weights; "
                      f"under 1,000 random (Dirichlet) weightings the median rank is {r['median_rank']:.0f} and 90% of "
                      f"the ranks lie in {r['rank_p05']:.0f}-{r['rank_p95']:.0f}.")


def _print_targets(st, code: str) -> None:
    import pandas as pd

    t = st.table("monitor_targets") if st.has("monitor_targets") else pd.DataFrame()
    if t.empty or st.manifest.get("region") != code:
        console.print("Targets: none declared for this region (add [[targets]] to its profile, see docs/profiles.md).")
        return
    shown = t[["indicator", "baseline_year", "baseline", "target_year", "target", "latest_year", "latest",
               "distance_to_target", "share_covered", "status"]]
    print_frame(shown, title="Targets and progress (declared in the region profile)", float_format="{:,.2f}")
    for r in t.itertuples(index=False):
        console.print(f"[dim]{r.indicator}: {r.source}[/dim]")


@app.command()
def evidence(
    region: Annotated[str, typer.Argument(help="NUTS code or name of the region.")] = DEFAULT_REGION,
    format: FormatOpt = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output file (default REGION-evidence.FORMAT).")] = None,
    declared: Annotated[Optional[Path], typer.Option("--declared", help="TOML file of the region's bodies, meetings "
                                                     "and outcomes (default: the one shipped for the profile).")] = None,
    dataset: DatasetOpt = DEFAULT_DATASET,
    profile: StoreProfileOpt = DEFAULT_PROFILE,
    data_dir: DataDirOpt = None,
    store: StoreOpt = None,
) -> None:
    """The evidence pack for the EU enabling condition 'good governance of the S3' (seven criteria)."""
    from smartspec.report.evidence import write_evidence
    from smartspec.report.render import document_format

    fmt_ = document_format(format, output)
    st = _store(dataset, profile, data_dir, store)
    out = write_evidence(region, output, fmt=fmt_, store=st, declared=declared, profile=profile)
    console.print(f"wrote {out} ({out.stat().st_size / 1024:,.0f} KiB)")
