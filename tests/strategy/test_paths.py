"""Transition paths on the real SBS panel (Lombardy, Catalonia, Stuttgart)."""
import numpy as np
import pytest

from smartspec.data.labels import activity_name
from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.paths import path_summary, relatedness_backbone, transition_paths
from smartspec.views.text import path_route, weakest_step


@pytest.fixture(scope="module")
def fashion_to_aerospace(sbs):
    return transition_paths(sbs, "ITC4", "fashion", "aerospace", k=5)


def _cost(sbs, region, year, nodes):
    m = sbs.at(year)
    i = sbs.panel.regions.get_loc(region)
    reach = np.where(m.rca[i] >= 1, 1.0, np.clip(m.density[i], 1e-6, 1))
    P = np.clip(m.proximity, 1e-6, 1)
    return -np.log(reach[nodes[0]]) + sum(-np.log(P[a, b]) - np.log(reach[b]) for a, b in zip(nodes[:-1], nodes[1:]))


def test_paths_start_in_source_and_end_in_target(fashion_to_aerospace):
    t = fashion_to_aerospace
    assert t.attrs["sources"] == ["C13", "C14", "C15"] and t.attrs["targets"] == ["C30", "H51"]
    assert t.attrs["source"] == "Fashion" and t.attrs["target"] == "Aerospace" and t.attrs["year"] == 2014
    routes = set()
    for _, path in t.groupby("path"):
        assert path["activity"].iloc[0] in t.attrs["sources"]
        assert path["activity"].iloc[-1] in t.attrs["targets"]
        assert path["step"].tolist() == list(range(len(path)))
        assert path["activity"].is_unique  # simple paths
        assert path["role"].iloc[0] == "start" and path["role"].iloc[-1] == "target"
        routes.add(tuple(path["activity"]))
    assert len(routes) == t["path"].nunique() == 5  # k distinct paths


def test_textile_strength_is_a_starting_point(sbs, fashion_to_aerospace):
    starts = fashion_to_aerospace[fashion_to_aerospace["step"] == 0]
    assert "C13" in set(starts["activity"])  # Lombardy's textile strength (RCA about 3.4)
    c13 = starts[starts["activity"] == "C13"].iloc[0]
    assert c13["rca"] > 3 and c13["status"] == "strength" and c13["value"] > 40_000
    first = fashion_to_aerospace[fashion_to_aerospace["path"] == 1]
    route = path_route(first, 2014, sbs.panel.activity_name, fashion_to_aerospace.attrs["target"])
    assert route.startswith("C13 Manufacture of textiles (RCA 3.45, strength) -> ") and route.endswith("[Aerospace]")
    it = path_route(first, 2014, lambda c: activity_name(c, "it", ""), "Aerospazio", "it")
    assert it.startswith("C13 Industrie tessili (RCA 3,45, punto di forza) -> ") and it.endswith("[Aerospazio]")
    assert "strength" not in it and "density" not in it


def test_feasibility_is_the_product_of_the_moves(sbs, fashion_to_aerospace):
    summary = path_summary(fashion_to_aerospace)
    f = summary["feasibility"].to_numpy()
    assert ((f > 0) & (f <= 1)).all() and (np.diff(f) <= 1e-12).all()
    acts = list(sbs.panel.activities)
    for p, path in fashion_to_aerospace.groupby("path"):
        nodes = [acts.index(a) for a in path["activity"]]
        assert np.isclose(path["feasibility"].iloc[0], np.exp(-_cost(sbs, "ITC4", 2014, nodes)))
        moves = path.iloc[1:]
        assert np.isclose(np.prod(moves["proximity"] * moves["reach"]) * path["reach"].iloc[0],
                          path["feasibility"].iloc[0])
        assert ((path["reach"] == 1) == (path["rca"] >= 1)).all()
    for p, path in fashion_to_aerospace.groupby("path"):  # the weakest move is the costliest one
        step = int(summary.loc[summary["path"] == p, "weakest_step"].iloc[0])
        assert path.loc[path["step"] == step, "step_cost"].iloc[0] == path["step_cost"].iloc[1:].max()
        said = weakest_step(path, step, sbs.panel.activity_name)
        row = path[path["step"] == step].iloc[0]
        assert said.startswith(f"{row['activity']} {row['name']}: proximity {row['proximity']:.2f} to the previous step")
        it = weakest_step(path, step, lambda c: activity_name(c, "it", ""), "it")
        assert f"prossimità {row['proximity']:.2f}".replace(".", ",") in it and "proximity" not in it


