"""Opportunities on the real SBS panel."""
import numpy as np
import pytest

from smartspec.data.scope import activity_scope, traded_mask
from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.diversification import APPROACHES, COMPONENTS, QUADRANTS, opportunities


@pytest.fixture(scope="module")
def lombardy(sbs):
    return opportunities(sbs, "ITC4")


def test_candidates_are_the_non_specialised(sbs, lombardy):
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    missing = sbs.panel.missing[2014][[i]].toarray().ravel().astype(bool)
    open_ = (m.mcp[i] == 0) & (m.values.sum(0) > 0) & ~missing
    traded = traded_mask(sbs.panel.activities)
    assert set(lombardy["activity"]) == set(sbs.panel.activities[open_ & traded])
    assert set(lombardy.attrs["local"]) == set(sbs.panel.activities[open_ & ~traded])
    assert {"I56", "G47", "F41"} <= set(lombardy.attrs["local"])  # restaurants, retail, building: never targets
    assert {"B06", "B07"} <= set(lombardy.attrs["not_observed"])  # always confidential for Lombardy
    assert (lombardy["rca"] < 1).all()
    assert lombardy.attrs["year"] == 2014 and lombardy.attrs["region_name"] == "Lombardia"


def test_ranked_by_score_with_probability(lombardy):
    assert (np.diff(lombardy["score"].to_numpy()) <= 1e-12).all()
    assert lombardy["probability"].between(0, 1).all()
    assert lombardy["rank"].tolist() == list(range(1, len(lombardy) + 1))


def test_quadrants_follow_thresholds(lombardy):
    d, c = lombardy.attrs["relatedness_threshold"], lombardy.attrs["complexity_threshold"]
    expected = [QUADRANTS[(a >= d, b >= c)] for a, b in zip(lombardy["density"], lombardy["pci"])]
    assert lombardy["quadrant"].tolist() == expected
    assert set(lombardy["quadrant"]) == set(QUADRANTS.values())


def test_supporting_strengths_are_specialisations(sbs, lombardy):
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    specialised = set(sbs.panel.activities[m.mcp[i] > 0])
    for codes, prox in lombardy[["supporting_codes", "supporting_proximity"]].head(10).itertuples(index=False):
        codes, prox = codes.split("; "), [float(p) for p in prox.split("; ")]
        assert codes and set(codes) <= specialised and len(prox) == len(codes)
        assert prox == sorted(prox, reverse=True) and all(0 < p <= 1 for p in prox)
    # the sentences are worded in smartspec.views.text, from these columns
    from smartspec.views.text import with_opportunity_texts

    names = sbs.panel.activity_meta["name"]
    worded = with_opportunity_texts(lombardy, lambda c: names[c])
    assert worded["reason"].str.contains("Relatedness density").all()
    assert worded["reason"].str.contains("of Lombardia").all() and worded["reason"].str.contains("persons employed").any()
    first = worded["supporting"].iloc[0].split(" | ")[0]
    code = lombardy["supporting_codes"].iloc[0].split("; ")[0]
    assert first == f"{code} {names[code]} (proximity {float(lombardy['supporting_proximity'].iloc[0].split('; ')[0]):.2f})"


def test_ecosystems_and_thresholds(sbs):
    table = opportunities(sbs, "Lombardia", relatedness_threshold=0.5, complexity_threshold=0.0,
                          with_probability=False)
    assert table.attrs["relatedness_threshold"] == 0.5
    c30 = table.set_index("activity").loc["C30"]
    assert "Smart mobility and architecture" in c30["ecosystems"]


def test_other_region_and_errors(sbs):
    de = opportunities(sbs, "DE11", with_probability=False)
    assert len(de) > 10 and de.attrs["region"] == "DE11"
    with pytest.raises(UnknownNameError) as e:
        opportunities(sbs, "ITC9")
    assert e.value.suggestions
    # a region of the panel the source reports nothing for (Mayotte): said so, not "unknown region"
    with pytest.raises(InputError, match=r"Mayotte \(FRY5\) has no value in any year \(\d+ cells reported missing"):
        opportunities(sbs, "FRY5")


