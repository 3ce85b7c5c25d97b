"""Research and cooperation indicators from the organisation registry (Horizon 2020, ERC).

The registry (:func:`smartspec.match.registry.load_registry`) places every H2020 organisation
in a NUTS 2 region; a participation counts for the region of its organisation, in the year its
project starts (``start_date``), for the years :data:`H2020_YEARS`. The indicators, for every
NUTS 2 region and year:

Research pillar
  - ``h2020_participations``: participations per million inhabitants;
  - ``h2020_funding``: EC contribution (euro) per inhabitant; ``h2020_funding_by_type`` the same
    by organisation type (firm, university, research centre, public, other);
  - ``erc_grants``: ERC grants hosted (by start year), the host institution's CORDIS legal name
    matched to a registry organisation with :func:`smartspec.data.names.normalise_name` (then
    with umlauts written out, :func:`~smartspec.data.names.german_variant`); the hosts that match
    no placed organisation are counted in :func:`erc_hosts` and said on the pages.

Internationalisation pillar
  - ``h2020_foreign_share``: share of the region's participations in projects with at least one
    organisation of another country (%);
  - ``h2020_foreign_links``: co-participation links with organisations of other countries, in
    total and for the :data:`N_COUNTRIES` countries with most participations; a *link* is a pair
    (organisation of the region, organisation of the other country) in one project, as in
    :func:`smartspec.match.network.external_links`; the region's own country has no value;
  - ``h2020_network_links``: links with organisations of the other member regions of each
    interregional network (:func:`smartspec.data.networks.read_networks`);
  - ``complementary_reached``: how many of the region's :data:`N_COMPLEMENTARY` most
    complementary partner regions (Balland and Boschma 2021; the partners that bring the most
    traded activities, :func:`smartspec.strategy.partners.best_partners`) its organisations
    co-participate with in projects starting that year.

Population (for "per inhabitant") is the sum over the region's municipalities of the LAU 2019
table (``nuts_codes/regionsR_nuts_lau_2019.csv.gz``, NUTS 3 2016 recoded to NUTS 2021); the
regional indicator file has densities only, and covers 81 regions. One population for every
year: per-inhabitant values move with participations, not with population. The LAU table gives
no population for France's municipalities: French regions have no per-inhabitant value (a line
says so), their counts and links are shown.

A region-year with no participation has no value (absent, never zero); a region that took part
that year and has no link of a kind has a true zero.

References
----------
European Commission, CORDIS -- EU research projects under Horizon 2020 (2014-2020).
Balland, P.-A. and Boschma, R. (2021). Complementary interregional linkages and Smart
Specialisation: an empirical study on European regions. Regional Studies 55(6), 1059-1070.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.errors import DataNotFoundError, InputError

#: Project start years counted: about 23,000 participations start each year from 2015 to 2020;
#: the 1,513 of 2014 (the first calls' few early starts) and the 4,779 of 2021-22 (signed before
#: the data's cut-off) are left out, rather than shown as a fifteen-fold rise or a collapse.
H2020_YEARS = (2015, 2020)
ERC_FILES = tuple(f"cordis_erc/edu_erc_{k}.csv.gz" for k in ("starting", "consolidator", "advanced"))
ERC_YEARS = (2008, 2020)
LAU_FILE = "nuts_codes/regionsR_nuts_lau_2019.csv.gz"
#: Partner countries shown one by one (most participations in H2020); the others are in the total.
N_COUNTRIES = 10
#: Complementary partner regions whose reach is counted.
N_COMPLEMENTARY = 10
ALL_FOREIGN = "all foreign countries"


def population(data_dir=None) -> pd.Series:
    """Inhabitants by NUTS 2 region (NUTS 2021): the LAU 2019 table summed by region.

    Raises
    ------
    DataNotFoundError
        The LAU table is not in the data directory.
    InputError
        A population that is not a number (line named).
    """
    from smartspec.data.cache import cached_frame
    from smartspec.match.registry import recode_to_2021

    root = resolve_data_dir(data_dir)
    path = root / LAU_FILE
    if not path.exists():
        raise DataNotFoundError(f"the LAU table {LAU_FILE} is missing", where=str(path.parent),
                                fix="point --data-dir to the shared data directory")

    def build() -> pd.DataFrame:
        lau = pd.read_csv(path, usecols=["code_2016", "population"], dtype={"code_2016": str})
        pop = pd.to_numeric(lau["population"], errors="coerce")
        bad = pop.isna() & lau["population"].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"line {i + 2}: population {lau['population'].iloc[i]!r} is not a number",
                             where=str(path), fix="repair the file")
        by3 = pop.groupby(lau["code_2016"]).sum(min_count=1)  # NaN, not 0, where no municipality has one
        nuts2 = recode_to_2021(pd.Series(by3.index), root)["nuts2"].to_numpy()
        out = pd.Series(by3.to_numpy(), index=nuts2).groupby(level=0).sum(min_count=1)
        return out.rename_axis("region").rename("population").reset_index()

    df = cached_frame("monitoring-population", [path], build)
    return df.set_index("region")["population"]


def _participations(registry) -> pd.DataFrame:
    """One row per (project, organisation) in :data:`H2020_YEARS`: ``project_id, org_id, region
    (NUTS 2 or NA), country, year, org_type, ec_contribution``."""
    p = registry.participations
    year = p["start_date"].dt.year
    keep = year.between(*H2020_YEARS)
    country = registry.organisations.set_index("org_id")["country"]
    out = pd.DataFrame({"project_id": p.loc[keep, "project_id"].to_numpy(), "org_id": p.loc[keep, "org_id"].to_numpy(),
                        "region": p.loc[keep, "nuts2"].to_numpy(), "year": year[keep].astype(int).to_numpy(),
                        "org_type": p.loc[keep, "org_type"].to_numpy(),
                        "ec_contribution": p.loc[keep, "ec_contribution"].to_numpy(float)})
    out["country"] = out["org_id"].map(country).astype(str).to_numpy()
    return out


def _long(s: pd.Series, key: str, breakdown="") -> pd.DataFrame:
    """``indicator, breakdown, region, year, value`` from a Series indexed by (region, year[, breakdown])."""
    df = s.rename("value").reset_index()
    if "breakdown" not in df:
        df["breakdown"] = breakdown
    df.insert(0, "indicator", key)
    return df[["indicator", "breakdown", "region", "year", "value"]]


def _links(parts: pd.DataFrame) -> pd.DataFrame:
    """Every pair (organisation of a region, other organisation) sharing a project: ``region,
    year, org_id, project_id, partner_region, partner_country``."""
    left = parts.dropna(subset=["region"])[["project_id", "org_id", "region", "year"]]
    right = parts[["project_id", "org_id", "region", "country"]].rename(
        columns={"org_id": "partner", "region": "partner_region", "country": "partner_country"})
    m = left.merge(right, on="project_id")
    return m[m["org_id"] != m["partner"]]


def h2020_observations(registry, data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The H2020 indicators of the research and internationalisation pillars (all but
    ``complementary_reached`` and ``erc_grants``), for every NUTS 2 region and year.

    Returns
    -------
    observations : DataFrame  ``indicator, breakdown, region, year, value``
    gaps : DataFrame          ``indicator, breakdown, region, year, missing``: the region's
                              own country in ``h2020_foreign_links``, and the regions without
                              a population for the per-inhabitant indicators
    """
    from smartspec.data.networks import read_networks
    from smartspec.match.registry import TYPES

    parts = _participations(registry).drop_duplicates(["project_id", "org_id"])
    placed = parts.dropna(subset=["region"])
    placed = placed[placed["region"].str.len() == 4]
    pop = population(data_dir)
    per_head = pop.reindex(placed["region"]).to_numpy()
    out, gaps = [], []
    active = placed.groupby(["region", "year"]).size()  # region-years with a participation
    has_pop = active.index.get_level_values("region").isin(pop.index[pop > 0])
    n = active[has_pop]
    out.append(_long(1e6 * n / pop.reindex(n.index.get_level_values("region")).to_numpy(), "h2020_participations"))
    fund = placed.assign(v=placed["ec_contribution"].fillna(0.0) / per_head)
    out.append(_long(fund.groupby(["region", "year"])["v"].sum().reindex(n.index), "h2020_funding"))
    by_type = fund.assign(breakdown=fund["org_type"].map(TYPES)).groupby(["region", "year", "breakdown"])["v"].sum()
    # every type of an active region-year: a type without a participation holds a true zero
    full = pd.MultiIndex.from_tuples([(r, y, t) for r, y in n.index for t in TYPES.values()],
                                     names=["region", "year", "breakdown"])
    out.append(_long(by_type.reindex(full, fill_value=0.0), "h2020_funding_by_type"))
    no_pop = active[~has_pop].index
    for key, brk in [("h2020_participations", ""), ("h2020_funding", ""),
                     *(("h2020_funding_by_type", t) for t in TYPES.values())]:
        gaps.append(pd.DataFrame({"indicator": key, "breakdown": brk, "region": no_pop.get_level_values("region"),
                                  "year": no_pop.get_level_values("year"),
                                  "missing": "no population for the region in the LAU 2019 table "
                                             "(its municipalities carry none: all of France)"}))

    # internationalisation: links of the region's organisations
    m = _links(parts)
    m = m[m["region"].str.len() == 4]
    own = m["region"].str[:2]
    foreign = m[m["partner_country"] != own]
    share = 100.0 * (foreign.groupby(["region", "year", "project_id", "org_id"]).size()
                     .groupby(level=["region", "year"]).size().reindex(active.index, fill_value=0) / active)
    out.append(_long(share, "h2020_foreign_share"))
    top = parts.groupby("country").size().sort_values(ascending=False).index[:N_COUNTRIES].tolist()
    f = foreign.assign(breakdown=np.where(foreign["partner_country"].isin(top), foreign["partner_country"], None))
    grid = [(r, y, c) for r, y in active.index for c in [ALL_FOREIGN, *top] if c != r[:2]]
    idx = pd.MultiIndex.from_tuples(grid, names=["region", "year", "breakdown"])
    tot = foreign.groupby(["region", "year"]).size()
    tot.index = pd.MultiIndex.from_arrays([tot.index.get_level_values(0), tot.index.get_level_values(1),
                                           [ALL_FOREIGN] * len(tot)])
    counts = pd.concat([tot, f.dropna(subset=["breakdown"]).groupby(["region", "year", "breakdown"]).size()])
    counts.index.names = ["region", "year", "breakdown"]
    out.append(_long(counts.reindex(idx, fill_value=0).astype(float), "h2020_foreign_links"))
    own_rows = [(r, y) for r, y in active.index if r[:2] in top]
    gaps.append(pd.DataFrame({"indicator": "h2020_foreign_links", "breakdown": [r[:2] for r, _ in own_rows],
                              "region": [r for r, _ in own_rows], "year": [y for _, y in own_rows],
                              "missing": "the region's own country (not a foreign partner)"}))
    nets = read_networks(data_dir)
    net_parts = []
    for name, codes in nets.items():
        # a link with a member unit other than the region's own (Stuttgart-Karlsruhe is inside
        # Baden-Wuerttemberg, not a link with Four Motors)
        inside = [m["partner_region"].fillna("").str.startswith(c) & ~m["region"].str.startswith(c) for c in codes]
        x = m[np.logical_or.reduce(inside)]
        c = x.groupby(["region", "year"]).size().reindex(active.index, fill_value=0)
        net_parts.append(_long(c.astype(float), "h2020_network_links", breakdown=name))
    out += net_parts
    obs = pd.concat(out, ignore_index=True)
    obs["year"] = obs["year"].astype(int)
    return obs, pd.concat(gaps, ignore_index=True)


