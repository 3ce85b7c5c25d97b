"""Which activities will a region enter next? The entry forecast and its out-of-time backtest.

Where each part lives:

* :mod:`~smartspec.strategy.forecast.features`: candidates and entries (:func:`transitions`;
  RCA < 1 at ``t0``, specialised at ``t1`` and, with the persistence rule, the year before),
  what is known of them at ``t0`` (:func:`features`, :func:`region_adjacency`) and the
  transitions known by a year (:func:`training_pairs`).
* :mod:`~smartspec.strategy.forecast.model`: the predictors (:data:`PREDICTORS`: density, RCA,
  logistic, random and the LightGBM entry model), the model's settings (:data:`MODEL_GRID`,
  :data:`SELECTED`) and :func:`fit_predict`.
* :mod:`~smartspec.strategy.forecast.backtest`: designs (declared per dataset in
  :data:`smartspec.data.datasets.BACKTESTS`; :func:`panel_design` for any other panel),
  :func:`backtest`, :func:`backtest_panel`, :func:`choose_predictor` (the predictor shown,
  chosen on the validation transition), :func:`select_model`, :func:`precision_curves`.
* :mod:`~smartspec.strategy.forecast.entry`: :func:`entry_probabilities`, the probabilities the
  opportunity scores use, with the backtest's verdict.

For the patents panel the years are 5-year windows (countries with fewer than 500 patents in a
window are left out of it) and an entry is RCA >= 1 in the next window. See docs/backtest.md.

References
----------
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). Science 317(5837).
Albora, G., Pietronero, L., Tacchella, A., Zaccaria, A. (2023). Product progression: a machine
learning approach to forecasting industrial upgrading. Scientific Reports 13, 1481.
"""
from smartspec.strategy.forecast.backtest import (
    BacktestData, BacktestSetup, backtest, backtest_data, backtest_panel, choose_predictor, design_setup, verdict_facts,
    panel_design, precision_curves, select_model, setup, windowed_panel,
)
from smartspec.strategy.forecast.entry import entry_probabilities
from smartspec.strategy.forecast.features import FEATURES, features, region_adjacency, training_pairs, transitions
from smartspec.strategy.forecast.model import (
    LABELS, MODEL_DEFAULTS, MODEL_GRID, MODEL_PARAMS, PREDICTORS, SELECTED, fit_predict,
)

__all__ = [
    "FEATURES", "LABELS", "MODEL_DEFAULTS", "MODEL_GRID", "MODEL_PARAMS", "PREDICTORS", "SELECTED", "BacktestData",
    "BacktestSetup", "backtest", "backtest_data", "backtest_panel", "choose_predictor", "design_setup", "verdict_facts",
    "entry_probabilities", "features", "fit_predict", "panel_design", "precision_curves", "region_adjacency",
    "select_model", "setup", "training_pairs", "transitions", "windowed_panel",
]
