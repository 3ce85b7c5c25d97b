"""Monitoring indicators by pillar, for every region and year the sources hold.

Each indicator is read or computed from a real source and returned in one long table of
observations (``indicator, breakdown, region, year, value``); :data:`CATALOGUE` says for each
its pillar, unit, source, direction (higher is better or not) and what it covers. A value the
source does not hold is *absent* from the observations, never a zero: the dashboard
(:mod:`smartspec.strategy.monitoring.dashboard`) turns absences into lines saying so.

Pillars (Lombardy's industrial policy, the three lines of its S3):

1. ``enterprise``: enterprise and entrepreneurship;
2. ``research``: research, innovation and technology transfer;
3. ``international``: internationalisation.

Sources
-------
- Eurostat structural business statistics ``sbs_r_nuts06_r2`` (vintage 2017; V16110 persons
  employed, V11210 local units, V13320 wages and salaries in million EUR), NUTS 2 x NACE Rev.2
  division, 2008-2015, recoded to NUTS 2021 like the ``eurostat-sbs`` dataset. By S3 ecosystem
  of the region profile: the sum over the ecosystem's NACE divisions; a region-year where one
  of those divisions is confidential or missing has no value (a partial sum would understate
  it), and the dashboard says which divisions are missing.
- Interreg Central Europe TNCOOP indicator file (81 NUTS 2 regions of Central Europe): the
  Regional Innovation Scoreboard index (2018-2025 editions), the Regional Competitiveness Index
  (2016, 2019, 2022), GDP per head in PPS (ARDECO), tertiary attainment, NEET, unemployment,
  employment in industry. Regions outside that file have no value (a line says so).
- EPO PATSTAT patent counts by inventor country (Harvard Growth Lab aggregation) and exports by
  country (Open Trade Statistics, 1998-2000 average): country level only; the region's row
  carries its country's value and says so (``scope = "country"``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.config import resolve_data_dir
from smartspec.data.labels import NUTS_COUNTRY_ISO3
from smartspec.errors import DataNotFoundError, InputError

INDICATORS_FILE = "regional_indicators/interreg_ce_tncoop_nuts2_indicators_long.csv.gz"
PATENTS_FILE = "patents/patstat_country_tech35_year_inventor.csv.gz"
TRADE_FILE = "trade/world_trade_avg_1998_to_2000.csv.gz"
#: Years of the patent series shown: from the first SBS year to the last complete year (the
#: file's 2020 is incomplete).
PATENT_YEARS = (2008, 2019)

PILLARS = {
    "enterprise": "Enterprise and entrepreneurship",
    "research": "Research, innovation and technology transfer",
    "international": "Internationalisation",
}

#: SBS indicator codes read for the ecosystem indicators.
SBS_CODES = {"V16110": "persons employed", "V11210": "local units", "V13320": "wages and salaries (EUR million)"}

#: Interreg CE indicator codes used, with our key.
REGIONAL_CODES = {
    "ris": "25a_RIS", "rci": "23a_RCI", "gdp_per_head": "156a_GDP", "tertiary_attainment": "101c_Edu",
    "neet": "106a_NEET", "unemployment": "107a_Unempl", "industry_employment": "99h_EmplSect",
}


@dataclass(frozen=True)
class Indicator:
    key: str
    pillar: str
    label: str
    label_it: str
    unit: str
    source: str
    higher_is_better: bool = True
    scope: str = "region"  # "region" (NUTS 2) or "country" (only national figures exist)
    breakdown: str = ""  # what the breakdown column holds ("S3 ecosystem", "organisation type"...)
    note: str = ""


_SBS = "Eurostat SBS sbs_r_nuts06_r2 (vintage 2017)"
_CE = "Interreg Central Europe TNCOOP indicator file"
_H2020 = "CORDIS Horizon 2020 participations, organisations placed in NUTS 2 by the registry (smartspec.match)"
_LAU = "LAU 2019 table (municipal population summed by region)"
_H2020_NOTE = ("by project start year, 2015-2020; unplaced organisations (about 30% of participations) count "
               "for no region")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("employment_ecosystem", "enterprise", "Persons employed by S3 ecosystem",
              "Persone occupate per ecosistema S3", "persons", f"{_SBS}, V16110", breakdown="S3 ecosystem"),
    Indicator("local_units_ecosystem", "enterprise", "Local units by S3 ecosystem",
              "Unità locali per ecosistema S3", "local units", f"{_SBS}, V11210", breakdown="S3 ecosystem"),
    Indicator("wages_per_person_ecosystem", "enterprise", "Wages and salaries per person employed, by S3 ecosystem",
              "Salari e stipendi per persona occupata, per ecosistema S3", "EUR thousand per person",
              f"{_SBS}, V13320 / V16110", breakdown="S3 ecosystem",
              note="persons employed include unpaid workers (owners, family members)"),
    Indicator("wages_per_person", "enterprise", "Wages and salaries per person employed (business economy)",
              "Salari e stipendi per persona occupata (economia d'impresa)", "EUR thousand per person",
              f"{_SBS}, V13320 / V16110", note="over the divisions with both figures; persons employed include unpaid workers"),
    Indicator("employment_traded", "enterprise", "Employment in traded activities",
              "Occupazione nelle attività esposte alla concorrenza (traded)", "% of business-economy persons employed",
              f"{_SBS}, V16110; traded divisions of smartspec.data.scope",
              note="confidential or missing cells are left out of both the traded part and the total"),
    Indicator("gdp_per_head", "enterprise", "GDP per head", "PIL pro capite", "PPS per inhabitant",
              f"{_CE}: ARDECO SUVGDP (156a_GDP)", note="the GDP definition changes between 2020 and 2021"),
    Indicator("industry_employment", "enterprise", "Employment in industry (secondary sector)",
              "Occupazione nell'industria (settore secondario)", "% of employment",
              f"{_CE}: Eurostat nama_10r_3empers (99h_EmplSect)"),
    Indicator("unemployment", "enterprise", "Unemployment rate", "Tasso di disoccupazione", "% of labour force",
              f"{_CE}: Eurostat tgs00010 (107a_Unempl)", higher_is_better=False),
    Indicator("knowledge_employment", "research",
              "Employment in high-tech manufacturing and knowledge-intensive services",
              "Occupazione nella manifattura ad alta tecnologia e nei servizi ad alta intensità di conoscenza",
              "% of business-economy persons employed", f"{_SBS}, V16110; Eurostat high-tech aggregation",
              note="high and medium-high technology manufacturing (C20, C21, C26-C30) and knowledge-intensive "
                   "services the SBS covers (H50, H51, J58-J63, M69-M75, N78, N80); confidential cells left out"),
    Indicator("ris", "research", "Regional Innovation Scoreboard index", "Indice del Regional Innovation Scoreboard",
              "index (EU = 100 in the edition)", f"{_CE}: European Commission RIS (25a_RIS)"),
    Indicator("rci", "research", "Regional Competitiveness Index", "Indice di competitività regionale",
              "index", f"{_CE}: European Commission RCI (23a_RCI)"),
    Indicator("tertiary_attainment", "research", "Population with tertiary education",
              "Popolazione con istruzione terziaria", "% of population 25-64",
              f"{_CE}: Eurostat edat_lfse_04 (101c_Edu)"),
    Indicator("neet", "research", "Young people neither in employment nor in education or training (NEET)",
              "Giovani che non studiano né lavorano (NEET)", "% of population 15-29",
              f"{_CE}: Eurostat edat_lfse_38 (106a_NEET)", higher_is_better=False),
    Indicator("h2020_participations", "research", "Horizon 2020 participations per million inhabitants",
              "Partecipazioni a Horizon 2020 per milione di abitanti", "participations per million inhabitants",
              f"{_H2020}; population: {_LAU}", note=_H2020_NOTE),
    Indicator("h2020_funding", "research", "Horizon 2020 EC contribution per inhabitant",
              "Contributo UE di Horizon 2020 per abitante", "EUR per inhabitant", f"{_H2020}; population: {_LAU}",
              note=_H2020_NOTE),
    Indicator("h2020_funding_by_type", "research", "Horizon 2020 EC contribution per inhabitant, by organisation type",
              "Contributo UE di Horizon 2020 per abitante, per tipo di organizzazione", "EUR per inhabitant",
              f"{_H2020} (CORDIS activity type); population: {_LAU}", breakdown="organisation type",
              note=_H2020_NOTE),
    Indicator("erc_grants", "research", "ERC grants hosted", "Grant ERC ospitati", "grants (by start year)",
              "CORDIS ERC starting, consolidator and advanced grants (subset of 3,986, 2008-2020); hosts matched "
              "to the organisation registry by legal name",
              note="a subset of all ERC grants; hosts whose name no H2020 organisation file holds are not counted "
                   "(the evidence pack gives the matched and unmatched counts)"),
    Indicator("h2020_foreign_share", "international", "Horizon 2020 participations with a foreign partner",
              "Partecipazioni a Horizon 2020 con un partner estero", "% of the region's participations",
              _H2020, note=_H2020_NOTE),
    Indicator("h2020_foreign_links", "international", "Horizon 2020 links with foreign organisations, by country",
              "Collegamenti Horizon 2020 con organizzazioni estere, per paese", "links (organisation pairs per project)",
              _H2020, breakdown="partner country",
              note="the 10 countries with most H2020 participations, and all foreign countries; " + _H2020_NOTE),
    Indicator("h2020_network_links", "international", "Horizon 2020 links with the members of interregional networks",
              "Collegamenti Horizon 2020 con i membri delle reti interregionali", "links (organisation pairs per project)",
              f"{_H2020}; s3_networks/interregional_networks.csv", breakdown="network",
              note="links with member regions other than the region's own member unit; " + _H2020_NOTE),
    Indicator("complementary_reached", "international", "Complementary partner regions reached",
              "Regioni partner complementari raggiunte", "of the 10 most complementary partner regions",
              f"{_H2020}; complementary partners from {_SBS} (Balland and Boschma 2021)",
              note="how many of the region's 10 most complementary partner regions (best complement for the most "
                   "traded activities) its organisations share a project with; " + _H2020_NOTE),
    Indicator("patents_country", "international", "Patent families by inventor country",
              "Famiglie di brevetti per paese dell'inventore", "patent families",
              "EPO PATSTAT, Harvard Growth Lab aggregation", scope="country",
              note="national figure: no regional patent counts in the data; 2008-2019 (the file's 2020 is incomplete)"),
    Indicator("exports_country", "international", "Share of world exports of goods", "Quota delle esportazioni mondiali di beni",
              "% of world exports", "Open Trade Statistics (SITC rev.2), average 1998-2000", scope="country",
              note="national figure, one period only (average 1998-2000, shown as 2000); share of the total of the "
                   "source file's 226 countries, which is below official world totals (Italy 1.9%)"),
)
CATALOGUE = pd.DataFrame([i.__dict__ for i in INDICATORS])


def indicator(key: str) -> Indicator:
    """The definition of indicator ``key`` (UnknownNameError with the closest keys otherwise)."""
    from smartspec.errors import UnknownNameError

    for i in INDICATORS:
        if i.key == key:
            return i
    raise UnknownNameError("indicator", key, [i.key for i in INDICATORS])


# ------------------------------------------------------------------------------ regional file

def regional_file(data_dir=None) -> pd.DataFrame:
    """The Interreg Central Europe indicator file as a tidy frame ``code, region, name, country,
    year, value`` (rows with a non-numeric value or year are an error naming the line)."""
    from smartspec.data.cache import cached_frame

    path = resolve_data_dir(data_dir) / INDICATORS_FILE
    if not path.exists():
        raise DataNotFoundError(f"the regional indicator file {INDICATORS_FILE} is missing", where=str(path.parent),
                                fix="point --data-dir to the shared data directory")

    def build() -> pd.DataFrame:
        df = pd.read_csv(path, dtype={"indicator": str, "nuts2": str, "name": str, "country": str, "year": str})
        need = ["indicator", "nuts2", "name", "country", "year", "value"]
        absent = [c for c in need if c not in df.columns]
        if absent:
            raise InputError(f"missing column {absent[0]!r}", where=str(path), fix=f"the columns are {', '.join(need)}")
        year = pd.to_numeric(df["year"], errors="coerce")
        value = pd.to_numeric(df["value"], errors="coerce")
        bad = year.isna() | (value.isna() & df["value"].notna())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"line {i + 2}: year {df['year'].iloc[i]!r} / value {df['value'].iloc[i]!r} is not a number",
                             where=str(path), fix="repair the file")
        return pd.DataFrame({"code": df["indicator"], "region": df["nuts2"], "name": df["name"],
                             "country": df["country"], "year": year.astype(int), "value": value}).dropna(subset=["value"])

    return cached_frame("monitoring-regional-file", [path], build)


def regional_observations(data_dir=None) -> pd.DataFrame:
    """Observations of the indicators of :data:`REGIONAL_CODES` (the years each edition names:
    a RIS edition is labelled by its publication year, as in the source)."""
    raw = regional_file(data_dir)
    code_to_key = {v: k for k, v in REGIONAL_CODES.items()}
    df = raw[raw["code"].isin(code_to_key)]
    # the file codes the 2014-2024 population change as year 1424: not one of ours, but keep the rule
    df = df[(df["year"] >= 1990) & (df["year"] <= 2100)]
    return pd.DataFrame({"indicator": df["code"].map(code_to_key).to_numpy(), "breakdown": "",
                         "region": df["region"].to_numpy(), "year": df["year"].to_numpy(),
                         "value": df["value"].to_numpy(float)})


# ------------------------------------------------------------------------------------- SBS

def sbs_panel(code: str, data_dir=None):
    """The SBS panel of indicator ``code`` (V16110, V11210 or V13320): NUTS 2 regions x NACE
    divisions, recoded to NUTS 2021 as the ``eurostat-sbs`` dataset (cached after the first call)."""
    from smartspec.data.cache import cached_panel
    from smartspec.data.datasets import _only, _recode_nuts, dataset_file
    from smartspec.data.eurostat import read_eurostat
    from smartspec.data.labels import nace_labels
    from smartspec.data.panel import Panel

    if code not in SBS_CODES:
        raise InputError(f"unknown SBS indicator {code!r}", fix=f"use one of {', '.join(SBS_CODES)}")
    root = resolve_data_dir(data_dir)
    f = dataset_file("eurostat-sbs", root)

    def build() -> Panel:
        raw = _only(read_eurostat(f.path), freq="A")
        df = raw[(raw["indic_sb"] == code) & raw["year"].notna()]
        div = df["nace_r2"].map(nace_labels()["level"]) == "division"
        df = df[(df["geo"].str.len() == 4) & div & ~df["geo"].str.endswith("ZZ")]
        panel = Panel.from_frame(df.rename(columns={"geo": "region", "nace_r2": "activity"}), source_name=str(f.path),
                                 name=f"sbs-{code}", value_name=SBS_CODES[code], source=_SBS)
        return _recode_nuts(panel, root)

    return cached_panel(f"monitoring-sbs-{code}", [f.path], build)


def _group_matrix(activities: pd.Index, groups: dict[str, list[str]]) -> tuple[sp.csr_array, list[str]]:
    names = list(groups)
    rows, cols = [], []
    for j, g in enumerate(names):
        for c in groups[g]:
            if c in activities:
                rows.append(activities.get_loc(c))
                cols.append(j)
    G = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(activities), len(names)))
    return G, names


def ecosystem_groups(profile) -> dict[str, list[str]]:
    """S3 ecosystem -> NACE divisions, plus ``"All S3 ecosystems"`` (their union)."""
    groups = {g.name: list(g.nace) for g in profile.ecosystems.values()}
    groups["All S3 ecosystems"] = sorted({c for v in groups.values() for c in v})
    return groups


def sbs_ecosystem_observations(profile, data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Persons employed, local units and wages per person employed by S3 ecosystem.

    Returns
    -------
    observations : DataFrame  ``indicator, breakdown, region, year, value``
    gaps : DataFrame          ``indicator, breakdown, region, year, missing`` for the
                              region-years left without a value because divisions of the
                              ecosystem are confidential or missing (``missing`` lists them)
    """
    groups = ecosystem_groups(profile)
    panels = {code: sbs_panel(code, data_dir) for code in SBS_CODES}
    sums: dict[tuple[str, int], pd.DataFrame] = {}
    rows, gaps = [], []
    key_of = {"V16110": "employment_ecosystem", "V11210": "local_units_ecosystem", "V13320": "wages_per_person_ecosystem"}
    for code, p in panels.items():
        G, names = _group_matrix(p.activities, groups)
        for y in p.years:
            has = np.asarray(p.matrices[y].sum(axis=1)).ravel() > 0  # regions the year covers
            total = pd.DataFrame((p.matrices[y] @ G).toarray(), index=p.regions, columns=names)[has]
            incomplete = pd.DataFrame((p.missing[y].astype(float) @ G).toarray() > 0, index=p.regions,
                                      columns=names)[has]
            sums[(code, y)] = total.where(~incomplete)
            if code != "V13320":
                rows.append(_melt(sums[(code, y)], key_of[code], y))
            gaps.append(_gap_rows(p, y, groups, incomplete, key_of[code]))
    for (code, y), wages in sums.items():  # wages per person employed: both sums complete
        if code == "V13320" and ("V16110", y) in sums:
            w, emp = wages.align(sums[("V16110", y)], join="inner")
            rows.append(_melt(w * 1000.0 / emp.where(emp > 0), "wages_per_person_ecosystem", y))
    obs = pd.concat(rows, ignore_index=True).dropna(subset=["value"]).reset_index(drop=True)
    return obs, pd.concat(gaps, ignore_index=True)