def _erc(data_dir) -> pd.DataFrame:
    root = resolve_data_dir(data_dir)
    frames = []
    for rel in ERC_FILES:
        path = root / rel
        if not path.exists():
            raise DataNotFoundError(f"the ERC grant file {rel} is missing", where=str(path.parent),
                                    fix="point --data-dir to the shared data directory")
        df = pd.read_csv(path, usecols=["project_acronym", "institution", "date_start_project"], dtype=str)
        start = pd.to_datetime(df["date_start_project"], errors="coerce")
        bad = start.isna() & df["date_start_project"].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"line {i + 2}: start date {df['date_start_project'].iloc[i]!r} is not a date",
                             where=str(path), fix="write dates as YYYY-MM-DD")
        frames.append(df.assign(year=start.dt.year, file=rel))
    return pd.concat(frames, ignore_index=True)


def erc_hosts(registry, data_dir=None) -> pd.DataFrame:
    """Every ERC grant with its host matched to the registry.

    Returns
    -------
    DataFrame
        ``project_acronym, institution, year, file, org_id, region, match`` where ``match`` is
        ``"name"`` (normalised legal name), ``"german variant"`` (umlauts written out),
        ``"unplaced"`` (the organisation is found but has no region) or ``"unmatched"`` (no
        registry organisation has that name: ERC hosts outside H2020's organisation files).
    """
    from smartspec.data.names import german_variant, normalise_name

    erc = _erc(data_dir)
    orgs = registry.organisations.dropna(subset=["name"])
    # a name held by several PICs goes to the one with most participations (the main legal entity)
    orgs = orgs.sort_values("n_participations", ascending=False)
    by_key = orgs.assign(k=orgs["name"].map(normalise_name)).drop_duplicates("k").set_index("k")
    by_german = orgs.assign(k=orgs["name"].map(german_variant)).drop_duplicates("k").set_index("k")
    k1 = erc["institution"].map(normalise_name)
    k2 = erc["institution"].map(german_variant)
    org = k1.map(by_key["org_id"]).where(k1.isin(by_key.index), k2.map(by_german["org_id"]))
    region = org.map(orgs.set_index("org_id")["nuts2"])
    match = np.select([k1.isin(by_key.index), k2.isin(by_german.index)], ["name", "german variant"], "unmatched")
    match = np.where((match != "unmatched") & region.isna().to_numpy(), "unplaced", match)
    return erc.assign(org_id=org, region=region, match=match)


