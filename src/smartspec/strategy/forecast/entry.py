"""The forecast users see: the probability that a region enters an activity.

:func:`entry_probabilities` trains the predictor the backtest chose for the dataset
(:func:`smartspec.strategy.forecast.backtest.backtest`, on the validation transition) on every
transition whose outcome is known by the forecast year, and scores every cell of that year. The
backtest's verdict travels with the probabilities (``attrs["verdict"]``, its facts), so whoever shows them
says how the predictor was chosen without running the backtest again.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.data.datasets import backtest_design
from smartspec.errors import InputError
from smartspec.strategy.context import Analysis
from smartspec.strategy.forecast.backtest import backtest, verdict_facts
from smartspec.strategy.forecast.features import features, previous_year, training_pairs, transitions
from smartspec.strategy.forecast.model import fit_predict


def entry_probabilities(analysis: Analysis, year: int | None = None) -> tuple[pd.DataFrame, str]:
    """Probability of entry over the next horizon for every candidate cell of ``year``.

    The predictor is the backtest's winner on this dataset
    (:func:`~smartspec.strategy.forecast.backtest.backtest`): the model, trained on every
    transition whose outcome is known by ``year``, if it beat the baselines on validation;
    otherwise the best baseline, turned into a probability by a logistic fit on the same
    transitions (for ``rca`` or ``density`` a fit on that variable alone, so the ranking is the
    baseline's). Datasets without a backtest design
    (:attr:`smartspec.data.datasets.Dataset.backtest`) use the model.

    Parameters
    ----------
    analysis : Analysis
        From :func:`smartspec.strategy.context.analyse`.
    year : int, optional
        Forecast year (default: the last year of the analysis).

    Returns
    -------
    (DataFrame, str)
        ``region``, ``activity``, ``probability`` for every cell of ``year``, and the name of
        the predictor used (``"none"`` when no earlier transition exists to learn from). The
        frame's ``attrs`` hold ``predictor`` and the facts of the backtest's ``verdict``
        (:func:`~smartspec.strategy.forecast.backtest.verdict_facts`; empty without a
        backtest design).
    """
    from smartspec.data.cache import cached_result, panel_digest

    year = analysis.years[-1] if year is None else int(year)

    def build():
        # seconds of training: kept across runs for the same panel, measures, code and data files
        params = {"panel": panel_digest(analysis.panel), "dataset": analysis.dataset, "year": year,
                  "measures": analysis.at(year).options}
        table = cached_result("entry-probabilities", params, analysis.data_dir,
                              lambda: _entry_probabilities(analysis, year))
        return table, table.attrs["predictor"]

    return analysis.memo(("entry_probabilities", year), build)


def _entry_probabilities(analysis: Analysis, year: int) -> pd.DataFrame:
    """:func:`entry_probabilities` computed, with the predictor's name and the verdict in ``attrs``."""
    from sklearn.linear_model import LogisticRegression

    years = analysis.years
    persistence = analysis.panel.region_meta["level"].notna().mean() >= 0.5
    pairs = training_pairs(years, year, persistence=persistence)
    target = features(analysis, year, previous_year(years, year))
    if not pairs:
        out = target.assign(probability=np.nan)[["region", "activity", "probability"]]
        out.attrs.update(predictor="none", verdict={})
        return out
    train = pd.concat([transitions(analysis, t0, t1, persistence=persistence, prev=previous_year(years, t0))
                       for t0, t1 in pairs], ignore_index=True)
    winner, verdict = "model", {}
    if backtest_design(analysis.dataset) is not None:
        try:
            chosen = backtest(analysis.dataset, analysis.data_dir).attrs
            winner, verdict = chosen["winner"], verdict_facts(chosen)
        except InputError:
            pass  # no entries to backtest on: the model, without a verdict
    scores = fit_predict(train, target)
    if winner in ("rca", "density"):
        one = LogisticRegression(max_iter=1000).fit(train[[winner]].to_numpy(), train["entered"].to_numpy())
        scores[winner] = one.predict_proba(target[[winner]].to_numpy())[:, 1]
    target["probability"] = scores[winner]
    out = target[["region", "activity", "probability"]].copy()
    out.attrs.update(predictor=winner, verdict=verdict)
    return out
