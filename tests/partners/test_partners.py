"""Complementary partners, structural peers and network benchmarking on the real SBS panel."""
import warnings

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.metrics import density
from smartspec.strategy.partners import (
    all_complementarities, best_partners, complementarity_gain, complementary_partners, density_proximity,
    network_benchmark, network_members, structural_peers,
)

# ------------------------------------------------------------------------------ complementarity


def test_gain_is_the_density_rise_with_the_partner(sbs):
    """density_with is r's density recomputed with max(M_r, M_j), for the top partners (every
    specialisation counted: no floor, no scope, no relatedness cut)."""
    t = complementary_partners(sbs, "ITC4", activity="C30", top=5, scope="all", min_persons=0, min_eu_share=0,
                               related_quantile=0)
    m = sbs.at(2014)
    r, p = sbs.panel.regions.get_loc("ITC4"), sbs.panel.activities.get_loc("C30")
    assert t["density_alone"].iloc[0] == pytest.approx(m.density[r, p])
    for j_code, with_ in zip(t["region"], t["density_with"]):
        M = m.mcp.copy()
        M[r] = np.maximum(M[r], M[sbs.panel.regions.get_loc(j_code)])
        assert density(M, m.proximity, include_self=False)[r, p] == pytest.approx(with_)
    assert (t["gain"].diff().dropna() <= 1e-12).all() and "ITC4" not in set(t["region"])
    assert t.attrs["year"] == 2014 and t.attrs["target_code"] == "C30"


#: No floor, no scope, no relatedness cut: the plain Balland-Boschma gain.
RAW = dict(scope="all", min_persons=0, min_eu_share=0, related_quantile=0)


def test_brings_decompose_the_gain(sbs):
    """The activities a partner brings are ones it is specialised in and ITC4 is not."""
    t = complementary_partners(sbs, "ITC4", activity="C30", top=10, **RAW)
    m = sbs.at(2014)
    acts = sbs.panel.activities
    for j_code, brings, n in zip(t["region"], t["brings_codes"], t["n_brings"]):
        j = sbs.panel.regions.get_loc(j_code)
        codes = brings.split("; ")
        assert len(codes) == 3 and n >= 3
        for c in codes:
            assert m.mcp[j, acts.get_loc(c)] > 0 and m.mcp[sbs.panel.regions.get_loc("ITC4"), acts.get_loc(c)] == 0
        related = density_proximity(m)[:, acts.get_loc("C30")] > 0  # C30 itself is the target, not brought
        lacks = (m.mcp[j] > 0) & (m.mcp[sbs.panel.regions.get_loc("ITC4")] == 0) & related
        assert n == lacks.sum()


def test_zero_for_partner_without_specialisations(sbs):
    m = sbs.at(2014)
    M = m.mcp.copy()
    j = sbs.panel.regions.get_loc("DE11")
    M[j] = 0.0  # Stuttgart with its specialisations removed
    r = sbs.panel.regions.get_loc("ITC4")
    phi = density_proximity(m)
    gain = complementarity_gain(M, phi, r, np.arange(M.shape[1]))
    assert np.allclose(gain[j], 0) and np.allclose(gain[r], 0)
    assert (complementarity_gain(m.mcp, phi, r, np.arange(M.shape[1]))[sbs.panel.regions.get_loc("DE11")] > 0).any()


def test_zero_for_partner_holding_only_what_r_has(sbs):
    m = sbs.at(2014)
    r = sbs.panel.regions.get_loc("ITC4")
    j = sbs.panel.regions.get_loc("DE11")
    M = m.mcp.copy()
    M[j] = M[j] * M[r]  # keep only Stuttgart's specialisations that Lombardy shares
    gain = complementarity_gain(M, density_proximity(m), r, np.arange(M.shape[1]))
    assert np.allclose(gain[j], 0)


