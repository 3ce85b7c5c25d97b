"""The evidence pack for the EU enabling condition "good governance of the national or regional
smart specialisation strategy" (Regulation (EU) 2021/1060, Annex IV, thematic enabling
condition 1.1): one section per fulfilment criterion.

Each section separates what smartspec *computes* from the results store (with the source and
year of each figure) from what the region *declares* in a TOML file (bodies, stakeholders,
meetings and their outcomes; format in docs/evidence.md), and lists what is neither computed
nor declared, with how to declare it. ``smartspec evidence ITC4 --format html|pdf -o FILE``
calls :func:`write_evidence`; the PDF is printed by the same headless chromium as the region
report (:func:`smartspec.report.render.html_to_pdf`).
"""
from __future__ import annotations

import os
import time
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from smartspec.config import DEFAULT_PROFILE
from smartspec._version import __version__
from smartspec.errors import InputError
from smartspec.match.registry import registry_from_store
from smartspec.store import Store, open_store

HERE = Path(__file__).parent

#: The seven fulfilment criteria (Annex IV, 1.1), in the Regulation's order.
CRITERIA = (
    "An up-to-date analysis of challenges for innovation diffusion and digitalisation",
    "A competent regional or national institution or body responsible for the management of the strategy",
    "Monitoring and evaluation tools to measure performance towards the objectives of the strategy",
    "A functioning cooperation of stakeholders (the entrepreneurial discovery process)",
    "Actions necessary to improve national or regional research and innovation systems, where relevant",
    "Where relevant, actions to support industrial transition",
    "Measures for enhancing cooperation with partners outside the Member State in priority areas",
)

#: Tables of the declared file and the keys of their entries (``source`` is always required).
DECLARED_TABLES = {
    "strategies": ({"name", "content", "source", "date"}, ("name", "source")),
    "bodies": ({"name", "role", "source", "date", "mandate"}, ("name", "role", "source")),
    "stakeholders": ({"name", "kind", "source", "date", "note"}, ("name", "kind", "source")),
    "meetings": ({"date", "title", "participants", "outcomes", "source"}, ("date", "title", "source")),
    "actions": ({"criterion", "name", "description", "source", "date"}, ("criterion", "name", "source")),
}

NEEDS_REGISTRY = ("the H2020 participations are not placed in NUTS 2 regions in this store (the organisations "
                  "registry, smartspec.match.registry, is needed)")


def declared_path(profile: str = DEFAULT_PROFILE) -> Path | None:
    """The declared file shipped for a profile (``profiles/evidence/<profile>.toml``), or None."""
    res = resources.files("smartspec").joinpath(f"profiles/evidence/{Path(str(profile)).stem}.toml")
    return Path(str(res)) if res.is_file() else None


def load_declared(path: str | os.PathLike | None, region: str) -> dict:
    """Read and check a declared file; an absent file declares nothing.

    Errors name the file, the table and entry, the problem and the fix (unknown table or key,
    missing ``source``, wrong types, a file written for another region).
    """
    empty = {k: [] for k in DECLARED_TABLES} | {"region": {}, "file": None}
    if path is None:
        return empty
    path = Path(path)
    if not path.exists():
        raise InputError("declared file not found", where=str(path), fix="check the path given to --declared")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", where=str(path), fix="fix the syntax at that line") from None
    unknown = sorted(set(raw) - {"region", *DECLARED_TABLES})
    if unknown:
        raise InputError(f"unknown table {unknown[0]!r}", where=str(path),
                         fix=f"tables are [region] and [[{']], [['.join(DECLARED_TABLES)}]]")
    reg = raw.get("region", {})
    if reg.get("code") and reg["code"] != region:
        raise InputError(f"the file declares region {reg['code']!r}, not {region!r}", where=f"{path}: [region] code",
                         fix="pass the declared file of this region with --declared")
    out = {"region": reg, "file": str(path)}
    for table, (allowed, required) in DECLARED_TABLES.items():
        items = raw.get(table, [])
        if not isinstance(items, list):
            raise InputError(f"{table!r} must be an array of tables", where=str(path), fix=f"write [[{table}]]")
        for i, item in enumerate(items):
            where = f"{path}: [[{table}]] #{i + 1}"
            extra = sorted(set(item) - allowed)
            if extra:
                raise InputError(f"unknown key {extra[0]!r}", where=where, fix=f"keys are {', '.join(sorted(allowed))}")
            for k in required:
                if k not in item or item[k] in ("", []):
                    raise InputError(f"missing key {k!r}", where=where,
                                     fix=f"every [[{table}]] needs {', '.join(required)} (a source for every fact)")
            for k in ("participants", "outcomes"):
                if k in item and not (isinstance(item[k], list) and all(isinstance(x, str) for x in item[k])):
                    raise InputError(f"{k!r} must be a list of strings", where=where, fix=f'{k} = ["..."]')
            if table == "actions" and item["criterion"] not in range(1, 8):
                raise InputError(f"criterion must be 1-7, not {item['criterion']!r}", where=where,
                                 fix="give the number of the fulfilment criterion the action answers")
        out[table] = [dict(x, date=str(x.get("date", ""))) for x in items]
    return out


