"""H2020 and ERC indicators of the research and internationalisation pillars, on the real data,
each against a computation from the raw files or another module."""
from __future__ import annotations

import gzip

import pandas as pd
import pytest

from smartspec.errors import InputError
from smartspec.match.registry import Registry, load_registry
from smartspec.strategy.monitoring import cooperation as C
from smartspec.strategy.monitoring.dashboard import dashboard, peer_table


@pytest.fixture(scope="session")
def registry(data_dir):
    return load_registry(data_dir)


@pytest.fixture(scope="session")
def h2020(registry, data_dir):
    return C.h2020_observations(registry, data_dir)


def _value(o, key, region, year, breakdown=""):
    x = o[(o["indicator"] == key) & (o["region"] == region) & (o["year"] == year) & (o["breakdown"] == breakdown)]
    return float(x["value"].iloc[0]) if len(x) else None


def test_population_is_the_sum_of_the_municipalities(data_dir):
    lau = pd.read_csv(data_dir / C.LAU_FILE, usecols=["code_2016", "population"], dtype={"code_2016": str})
    pop = C.population(data_dir)
    # Lombardy's provinces kept their codes from NUTS 2016 to 2021
    assert pop["ITC4"] == pytest.approx(lau.loc[lau["code_2016"].str.startswith("ITC4"), "population"].sum())
    assert 9.9e6 < pop["ITC4"] < 10.2e6 and 7.4e6 < pop["ES51"] < 7.8e6
    # France's municipalities carry no population: no value, never a zero
    assert pd.isna(pop["FRK2"])


def test_participations_and_funding_per_inhabitant_from_the_raw_file(h2020, registry, data_dir):
    obs, gaps = h2020
    raw = pd.read_csv(data_dir / "cordis/eunets_h2020_participations.csv.gz", dtype={"pic": str})
    lombard = set(registry.organisations.loc[registry.organisations["nuts2"] == "ITC4", "org_id"])
    x = raw[raw["pic"].str.strip().isin(lombard) & (pd.to_datetime(raw["start_date"]).dt.year == 2018)]
    x = x.drop_duplicates(["rcn", "pic"])
    pop = C.population(data_dir)["ITC4"]
    assert _value(obs, "h2020_participations", "ITC4", 2018) == pytest.approx(1e6 * len(x) / pop)
    assert _value(obs, "h2020_funding", "ITC4", 2018) == pytest.approx(x["contribution"].sum() / pop)
    univ = x.loc[x["type"] == "HES", "contribution"].sum() / pop
    assert _value(obs, "h2020_funding_by_type", "ITC4", 2018, "university") == pytest.approx(univ)
    types = obs[(obs["indicator"] == "h2020_funding_by_type") & (obs["region"] == "ITC4") & (obs["year"] == 2018)]
    assert len(types) == 5 and types["value"].sum() == pytest.approx(_value(obs, "h2020_funding", "ITC4", 2018))
    assert set(obs.loc[obs["indicator"] == "h2020_funding", "year"]) == set(range(2015, 2021))
    # French regions: counts and links yes, per inhabitant no (a gap says why)
    assert _value(obs, "h2020_participations", "FRK2", 2018) is None
    assert _value(obs, "h2020_foreign_share", "FRK2", 2018) is not None
    g = gaps[(gaps["indicator"] == "h2020_participations") & (gaps["region"] == "FRK2") & (gaps["year"] == 2018)]
    assert "no population" in g["missing"].iloc[0]


def test_foreign_links_agree_with_the_collaboration_network(h2020, registry):
    from smartspec.match.network import external_links

    obs, gaps = h2020
    year = registry.participations["start_date"].dt.year
    in_years = Registry(registry.organisations, registry.participations[year.between(*C.H2020_YEARS)])
    by_country, _ = external_links(in_years, "ITC4")
    links = by_country.set_index("country")["links"]
    mine = obs[(obs["indicator"] == "h2020_foreign_links") & (obs["region"] == "ITC4")]
    for c in ("DE", "ES", "FR"):
        assert mine.loc[mine["breakdown"] == c, "value"].sum() == links[c]
    assert mine.loc[mine["breakdown"] == C.ALL_FOREIGN, "value"].sum() == links.drop("IT").sum()
    # the own country is no foreign partner: no value, and the gap says so
    assert mine[mine["breakdown"] == "IT"].empty
    g = gaps[(gaps["indicator"] == "h2020_foreign_links") & (gaps["region"] == "ITC4") & (gaps["breakdown"] == "IT")]
    assert len(g) == 6 and "own country" in g["missing"].iloc[0]
    share = _value(obs, "h2020_foreign_share", "ITC4", 2018)
    assert 50 < share < 100