def erc_observations(registry, data_dir=None) -> pd.DataFrame:
    """ERC grants hosted by NUTS 2 region and start year (the matched, placed hosts), for every
    region with a placed H2020 organisation (0 in a year without a grant)."""
    h = erc_hosts(registry, data_dir)
    h = h[h["region"].notna() & h["year"].between(*ERC_YEARS)]
    # every region with a placed H2020 organisation is covered: a year without a grant is a zero
    regions = registry.organisations["nuts2"].dropna()
    regions = sorted(r for r in regions.unique() if len(r) == 4)
    full = pd.MultiIndex.from_product([regions, range(ERC_YEARS[0], ERC_YEARS[1] + 1)], names=["region", "year"])
    s = h.groupby(["region", "year"]).size().reindex(full, fill_value=0).astype(float)
    obs = _long(s, "erc_grants")
    obs["year"] = obs["year"].astype(int)
    return obs


def complementary_observations(analysis, registry) -> pd.DataFrame:
    """``complementary_reached``: for every region, how many of its :data:`N_COMPLEMENTARY` most
    complementary partner regions its organisations co-participate with, by project start year.

    A region's most complementary partners are those that are the best complement
    (:func:`smartspec.strategy.partners.best_partners`, k = 1) for the most traded activities
    (:mod:`smartspec.data.scope`) in the region's last year with data; ties go to the larger
    mean gain.
    """
    from smartspec.data.scope import traded_mask
    from smartspec.strategy.partners import best_partners

    # each region in its own last year with data (Italy's SBS ends a year before Germany's)
    frames, done = [], set()
    for year in sorted(analysis.panel.years, reverse=True):
        bp = best_partners(analysis, year=year, k=1)
        bp = bp[~bp["region"].isin(done)]
        if bp.empty:
            break
        frames.append(bp)
        done |= set(bp["region"])
    bp = pd.concat(frames, ignore_index=True)
    bp = bp[traded_mask(bp["activity"].to_numpy()) & (bp["gain"] > 0)]
    score = bp.groupby(["region", "partner"]).agg(n=("activity", "size"), gain=("gain", "mean")).reset_index()
    score = score.sort_values(["region", "n", "gain"], ascending=[True, False, False])
    best = score.groupby("region").head(N_COMPLEMENTARY)[["region", "partner"]]
    parts = _participations(registry).drop_duplicates(["project_id", "org_id"])
    m = _links(parts)[["region", "year", "partner_region"]].drop_duplicates()
    hit = m.merge(best, left_on=["region", "partner_region"], right_on=["region", "partner"])
    reached = hit.groupby(["region", "year"])["partner"].nunique()
    active = parts.dropna(subset=["region"]).groupby(["region", "year"]).size().index
    active = active[active.get_level_values("region").isin(best["region"].unique())]
    obs = _long(reached.reindex(active, fill_value=0).astype(float), "complementary_reached")
    obs["year"] = obs["year"].astype(int)
    return obs