def test_larger_for_partner_holding_related_activities_r_lacks(sbs):
    """Adding to a real partner a related activity r lacks raises its gain by that activity's weight."""
    m = sbs.at(2014)
    r = sbs.panel.regions.get_loc("ITC4")
    j = sbs.panel.regions.get_loc("DE11")
    p = sbs.panel.activities.get_loc("C30")
    phi = density_proximity(m)
    lacked = np.flatnonzero((m.mcp[r] == 0) & (m.mcp[j] == 0) & (phi[:, p] > 0))
    a = lacked[np.argmax(phi[lacked, p])]  # the most related activity both lack
    before = complementarity_gain(m.mcp, phi, r, [p])[j, 0]
    M = m.mcp.copy()
    M[j, a] = 1.0
    after = complementarity_gain(M, phi, r, [p])[j, 0]
    assert after - before == pytest.approx(phi[a, p] / phi[:, p].sum())
    # ... and holding an activity r already has adds nothing
    has = np.flatnonzero((m.mcp[r] > 0) & (m.mcp[j] == 0))[0]
    M2 = m.mcp.copy()
    M2[j, has] = 1.0
    assert complementarity_gain(M2, phi, r, [p])[j, 0] == pytest.approx(before)


def test_invariant_to_region_order(sbs, sbs2014_reversed):
    """The same partners and figures when the panel's regions come in reverse order."""
    t = complementary_partners(sbs, "ITC4", activity="C30", year=2014, top=None)
    tr = complementary_partners(sbs2014_reversed, "ITC4", activity="C30", year=2014, top=None)
    cols = ["region", "gain", "density_with", "partner_rca", "similarity", "overlap", "n_brings"]
    a = t[cols].sort_values("region", ignore_index=True)
    b = tr[cols].sort_values("region", ignore_index=True)
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-10)
    m = sbs.at(2014)
    g = all_complementarities(m.mcp[:30], density_proximity(m))
    perm = np.random.default_rng(0).permutation(30)
    np.testing.assert_allclose(all_complementarities(m.mcp[:30][perm], density_proximity(m)),
                               g[np.ix_(perm, perm)], atol=1e-12)


def test_the_regions_own_rca_in_the_target(sbs):
    """attrs['region_rca']: the region's own RCA in the target (the mean over an ecosystem's activities)."""
    from smartspec.strategy.partners._common import as_analysis

    a = as_analysis(sbs)
    m = a.at(2014)
    r, j = a.panel.regions.get_loc("DE11"), a.panel.activities.get_loc("C29")
    table = complementary_partners(sbs, "DE11", activity="C29", year=2014, top=3)
    assert table.attrs["region_rca"] == pytest.approx(m.rca[r, j]) and table.attrs["region_rca"] > 1
    eco = complementary_partners(sbs, "ITC4", ecosystem="Advanced manufacturing", year=2014, top=3)
    codes = [a.panel.activities.get_loc(c) for c in eco.attrs["targets"]]
    own = m.rca[a.panel.regions.get_loc("ITC4"), codes]
    assert eco.attrs["region_rca"] == pytest.approx(np.nanmean(own))


def test_filters_and_ecosystem(sbs):
    t = complementary_partners(sbs, "ITC4", ecosystem="Advanced manufacturing", network="Four Motors", top=None, **RAW)
    assert set(t["region"]) == {"DE11", "DE12", "DE13", "DE14", "FRK1", "FRK2", "ES51"}
    assert t.attrs["network"] == "Four Motors for Europe" and t.attrs["target_kind"] == "ecosystem"
    assert "brings_in_ecosystem_codes" in t
    t = complementary_partners(sbs, "Lombardia", activity="C30", exclude_own_country=True, top=50, **RAW)
    assert len(t) == 50 and not (t["country"] == "IT").any()
    t = complementary_partners(sbs, "ITC4", activity="C30", country="Germany", top=None, **RAW)
    assert len(t) > 30 and (t["country"] == "DE").all()
    t = complementary_partners(sbs, "Lombardy", activity="C30", specialised_only=True, top=None, **RAW)
    assert (t["partner_rca"] >= 1).all() and len(t) > 10


def test_ecosystem_is_the_mean_over_its_activities(sbs):
    eco = sbs.profile.group("Advanced manufacturing", "ecosystems")
    t = complementary_partners(sbs, "ITC4", ecosystem=eco.name, top=None, **RAW).set_index("region")
    codes = eco.codes(sbs.panel.activities)
    per = [complementary_partners(sbs, "ITC4", activity=c, top=None, **RAW).set_index("region")["gain"] for c in codes]
    np.testing.assert_allclose(t["gain"], pd.concat(per, axis=1).mean(axis=1).reindex(t.index), atol=1e-12)


