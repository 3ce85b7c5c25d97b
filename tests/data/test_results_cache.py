"""The persistent results cache (backtests, entry probabilities): reused across runs, recomputed
when the parameters, the panel or a data file change."""
from __future__ import annotations

import pandas as pd

from smartspec.config import cache_dir
from smartspec.data.cache import cached_result, panel_digest


def test_cached_result_reuses_and_invalidates(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SMARTSPEC_UPDATES", str(tmp_path / "updates"))
    calls = []

    def build():
        calls.append(1)
        df = pd.DataFrame({"region": ["ITC4", "DE11"], "probability": [0.2, 0.1]})
        df.attrs["predictor"] = "model"
        return df

    first = cached_result("demo", {"year": 2014}, data_dir, build)
    again = cached_result("demo", {"year": 2014}, data_dir, build)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs == {"predictor": "model"}
    cached_result("demo", {"year": 2013}, data_dir, build)  # other parameters
    assert len(calls) == 2
    (tmp_path / "updates").mkdir()
    (tmp_path / "updates" / "sbs_r_nuts2021.tsv.gz").write_bytes(b"new download")
    cached_result("demo", {"year": 2014}, data_dir, build)  # a new data file
    assert len(calls) == 3
    assert len(list((cache_dir() / "results").glob("demo-*.parquet"))) == 3


def test_panel_digest_follows_the_values(sbs):
    panel = sbs.panel
    assert panel_digest(panel) == panel_digest(panel.subset())
    y = panel.years[-1]
    changed = panel.subset()
    m = changed.matrices[y].copy()
    m.data[0] += 1.0
    changed.matrices[y] = m
    assert panel_digest(changed) != panel_digest(panel)


def test_entry_probabilities_are_kept_across_runs(sbs, monkeypatch):
    from smartspec.strategy import forecast
    from smartspec.strategy.context import analyse_panel
    from smartspec.strategy.forecast import entry

    first, predictor = forecast.entry_probabilities(sbs)
    fresh = analyse_panel(sbs.panel, profile=None, data_dir=sbs.data_dir, dataset=sbs.dataset)

    def no_training(*args, **kwargs):
        raise AssertionError("the model was trained again")

    monkeypatch.setattr(entry, "fit_predict", no_training)  # the name entry_probabilities trains with
    again, predictor_again = forecast.entry_probabilities(fresh)
    assert predictor_again == predictor
    pd.testing.assert_frame_equal(first.reset_index(drop=True), again.reset_index(drop=True), check_dtype=False)
