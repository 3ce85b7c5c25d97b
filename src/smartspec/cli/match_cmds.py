"""CLI commands of the matchmaking layer: ``match-backtest`` (smartspec.match.recommend)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from smartspec.cli.app import app, console, print_frame
from smartspec.cli.options import DataDirOpt


@app.command("match-backtest")
def match_backtest(
    json_file: Optional[Path] = typer.Option(None, "--json", help="Also write the table and setup to this JSON file."),
    baselines_only: bool = typer.Option(False, "--baselines-only", help="Skip the learned ranker (seconds instead of minutes)."),
    country: str = typer.Option("IT", help="Country of the organisations whose partners are predicted."),
    boot: int = typer.Option(1000, help="Bootstrap resamples of the organisations for the 95% intervals."),
    data_dir: DataDirOpt = None,
) -> None:
    """Out-of-time partner-recommendation backtest: trained on projects started by 2017, tested
    on the co-participations of projects starting 2019-2020; recall@20 with bootstrap 95%
    intervals for the recommender and every baseline, on all and on new partners."""
    from smartspec.match.recommend import backtest

    res = backtest(country=country, n_boot=boot, model=not baselines_only, data_dir=data_dir)
    table = res["table"].copy()
    for c in ("recall", "ci_low", "ci_high"):
        table[c] = table[c].round(3)
    console.print(f"recall@20, {res['setup']['train']} -> {res['setup']['test']}, "
                  f"organisations of {country}: {res['setup']['queries']} (new partners: {res['setup']['queries_new']})")
    print_frame(table)
    for target, (lo, hi) in res["diff_vs_adamic_adar"].items():
        console.print(f"recommender minus Adamic-Adar ({target} partners): 95% interval {lo:+.3f} to {hi:+.3f}")
    if json_file:
        out = {"setup": res["setup"], "table": res["table"].to_dict(orient="records"),
               "diff_vs_adamic_adar": {k: list(v) for k, v in res["diff_vs_adamic_adar"].items()}}
        json_file.write_text(json.dumps(out, indent=2))
        console.print(f"written {json_file}")