def test_accepts_panel_and_dataset_name(sbs, data_dir):
    by_name = complementary_partners("eurostat-sbs", "ITC4", activity="C30", top=3, data_dir=data_dir)
    by_analysis = complementary_partners(sbs, "ITC4", activity="C30", top=3)
    assert list(by_name["region"]) == list(by_analysis["region"])


def test_best_partners_every_region_and_activity(sbs):
    b = best_partners(sbs, year=2014, k=2)
    n_regions = int((sbs.at(2014).values.sum(axis=1) > 0).sum())
    assert len(b) == n_regions * len(sbs.panel.activities) * 2
    assert (b["region"] != b["partner"]).all()
    one = b[(b["region"] == "ITC4") & (b["activity"] == "C30")]
    t = complementary_partners(sbs, "ITC4", activity="C30", top=2, **RAW)
    assert list(one["partner"]) == list(t["region"])
    np.testing.assert_allclose(one["gain"], t["gain"])


# ------------------------------------------------------------------------------ structural peers


def test_peers_exclude_region(sbs):
    t = structural_peers(sbs, "ITC4", top=10)
    assert "ITC4" not in set(t["region"]) and len(t) == 10
    assert t["similarity"].is_monotonic_decreasing
    t2 = structural_peers(sbs, "Lombardy", top=8, by="structure", exclude_own_country=True)
    assert "ITC4" not in set(t2["region"]) and len(t2) == 8
    assert not (t2["country"] == "IT").any() and t2["distance"].is_monotonic_increasing
    assert set(t2.attrs["blocks"]) == {"income", "size", "employment structure", "economic complexity", "innovation"}
    assert t2["closest_on"].str.contains("sd").all()


def test_innovation_index_is_the_scoreboard(sbs):
    t = structural_peers(sbs, "ITC4", top=300, by="structure")
    ris = t.attrs["region_values"]["innovation_index"]
    assert 60 < ris < 160  # RIS index (EU = 100), not another indicator of the file
    assert t["innovation_index"].notna().sum() < 81  # only Central European regions have it


# ------------------------------------------------------------------------------ networks


def test_four_motors_table(four_motors):
    b = four_motors
    members = b.members.set_index("member")
    assert set(members.index) == {"ITC4", "DE1", "FRK", "ES51"}
    assert members.at["DE1", "nuts_level"] == 1 and members.at["FRK", "nuts_level"] == 1
    assert members.at["ITC4", "nuts_level"] == 2 and members.at["ES51", "nuts_level"] == 2
    assert members.at["DE1", "built_from"] == "DE11 + DE12 + DE13 + DE14"
    assert members.at["FRK", "built_from"] == "FRK1 + FRK2"
    assert "sum of its" in members.at["FRK", "measured_as"]
    assert sorted(b.members.attrs["aggregated"]) == ["DE1", "FRK"]
    n_eco = b.complementarity["ecosystem"].nunique()
    assert n_eco == 8 and len(b.complementarity) == 12 * n_eco
    assert (b.complementarity["gain"] >= 0).all()
    assert (b.complementarity.loc[b.complementarity["gain"] > 0, "brings"] != "").all()
    assert b.matrix().shape == (4, 4) and b.matrix("Nutrition").shape == (4, 4)
    assert list(b.ecosystems.index) == list(b.members["member"])


def test_nuts1_member_is_the_sum_of_its_regions(sbs, four_motors):
    y = four_motors.year
    p = sbs.panel
    parts = [p.regions.get_loc(c) for c in ("DE11", "DE12", "DE13", "DE14")]
    total = sbs.at(y).values[parts].sum()
    assert four_motors.members.set_index("member").at["DE1", "size"] == pytest.approx(total)


def test_vanguard_by_short_name_with_nuts3_members(sbs):
    name, codes = network_members(sbs, "vanguard")
    assert name.startswith("Vanguard Initiative") and "SE224" in codes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = network_benchmark(sbs, "Vanguard")
    m = b.members.set_index("member")
    assert m.at["SE224", "nuts_level"] == 3 and m.at["SE224", "built_from"] == "SE22"
    assert "SE224" in b.members.attrs["approximated"]


# ------------------------------------------------------------------------------ errors and CLI


