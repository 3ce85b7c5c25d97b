"""CLI commands: opportunities, backtest."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame, progress, save_output
from smartspec.cli.options import DataDirOpt, DatasetOpt, JsonOpt, OutputOpt, ProfileOpt, YearOpt
from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE, DEFAULT_REGION


def _plain(value):
    """JSON-safe scalars: NaN -> null, numpy numbers -> Python numbers."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _threshold(value: str):
    try:
        return float(value)
    except ValueError:
        return value


@app.command()
def opportunities(
    region: str = typer.Argument(DEFAULT_REGION, help="NUTS code or name of the region (e.g. ITC4, Lombardia)."),
    dataset: DatasetOpt = DEFAULT_DATASET,
    year: YearOpt = None,
    top: int = typer.Option(15, help="Number of opportunities to print."),
    quadrant: Optional[str] = typer.Option(
        None, help="Only one quadrant: HH, HL, LH, LL (relatedness then complexity: HH = high relatedness, "
                   "high complexity) or its full name."),
    relatedness_threshold: str = typer.Option(
        "median", help="Where the quadrants split density: 'median' or 'mean' over the region's candidates, "
                       "'median-all' / 'mean-all' over every activity of the region, or a number."),
    complexity_threshold: str = typer.Option("median", help="Same choices, for complexity (PCI)."),
    approach: str = typer.Option("balanced", "--approach",
                                 help="Strategic approach (weights of feasibility and desirability, docs/opportunities.md): "
                                      "low-hanging-fruit, balanced or strategic-bets."),
    scope: str = typer.Option("traded", "--scope", help="traded (default: local activities such as retail are never "
                                                        "targets, complexity on traded activities) or all."),
    profile: ProfileOpt = DEFAULT_PROFILE,
    output: OutputOpt = None,
    json_path: JsonOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """What should a region specialise in next: ranked opportunities with their reasons."""
    from smartspec.data.scope import check_scope
    from smartspec.strategy.context import analyse
    from smartspec.strategy.diversification import check_approach, opportunities as find, quadrant_name

    wanted = quadrant_name(quadrant) if quadrant else None
    check_approach(approach)
    check_scope(scope)
    with progress(f"analysing {dataset} and training the entry model"):
        a = analyse(dataset, data_dir=data_dir, profile=profile, scope=scope)
        table = find(a, region, year, relatedness_threshold=_threshold(relatedness_threshold),
                     complexity_threshold=_threshold(complexity_threshold), approach=approach)
    if wanted:
        table = table[table["quadrant"] == wanted]
    from smartspec.views.text import backtest_verdict, with_opportunity_texts

    names = a.panel.activity_meta["name"]
    table = with_opportunity_texts(table, lambda c: str(names.get(c, c)))
    meta = table.attrs
    console.print(f"[bold]Opportunities for {meta['region_name']} ({meta['region']}), {meta['dataset']} "
                  f"{meta['year']}[/bold]: {meta['n_candidates']} {'traded ' if meta['scope'] == 'traded' else ''}"
                  f"activities without specialisation (RCA < 1)"
                  + (f", {len(table)} in quadrant '{wanted}'" if wanted else "") + ".")
    console.print(f"Score = {meta['score_meaning']}. Feasibility = {meta['feasibility_meaning']}. Quadrants split "
                  f"at relatedness density {meta['relatedness_threshold']:.3f} and complexity (PCI) "
                  f"{meta['complexity_threshold']:+.2f} ({meta['threshold_rule']}). Orientation: "
                  f"{meta['eci_orientation']}.", highlight=False)
    if meta.get("local"):
        console.print(f"Local activities (serve local demand; never targets, --scope all to include them): "
                      f"{', '.join(meta['local'])}.", highlight=False)
    if meta.get("ecosystems_profile") and not meta.get("profile_is_region"):
        console.print(f"Ecosystems are those of the {meta['ecosystems_profile']} profile; pass --profile FILE.toml "
                      "for this region's own (see docs/profiles.md).")
    if meta.get("not_observed"):
        console.print(f"Left out (confidential or missing in the source): {', '.join(meta['not_observed'])}.")
    if meta.get("backtest_verdict"):
        console.print(backtest_verdict(meta["backtest_verdict"]))
    show = table.head(top)[["rank", "activity", "name", "score", "feasibility", "desirability", "probability",
                            "density", "pci", "cog", "wage", "activity_growth", "rca", "value", "growth", "ecosystems"]]
    growth = f"growth {meta['growth_from']}-{meta['year']}" if meta["growth_from"] != meta["year"] else "growth"
    print_frame(show.rename(columns={"value": meta.get("value_name", "value"), "growth": growth,
                                     "wage": "EU wage/person", "activity_growth": "EU growth"}),
                title="Top opportunities")
    if len(table):
        console.print("\n[bold]Why the first three[/bold]")
        for reason in table["reason"].head(3):
            console.print(f"- {reason}")
    save_output(table, output)
    if json_path:
        said = dict(meta, backtest_verdict=backtest_verdict(meta.get("backtest_verdict") or {}))
        payload = {"attrs": {k: _plain(v) for k, v in said.items()},
                   "opportunities": [{k: _plain(v) for k, v in row.items()} for row in table.to_dict("records")]}
        json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        console.print(f"wrote {len(table)} opportunities to {json_path}")


@app.command()
def backtest(
    dataset: DatasetOpt = DEFAULT_DATASET,
    input: Optional[Path] = typer.Option(None, "--input", help="Backtest your own panel: a CSV, Parquet or Excel "
                                         "table with region, activity, value and year columns (consecutive years)."),
    region: str = typer.Option("region", help="With --input: the region column."),
    activity: str = typer.Option("activity", help="With --input: the activity column."),
    value: str = typer.Option("value", help="With --input: the value column."),
    year: str = typer.Option("year", help="With --input: the year column."),
    persistence: bool = typer.Option(False, help="With --input: an entry must last two years (2-year horizons)."),
    encoding: Optional[str] = typer.Option(None, help="With --input: text encoding of a CSV (default: detected)."),
    json_path: JsonOpt = None,
    output: OutputOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Out-of-time backtest: does the entry model beat relatedness density and RCA?

    Datasets with a backtest design: eurostat-sbs (NUTS 2 x NACE divisions, test 2011 -> 2014)
    and patents-wipo35 (countries x WIPO fields, 5-year windows, test 2010-14 -> 2015-19).
    """
    from smartspec.strategy.forecast import PREDICTORS, backtest as run, backtest_panel, verdict_facts
    from smartspec.views.text import backtest_verdict

    if input is not None:
        from smartspec.data.generic import read_table

        with progress(f"reading {input.name}"):
            panel = read_table(input, region=region, activity=activity, value=value, year=year, encoding=encoding)
        dataset = input.name
        with progress(f"backtesting on {dataset}"):
            table = backtest_panel(panel, persistence=persistence, data_dir=data_dir)
    else:
        with progress(f"backtesting on {dataset}"):
            table = run(dataset, data_dir)
    meta = table.attrs
    base = table[table["subset"] == "all"].iloc[0]
    console.print(f"[bold]{dataset}[/bold]: trained on {', '.join(meta['train'])} ({meta['train_size']:,} candidates, "
                  f"{meta['train_entries']:,} entries); tested on {meta['test']}: {base['n']:,} candidates, "
                  f"{base['entries']:,} entries (base rate {100 * base['base_rate']:.1f}%).")
    print_frame(table.drop(columns=["predictor"]).rename(columns={"label": "predictor"}),
                title="Predictors of entry (subset: all; near = RCA 0.5-1; far = RCA < 0.5)")
    if meta.get("validation"):
        vals = ", ".join(f"{p} {meta[f'validation_ap_{p}']:.3f}" for p in PREDICTORS if f"validation_ap_{p}" in meta)
        console.print(f"Model setting '{meta['model_setting']}' chosen on the validation transition "
                      f"{meta['validation']}; average precision there: {vals}.")
    console.print(f"[bold]{backtest_verdict(verdict_facts(meta))}[/bold]")
    save_output(table, output)
    if json_path:
        predictors = []
        for name in PREDICTORS:
            grp = table[table["predictor"] == name]
            entry = {"predictor": name, "label": grp["label"].iloc[0]}
            for _, row in grp.iterrows():
                entry[row["subset"]] = {k: _plain(row[k]) for k in row.index if k not in ("predictor", "label", "subset")}
            entry["validation_average_precision"] = _plain(meta.get(f"validation_ap_{name}"))
            predictors.append(entry)
        design = {k: _plain(v) if not isinstance(v, list) else v for k, v in meta.items()
                  if not k.startswith("validation_ap_")}
        payload = {"dataset": dataset, "test_size": int(base["n"]), "base_rate": _plain(base["base_rate"]),
                   **{k: v for k, v in design.items() if k != "dataset"},
                   "verdict": backtest_verdict(verdict_facts(meta)), "predictors": predictors}
        json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        console.print(f"wrote {json_path}")
