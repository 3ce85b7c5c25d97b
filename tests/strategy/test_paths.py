"""Transition paths on the real SBS panel."""
import numpy as np
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.paths import path_summary, transition_paths


@pytest.fixture(scope="module")
def fashion_to_aerospace(sbs):
    return transition_paths(sbs, "ITC4", "fashion", "aerospace", k=5)


def test_paths_start_in_source_and_end_in_target(fashion_to_aerospace):
    t = fashion_to_aerospace
    assert t.attrs["sources"] == ["C13", "C14", "C15"] and t.attrs["targets"] == ["C30", "H51"]
    for _, path in t.groupby("path"):
        assert path["activity"].iloc[0] in t.attrs["sources"]
        assert path["activity"].iloc[-1] in t.attrs["targets"]
        assert path["step"].tolist() == list(range(len(path)))
        assert path["activity"].is_unique


def test_textile_strength_is_a_starting_point(fashion_to_aerospace):
    starts = fashion_to_aerospace[fashion_to_aerospace["step"] == 0]
    assert "C13" in set(starts["activity"])  # Lombardy's textile strength (RCA about 3.4)
    c13 = starts[starts["activity"] == "C13"].iloc[0]
    assert c13["rca"] > 3 and c13["status"] == "strength"


def test_feasibility_ranked_and_bounded(fashion_to_aerospace):
    summary = path_summary(fashion_to_aerospace)
    f = summary["feasibility"].to_numpy()
    assert ((f > 0) & (f <= 1)).all() and (np.diff(f) <= 1e-12).all()
    assert len(summary) == 5


def test_codes_and_other_region(sbs):
    t = transition_paths(sbs, "ES51", "C13,C14", "C30", k=3, max_steps=4)
    assert t.groupby("path")["step"].max().max() <= 4
    assert set(t[t["step"] == 0]["activity"]) <= {"C13", "C14"}


def test_bad_inputs(sbs):
    with pytest.raises(UnknownNameError) as e:
        transition_paths(sbs, "ITC4", "fashon", "aerospace")
    assert "fashion" in e.value.suggestions
    with pytest.raises(InputError):
        transition_paths(sbs, "ITC4", "fashion", "aerospace", k=0)
