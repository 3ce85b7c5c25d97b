"""Complementary partners, structural peers and network benchmarking on the real SBS panel."""
import numpy as np
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.metrics import density
from smartspec.strategy.partners import (
    all_complementarities, complementarity_gain, complementary_partners, network_benchmark, structural_peers,
)


def test_gain_matches_density_recomputed(sbs):
    t = complementary_partners(sbs, "ITC4", activity="C30", top=5)
    m = sbs.at(2014)
    r, p = sbs.panel.regions.get_loc("ITC4"), sbs.panel.activities.get_loc("C30")
    for j_code, with_ in zip(t["region"], t["density_with"]):
        M = m.mcp.copy()
        M[r] = np.maximum(M[r], M[sbs.panel.regions.get_loc(j_code)])
        assert density(M, m.proximity, include_self=False)[r, p] == pytest.approx(with_)
    assert (t["gain"].diff().dropna() <= 1e-12).all() and "ITC4" not in set(t["region"])


def test_zero_for_partner_without_specialisations(sbs):
    m = sbs.at(2014)
    M = m.mcp.copy()
    M[5] = 0.0
    r = sbs.panel.regions.get_loc("ITC4")
    gain = complementarity_gain(M, m.proximity, r, np.arange(M.shape[1]))
    assert np.allclose(gain[5], 0) and np.allclose(gain[r], 0)


def test_larger_for_partner_holding_what_r_lacks(sbs):
    m = sbs.at(2014)
    r = sbs.panel.regions.get_loc("ITC4")
    lacks = np.flatnonzero(m.mcp[r] == 0)
    M = m.mcp.copy()
    M[7] = 0.0
    M[8] = 0.0
    M[8, lacks[:5]] = 1.0  # holds five activities ITC4 lacks
    M[7, np.flatnonzero(m.mcp[r] > 0)[:5]] = 1.0  # holds only what ITC4 already has
    gain = complementarity_gain(M, m.proximity, r, np.arange(M.shape[1]))
    assert (gain[8] >= gain[7]).all() and gain[8].sum() > 0 and np.allclose(gain[7], 0)


def test_invariant_to_region_order(sbs):
    m = sbs.at(2014)
    perm = np.random.default_rng(0).permutation(40)
    g = all_complementarities(m.mcp[:40], m.proximity)
    gp = all_complementarities(m.mcp[:40][perm], m.proximity)
    np.testing.assert_allclose(gp, g[np.ix_(perm, perm)], atol=1e-12)


def test_filters_and_ecosystem(sbs):
    t = complementary_partners(sbs, "ITC4", ecosystem="Advanced manufacturing", network="Four Motors", top=None)
    assert set(t["region"]) <= {"DE11", "DE12", "DE13", "DE14", "FRK1", "FRK2", "ES51"}
    t = complementary_partners(sbs, "Lombardia", activity="C30", exclude_own_country=True, top=50)
    assert not (t["country"] == "IT").any()
    t = complementary_partners(sbs, "ITC4", activity="C30", country="DE", top=50)
    assert (t["country"] == "DE").all()


def test_peers_exclude_region(sbs):
    t = structural_peers(sbs, "ITC4", top=10)
    assert "ITC4" not in set(t["region"]) and len(t) == 10
    assert t["similarity"].is_monotonic_decreasing
    t2 = structural_peers(sbs, "ITC4", top=10, by="structure", exclude_own_country=True)
    assert not (t2["country"] == "IT").any() and t2["distance"].is_monotonic_increasing
    assert "gdp_per_head_pps" in t2.attrs["variables"]


def test_four_motors_table(sbs):
    b = network_benchmark(sbs, "Four Motors for Europe")
    members = b.members.set_index("member")
    assert set(members.index) == {"ITC4", "DE1", "FRK", "ES51"}
    assert members.at["DE1", "nuts_level"] == 1 and members.at["FRK", "nuts_level"] == 1
    assert members.at["ITC4", "nuts_level"] == 2
    assert members.at["DE1", "built_from"] == "DE11 + DE12 + DE13 + DE14"
    assert "NUTS 1" in b.members.attrs["note"]
    assert len(b.complementarity) == 12 * 8
    assert (b.complementarity["gain"] >= 0).all()


def test_errors_name_closest(sbs):
    with pytest.raises(UnknownNameError) as e:
        complementary_partners(sbs, "ITC4", activity="C3O")
    assert e.value.suggestions
    with pytest.raises(UnknownNameError):
        complementary_partners(sbs, "ITC4", ecosystem="Advanced manufactoring")
    with pytest.raises(UnknownNameError):
        network_benchmark(sbs, "Five Motors")
    with pytest.raises(UnknownNameError):
        complementary_partners(sbs, "Atlantis", activity="C30")
    with pytest.raises(InputError, match="exactly one"):
        complementary_partners(sbs, "ITC4")