def _melt(frame: pd.DataFrame, key: str, year: int) -> pd.DataFrame:
    long = frame.rename_axis("region").reset_index().melt(id_vars="region", var_name="breakdown", value_name="value")
    long.insert(0, "indicator", key)
    long["year"] = int(year)
    return long[["indicator", "breakdown", "region", "year", "value"]]


def _gap_rows(panel, year: int, groups: dict[str, list[str]], incomplete: pd.DataFrame, key: str) -> pd.DataFrame:
    """Which divisions leave an ecosystem without a value (region-years flagged in ``incomplete``)."""
    r_idx, g_idx = np.nonzero(incomplete.to_numpy())
    if len(r_idx) == 0:
        return pd.DataFrame(columns=["indicator", "breakdown", "region", "year", "missing"])
    miss = panel.missing[year].tocsr()
    acts = panel.activities
    regions = incomplete.index
    out = []
    for r, g in zip(r_idx, g_idx):
        name = incomplete.columns[g]
        row = miss[[panel.regions.get_loc(regions[r])]].toarray().ravel()
        codes = [c for c in groups[name] if c in acts and row[acts.get_loc(c)]]
        out.append((key, name, regions[r], int(year), "division(s) " + ", ".join(codes)))
    return pd.DataFrame(out, columns=["indicator", "breakdown", "region", "year", "missing"])


