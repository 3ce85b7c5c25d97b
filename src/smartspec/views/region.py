"""A region's views: search hits, the choropleth map and the region page (shared by web and report)."""
from __future__ import annotations

from smartspec.store import Store
from smartspec.views import models as m
from smartspec.views import partners_text as partner_words
from smartspec.views import text as words
from smartspec.views.i18n import translator
from smartspec.views.tables import COLUMNS, num, pci_of, rank_of, rca_rows, table_model, text


def search_regions(store: Store, q: str, limit: int = 10) -> list[m.RegionHit]:
    """Regions whose code or any name (in any language the data has) contains ``q``."""
    from smartspec.data.names import match_names

    hits = match_names(store.region_search_names.rename(columns={"region": "code"}), q, limit)
    regs = store.regions
    return [m.RegionHit(region=r, name=store.region_name(r), matched_name=n,
                        country=str(regs.at[r, "country"]), eci=num(regs.at[r, "eci"]),
                        diversity=num(regs.at[r, "diversity"]))
            for r, n in hits[["code", "name"]].itertuples(index=False)]


def map_data(store: Store, metric: str = "eci", activity: str | None = None, lang_label=None) -> m.MapData:
    if not store.has("regions") or not store.has("rca"):
        return m.MapData(metric=metric, label=metric, regions=[], names=[], values=[])
    regs = store.regions
    regs = regs[regs["has_data"]] if "has_data" in regs else regs
    if metric == "rca":
        if not activity:
            activity = _default_activity(store)
        act = store.resolve_activity(activity)
        sub = rca_rows(store, "activity", act).set_index("region")["rca"].reindex(regs.index)
        return m.MapData(metric="rca", label=f"RCA {act}", activity=act, activity_name=store.activity_name(act),
                         regions=list(regs.index), names=list(regs["name"]), values=[num(v) for v in sub])
    col = "eci" if metric == "eci" else "diversity"
    return m.MapData(metric=col, label=col.upper() if col == "eci" else "diversity", regions=list(regs.index),
                     names=list(regs["name"]), values=[num(v) for v in regs[col]])


def _default_activity(store: Store) -> str:
    acts = store.activities
    return str(acts.index[0]) if len(acts) else ""


