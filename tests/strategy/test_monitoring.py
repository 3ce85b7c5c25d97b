"""Monitoring indicators, dashboard, RIS-style composite and targets, on the real data."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.monitoring import composite as C
from smartspec.strategy.monitoring import indicators as I
from smartspec.strategy.monitoring.dashboard import dashboard, latest, peer_table
from smartspec.strategy.monitoring.targets import progress


@pytest.fixture(scope="session")
def obs(lombardy_profile, data_dir):
    return I.observations(lombardy_profile, data_dir)


@pytest.fixture(scope="session")
def raw_regional(data_dir):
    return pd.read_csv(data_dir / I.INDICATORS_FILE)


def _value(o, key, region, year, breakdown=""):
    x = o[(o["indicator"] == key) & (o["region"] == region) & (o["year"] == year) & (o["breakdown"] == breakdown)]
    return float(x["value"].iloc[0]) if len(x) else None


def test_regional_indicators_are_the_published_values(obs, raw_regional):
    o, _ = obs
    ris = raw_regional[(raw_regional["indicator"] == "25a_RIS") & (raw_regional["nuts2"] == "ITC4")]
    assert _value(o, "ris", "ITC4", 2018) == pytest.approx(95.896905, abs=1e-6)
    assert len(o[(o["indicator"] == "ris") & (o["region"] == "ITC4")]) == len(ris) == 8
    assert _value(o, "neet", "ITC4", 2019) == pytest.approx(12.6, abs=0.05)
    # Catalonia is not in the Central European file: absent, never a zero
    assert o[(o["indicator"] == "ris") & (o["region"] == "ES51")].empty


def test_ecosystem_employment_is_the_sum_of_its_divisions_in_the_raw_file(obs, data_dir):
    from smartspec.data.eurostat import read_eurostat

    o, _ = obs
    raw = read_eurostat(data_dir / "eurostat_regional/ki2017_sbs_r_nuts06_r2.tsv.gz")
    cells = raw[(raw["indic_sb"] == "V16110") & (raw["geo"] == "ITC4") & (raw["year"] == 2014)
                & raw["nace_r2"].isin(["C10", "C11", "C12", "I56"])]
    assert len(cells) == 4 and cells["value"].notna().all()
    assert _value(o, "employment_ecosystem", "ITC4", 2014, "Nutrition") == pytest.approx(cells["value"].sum())
    wages = raw[(raw["indic_sb"] == "V13320") & (raw["geo"] == "ITC4") & (raw["year"] == 2014)
                & raw["nace_r2"].isin(["C10", "C11", "C12", "I56"])]["value"].sum()
    assert _value(o, "wages_per_person_ecosystem", "ITC4", 2014, "Nutrition") == pytest.approx(
        1000 * wages / cells["value"].sum())


def test_confidential_divisions_leave_a_gap_that_says_which(obs):
    o, gaps = obs
    assert _value(o, "employment_ecosystem", "DE11", 2014, "All S3 ecosystems") is None
    g = gaps[(gaps["indicator"] == "employment_ecosystem") & (gaps["region"] == "DE11") & (gaps["year"] == 2014)
             & (gaps["breakdown"] == "All S3 ecosystems")]
    assert "D35" in g["missing"].iloc[0]
    # construction is missing for Italy 2008-10: no traded share, a gap naming section F
    assert _value(o, "employment_traded", "ITC4", 2009) is None
    assert _value(o, "employment_traded", "ITC4", 2014) == pytest.approx(55.7, abs=0.1)
    g = gaps[(gaps["indicator"] == "employment_traded") & (gaps["region"] == "ITC4") & (gaps["year"] == 2009)]
    assert "section F" in g["missing"].iloc[0]


def test_country_indicators(obs):
    o, _ = obs
    assert _value(o, "patents_country", "IT", 2019) > 20000
    share = o[(o["indicator"] == "exports_country")]
    # shares of the file's world total (226 countries; only NUTS countries kept): Italy 1.9%, Germany more
    assert share["value"].sum() < 100 and 1.5 < _value(o, "exports_country", "IT", 2000) < 2.5
    assert _value(o, "exports_country", "DE", 2000) > _value(o, "exports_country", "IT", 2000)
    assert o[(o["indicator"] == "patents_country") & (o["year"] == 2020)].empty  # incomplete year left out


def test_dashboard_of_lombardy_has_three_pillars_four_indicators_three_peers(obs, sbs):
    o, gaps = obs
    peers = peer_table(sbs, "ITC4")
    assert list(peers["role"].unique()) == ["region", "structural peer", "network member", "country"]
    assert {"DE11", "DE12", "DE13", "DE14", "ES51", "FRK1", "FRK2"} <= set(peers["unit"])
    board = dashboard(o, gaps, peers)
    counts = board.groupby("pillar")["indicator"].nunique()
    assert counts["enterprise"] >= 4 and counts["research"] >= 4
    # every (indicator, breakdown, year) has one row per unit; missing values are lines with a reason
    per = board.groupby(["indicator", "breakdown", "year"]).size()
    assert (per == len(peers)).all()
    missing = board[board["value"].isna()]
    assert (missing["note_kind"].str.len() > 0).all()
    es = board[(board["indicator"] == "ris") & (board["unit"] == "ES51")]
    assert es["value"].isna().all() and (es["note_kind"] == "not_covered").all()
    it = board[(board["indicator"] == "ris") & (board["unit"] == "IT") & (board["year"] == 2018)]
    others = o[(o["indicator"] == "ris") & (o["year"] == 2018) & o["region"].str.startswith("IT") & (o["region"] != "ITC4")]
    assert float(it["value"].iloc[0]) == pytest.approx(others["value"].median())
    peers_with_ris = board[(board["indicator"] == "ris") & (board["role"] != "region") & board["value"].notna()]
    assert peers_with_ris["unit"].nunique() >= 3
    summary = latest(board)
    assert int(summary.loc[summary["indicator"] == "ris", "year"].iloc[0]) == 2025


def _independent_composite(X: pd.DataFrame, lower_better: set) -> pd.Series:
    """The RIS steps written again with numpy only, column by column."""
    cols = []
    for c in X.columns:
        x = X[c].to_numpy(float) * (-1.0 if c in lower_better else 1.0)
        ok = ~np.isnan(x)
        v = x[ok].copy()
        m, s = v.mean(), v.std(ddof=1)
        hi, lo = v > m + 2 * s, v < m - 2 * s
        v[hi] = v[~hi].max()
        v[lo] = v[~lo].min()
        d = v - v.mean()
        skew = (d ** 3).mean() / (d ** 2).mean() ** 1.5
        if skew > 1:
            v = np.sqrt(v - v.min())
        col = np.full(len(x), np.nan)
        col[ok] = (v - v.min()) / (v.max() - v.min())
        cols.append(col)
    S = np.column_stack(cols)
    n = (~np.isnan(S)).sum(axis=1)
    score = np.where(n >= 0.5 * S.shape[1], np.nansum(S, axis=1) / np.maximum(n, 1), np.nan)
    return pd.Series(score, index=X.index)


@pytest.fixture(scope="session")
def composite(obs, data_dir):
    o, _ = obs
    regions = pd.Index(sorted(I.regional_file(data_dir)["region"].unique()))
    X, years = C.composite_inputs(o, regions)
    hib = I.CATALOGUE.set_index("key")["higher_is_better"].to_dict()
    return X, years, C.ris_composite(X, hib)


def test_composite_is_reproduced_from_its_inputs(composite):
    X, years, comp = composite
    assert len(X) == 81 and X.shape[1] >= 5
    assert years["tertiary_attainment"] == 2024 and years["knowledge_employment"] == 2014
    mine = _independent_composite(X, {"neet", "unemployment"})
    pd.testing.assert_series_equal(comp.score, mine, check_names=False, atol=1e-12)
    assert comp.steps["outliers_high"].sum() > 0  # the capping rule actually fires on this data


def test_composite_agrees_with_the_published_ris(composite, obs):
    _, _, comp = composite
    o, _ = obs
    agree = C.agreement(comp.score, o[o["indicator"] == "ris"])
    assert list(agree["edition"]) == list(range(2018, 2026))
    assert (agree["n_regions"] == 72).all()
    assert (agree["spearman"] > 0.6).all() and (agree["spearman"] < 0.9).all()  # measured 0.67-0.74


def test_rank_ranges_under_random_weights(composite):
    _, _, comp = composite
    rr = C.rank_ranges(comp.normalised, n_draws=300, seed=7)
    again = C.rank_ranges(comp.normalised, n_draws=300, seed=7)
    pd.testing.assert_frame_equal(rr, again)
    equal = comp.score.dropna().rank(ascending=False, method="min").astype(int)
    assert (rr["rank"] == equal.reindex(rr.index)).all()
    assert ((rr["rank_min"] <= rr["rank_p05"]) & (rr["rank_p05"] <= rr["rank_p95"])
            & (rr["rank_p95"] <= rr["rank_max"])).all()
    assert rr.loc["ITC4", "rank_p95"] - rr.loc["ITC4", "rank_p05"] > 10  # the rank of Lombardy is uncertain


def test_composite_rejects_a_constant_indicator():
    with pytest.raises(InputError, match="three distinct values"):
        C.ris_composite(pd.DataFrame({"a": [1.0, 1.0, 1.0, 1.0]}, index=list("wxyz")))


def test_targets_progress_and_bad_targets(obs, lombardy_profile):
    o, _ = obs
    t = progress(lombardy_profile, o)
    row = t[t["indicator"] == "neet"].iloc[0]
    assert row["baseline"] == pytest.approx(12.6, abs=0.05) and row["baseline_from"] == "data"
    assert row["latest_year"] == 2024 and row["latest"] == pytest.approx(8.9, abs=0.05)
    assert row["distance_to_target"] == pytest.approx(9.0 - row["latest"])
    assert row["status"] == "reached"
    behind = dataclasses.replace(lombardy_profile, targets=[
        {"indicator": "tertiary_attainment", "baseline_year": 2015, "milestone_year": 2022, "milestone": 26.0,
         "target_year": 2030, "target": 40.0, "source": "test"}])
    r = progress(behind, o).iloc[0]
    assert r["status"] == "behind the straight path" and r["distance_to_milestone"] == pytest.approx(26.0 - r["latest"])
    bad = dataclasses.replace(lombardy_profile, targets=[{"indicator": "nett", "baseline_year": 2019,
                                                            "target_year": 2030, "target": 9.0, "source": "x"}])
    with pytest.raises(UnknownNameError, match="neet"):
        progress(bad, o)
    bad = dataclasses.replace(lombardy_profile, targets=[{"indicator": "neet", "baseline_year": 2030,
                                                            "target_year": 2020, "target": 9.0, "source": "x"}])
    with pytest.raises(InputError, match=r"\[\[targets\]\] #1.*\n?.*years must increase|years must increase"):
        progress(bad, o)
    bad = dataclasses.replace(lombardy_profile, targets=[{"indicator": "neet", "baseline_year": 2019,
                                                            "target_year": 2030, "target": "9%", "source": "x"}])
    with pytest.raises(InputError, match="must be a number"):
        progress(bad, o)