def test_errors_name_closest(sbs):
    with pytest.raises(UnknownNameError) as e:
        complementary_partners(sbs, "ITC4", activity="C3O")
    assert e.value.suggestions
    with pytest.raises(UnknownNameError) as e:
        complementary_partners(sbs, "ITC4", ecosystem="Advanced manufactoring")
    assert "Advanced manufacturing" in e.value.suggestions
    with pytest.raises(UnknownNameError) as e:
        network_benchmark(sbs, "Five Motors")
    assert "Four Motors for Europe" in e.value.suggestions
    with pytest.raises(UnknownNameError):
        complementary_partners(sbs, "ITC4", activity="C30", network="Five Motors")
    with pytest.raises(UnknownNameError) as e:
        complementary_partners(sbs, "Lombardie", activity="C30")
    assert e.value.suggestions
    with pytest.raises(UnknownNameError):
        complementary_partners(sbs, "ITC4", activity="C30", country="Atlantis")
    with pytest.raises(UnknownNameError):
        structural_peers(sbs, "Atlantis")
    with pytest.raises(InputError, match="exactly one"):
        complementary_partners(sbs, "ITC4")
    with pytest.raises(InputError):
        structural_peers(sbs, "ITC4", by="size")
    with pytest.raises(UnknownNameError):
        complementary_partners(sbs, "ITC4", activity="C30", year=1990)


@pytest.mark.parametrize("args, message", [
    (["partners", "ITC4", "--activity", "C3O"], "unknown activity 'C3O'"),
    (["partners", "ITC4", "--ecosystem", "Advanced manufactoring"], "did you mean"),
    (["partners", "ITC4"], "exactly one"),
    (["partners", "Atlantis", "--activity", "C30"], "unknown region"),
    (["partners", "ITC4", "--activity", "C30", "--network", "Five Motors"], "Four Motors"),
    (["peers", "Atlantis"], "unknown region"),
    (["network", "Five Motors"], "Four Motors for Europe"),
])
def test_cli_bad_input_exits_non_zero(smartspec_cli, data_dir, sbs, args, message):
    code, out = smartspec_cli(*args, "--data-dir", data_dir)
    assert code not in (0, None) and message in out and "Traceback" not in out


def test_cli_commands_print_tables(smartspec_cli, data_dir, sbs):
    code, out = smartspec_cli("partners", "ITC4", "--activity", "C30", "--top", "3", "--data-dir", data_dir)
    assert code == 0 and "Complementary partners of Lombardia (ITC4)" in out and "UKD4" in out and "persons" in out
    flat = " ".join(out.split())
    assert "its own RCA there: 0.81, not specialised" in flat
    code, out = smartspec_cli("partners", "DE11", "--activity", "C29", "--top", "3", "--data-dir", data_dir)
    assert code == 0 and "already specialised" in " ".join(out.split())
    code, out = smartspec_cli("peers", "Lombardy", "--top", "3", "--exclude-own-country", "--data-dir", data_dir)
    assert code == 0 and "ES51" in out and "ITC1" not in out
    code, out = smartspec_cli("network", "Four Motors for Europe", "--data-dir", data_dir)
    assert code == 0 and "Baden-Württemberg" in out and "DE11 + DE12" in out and "Members defined at NUTS 1 (FRK, DE1)" in out


def test_country_panel(patents):
    """On countries x WIPO fields: ecosystems map to WIPO fields, peers use the panel's own
    variables, and a network of NUTS regions is a clear error."""
    t = complementary_partners(patents, "Italy", ecosystem="Advanced manufacturing", top=5)
    assert t.attrs["region"] == "ITA" and all(c.startswith("W") for c in t.attrs["targets"])
    assert (t["gain"] > 0).all() and "ITA" not in set(t["region"])
    peers = structural_peers(patents, "ITA", by="structure", top=5)
    assert "gdp_per_head_pps" not in peers.attrs["variables"] and "ITA" not in set(peers["region"])
    with pytest.raises(InputError, match="fewer than two members"):
        network_benchmark(patents, "Four Motors")


def test_year_without_the_region_is_a_clear_error(sbs):
    """Italy is missing from the 2015 SBS data: asking for it names the years that exist."""
    with pytest.raises(InputError, match="ITC4 has no data in 2015") as e:
        complementary_partners(sbs, "ITC4", activity="C30", year=2015)
    assert "2014" in e.value.fix
    with pytest.raises(InputError, match="no data in 2015"):
        structural_peers(sbs, "ITC4", year=2015)
    with pytest.raises(InputError, match="top"):
        complementary_partners(sbs, "ITC4", activity="C30", top=0)


