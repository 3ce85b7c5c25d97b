"""CLI commands of the matchmaking layer: ``match`` (smartspec.match.matchmaking), ``match-backtest``
(smartspec.match.recommend) and ``match-text-check`` (smartspec.match.text_check)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

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


def _frame_for_file(df):
    """Lists and dicts of the ranking as text cells (CSV) -- the JSON keeps them structured."""
    out = df.copy()
    for col in ("shared_terms", "name_terms", "sector_terms", "erc_terms", "partner_activities", "reasons"):
        if col in out:
            out[col] = out[col].map(lambda v: " | ".join(v) if isinstance(v, (list, tuple)) else "")
    if "programme_experience" in out:
        out["programme_experience"] = out["programme_experience"].map(lambda d: "; ".join(f"{k}:{v}" for k, v in d.items()))
    if "fills" in out:
        out["fills"] = out["fills"].map(" | ".join)
    return out


def _records(df) -> list[dict]:
    import pandas as pd

    return [{k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in r.items()}
            for r in df.to_dict(orient="records")]


@app.command("match")
def match_command(
    challenge: Optional[str] = typer.Argument(None, help="The challenge: English or Italian text, a NACE code (C30) or an S3 ecosystem name."),
    opportunity: Optional[str] = typer.Option(None, "--opportunity", help="Instead of a text: an opportunity of this region's strategy (NUTS 2 code); its first unless --activity."),
    activity: Optional[str] = typer.Option(None, "--activity", help="With --opportunity: one of the region's top 10 opportunities (J62)."),
    region: Optional[str] = typer.Option(None, help="NUTS 2 code of the region (ITC4)."),
    partners: bool = typer.Option(False, "--partners", help="Add the organisations of the region's partner regions."),
    type: Optional[list[str]] = typer.Option(None, "--type", help="firm, university, 'research centre', public or other (repeatable)."),
    country: Optional[str] = typer.Option(None, help="Only organisations of this country code (IT, DE)."),
    network: Optional[str] = typer.Option(None, help="With --partners: partner regions from this network (Four Motors, Vanguard)."),
    k: int = typer.Option(20, "--top", "-k", min=1, max=1000,
                          help="Number of organisations (--top, as in the other commands; -k also works)."),
    consortium: bool = typer.Option(False, "--consortium", help="Suggest a triple-helix consortium (needs --region)."),
    lang: str = typer.Option("en", help="Language of the reasons: en or it."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the ranking to .csv or .json."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON instead of a table."),
    data_dir: DataDirOpt = None,
) -> None:
    """Who can take on a challenge: organisations ranked by the terms and programme experience
    of their competence profiles, each with its reasons; --consortium builds a triple-helix team."""
    from smartspec.errors import InputError
    from smartspec.match.matchmaking import match, opportunity_challenge, suggest_consortium
    from smartspec.match.registry import load_registry
    from smartspec.views.matchmaking import with_reasons

    if lang not in ("en", "it"):
        raise InputError(f"unknown language {lang!r}", where="--lang", fix="use en or it")
    if output and output.suffix.lower() not in (".csv", ".json"):
        raise InputError(f"unsupported output format {output.suffix!r}", where=str(output), fix="use a .csv or .json file name")
    if (challenge is None) == (opportunity is None):
        raise InputError("give either a challenge or --opportunity REGION", where="challenge",
                         fix='smartspec match "additive manufacturing" --region ITC4, or smartspec match --opportunity ITC4')
    if activity and not opportunity:
        raise InputError("--activity needs --opportunity REGION", where="--activity", fix="add --opportunity ITC4")
    if opportunity:
        challenge = opportunity_challenge(opportunity, activity, data_dir=data_dir)
        region = region or challenge.opportunity["region"]
    if consortium and not region:
        raise InputError("a consortium needs the region", where="--consortium", fix="add --region ITC4")
    reg = load_registry(data_dir)
    if consortium:
        res = suggest_consortium(challenge, region, network=network, registry=reg, data_dir=data_dir)
        members = res["members"].assign(rank=range(1, len(res["members"]) + 1))
        members.attrs["region"] = region
        table = with_reasons(members, lang)
        payload = {"challenge": res["challenge"], "region": region, "rules": res["rules"],
                   "members": _records(table), "links": _records(res["links"]),
                   "partner_regions": res["partner_regions"]}
    else:
        table = with_reasons(match(challenge, region=region, partners=partners, types=type, country=country,
                                   network=network, k=k, registry=reg, data_dir=data_dir), lang)
        payload = {"challenge": table.attrs["challenge"], "region": table.attrs.get("region"),
                   "partner_regions": table.attrs["partner_regions"], "organisations": _records(table)}
    if output:
        if output.suffix.lower() == ".json":
            output.write_text(json.dumps(payload, indent=2, default=str))
        else:
            _frame_for_file(table).to_csv(output, index=False)
    if json_out:
        typer.echo(json.dumps(payload, indent=2, default=str))
        return
    ch = payload["challenge"]
    if ch["translated"]:
        console.print("translated: " + ", ".join(f"{it} -> {en}" for it, en in ch["translated"]))
    if ch.get("opportunity"):
        o = ch["opportunity"]
        console.print(f"opportunity {o['rank']} of {o['region']}: {o['activity']} {o['name']} (score {o['score']:.3f})")
    label = ch["original"]
    console.print(f"[bold]{'Consortium' if consortium else 'Organisations'} for {label!r}[/bold]"
                  + (f" in {region}" if region else "") + (f" (challenge read as {ch['kind']})" if ch["kind"] != "text" else ""))
    rows = payload.get("members", payload.get("organisations"))
    n_specific = sum(r["evidence"] == "specific" for r in rows)
    console.print(f"{n_specific} of {len(rows)} with specific evidence (name, sector, ERC grants); "
                  "the others match at programme level only")
    for n, r in enumerate(rows):
        if r["evidence"] != "specific" and (n == 0 or rows[n - 1]["evidence"] == "specific"):
            console.print("[bold]programme-level matches only (no specific evidence of this competence):[/bold]")
        console.print(escape(f"{r['rank']:>3}. {r['name'] or '(name unknown)'} [{r['type']}, {r['nuts2'] or r['country']}] "
                             f"PIC {r['org_id']} score {r['score']:.3f}"))
        for reason in r["reasons"]:
            console.print(f"       - {reason}")
    if consortium:
        console.print("rules: " + "; ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in res["rules"].items()))
        names = dict(zip(table["org_id"], table["name"]))
        for link in payload["links"]:
            console.print(f"  link: {names[link['org_a']]} - {names[link['org_b']]}: {link['shared_projects']} shared projects")
        if not payload["links"]:
            console.print("  no shared project among the members yet")
    if output:
        console.print(f"written {output}")


@app.command("match-text-check")
def match_text_check(
    json_file: Optional[Path] = typer.Option(None, "--json", help="Also write the table and setup to this JSON file."),
    boot: int = typer.Option(1000, min=10, help="Bootstrap resamples of the queries for the 95% intervals."),
    k: int = typer.Option(20, "-k", min=1, max=1000, help="Length of the ranked list."),
    data_dir: DataDirOpt = None,
) -> None:
    """Out-of-time ERC text check: profiles from grants up to 2016 (plus programme parts), the
    abstracts of grants from 2018 on as queries, their host as the answer; recall@k of TF-IDF,
    BM25 and popularity with bootstrap 95% intervals."""
    from smartspec.match.text_check import text_check

    res = text_check(k=k, n_boot=boot, data_dir=data_dir)
    table = res["table"].copy()
    for c in ("recall", "ci_low", "ci_high"):
        table[c] = table[c].round(3)
    s = res["setup"]
    console.print(f"recall@{k}: {s['train']} -> {s['test']}; {s['queries']} queries, {s['candidates']:,} candidate organisations")
    print_frame(table)
    if json_file:
        json_file.write_text(json.dumps({"setup": s, "table": res["table"].to_dict(orient="records")}, indent=2))
        console.print(f"written {json_file}")
