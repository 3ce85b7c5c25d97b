"""Cross-sector niches with the Italian WIOD table."""
from smartspec.strategy.niches import cross_sector_niches, wiod_divisions


def test_wiod_codes_to_divisions():
    assert wiod_divisions("C10-C12") == ["C10", "C11", "C12"]
    assert wiod_divisions("C31_C32") == ["C31", "C32"]
    assert wiod_divisions("M74_M75") == ["M74", "M75"]
    assert "N82" in wiod_divisions("N") and wiod_divisions("B")[0] == "B05"


def test_pairs_are_cross_section_strengths(sbs):
    t = cross_sector_niches(sbs, "ITC4", top=15)
    assert "ITA_NIOT" in t.attrs["io_source"]
    assert len(t) == 15
    assert (t["a"].str[0] != t["b"].str[0]).all()
    assert (t["a_rca"] >= 1).all() and (t["b_rca"] >= 1).all()
    assert t["link"].is_monotonic_decreasing
    assert (t["io_link"] > 0).any()


def test_bridges_are_reachable_non_specialisations(sbs):
    t = cross_sector_niches(sbs, "ITC4", top=10)
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    acts = list(sbs.panel.activities)
    for codes in t["bridge_codes"]:
        for c in filter(None, codes.split(", ")):
            assert m.rca[i, acts.index(c)] < 1
    assert t["reason"].str.contains("strengths of ITC4").all()


def test_other_country_uses_its_table(sbs):
    t = cross_sector_niches(sbs, "DE11", top=5)
    assert "DEU_NIOT" in t.attrs["io_source"]