def test_first_path_is_optimal_among_short_paths(sbs, fashion_to_aerospace):
    """Brute force over every path of at most 2 moves in the same network: none is cheaper."""
    m = sbs.at(2014)
    acts = list(sbs.panel.activities)
    src = [acts.index(a) for a in ("C13", "C14", "C15")]
    tgt = [acts.index(a) for a in ("C30", "H51")]
    mask = relatedness_backbone(m.proximity, 6)
    best = np.inf
    for s in src:
        for t in tgt:
            if mask[s, t]:
                best = min(best, _cost(sbs, "ITC4", 2014, [s, t]))
            for mid in np.flatnonzero(mask[s] & mask[:, t]):
                if mid not in (s, t):
                    best = min(best, _cost(sbs, "ITC4", 2014, [s, int(mid), t]))
    first = fashion_to_aerospace[fashion_to_aerospace["path"] == 1]
    assert -np.log(first["feasibility"].iloc[0]) <= best + 1e-9


def test_disjoint_paths_share_no_stepping_stone(sbs, fashion_to_aerospace):
    t = transition_paths(sbs, "ITC4", "fashion", "aerospace", k=4, disjoint=True)
    stones = [set(d["activity"].iloc[1:-1]) for _, d in t.groupby("path")]
    assert len(stones) == 4 and all(not (a & b) for i, a in enumerate(stones) for b in stones[i + 1:])
    f = path_summary(t)["feasibility"].to_numpy()
    assert (np.diff(f) <= 1e-12).all()
    # the first disjoint path is the overall best one
    assert list(t[t["path"] == 1]["activity"]) == list(
        fashion_to_aerospace[fashion_to_aerospace["path"] == 1]["activity"])
    direct = transition_paths(sbs, "ITC4", "C30", "C30", k=3, disjoint=True)
    assert direct["path"].nunique() == 1 and len(direct) == 1


def test_codes_and_other_regions(sbs):
    t = transition_paths(sbs, "ES51", "C13,C14", "C30", k=3, max_steps=4, year=2014)
    assert t.groupby("path")["step"].max().max() <= 4 and t["path"].nunique() == 3
    assert set(t[t["step"] == 0]["activity"]) <= {"C13", "C14"}
    assert (t[t["role"] == "target"]["activity"] == "C30").all()
    de = transition_paths(sbs, "Stuttgart", "mechanics", "digital", k=3)
    assert de.attrs["region"] == "DE11" and set(de[de["step"] == 0]["activity"]) <= {"C25", "C28", "C33"}
    assert set(de[de["role"] == "target"]["activity"]) <= {"J62", "J63", "C26", "J61"}
    assert de["status"].isin(["strength", "reachable", "hard to reach", "no data"]).all()


def test_missing_cells_are_flagged(sbs):
    # Catalonia's C30 is confidential in 2015: shown as "no data", not as RCA 0
    assert transition_paths(sbs, "ES51", "C13", "C30", k=1).attrs["year"] == 2014  # last well-covered year
    # a path never ends at an unknown cell: the only target is confidential, so there is no path
    with pytest.raises(InputError, match="confidential"):
        transition_paths(sbs, "ES51", "C13", "C30", k=1, year=2015)
    t = transition_paths(sbs, "ES51", "C13", "C29,C30", k=1, year=2015)
    assert t.attrs["left_out"] == ["C30"] and t["activity"].iloc[-1] == "C29"


def test_bad_inputs(sbs):
    with pytest.raises(UnknownNameError) as e:
        transition_paths(sbs, "ITC4", "fashon", "aerospace")
    assert "fashion" in e.value.suggestions
    with pytest.raises(UnknownNameError) as e:
        transition_paths(sbs, "ITC4", "C13", "C300")
    assert "C30" in e.value.suggestions
    with pytest.raises(UnknownNameError):
        transition_paths(sbs, "ITC9", "fashion", "aerospace")
    with pytest.raises(InputError):
        transition_paths(sbs, "ITC4", "fashion", "aerospace", k=0)
    with pytest.raises(InputError, match="no path of at most 1 steps"):
        transition_paths(sbs, "ITC4", "C13", "H51", max_steps=1)


def test_cli_paths(sbs, data_dir, smartspec_cli, tmp_path):
    out_file = tmp_path / "paths.csv"
    code, out = smartspec_cli("paths", "ITC4", "--from", "fashion", "--to", "aerospace", "--k", "3",
                             "--data-dir", data_dir, "-o", out_file)
    assert code == 0, out
    assert "Transition paths for Lombardia (ITC4), 2014" in out and "Manufacture of textiles (RCA 3.45, strength)" in out
    assert "hardest move" in out and "persons employed" in out
    import pandas as pd

    assert pd.read_csv(out_file)["path"].nunique() == 3
    code, out = smartspec_cli("paths", "ES51", "--from", "C13,C14", "--to", "C30", "--max-steps",
                             "3", "--year", "2014", "--data-dir", data_dir)
    assert code == 0, out
    assert "Cataluña" in out or "Catalu" in out


