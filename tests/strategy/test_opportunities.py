"""Opportunities on the real SBS panel."""
import numpy as np
import pytest

from smartspec.errors import UnknownNameError
from smartspec.strategy.opportunities import QUADRANTS, opportunities


@pytest.fixture(scope="module")
def lombardy(sbs):
    return opportunities(sbs, "ITC4")


def test_candidates_are_the_non_specialised(sbs, lombardy):
    m = sbs.at(2014)
    i = sbs.panel.regions.get_loc("ITC4")
    expected = set(sbs.panel.activities[(m.mcp[i] == 0) & (m.values.sum(0) > 0)])
    assert set(lombardy["activity"]) == expected
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
    for text in lombardy["supporting"].head(10):
        codes = [part.split()[0] for part in text.split(" | ") if part]
        assert codes and set(codes) <= specialised
    assert lombardy["reason"].str.contains("Relatedness density").all()


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