def test_network_links_leave_out_the_region_own_member_unit(h2020, registry):
    obs, _ = h2020
    # DE11 is inside Baden-Wuerttemberg (DE1): its links with DE12-DE14 are not links with Four Motors
    parts = registry.participations[registry.participations["start_date"].dt.year == 2018]
    p = parts[["project_id", "org_id", "nuts2"]].drop_duplicates(["project_id", "org_id"])
    m = p[p["nuts2"] == "DE11"].merge(p, on="project_id", suffixes=("", "_p"))
    m = m[m["org_id"] != m["org_id_p"]]
    other = m["nuts2_p"].fillna("").str.startswith(("FRK", "ES51", "ITC4"))
    assert _value(obs, "h2020_network_links", "DE11", 2018, "Four Motors for Europe") == other.sum()


def test_erc_grants_hosted_in_lombardy(registry, data_dir):
    hosts = C.erc_hosts(registry, data_dir)
    assert len(hosts) == 3986  # 1,212 + 872 + 1,902 grants of the three files
    assert set(hosts["match"]) == {"name", "unplaced", "unmatched"} | ({"german variant"} & set(hosts["match"]))
    lomb = hosts[hosts["region"] == "ITC4"]
    # the data README: ~42 hosted in Lombardy (Politecnico, Milano, Pavia, Bicocca, Brescia, Bocconi)
    assert len(lomb) == 42
    assert {"POLITECNICO DI MILANO", "UNIVERSITA DEGLI STUDI DI MILANO"} <= set(lomb["institution"])
    obs = C.erc_observations(registry, data_dir)
    assert obs.loc[obs["region"] == "ITC4", "value"].sum() == 42
    # a covered region-year without a grant is a zero; Lombardy has a row for every year
    assert set(obs.loc[obs["region"] == "ITC4", "year"]) == set(range(2008, 2021))
    assert obs["value"].min() == 0


def test_complementary_partners_reached(sbs, registry):
    obs = C.complementary_observations(sbs, registry)
    it = obs[obs["region"] == "ITC4"].set_index("year")["value"]
    assert list(it.index) == list(range(2015, 2021))
    assert (it >= 1).all() and (it <= C.N_COMPLEMENTARY).all()
    assert obs["value"].between(0, C.N_COMPLEMENTARY).all()


def test_lombardy_dashboard_has_four_indicators_per_pillar_against_three_peers(h2020, sbs, registry, data_dir):
    obs = pd.concat([h2020[0], C.erc_observations(registry, data_dir), C.complementary_observations(sbs, registry)])
    peers = peer_table(sbs, "ITC4")
    board = dashboard(obs, h2020[1], peers)
    for pillar in ("research", "international"):
        part = board[(board["pillar"] == pillar) & board["value"].notna() & (board["role"] != "region")]
        per = part.groupby("indicator")["unit"].nunique()
        assert (per >= 3).sum() >= 4, per
    de = board[(board["indicator"] == "h2020_foreign_links") & (board["breakdown"] == "DE") & (board["unit"] == "DE11")]
    assert de["value"].isna().all() and (de["note_kind"] == "gap").all()
    assert de["missing"].str.contains("own country").all()


def test_bad_population_and_erc_dates_name_the_line(tmp_path):
    (tmp_path / "nuts_codes").mkdir()
    with gzip.open(tmp_path / C.LAU_FILE, "wt") as f:
        f.write("code_2016,population\nITC4A,1000\nITC4B,many\n")
    with pytest.raises(InputError, match="line 3: population 'many'"):
        C.population(tmp_path)
    (tmp_path / "cordis_erc").mkdir()
    for rel in C.ERC_FILES:
        with gzip.open(tmp_path / rel, "wt") as f:
            f.write("project_acronym,institution,date_start_project\nX,POLITECNICO DI MILANO,soon\n")
    with pytest.raises(InputError, match="line 2: start date 'soon'"):
        C._erc(tmp_path)
