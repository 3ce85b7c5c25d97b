"""Cross-sector niches with the WIOD national input-output tables."""
import re

import numpy as np
import pytest

from smartspec.data.io_tables import read_wiod_niot
from smartspec.data.labels import activity_name, nace_labels
from smartspec.errors import DataNotFoundError, InputError
from smartspec.strategy.niches import cross_sector_niches, io_coefficients, wiod_concordance, wiod_divisions
from smartspec.views.text import niche_reason


@pytest.fixture(scope="module")
def italy(data_dir):
    return read_wiod_niot(data_dir / "io_tables" / "wiod2016_niot" / "ITA_NIOT_nov16.csv.gz", 2014)


@pytest.fixture(scope="module")
def lombardy(sbs):
    return cross_sector_niches(sbs, "ITC4", top=15)


def test_concordance_covers_wiod_and_nace(italy):
    c = wiod_concordance()
    assert list(c.columns) == ["wiod_code", "wiod_name", "nace_division", "nace_name"]
    assert c["wiod_code"].nunique() == 56 and set(c["wiod_code"]) == set(italy.sectors)
    divisions = nace_labels()
    divisions = set(divisions.index[divisions["level"] == "division"])
    assert c["nace_division"].is_unique and set(c["nace_division"]) == divisions
    assert wiod_divisions("C10-C12") == ["C10", "C11", "C12"]
    assert wiod_divisions("C31_C32") == ["C31", "C32"]
    assert wiod_divisions("M74_M75") == ["M74", "M75"]
    assert wiod_divisions("R_S") == ["R90", "R91", "R92", "R93", "S94", "S95", "S96"]
    assert wiod_divisions("N") == ["N77", "N78", "N79", "N80", "N81", "N82"] and wiod_divisions("B")[0] == "B05"


def test_division_coefficients_add_up_to_the_sector(sbs, italy):
    A = io_coefficients(sbs, "IT", 2014)
    W = italy.coefficients()
    # a sector's divisions supply together what the sector supplies (shares sum to one)
    for buyer in ("C13", "C30", "J62"):
        sector = wiod_concordance().set_index("nace_division").loc[buyer, "wiod_code"]
        assert np.isclose(A.loc[wiod_divisions("N"), buyer].sum(), W.loc["N", sector])
        assert np.isclose(A.loc[["C13", "C14", "C15"], buyer].sum(), W.loc["C13-C15", sector])
        assert np.isclose(A.loc["C28", buyer], W.loc["C28", sector])
    assert (A.to_numpy() >= 0).all() and "ITA_NIOT" in A.attrs["source"]
    assert A.attrs["source"] == io_coefficients(sbs, "ITA", 2015).attrs["source"]  # capped at 2014
    with pytest.raises(DataNotFoundError):
        io_coefficients(sbs, "XX")


def test_pairs_are_cross_section_strengths(sbs, lombardy):
    t = lombardy
    from smartspec.strategy.specialisation import region_specialisations

    # strengths are the region's specialisations: RCA >= 1 with mass, traded (24 of 32 with RCA >= 1)
    n_spec = int(region_specialisations(sbs.panel, "ITC4", 2014)["specialised"].sum())
    assert "ITA_NIOT" in t.attrs["io_source"] and t.attrs["strengths"] == n_spec == 24
    assert len(t) == 15 and t["rank"].tolist() == list(range(1, 16))
    assert (t["a"].str[0] != t["b"].str[0]).all()
    assert (t["a_rca"] >= 1).all() and (t["b_rca"] >= 1).all()
    assert t["link"].is_monotonic_decreasing and t["link"].between(0, 1).all()
    assert np.allclose(t["io_link"], np.maximum(t["a_supplies_b"], t["b_supplies_a"]))
    assert set(t["linked_by"]) <= {"both", "input-output", "co-location", "weak"}
    assert ((t["linked_by"] == "both") == ((t["io_percentile"] >= 0.75) & (t["proximity_percentile"] >= 0.75))).all()
    assert (t["io_link"] > 0).all()
    # known supply chain: wholesale trade and warehousing (specialised construction F43 is local now)
    assert {"G46", "H52"} in [{a, b} for a, b in zip(t["a"], t["b"])]


def test_bridges_are_reachable_non_specialisations(sbs, lombardy):
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    acts = list(sbs.panel.activities)
    A = io_coefficients(sbs, "IT", 2014).to_numpy()
    assert (lombardy["bridge_codes"] != "").mean() > 0.5
    for row in lombardy.itertuples():
        for k, c in enumerate(filter(None, row.bridge_codes.split(", "))):
            j = acts.index(c)
            assert m.rca[i, j] < 1 and c not in (row.a, row.b)
            a, b = acts.index(row.a), acts.index(row.b)
            # a link of a supply chain between the two: buys from one, sells to the other
            assert (A[a, j] > 0 and A[j, b] > 0) or (A[b, j] > 0 and A[j, a] > 0)
            assert f"{row.a}->{c}->{row.b}" in row.bridges or f"{row.b}->{c}->{row.a}" in row.bridges
            # the bridge's figures: it buys from one side, the other buys from it
            up, down = acts.index(row.bridge_from.split("; ")[k]), acts.index(row.bridge_to.split("; ")[k])
            assert {up, down} == {a, b}
            assert float(row.bridge_buys.split("; ")[k]) == A[up, j] and float(row.bridge_sold.split("; ")[k]) == A[j, down]
            assert float(row.bridge_rca.split("; ")[k]) == m.rca[i, j]
    assert "reason" not in lombardy
    for row in lombardy.to_dict(orient="records"):
        en = niche_reason(row, region_name="Lombardia", io_source=lombardy.attrs["io_source"],
                          name_of=sbs.panel.activity_name)
        it = niche_reason(row, region_name="Lombardia", io_source=lombardy.attrs["io_source"],
                          name_of=lambda c: activity_name(c, "it", ""), lang="it")
        assert "are both strengths of Lombardia in different sectors. Linked by " in en
        assert f"(proximity {row['proximity']:.2f}, top " in en
        assert "sono entrambe punti di forza di Lombardia in settori diversi" in it
        assert f"(prossimità {row['proximity']:.2f}".replace(".", ",") in it
        assert not re.search(r"strengths|Linked|supplies|buys|Bridging|density|proximity|Manufacture", it), it
    # known chain: quarrying -> basic metals -> fabricated metal products (Stuttgart)
    de = cross_sector_niches(sbs, "DE11", top=10)
    pair = de[(de["a"] == "B08") & (de["b"] == "C25")]
    assert len(pair) == 1 and "C24" in pair["bridge_codes"].iloc[0]