#: Eurostat's aggregation of NACE Rev.2 divisions by technology and knowledge intensity
#: (htec): high and medium-high technology manufacturing, and the knowledge-intensive services
#: the SBS panel covers (sections K and O-U are outside it).
KNOWLEDGE_DIVISIONS = ("C20", "C21", "C26", "C27", "C28", "C29", "C30", "H50", "H51", "J58", "J59", "J60", "J61",
                       "J62", "J63", "M69", "M70", "M71", "M72", "M73", "M74", "M75", "N78", "N80")


def employment_share_observations(data_dir=None) -> pd.DataFrame:
    """Shares of business-economy persons employed (SBS V16110, %) in traded divisions
    (:mod:`smartspec.data.scope`) and in high-tech and knowledge-intensive divisions
    (:data:`KNOWLEDGE_DIVISIONS`), over the cells each region-year reports (confidential and
    missing cells are left out of both parts of the ratio); a region-year in which every
    division of a section with three or more divisions is missing (construction in Italy
    2008-10) has no share, a gap saying so. Also wages and salaries per person employed in the
    business economy (``wages_per_person``), over the divisions with both figures."""
    from smartspec.data.scope import traded_mask

    p = sbs_panel("V16110", data_dir)
    masks = {"employment_traded": traded_mask(p.activities),
             "knowledge_employment": p.activities.isin(KNOWLEDGE_DIVISIONS)}
    section = p.activities.str[0]
    big = [sec for sec, n in section.value_counts().items() if n >= 3]
    out, gaps = [], []
    for y in p.years:
        M = p.matrices[y]
        total = np.asarray(M.sum(axis=1)).ravel()
        miss = p.missing[y].toarray()
        lost = np.zeros(len(p.regions), dtype=object)
        lost[:] = ""
        for sec in big:  # a whole section missing (construction in Italy 2008-10) would bias a share
            cols = np.flatnonzero(section == sec)
            whole = miss[:, cols].all(axis=1)
            lost[whole] = [f"{t}, section {sec}" if t else f"section {sec}" for t in lost[whole]]
        keep = (total > 0) & (lost == "")
        dropped = (total > 0) & ~keep
        for key, mask in masks.items():
            part = np.asarray(M[:, np.flatnonzero(mask)].sum(axis=1)).ravel()
            out.append(pd.DataFrame({"indicator": key, "breakdown": "", "region": p.regions[keep], "year": int(y),
                                     "value": 100.0 * part[keep] / total[keep]}))
            gaps.append(pd.DataFrame({"indicator": key, "breakdown": "", "region": p.regions[dropped], "year": int(y),
                                      "missing": [f"all divisions of {t}" for t in lost[dropped]]}))
    wages = sbs_panel("V13320", data_dir)
    for y in wages.years:
        if y not in p.matrices:
            continue
        W = wages.frame(y).reindex(index=p.regions, columns=p.activities).fillna(0.0).to_numpy()
        E = p.dense(y)
        both = (W > 0) & (E > 0)
        w, e = (W * both).sum(axis=1), (E * both).sum(axis=1)
        keep = e > 0
        out.append(pd.DataFrame({"indicator": "wages_per_person", "breakdown": "", "region": p.regions[keep],
                                 "year": int(y), "value": 1000.0 * w[keep] / e[keep]}))
    return pd.concat(out, ignore_index=True), pd.concat(gaps, ignore_index=True)