def test_confidential_partner_cells_have_no_rca(sbs):
    """Azores' C30 employment is confidential in 2014: its RCA there is unknown, not 0."""
    t = complementary_partners(sbs, "ITC4", activity="C30", year=2014, top=None).set_index("region")
    assert np.isnan(t.at["PT20", "partner_rca"]) and np.isnan(t.at["PT20", "target_persons"])
    c30 = sbs.panel.activities.get_loc("C30")
    hidden = sbs.panel.missing[2014][:, [c30]].toarray().ravel()
    hidden_partners = set(sbs.panel.regions[hidden]) & set(t.index)
    assert set(t.index[t["partner_rca"].isna()]) == hidden_partners


# ------------------------------------------------------------------------- partners that hold something

def test_partners_for_lombardy_aerospace_hold_real_mass(sbs):
    """Issue 10 point 7: no Trondelag, Highlands and Islands, Nord-Norge or Azores bringing
    veterinary, postal or accommodation services; every partner holds, with mass, traded
    activities related to C30, and says how many persons it holds."""
    from smartspec.data.scope import activity_scope
    from smartspec.strategy.mass import mass_mask

    t = complementary_partners(sbs, "ITC4", activity="C30", top=20)
    assert not {"NO06", "UKM6", "NO07", "PT20"} & set(t["region"])
    m = sbs.at(2014)
    p = sbs.panel
    mass = mass_mask(m.values, p.missing[2014].toarray())
    phi = m.proximity[:, p.activities.get_loc("C30")].copy()
    phi[p.activities.get_loc("C30")] = np.nan
    cut = np.nanquantile(phi, 0.75)
    for row in t.itertuples():
        j = p.regions.get_loc(row.region)
        codes = row.brings_codes.split("; ")
        assert codes and row.holds >= 1000
        for c, persons in zip(codes, row.brings_persons.split("; ")):
            a = p.activities.get_loc(c)
            assert mass[j, a] and m.mcp[j, a] > 0 and activity_scope([c]).iloc[0] == "traded" and phi[a] >= cut
            assert float(persons) == pytest.approx(m.values[j, a], abs=0.5)
    assert (np.diff(t["score"].to_numpy()) <= 1e-15).all()  # ranked by the mass-weighted gain
    assert t.attrs["min_persons"] == 1000 and t.attrs["min_eu_share"] == 0.001


def test_mass_weight_is_full_at_ten_times_the_floor(sbs):
    from smartspec.strategy.partners import held_capabilities

    m = sbs.at(2014)
    held, weight = held_capabilities(sbs.panel, m, [sbs.panel.activities.get_loc("C30")])
    X = m.values
    assert np.allclose(weight[held > 0], np.minimum(1, X[held > 0] / 10_000))
    assert (weight[held == 0] == 0).all() and (X[held > 0] >= 1000).all()
    with pytest.raises(InputError, match="related_quantile"):
        held_capabilities(sbs.panel, m, [0], related_quantile=1.5)


def test_four_motors_confidential_cells_are_unknown_not_zero(four_motors, sbs):
    """Baden-Wuerttemberg's E38 is confidential (': c'): no RCA, not shared, not in its shares."""
    b = four_motors
    assert np.isnan(b.rca.at["E38", "DE1"]) and b.rca.at["E38", "ITC4"] > 1
    assert "DE1 E38" in b.members.attrs["hidden_cells"] and b.members.attrs["hidden"] > 0
    unknown = b.ecosystems.attrs["unknown"]
    # every share is over the known activities: recompute one ecosystem by hand
    eco = next(e for e in sbs.profile.ecosystems.values() if unknown.loc["DE1", e.name] > 0)
    codes = [c for c in eco.codes(b.rca.index) if not np.isnan(b.rca.at[c, "DE1"])]
    spec = [b.rca.at[c, "DE1"] >= 1 for c in codes]
    assert b.ecosystems.at["DE1", eco.name] == pytest.approx(np.mean(spec))
    # nothing confidential is brought: DE1 never brings E38 or C30
    brought = b.complementarity.loc[b.complementarity["from_member"] == "DE1", "brings"]
    assert not brought.str.contains("E38|C30").any()