def test_other_countries_use_their_tables(sbs):
    de = cross_sector_niches(sbs, "DE11", top=5)
    assert "DEU_NIOT" in de.attrs["io_source"] and de.attrs["year"] == 2014 and len(de) == 5
    es = cross_sector_niches(sbs, "ES51", top=5, n_bridges=0, year=2014)
    assert "ESP_NIOT" in es.attrs["io_source"] and (es["bridge_codes"] == "").all()
    with pytest.raises(InputError):
        cross_sector_niches(sbs, "ITC4", top=0)


def test_cli_niches(sbs, data_dir, smartspec_cli):
    code, out = smartspec_cli("niches", "ITC4", "--top", "5", "--data-dir", data_dir)
    assert code == 0, out
    assert "Cross-sector niches of Lombardia (ITC4), 2014" in out and "ITA_NIOT_nov16" in out
    assert "Bridging activities within reach" in out and "explained" in out
    code, out = smartspec_cli("niches", "ES51", "--top", "3", "--explain", "0", "--data-dir", data_dir)
    assert code == 0 and "ESP_NIOT_nov16" in out
    code, out = smartspec_cli("niches", "ITC4", "--top", "0", "--data-dir", data_dir)
    assert code == 2 and "--top" in out
    code, out = smartspec_cli("niches", "ITC4", "--year", "2030", "--data-dir", data_dir)
    assert code == 2 and "unknown year" in out


def test_technology_fields_use_wipo_sectors_and_colocation(data_dir):
    from smartspec.strategy.context import analyse

    pat = analyse("patents-wipo35", data_dir=data_dir)
    t = cross_sector_niches(pat, "ITA", year=2015, top=5)
    assert t.attrs["io_source"].startswith("none") and t["io_link"].isna().all()
    assert (t["linked_by"].isin(["co-location", "weak"])).all()
    sector = pat.panel.activity_meta["sector"]
    assert (sector[t["a"]].to_numpy() != sector[t["b"]].to_numpy()).all()


@pytest.mark.parametrize("country,min_rho", [("IT", 0.3), ("DE", 0.25)])
def test_input_output_links_agree_with_colocation(sbs, country, min_rho):
    """Convergent validity of the two links a niche is scored on (independent data: WIOD tables,
    SBS co-location): activities that trade with each other also locate together."""
    from scipy.stats import spearmanr

    acts = list(sbs.panel.activities)
    conc = wiod_concordance().set_index("nace_division")["wiod_code"]
    sector = np.array([conc.get(a) for a in acts], dtype=object)
    i, j = np.triu_indices(len(acts), 1)
    # pairs in two different WIOD sectors: a shared sector's coefficient says nothing of the pair
    pairs = (sector[i] != None) & (sector[j] != None) & (sector[i] != sector[j])  # noqa: E711
    A = io_coefficients(sbs, country, 2014).to_numpy()
    link = np.maximum(A, A.T)[i, j][pairs]
    proximity = sbs.at(2014).proximity[i, j][pairs]
    rho, p = spearmanr(link, proximity)
    assert pairs.sum() > 2000 and rho >= min_rho and p < 1e-20
    top = link >= np.quantile(link, 0.9)
    assert proximity[top].mean() >= 1.2 * proximity[~top].mean()


def test_niches_pair_and_bridge_traded_activities_only(sbs):
    """Issue 10: no more legal/accounting with office administration, printing with real estate."""
    from smartspec.data.scope import activity_scope

    t = cross_sector_niches(sbs, "ITC4", top=40)
    pairs = {frozenset(p) for p in zip(t["a"], t["b"])}
    assert frozenset({"M69", "N82"}) not in pairs and frozenset({"C18", "L68"}) not in pairs
    bridges = [c.strip() for cell in t["bridge_codes"] for c in cell.split(",") if c.strip()]
    used = set(t["a"]) | set(t["b"]) | set(bridges)
    assert (activity_scope(sorted(used)) == "traded").all()
    values = sbs.at(2014).values[sbs.panel.regions.get_loc("ITC4")]
    assert all(values[sbs.panel.activities.get_loc(c)] >= 1000 for c in set(t["a"]) | set(t["b"]))
    every = cross_sector_niches(sbs, "ITC4", top=200, scope="all", min_persons=0, min_eu_share=0)
    assert (activity_scope(sorted(set(every["a"]) | set(every["b"]))) == "local").any()
