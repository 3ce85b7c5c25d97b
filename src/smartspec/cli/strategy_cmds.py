"""CLI commands: opportunities, backtest."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import (
    DataDirOption, DatasetOption, OutputOption, ProfileOption, YearOption, app, console, print_frame,
    progress, save_output,
)


@app.command()
def opportunities(
    region: str = typer.Argument("ITC4", help="NUTS code or name of the region."),
    dataset: str = DatasetOption,
    year: Optional[int] = YearOption,
    top: int = typer.Option(15, help="Number of opportunities to print."),
    quadrant: Optional[str] = typer.Option(None, help="Only this quadrant, e.g. 'high relatedness, high complexity'."),
    relatedness_threshold: str = typer.Option("median", help="'median', 'mean' or a number."),
    complexity_threshold: str = typer.Option("median", help="'median', 'mean' or a number."),
    profile: str = ProfileOption,
    output: Optional[Path] = OutputOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """What should a region specialise in next: ranked opportunities with their reasons."""
    from smartspec.strategy.context import analyse
    from smartspec.strategy.opportunities import QUADRANTS, opportunities as find

    def threshold(v: str):
        try:
            return float(v)
        except ValueError:
            return v

    with progress(f"analysing {dataset} and training the entry model"):
        a = analyse(dataset, data_dir=data_dir, profile=profile)
        table = find(a, region, year, relatedness_threshold=threshold(relatedness_threshold),
                     complexity_threshold=threshold(complexity_threshold))
    if quadrant:
        from smartspec.errors import UnknownNameError

        if quadrant not in QUADRANTS.values():
            raise UnknownNameError("quadrant", quadrant, QUADRANTS.values())
        table = table[table["quadrant"] == quadrant]
    meta = table.attrs
    console.print(f"[bold]Opportunities for {meta['region_name']} ({meta['region']}), {meta['dataset']} "
                  f"{meta['year']}[/bold]: {len(table)} activities without specialisation (RCA < 1). "
                  f"Score = probability of specialising within 3 years ({table['predictor'].iloc[0]}); "
                  f"quadrants split at density {meta['relatedness_threshold']:.2f} and PCI "
                  f"{meta['complexity_threshold']:+.2f} (complexity oriented by {meta['complexity_sign']}).")
    show = table.head(top)[["rank", "activity", "name", "score", "density", "pci", "rca", "quadrant", "ecosystems"]]
    print_frame(show, title="Top opportunities")
    if len(table):
        console.print("\n[bold]Why the first three[/bold]")
        for reason in table["reason"].head(3):
            console.print(f"- {reason}")
    save_output(table, output)


@app.command()
def backtest(
    dataset: str = DatasetOption,
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write the table as JSON."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Out-of-time backtest: does the entry model beat relatedness density and RCA?"""
    from smartspec.strategy.forecast import backtest as run

    with progress(f"backtesting on {dataset}"):
        table = run(dataset, data_dir)
    meta = table.attrs
    base = table[table["subset"] == "all"].iloc[0]
    console.print(f"[bold]{dataset}[/bold]: trained on {', '.join(meta['train'])} ({meta['train_size']:,} candidates, "
                  f"{meta['train_entries']} entries), tested on {meta['test']}: {base['n']:,} candidates, base rate "
                  f"{100 * base['base_rate']:.1f}%")
    print_frame(table, title="Predictors of entry (subset: all, near = RCA 0.5-1, far = RCA < 0.5)")
    verdict = ("the model beats the strongest baseline" if meta["model_beats_baseline"]
               else f"the model does NOT beat the strongest baseline; users are shown '{meta['winner']}'")
    console.print(f"Average precision: {verdict} ({meta['strongest_baseline']}).")
    if json_path:
        payload = {"dataset": dataset, **{k: v for k, v in meta.items() if k != "dataset"},
                   "predictors": {name: {row["subset"]: {k: row[k] for k in row.index if k not in ("predictor", "subset")}
                                         for _, row in grp.iterrows()}
                                  for name, grp in table.groupby("predictor", sort=False)}}
        json_path.write_text(json.dumps(payload, indent=2, default=float))
        console.print(f"wrote {json_path}")