def test_supporting_weights_are_proximities(sbs):
    from smartspec.strategy.diversification import supporting_strengths

    m = sbs.at(2014)
    sup = supporting_strengths(sbs, "ITC4", 2014, top=3)
    acts = sbs.panel.activities
    phi = m.proximity[acts.get_indexer(sup["support"]), acts.get_indexer(sup["activity"])]
    np.testing.assert_allclose(sup["proximity"].to_numpy(), phi)
    assert (sup["support"] != sup["activity"]).all() and sup.groupby("activity").size().max() <= 3
    # within an activity, supports are listed by decreasing proximity
    assert (sup.groupby("activity")["proximity"].diff().dropna() <= 1e-12).all()


def test_known_facts_of_lombardy(lombardy):
    """Lombardy (2014) is specialised in textiles and machinery, so neither is an opportunity;
    every opportunity's ecosystems are ecosystems of the profile."""
    assert not {"C13", "C28"} & set(lombardy["activity"])
    assert lombardy["supporting_codes"].str.contains("C28|C13|C25|C22").any()
    names = {"Nutrition", "Health and life science", "Culture and knowledge", "Connectivity and information",
             "Smart mobility and architecture", "Sustainability", "Social development", "Advanced manufacturing"}
    listed = {e for cell in lombardy["ecosystems"] for e in cell.split(", ") if e}
    assert listed and listed <= names
    assert lombardy.attrs["growth_from"] == 2011 and lombardy["value"].gt(0).mean() > 0.9
    assert "probability" in lombardy.attrs["feasibility_meaning"] and lombardy.attrs["backtest_verdict"]
    assert "'balanced' approach" in lombardy.attrs["score_meaning"]


def test_threshold_rules(sbs):
    from smartspec.errors import InputError

    cand = opportunities(sbs, "ITC4", with_probability=False)
    every = opportunities(sbs, "ITC4", relatedness_threshold="median-all", complexity_threshold="mean-all",
                          with_probability=False)
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    observed = m.values.sum(0) > 0
    assert every.attrs["relatedness_threshold"] == pytest.approx(np.median(m.density[i, observed]))
    # local activities have no PCI under the traded scope: the mean is over the traded ones
    assert every.attrs["complexity_threshold"] == pytest.approx(np.nanmean(m.pci[observed]))
    assert cand.attrs["relatedness_threshold"] == pytest.approx(np.median(cand["density"]))
    with pytest.raises(InputError, match="threshold"):
        opportunities(sbs, "ITC4", relatedness_threshold="average", with_probability=False)


def test_quadrant_names():
    from smartspec.errors import InputError
    from smartspec.strategy.diversification import quadrant_name

    assert quadrant_name("hh") == "high relatedness, high complexity"
    assert quadrant_name("low_high") == "low relatedness, high complexity"
    assert quadrant_name("High relatedness, low complexity") == "high relatedness, low complexity"
    with pytest.raises(InputError, match="HH"):
        quadrant_name("best")


def test_opportunities_cli(tmp_path, smartspec_cli, data_dir):
    import json

    path = tmp_path / "o.json"
    code, out = smartspec_cli("opportunities", "Lombardia", "--top", "5", "--quadrant", "HL",
                     "--json", str(path), "--data-dir", str(data_dir))
    assert code == 0 and "Lombardia (ITC4)" in out and "Why the first three" in out
    payload = json.loads(path.read_text())
    rows = payload["opportunities"]
    assert rows and {r["quadrant"] for r in rows} == {"high relatedness, low complexity"}
    assert payload["attrs"]["region"] == "ITC4" and all(0 <= r["score"] <= 1 for r in rows)
    code, out = smartspec_cli("opportunities", "ITC4", "--quadrant", "XX")
    assert code == 2 and "HH" in out