@pytest.mark.parametrize("args, message", [
    (["--from", "fashon"], "did you mean fashion"),
    (["--to", "aerospase"], "did you mean aerospace"),
    (["--from", "C13,Z99"], "unknown activity 'Z99'"),
    (["--year", "1999"], "unknown year '1999'"),
])
def test_cli_paths_bad_input(sbs, data_dir, smartspec_cli, args, message):
    code, out = smartspec_cli("paths", "ITC4", *args, "--data-dir", data_dir)
    assert code == 2 and message in out and "Traceback" not in out


@pytest.mark.parametrize("args", [["--k", "0"], ["--max-steps", "11"], ["--neighbours", "0"]])
def test_cli_paths_out_of_range(sbs, data_dir, smartspec_cli, args):
    code, out = smartspec_cli("paths", "ITC4", *args, "--data-dir", data_dir)
    assert code == 2 and "out of range" in out and args[0] in out


def test_paths_of_a_region_without_a_profile_are_derived_from_its_data(sbs):
    """`paths DE11` must not silently use Lombardy's fashion -> aerospace."""
    from smartspec.strategy.diversification import opportunities
    from smartspec.strategy.specialisation import region_specialisations

    t = transition_paths(sbs, "DE11", k=2)
    assert t.attrs["derived"] and "DE11" in t.attrs["source"] and "DE11" in t.attrs["target"]
    assert t.attrs["sources"] != ["C13", "C14", "C15"]
    spec = region_specialisations(sbs.panel, "DE11", 2014)
    largest = spec[spec["specialised"]].sort_values("value", ascending=False)["activity"].head(3).tolist()
    assert t.attrs["sources"] == largest and "C29" in largest  # Stuttgart: motor vehicles first
    opp = opportunities(sbs, "DE11", 2014)
    from smartspec.data.scope import traded_mask
    assert set(t.attrs["targets"]) <= set(opp.loc[traded_mask(opp["activity"]), "activity"].head(10))
    # the profile's own region keeps its profile's groups
    assert transition_paths(sbs, "ITC4", k=1).attrs["source"] == "Fashion"


def test_a_confidential_target_is_left_out_not_shown_as_zero(sbs):
    p = sbs.panel
    i = p.regions.get_loc("DE11")
    hidden = p.missing[2014][[i]].toarray().ravel().astype(bool)
    code = p.activities[hidden & traded_mask_all(p)][0]
    t = transition_paths(sbs, "DE11", "C28", f"C29,{code}", k=2, year=2014)
    assert code in t.attrs["left_out"] and code not in set(t.loc[t["role"] == "target", "activity"])
    assert t.loc[t["status"] == "no data", "rca"].isna().all()
    with pytest.raises(InputError, match="confidential"):
        transition_paths(sbs, "DE11", "C28", code, k=1, year=2014)


def traded_mask_all(p):
    from smartspec.data.scope import traded_mask
    return traded_mask(p.activities)


def test_local_activities_are_never_targets(sbs):
    with pytest.raises(InputError, match="traded scope"):
        transition_paths(sbs, "ITC4", "C13", "I56", k=1)
    t = transition_paths(sbs, "ITC4", "C13", "I56", k=1, scope="all")
    assert t["activity"].iloc[-1] == "I56"


@pytest.mark.parametrize("region", ["ES51", "DE11", "PL51"])
def test_local_activities_are_never_stepping_stones(sbs, region):
    """Catalonia's best path once went legal services -> restaurants -> accommodation, Stuttgart's
    through building services, Lower Silesia's through employment agencies."""
    from smartspec.data.scope import traded_mask

    t = transition_paths(sbs, region, k=10)
    stones = t.loc[t["role"] == "stepping stone", "activity"]
    assert len(stones) and traded_mask(stones).all(), sorted(set(stones[~traded_mask(stones)]))
    wide = transition_paths(sbs, region, k=10, scope="all")
    stones = wide.loc[wide["role"] == "stepping stone", "activity"]
    assert not traded_mask(stones).all()  # the whole network has them: the traded scope is what removes them


def test_cli_paths_without_arguments_for_stuttgart(sbs, data_dir, smartspec_cli):
    code, out = smartspec_cli("paths", "DE11", "--k", "1", "--data-dir", data_dir)
    assert code == 0, out
    out = " ".join(out.split())  # prose may wrap at the console width
    assert "no profile of its own" in out and "largest specialisations of DE11" in out and "Fashion" not in out