def knowledge_triangle(registry, region: str) -> pd.DataFrame:
    """Projects in which organisations of ``region`` of two types take part together (the links
    of the knowledge triangle: universities, research centres and firms), by start year.

    Returns
    -------
    DataFrame
        ``pair`` ("university + firm", "research centre + firm", "university + research
        centre"), ``year``, ``projects`` (distinct projects with both types in the region), for
        the years :data:`H2020_YEARS`.
    """
    from smartspec.match.registry import TYPES

    parts = _participations(registry)
    own = parts[parts["region"] == str(region).strip().upper()]
    has = (own.assign(t=own["org_type"].map(TYPES), one=True)
           .pivot_table(index=["project_id", "year"], columns="t", values="one", aggfunc="any", fill_value=False))
    rows = []
    for a, b in (("university", "firm"), ("research centre", "firm"), ("university", "research centre")):
        both = has.get(a, False) & has.get(b, False) if len(has) else pd.Series(dtype=bool)
        per = both[both].groupby(level="year").size() if len(has) else pd.Series(dtype=int)
        for y in range(H2020_YEARS[0], H2020_YEARS[1] + 1):
            rows.append((f"{a} + {b}", y, int(per.get(y, 0))))
    return pd.DataFrame(rows, columns=["pair", "year", "projects"])