# ------------------------------------------------------------------------------------ blocks

def _table(df: pd.DataFrame, columns: dict[str, str], n: int = 12) -> dict:
    """A block table: ``columns`` maps frame columns to headers."""
    df = df.head(n)
    # years are labels: no thousands separator
    year = [("year" in str(c)) for c in columns]
    return {"headers": list(columns.values()),
            "rows": [[_year(v) if y else _cell(v) for v, y in zip(r, year)]
                     for r in df[list(columns)].itertuples(index=False)]}


def _year(v) -> str:
    return "no value" if pd.isna(v) else str(int(v))


def _cell(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "no value"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{v:,}"
    if isinstance(v, (float, np.floating)):
        # counts stored as floats (links, grants) read as counts
        return f"{v:,.0f}" if abs(v) >= 1000 or float(v).is_integer() else f"{v:,.2f}"
    return str(v)


def _peer_comparison(board: pd.DataFrame, cat: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and breakdown, the region's last value against the median of its peers
    (regions, not the country row) in that year, direction-aware."""
    from smartspec.strategy.monitoring.dashboard import latest

    rows = []
    for r in latest(board).itertuples(index=False):
        vals = [v for u, n, role, v, note in r.peers if role != "country" and not np.isnan(v)]
        med = float(np.median(vals)) if vals else np.nan
        hib = bool(cat.at[r.indicator, "higher_is_better"])
        better = (np.nan if np.isnan(r.value) or np.isnan(med) else (r.value >= med) == hib)
        rows.append({"pillar": r.pillar, "indicator": cat.at[r.indicator, "label"], "breakdown": r.breakdown,
                     "unit": cat.at[r.indicator, "unit"], "year": r.year, "value": r.value, "peer_median": med,
                     "n_peers": len(vals), "first_year": r.first_year, "first_value": r.first_value,
                     "position": "no value" if better is np.nan else ("above the peer median" if better
                                                                       else "below the peer median")})
    return pd.DataFrame(rows)


def sections(st: Store, code: str, declared: dict) -> list[dict]:
    """The seven sections: ``number, title, computed, declared, missing`` (lists of blocks:
    ``text``, optional ``table``, ``source``)."""
    from smartspec.strategy.monitoring.cooperation import ALL_FOREIGN
    from smartspec.strategy.monitoring.indicators import CATALOGUE, PILLARS
    from smartspec.strategy.monitoring.tables import region_dashboard
    from smartspec import views

    man = st.manifest
    cat = CATALOGUE.set_index("key")
    prof = views.region_view(st, code, top=15)
    src_sbs = f"{man.get('source', man.get('dataset'))}, {man.get('year')} (store built {man.get('built_at', '')[:10]})"
    src_ce = "Interreg Central Europe TNCOOP indicator file (RIS 2018-2025, RCI, Eurostat, ARDECO)"
    has_monitor = st.has("monitor_observations")
    board = region_dashboard(st.table, code) if has_monitor else pd.DataFrame()
    comp = _peer_comparison(board, cat) if has_monitor else pd.DataFrame()
    if len(comp):  # links with the region's own country are no foreign links: no row, not a "no value"
        comp = comp[~(comp["indicator"].eq(cat.at["h2020_foreign_links", "label"]) & comp["breakdown"].eq(code[:2]))]
    how = ("declare it in the declared file (format: docs/evidence.md) and pass it with --declared FILE")
    S = [{"number": i + 1, "title": t, "computed": [], "declared": [], "missing": []} for i, t in enumerate(CRITERIA)]

    # 1. analysis of challenges
    s = S[0]["computed"]
    spec = pd.DataFrame([x.model_dump() for x in prof.specialisations])
    if len(spec):
        s.append({"text": f"Strengths: the {min(10, len(spec))} activities with the highest revealed comparative "
                          f"advantage (RCA = share of the activity in the region's employment over its share in "
                          f"Europe's; {prof.year}).",
                  "table": _table(spec, {"activity": "NACE", "name": "activity", "value": prof.value_name,
                                         "rca": "RCA", "rca_first": f"RCA {prof.first_year}"}, 10),
                  "source": src_sbs})
    opp = pd.DataFrame([x.model_dump() for x in prof.opportunities])
    if len(opp):
        best = opp[opp["quadrant"] == "high_high"] if (opp["quadrant"] == "high_high").any() else opp
        best = best.assign(supporting=best["supporting"].fillna("").map(
            lambda c: ", ".join(p.strip().split(" ")[0] for p in str(c).split("|") if p.strip())))
        s.append({"text": "Opportunities: related activities the region is not yet specialised in, with high "
                          "relatedness density and complexity (Balland et al. 2019), and the strengths supporting them.",
                  "table": _table(best, {"activity": "NACE", "name": "activity", "density": "density",
                                         "pci": "complexity", "supporting": "supported by"}, 10),
                  "source": src_sbs})
    else:
        S[0]["missing"].append({"text": f"Opportunities: {prof.opportunities_note or 'none computed for this region'}."})
    if len(comp):
        # a count of links with one country says little about a bottleneck: the total does
        weak = comp[(comp["position"] == "below the peer median")
                    & ~(comp["indicator"].eq(cat.at["h2020_foreign_links", "label"]) & comp["breakdown"].ne(ALL_FOREIGN))]
        s.append({"text": f"Bottlenecks: the {len(weak)} monitoring indicators (of {len(comp)}) on which the region is "
                          f"below the median of its peers (structural peers and network members) in its last year.",
                  "table": _table(weak, {"indicator": "indicator", "breakdown": "breakdown", "year": "year",
                                         "value": code, "peer_median": "peer median", "n_peers": "peers"}, 14),
                  "source": f"{src_sbs}; {src_ce}"})
        digi = comp[(comp["breakdown"] == "Connectivity and information")]
        if len(digi):
            s.append({"text": "Digitalisation: the Connectivity and information ecosystem (telecommunications, "
                              "software, information services, electronics).",
                      "table": _table(digi, {"indicator": "indicator", "first_year": "from", "first_value": "value",
                                             "year": "to", "value": code, "peer_median": "peer median"}),
                      "source": src_sbs})
    S[0]["missing"].append({"text": "Challenges for innovation *diffusion* measured at firm level (adoption surveys, "
                                    "digital intensity of enterprises) are not in the data directory."})

    # 2. competent body
    for b in declared["bodies"]:
        S[1]["declared"].append({"text": f"{b['name']}: {b['role']}" + (f" ({b['mandate']})" if b.get("mandate") else ""),
                                 "source": b["source"] + (f", {b['date']}" if b["date"] else "")})
    for x in declared["strategies"]:
        S[1]["declared"].append({"text": f"Strategy: {x['name']}" + (f" — {x['content']}" if x.get("content") else ""),
                                 "source": x["source"]})
    if not declared["bodies"]:
        S[1]["missing"].append({"text": f"No responsible body declared: {how} ([[bodies]] name, role, source)."})
    else:
        S[1]["missing"].append({"text": "The managing directorate, its mandate and the governance board are not "
                                        f"declared: {how} ([[bodies]] with 'mandate')."})
    S[1]["computed"].append({"text": "Nothing to compute: a body and its mandate are facts the region declares."})

    # 3. monitoring and evaluation
    s = S[2]["computed"]
    if len(comp):
        counts = comp.groupby("pillar").agg(indicators=("indicator", "nunique"), series=("indicator", "size"))
        n_peers = int(board.loc[board["role"] != "region", "unit"].nunique())
        s.append({"text": f"Dashboard by pillar: {code} over every year available against {n_peers} peers "
                          "(structural peers, network members, the country); a missing value is shown as such. "
                          + "; ".join(f"{PILLARS[p]}: {int(r.indicators)} indicators ({int(r.series)} series)"
                                      for p, r in counts.iterrows()) + ".",
                  "table": _table(comp, {"pillar": "pillar", "indicator": "indicator", "breakdown": "breakdown",
                                         "first_year": "from", "first_value": "value", "year": "to", "value": code,
                                         "peer_median": "peer median", "position": "position"}, 40),
                  "source": f"{src_sbs}; {src_ce}; EPO PATSTAT; Open Trade Statistics"})
    if st.has("monitor_composite"):
        cm, ag = st.table("monitor_composite"), st.table("monitor_agreement")
        row = cm[cm["region"] == code]
        rho = ", ".join(f"{int(r.edition)}: {r.spearman:.2f}" for r in ag.itertuples(index=False))
        txt = (f"Composite in the manner of the Regional Innovation Scoreboard over {len(cm)} Central European regions "
               f"(outliers beyond 2 sd capped, square root of skewed indicators, min-max, equal weights); Spearman "
               f"with the published RIS across {int(ag['n_regions'].max())} regions by edition: {rho}.")
        if len(row):
            r = row.iloc[0]
            txt += (f" {code}: rank {int(r['rank'])} of {len(cm)}; under 1,000 random weightings 90% of its ranks "
                    f"lie in {r['rank_p05']:.0f}-{r['rank_p95']:.0f}.")
        else:
            txt += f" {code} is outside the regions of the composite."
        s.append({"text": txt, "source": src_ce})
    t = st.table("monitor_targets") if st.has("monitor_targets") else pd.DataFrame()
    if len(t) and man.get("region") == code:
        s.append({"text": "Targets declared in the region profile and the progress towards them.",
                  "table": _table(t, {"indicator": "indicator", "baseline_year": "baseline year", "baseline": "baseline",
                                      "target_year": "target year", "target": "target", "latest_year": "latest year",
                                      "latest": "latest", "distance_to_target": "distance", "status": "status"}),
                  "source": "; ".join(t["source"].unique())})
    else:
        S[2]["missing"].append({"text": "No targets declared for this region: add [[targets]] to its profile "
                                        "(docs/profiles.md)."})
    if st.available("backtest") and st.has("backtest"):
        bt = st.table("backtest")
        s.append({"text": "Evaluation of the opportunity model: out-of-time backtest of which activities regions "
                          "became specialised in, against the plain density baseline.",
                  "table": _table(bt, {c: c.replace("_", " ") for c in bt.columns[:7]}, 8), "source": src_sbs})
    S[2]["declared"] += [{"text": f"Action: {a['name']}", "source": a["source"]} for a in declared["actions"]
                         if a["criterion"] == 3]

    # 4. stakeholders
    for x in declared["stakeholders"]:
        S[3]["declared"].append({"text": f"{x['name']} ({x['kind']})", "source": x["source"] + (f", {x['date']}" if x["date"] else "")})
    for m in declared["meetings"]:
        S[3]["declared"].append({"text": f"{m['date']}: {m['title']}"
                                 + (f"; participants: {', '.join(m['participants'])}" if m.get("participants") else "")
                                 + (f"; outcomes: {'; '.join(m['outcomes'])}" if m.get("outcomes") else ""),
                                 "source": m["source"]})
    if not declared["meetings"]:
        S[3]["missing"].append({"text": "Stakeholder meetings and their outcomes: not declared. " + how
                                        + " ([[meetings]] date, title, participants, outcomes, source)."})
    S[3]["computed"].append({"text": "Cooperation of stakeholders is a fact the region declares; smartspec lists the "
                                     "declared bodies with their sources."})

    # 5. research and innovation system
    s = S[4]["computed"]
    if len(comp):
        rs = comp[comp["pillar"] == "research"]
        s.append({"text": "Research and innovation system: the research pillar of the dashboard.",
                  "table": _table(rs, {"indicator": "indicator", "breakdown": "breakdown", "first_year": "from",
                                       "first_value": "value", "year": "to", "value": code,
                                       "peer_median": "peer median", "position": "position"}, 30),
                  "source": f"{src_ce}; {src_sbs}; CORDIS Horizon 2020 and ERC grants; population: LAU 2019 table"})
    reg = registry_from_store(st)
    src_h2020 = ("CORDIS Horizon 2020 participations (organisations placed in NUTS 2 by smartspec.match.registry; "
                 "projects by start year 2015-2020)")
    if reg is not None and (reg.participations["nuts2"] == code).any():
        from smartspec.match.lens import ri_lens
        from smartspec.strategy.monitoring.cooperation import knowledge_triangle

        lens = ri_lens(code, reg)
        sm = lens.summary
        s.append({"text": f"R&I lens: {sm['n_organisations']:,} organisations of the region took part "
                          f"{sm['n_participations']:,} times in {sm['n_projects']:,} H2020 projects "
                          f"(EUR {sm['ec_contribution'] / 1e6:,.0f} million of EC contribution; rank "
                          f"{sm['rank_participations']} among NUTS 2 regions by participations). Programme parts by "
                          "revealed comparative advantage (share of the region's participations over Europe's):",
                  "table": _table(lens.profile, {"programme_part": "programme part", "participations": "participations",
                                                 "ec_contribution": "EC contribution (EUR)", "rca": "RCA",
                                                 "specialised": "specialised"}, 10),
                  "source": src_h2020})
        order = {"university": 0, "research centre": 1, "firm": 2, "public": 3, "other": 4}
        leaders = lens.leaders.sort_values("type", key=lambda t: t.map(order), kind="stable")
        s.append({"text": "Leading organisations by type (EC contribution).",
                  "table": _table(leaders, {"type": "type", "name": "organisation", "nuts3": "NUTS 3",
                                                 "n_projects": "projects", "ec_contribution": "EC contribution (EUR)"}, 25),
                  "source": src_h2020})
        kt = knowledge_triangle(reg, code).pivot(index="pair", columns="year", values="projects")
        s.append({"text": "Knowledge-triangle links: H2020 projects in which organisations of the region of both types "
                          "take part, by start year.",
                  "table": _table(kt.rename_axis(None, axis=1).reset_index(),
                                  {"pair": "types", **{y: str(y) for y in kt.columns}}),
                  "source": src_h2020})
    else:
        S[4]["missing"].append({"text": f"R&I lens and knowledge-triangle links: not available: {NEEDS_REGISTRY}."})
    if st.has("monitor_erc_hosts"):
        erc = st.table("monitor_erc_hosts")
        n = erc["match"].value_counts()
        s.append({"text": f"ERC grants: {int((erc['region'] == code).sum())} of the {len(erc):,} grants of the data "
                          f"(2008-2020, a subset of all ERC grants) are hosted in {code}. Hosts matched to the registry "
                          f"by legal name: {int(n.get('name', 0) + n.get('german variant', 0)):,} placed, "
                          f"{int(n.get('unplaced', 0)):,} found but without a region, {int(n.get('unmatched', 0)):,} "
                          "not in the H2020 organisation files (not counted for any region).",
                  "source": "CORDIS ERC grants (cordis_erc/)"})
    S[4]["declared"] += [{"text": f"Action: {a['name']}", "source": a["source"]} for a in declared["actions"]
                         if a["criterion"] == 5]
    if not any(a["criterion"] == 5 for a in declared["actions"]):
        S[4]["missing"].append({"text": f"Actions to improve the R&I system: not declared; {how} ([[actions]] criterion = 5)."})

    # 6. industrial transition
    s = S[5]["computed"]
    if prof.paths.available and prof.paths.rows:
        paths = pd.DataFrame(prof.paths.rows)
        s.append({"text": "Transition paths from the region's traditional industries to emerging ones, through "
                          "stepping-stone activities it can reach (relatedness).",
                  "table": _table(paths, {c: c.replace("_", " ") for c in paths.columns[:7]}, 12),
                  "source": src_sbs})
    else:
        S[5]["missing"].append({"text": f"Transition paths: {prof.paths.note or 'not computed for this region'}."})
    if len(comp):
        tr = comp[comp["indicator"].isin([cat.at["employment_traded", "label"], cat.at["industry_employment", "label"]])]
        s.append({"text": "Structural change: employment in traded activities and in industry.",
                  "table": _table(tr, {"indicator": "indicator", "first_year": "from", "first_value": "value",
                                       "year": "to", "value": code, "peer_median": "peer median"}),
                  "source": f"{src_sbs}; {src_ce}"})
    S[5]["declared"] += [{"text": f"Action: {a['name']}", "source": a["source"]} for a in declared["actions"]
                         if a["criterion"] == 6]

    # 7. international cooperation
    s = S[6]["computed"]
    if prof.partners.available and prof.partners.rows:
        part = pd.DataFrame(prof.partners.rows)
        s.append({"text": "Complementary partner regions: regions holding the related capabilities the region lacks "
                          "for its opportunities and S3 ecosystems (Balland and Boschma 2021).",
                  "table": _table(part, {c: c.replace("_", " ") for c in part.columns[:7]}, 12), "source": src_sbs})
    else:
        S[6]["missing"].append({"text": f"Complementary partners: {prof.partners.note or 'not computed'}."})
    if st.has("networks"):
        nets = st.table("networks")
        s.append({"text": "Interregional networks of the profile and their members.",
                  "table": _table(nets, {"network": "network", "region": "code", "name": "member"}, 30),
                  "source": "s3_networks/interregional_networks.csv (4motors.eu; Vanguard early list)"})
    if len(comp):
        it = comp[comp["pillar"] == "international"]
        s.append({"text": "Internationalisation indicators (national figures where no regional ones exist).",
                  "table": _table(it, {"indicator": "indicator", "breakdown": "breakdown", "first_year": "from",
                                       "first_value": "value", "year": "to", "value": code,
                                       "peer_median": "peer median"}, 30),
                  "source": f"{src_h2020}; EPO PATSTAT (Harvard Growth Lab); Open Trade Statistics"})
    if reg is not None and (reg.participations["nuts2"] == code).any():
        from smartspec.match.network import external_links

        year = reg.participations["start_date"].dt.year
        by_country, by_region = external_links(type(reg)(reg.organisations, reg.participations[year.between(2015, 2020)]),
                                               code)
        own = code[:2]
        abroad = by_country[by_country["country"] != own]
        s.append({"text": f"Foreign collaboration links: pairs (organisation of {code}, organisation abroad) in one "
                          f"H2020 project starting 2015-2020: {int(abroad['links'].sum()):,} links with "
                          f"{int(abroad['partners'].sum()):,} foreign organisations in {len(abroad)} countries; the "
                          "countries with most links:",
                  "table": _table(abroad, {"country": "country", "links": "links", "projects": "projects",
                                           "partners": "organisations"}, 12),
                  "source": src_h2020})
        foreign = by_region[~by_region["nuts2"].str.startswith(own)]
        s.append({"text": "Foreign regions with most links.",
                  "table": _table(foreign.assign(name=foreign["nuts2"].map(st.region_name)),
                                  {"nuts2": "NUTS 2", "name": "region", "links": "links", "projects": "projects",
                                   "partners": "organisations"}, 12),
                  "source": src_h2020})
    else:
        S[6]["missing"].append({"text": f"Foreign collaboration links of the region's organisations: not available: "
                                        f"{NEEDS_REGISTRY}."})
    return S


def render_evidence_html(region: str, st: Store, declared: dict) -> str:
    """The evidence pack as one self-contained HTML string."""
    code = st.resolve_region(region)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    return env.get_template("evidence.html").render(
        code=code, name=st.region_name(code), sections=sections(st, code, declared), declared=declared,
        manifest=st.manifest, version=__version__, generated=time.strftime("%Y-%m-%d"))


def write_evidence(region: str, output: str | os.PathLike | None = None, fmt: str | None = None,
                   store: Store | str | os.PathLike | None = None, declared: str | os.PathLike | None = None,
                   profile: str = DEFAULT_PROFILE) -> Path:
    """Write the evidence pack of ``region`` as HTML or PDF; returns the path written.

    Parameters
    ----------
    fmt : {"html", "pdf"}, optional
        By default the suffix of ``output`` says which (HTML without one).
    declared : path, optional
        The declared file (default: the one shipped for ``profile`` when it is the store's
        region; otherwise nothing is declared and the sections say so).
    """
    from smartspec.report.render import document_format, output_path, save_document

    fmt = document_format(fmt, output)
    st = store if isinstance(store, Store) else open_store(store)
    code = st.resolve_region(region)
    if declared is None and st.manifest.get("region") == code:
        declared = declared_path(profile)
    decl = load_declared(declared, code)
    out = output_path(output, f"{code}-evidence.{fmt}")
    return save_document(render_evidence_html(code, st, decl), out, fmt)
