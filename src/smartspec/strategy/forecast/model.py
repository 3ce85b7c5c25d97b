"""The predictors of entry: the baselines and the entry model, with its settings.

:data:`PREDICTORS` are ``density`` (relatedness density, the field's standard), ``rca`` (RCA
level at ``t0``), ``logistic`` (logistic regression on both), ``random`` (seeded) and
``model``: gradient boosting (LightGBM) on the :data:`~smartspec.strategy.forecast.features.FEATURES`.
Its setting, :data:`SELECTED`, was chosen among :data:`MODEL_GRID` on the validation
transitions (:func:`smartspec.strategy.forecast.backtest.select_model`), never on a test period.
:func:`fit_predict` trains each on one frame of candidates and scores another.

References
----------
Albora, G., Pietronero, L., Tacchella, A., Zaccaria, A. (2023). Product progression: a machine
learning approach to forecasting industrial upgrading. Scientific Reports 13, 1481.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

# scikit-learn and LightGBM are imported in the functions that use them: scikit-learn alone takes
# about 2 s to import, and most commands never need either.
from smartspec.strategy.forecast.features import FEATURES

PREDICTORS = ("model", "logistic", "rca", "density", "random")
LABELS = {"model": "entry model (gradient boosting)", "logistic": "logistic (density + RCA)", "rca": "RCA level",
          "density": "relatedness density", "random": "random"}
SEED = 0

#: Features whose effect on entry is constrained to be non-decreasing (more relatedness or a
#: stronger position never lowers the forecast); this regularises the small training sets.
MONOTONE = {"rca", "rca_prev", "rca_max_past", "past_specialised_share", "density", "density_self",
            "density_cosine", "neighbour_rca", "nuts1_rca", "country_rca"}


#: Settings every candidate of :data:`MODEL_GRID` starts from (LightGBM).
MODEL_DEFAULTS = dict(n_estimators=300, learning_rate=0.02, num_leaves=5, min_child_samples=50, monotone=True,
                      features="all")

#: Candidate settings compared by :func:`~smartspec.strategy.forecast.backtest.select_model`
#: (overrides of :data:`MODEL_DEFAULTS`).
#: ``features="basic"`` leaves out the history and outlook features (``rca_max_past``,
#: ``past_specialised_share``, ``cog``, ``coi``, ``fitness``).
MODEL_GRID = {
    "all features": {},
    "basic features": dict(features="basic"),
    "lr 0.01, 100 per leaf": dict(learning_rate=0.01, min_child_samples=100),
    "200 per leaf": dict(min_child_samples=200),
    "3 leaves": dict(num_leaves=3),
    "8 leaves": dict(num_leaves=8),
    "lr 0.04": dict(learning_rate=0.04),
    "150 trees": dict(n_estimators=150),
    "no monotone constraints": dict(monotone=False),
}

#: The setting in use: the best of :data:`MODEL_GRID` by mean average precision on the
#: validation transitions of both panels (:func:`~smartspec.strategy.forecast.backtest.select_model`;
#: the test periods played no part). ``tests/strategy/test_forecast.py`` checks that it is still the best.
SELECTED = "basic features"
MODEL_PARAMS = {**MODEL_DEFAULTS, **MODEL_GRID[SELECTED]}
_BASIC = [f for f in FEATURES if f not in ("rca_max_past", "past_specialised_share", "cog", "coi", "fitness")]


def _model(features: list[str], params: dict):
    import lightgbm as lgb

    return lgb.LGBMClassifier(n_estimators=params["n_estimators"], learning_rate=params["learning_rate"],
                              num_leaves=params["num_leaves"], min_child_samples=params["min_child_samples"],
                              subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                              monotone_constraints=[1 if params["monotone"] and f in MONOTONE else 0 for f in features],
                              random_state=SEED, deterministic=True, n_jobs=1, verbose=-1)


def fit_predict(train: pd.DataFrame, test: pd.DataFrame, params: dict | None = None) -> dict[str, np.ndarray]:
    """Scores of every predictor on ``test``, trained (where they learn) on ``train`` only.

    Parameters
    ----------
    train, test : DataFrame
        Frames of :func:`transitions` (``test`` may also be a :func:`features` frame).
    params : dict, optional
        Overrides of :data:`MODEL_DEFAULTS` (default: the selected setting, :data:`MODEL_PARAMS`).

    Returns
    -------
    dict
        Predictor name -> scores aligned with ``test`` (probabilities for ``logistic`` and
        ``model``; the raw density and RCA for the two single-variable baselines).
    """
    from sklearn.linear_model import LogisticRegression

    params = {**MODEL_DEFAULTS, **(MODEL_GRID[SELECTED] if params is None else params)}
    rng = np.random.default_rng(SEED)
    y = train["entered"].to_numpy()
    scores = {"density": test["density"].to_numpy(), "rca": test["rca"].to_numpy(),
              "random": rng.random(len(test))}
    logit = LogisticRegression(max_iter=1000)
    logit.fit(train[["density", "rca"]].to_numpy(), y)
    scores["logistic"] = logit.predict_proba(test[["density", "rca"]].to_numpy())[:, 1]
    candidates = _BASIC if params["features"] == "basic" else FEATURES
    usable = [c for c in candidates if train[c].notna().any()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _model(usable, params).fit(train[usable], y)
        scores["model"] = model.predict_proba(test[usable])[:, 1]
    return scores