@pytest.mark.parametrize("region", ["ITC4", "DE11", "ES51"])
def test_no_local_activity_among_the_targets(sbs, region):
    """Issue 10: restaurants, retail, construction are never targets; the top ten of Lombardy,
    Stuttgart and Catalonia are traded activities, and the local ones are listed apart."""
    o = opportunities(sbs, region)
    assert (activity_scope(o["activity"]) == "traded").all()
    top = o.head(10)
    assert not {"I56", "G47", "F41", "F43", "L68"} & set(top["activity"])
    assert (activity_scope(o.attrs["local"]) == "local").all() and o.attrs["local"]


def test_score_is_the_documented_weighted_percentiles(sbs, lombardy):
    """The score recomputed from its components with the approach's weights, independently."""
    w = lombardy.attrs["weights"]
    assert set(w) == set(COMPONENTS) and sum(w.values()) == pytest.approx(1.0)  # Lombardy's own profile
    base = {"feasibility": lombardy["probability"], "pci": lombardy["pci"], "cog": lombardy["cog"],
            "wage": lombardy["wage"], "activity_growth": lombardy["activity_growth"]}
    expected = sum(w[k] * v.rank(pct=True).fillna(0.5) for k, v in base.items())
    expected += w["ecosystem_fit"] * lombardy["ecosystem_fit"]
    np.testing.assert_allclose(lombardy["score"], expected, atol=1e-12)
    assert lombardy["ecosystem_fit"].tolist() == [float(e != "") for e in lombardy["ecosystems"]]
    # the wage is the EU figure of the activity: aircraft and spacecraft pay more than clothing
    wages = dict(zip(lombardy["activity"], lombardy["wage"]))
    assert wages["C30"] > 35000 and wages["H51"] > wages["J59"]


def test_approaches_reorder_and_other_profiles_drop_the_fit(sbs, lombardy):
    bets = opportunities(sbs, "ITC4", approach="strategic-bets")
    fruit = opportunities(sbs, "ITC4", approach="low-hanging-fruit")
    assert set(bets["activity"]) == set(lombardy["activity"])
    # strategic bets trade feasibility for complexity: its top ten are more complex, less likely
    assert bets.head(10)["pci"].mean() > fruit.head(10)["pci"].mean()
    assert bets.head(10)["probability"].mean() < fruit.head(10)["probability"].mean()
    assert APPROACHES["balanced"]["feasibility"] > APPROACHES["strategic-bets"]["feasibility"]
    other = opportunities(sbs, "DE11")  # Lombardy's ecosystems say nothing about Stuttgart
    assert other["ecosystem_fit"].isna().all() and "ecosystem_fit" not in other.attrs["weights"]
    with pytest.raises(InputError, match="strategic approach"):
        opportunities(sbs, "ITC4", approach="moonshot")


def test_verdict_comes_with_the_probabilities_not_from_a_new_backtest(lombardy, sbs, data_dir, monkeypatch):
    """The verdict shown with the opportunities is the backtest's, carried by the entry
    probabilities (opportunities() itself never runs the backtest)."""
    from smartspec.strategy import diversification, forecast

    verdict = forecast.verdict_facts(forecast.backtest("eurostat-sbs", data_dir).attrs)
    assert lombardy.attrs["backtest_verdict"] == verdict and "validation_ap_model" in verdict
    assert not hasattr(diversification, "backtest")
    probs, _ = forecast.entry_probabilities(sbs, lombardy.attrs["year"])
    assert probs.attrs["verdict"] == verdict


def test_one_year_rule(sbs):
    """Every strategy function answers for Analysis.year_of: the given year, checked, or the
    region's default year."""
    from smartspec.errors import UnknownNameError
    from smartspec.strategy import region_competences

    assert sbs.year_of("ITC4") == sbs.last_year("ITC4") == 2014 and sbs.year_of("ITC4", 2011) == 2011
    with pytest.raises(UnknownNameError, match="1999"):
        sbs.year_of("ITC4", 1999)
    assert opportunities(sbs, "ITC4").attrs["year"] == region_competences(sbs, "ITC4").attrs["year"] == 2014