def observations(profile, data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every indicator of :data:`INDICATORS` for every region and year the sources hold.

    Cached on disk, keyed by the source files and the profile's ecosystems.

    Returns
    -------
    observations : DataFrame  ``indicator, breakdown, region, year, value`` (NUTS 2 regions,
                              and ISO-2 NUTS country codes for the country-level indicators)
    gaps : DataFrame          region-years of the ecosystem indicators without a value because
                              divisions are confidential or missing (see
                              :func:`sbs_ecosystem_observations`)
    """
    from smartspec.data.cache import cached_frame
    from smartspec.data.datasets import dataset_file

    root = resolve_data_dir(data_dir)
    from smartspec.match.registry import _input_files, load_registry
    from smartspec.strategy.monitoring import cooperation

    files = [dataset_file("eurostat-sbs", root).path, root / INDICATORS_FILE, root / PATENTS_FILE, root / TRADE_FILE,
             root / cooperation.LAU_FILE, *(root / f for f in cooperation.ERC_FILES), *_input_files(root)]
    # the observations are computed here, not by the data readers: these modules' source is in the key
    code = hashlib.sha1(Path(__file__).read_bytes() + Path(cooperation.__file__).read_bytes()).hexdigest()[:12]
    params = {"groups": ecosystem_groups(profile), "code": code}

    def build() -> pd.DataFrame:
        eco, eco_gaps = sbs_ecosystem_observations(profile, root)
        shares, share_gaps = employment_share_observations(root)
        registry = load_registry(root)
        h2020, h2020_gaps = cooperation.h2020_observations(registry, root)
        obs = pd.concat([eco, shares, regional_observations(root), h2020, cooperation.erc_observations(registry, root),
                         country_observations(root)], ignore_index=True)
        gaps = pd.concat([eco_gaps, share_gaps, h2020_gaps], ignore_index=True).rename(columns={"missing": "note"})
        both = pd.concat([obs.assign(kind="value", note=""), gaps.assign(kind="gap", value=np.nan)], ignore_index=True)
        both["year"] = both["year"].astype(int)
        return both

    both = cached_frame("monitoring-observations", files, build, params)
    obs = both[both["kind"] == "value"][["indicator", "breakdown", "region", "year", "value"]].reset_index(drop=True)
    gaps = both[both["kind"] == "gap"][["indicator", "breakdown", "region", "year", "note"]]
    return obs, gaps.rename(columns={"note": "missing"}).reset_index(drop=True)


# ------------------------------------------------------------------------------- country level

def country_observations(data_dir=None) -> pd.DataFrame:
    """Patent families by inventor country and year, and the share of world exports (%, 1998-2000
    average, labelled 2000), as observations whose ``region`` is the NUTS country code."""
    from smartspec.data.datasets import load_dataset

    out = []
    pat = load_dataset("patents-wipo35", data_dir)
    for y in [y for y in pat.years if PATENT_YEARS[0] <= y <= PATENT_YEARS[1]]:
        tot = np.asarray(pat.matrices[y].sum(axis=1)).ravel()
        out.append(pd.DataFrame({"indicator": "patents_country", "breakdown": "", "region": pat.regions,
                                 "year": int(y), "value": tot})[tot > 0])
    tr = load_dataset("trade-1998-2000", data_dir)
    for y in tr.years:
        tot = np.asarray(tr.matrices[y].sum(axis=1)).ravel()
        tot = 100.0 * tot / tot.sum()
        out.append(pd.DataFrame({"indicator": "exports_country", "breakdown": "", "region": tr.regions,
                                 "year": 2000, "value": tot})[tot > 0])
    df = pd.concat(out, ignore_index=True)
    nuts_of = {iso3: nuts for nuts, iso3 in NUTS_COUNTRY_ISO3.items()}
    df["region"] = df["region"].map(nuts_of)  # only countries with NUTS regions are compared
    return df.dropna(subset=["region"]).reset_index(drop=True)