def region_view(store: Store, region: str, top: int = 20, lang: str = "en") -> m.RegionView:
    """A region's page: strengths, opportunities (with their reasons), paths, niches,
    competences and partners; names and sentences in ``lang`` (``"en"`` or ``"it"``)."""
    code = store.resolve_region(region)
    man = store.manifest
    name_of = words.names_in(store, lang)
    profile = man.get("region_profile")
    r = store.regions.loc[code]
    eci_rank, n_ranked = rank_of(store.regions["eci"], code)
    rows = rca_rows(store, "region", code).sort_values("rca", ascending=False)
    # Strengths are the traded activities, as in `smartspec profile`: a local activity with RCA >= 1
    # (sewerage, building services) serves the region's own demand and is listed apart.
    local = rows["scope"].eq("local") & (man.get("scope", "traded") == "traded")
    local_strengths = [str(a) for a in rows.loc[local & (rows["rca"] >= 1), "activity"]]
    spec = rows[~local].head(top)
    specs = [m.Specialisation(rank=i + 1, activity=a, name=name_of(a), value=num(v), share=num(s),
                              rca=num(x), rca_first=num(x0), pci=pci_of(store, a))
             for i, (a, v, s, x, x0) in enumerate(spec[["activity", "value", "share", "rca", "rca_first"]]
                                                   .itertuples(index=False))]
    is_profile = code == man.get("region")
    opps: list[m.Opportunity] = []
    note = ""
    dthr = pthr = None
    if store.available("opportunities") and store.has("opportunities"):
        o = store.table("opportunities")
        o = o[o["region"] == code].sort_values("rank", kind="stable")
        if len(o):
            dthr = num(o["density_threshold"].iloc[0]) if "density_threshold" in o else None
            pthr = num(o["pci_threshold"].iloc[0]) if "pci_threshold" in o else None
            region_name = store.region_name(code)
            for row in o.to_dict(orient="records"):
                q = str(row.get("quadrant_label") or row.get("quadrant", ""))
                opps.append(m.Opportunity(
                    activity=row["activity"], name=name_of(row["activity"]),
                    density=num(row.get("density")), pci=num(row.get("pci")), rca=num(row.get("rca")),
                    quadrant=str(row.get("quadrant", "")),
                    supporting=words.supporting(row.get("supporting_codes"), row.get("supporting_proximity"),
                                                name_of, lang),
                    rank=int(row["rank"]) if num(row.get("rank")) is not None else None,
                    probability=num(row.get("probability")), predictor=text(row.get("predictor")),
                    ecosystems=words.group_list(text(row.get("ecosystems")), lang, profile, ", "),
                    advice=words.advice(q, lang),
                    reason=words.opportunity_reason(row, year=man.get("year"), region_name=region_name,
                                                    value_name=man.get("value_name") or "value", name_of=name_of,
                                                    lang=lang, profile=profile),
                    score=num(row.get("score")),
                    feasibility=num(row.get("feasibility")), desirability=num(row.get("desirability")),
                    cog=num(row.get("cog")), wage=num(row.get("wage")),
                    activity_growth=num(row.get("activity_growth")), ecosystem_fit=num(row.get("ecosystem_fit"))))
        else:
            note = translator(lang)("no_opportunities")
    else:
        note = store.reason("opportunities")

    def section(sec: str, table: str, columns: list[str] | None = None, column: str = "region",
                extra: str = "", profile_region_only: bool = False) -> m.Table:
        t = table_model(store, sec, table)
        if not t.available:
            return t
        df = store.table(table)
        if column in df.columns:
            t = table_model(store, sec, table, query=f"{column} == {code!r}" + extra, columns=columns)
            if not t.rows and profile_region_only and not is_profile:
                t.note = "only_profile_region"
        return t

    partners = section("partners", "partners", COLUMNS["partners"])
    reasons = {}
    if partners.rows and store.has("partner_details"):
        details = store.table("partner_details")
        reasons = partner_words.best_target_reasons(details[details["region"] == code], name_of, lang, profile,
                                                    region_name=lambda c: store.region_name(c)
                                                    if c in store.regions.index else c)
    for row in partners.rows:  # names in Latin script, as everywhere else on the pages
        if row.get("partner") in store.regions.index:
            row["partner_name"] = store.region_name(row["partner"])
        row["targets"] = words.group_list(text(row.get("targets")), lang, profile)
        row["reason"] = reasons.get(row.get("partner"), "")
    paths = section("paths", "paths", COLUMNS["paths"], extra=" and path == 1", profile_region_only=True)
    _word_paths(store, code, paths, lang, name_of, profile)
    niches = section("niches", "niches", COLUMNS["niches"])
    for row in niches.rows:
        for col in ("a_name", "b_name"):
            if col in row:
                row[col] = name_of(row[col[0]])
        if lang != "en" and "bridges" in row:
            row["bridges"] = words.bridges(text(row["bridges"]), name_of, lang)
    competences = section("competences", "region_competences", COLUMNS["competences"])
    core = {}  # a system is named after its two most central activities: named again in ``lang``
    if lang != "en" and store.has("competence_systems"):
        systems = store.table("competence_systems")
        core = dict(zip(systems["name"], systems["core"]))
    for row in competences.rows:
        if row.get("name") in core:
            row["name"] = " / ".join(name_of(c) for c in str(core[row["name"]]).split(", ")[:2])
        if "ecosystems" in row:
            row["ecosystems"] = words.group_list(text(row["ecosystems"]), lang, profile)
    return m.RegionView(
        region=code, name=store.region_name(code), country=str(r["country"]), year=man.get("year"),
        first_year=man.get("first_year"), value_name=man.get("value_name", ""), total=num(r.get("total")),
        eci=num(r["eci"]), eci_rank=eci_rank, n_ranked=n_ranked, diversity=num(r["diversity"]),
        n_specialised=int(r["n_specialised"]) if "n_specialised" in r and num(r["n_specialised"]) is not None else None,
        local_strengths=[f"{a} {name_of(a)}" for a in local_strengths],
        eci_orientation=man.get("eci_orientation") or "",
        is_profile_region=is_profile, specialisations=specs, opportunities=opps, opportunities_note=note,
        density_threshold=dthr, pci_threshold=pthr,
        competences=competences, paths=paths, niches=niches,
        partners=partners,
        ri=table_model(store, "organisations", "ri_lens", query=f"region == {code!r}",
                       columns=["programme_part", "participations", "ec_contribution", "rca", "rca_funding"]),
    )


def _word_paths(store: Store, code: str, paths: m.Table, lang: str, name_of, profile) -> None:
    """The paths section's group labels in ``lang``, and each path's route in words (built from
    the stored steps: the strategy stores no sentence)."""
    if not paths.rows:
        return
    steps = store.table("path_steps") if store.has("path_steps") else None
    if steps is not None:
        steps = steps[(steps["region"] == code) & (steps["path"] == 1)]
    for row in paths.rows:
        src, dst = text(row.get("from")), text(row.get("to"))
        mine = steps[(steps["source"] == src) & (steps["target"] == dst)].sort_values("step") \
            if steps is not None else ()
        row["route"] = words.path_route(mine, store.manifest.get("year"), name_of,
                                        words.group_name(dst, lang, profile), lang) if len(mine) else ""
        row["from"], row["to"] = words.group_name(src, lang, profile), words.group_name(dst, lang, profile)
    if "route" not in paths.columns:
        paths.columns.append("route")
