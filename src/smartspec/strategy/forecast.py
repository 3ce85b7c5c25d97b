"""Which activities will a region enter next? Out-of-time backtest and the entry model.

Entries
    A candidate is a region-activity cell with RCA < 1 at the start year ``t0``. It *enters*
    when it is specialised (RCA >= 1) at the end year ``t1`` and at the year before
    (persistence rule: a one-year blip above 1 is not an entry). For the patents panel the
    years are 5-year windows (countries with fewer than 500 patents in a window, 100 a year,
    are left out of it: their shares are noise) and the rule is RCA >= 1 in the next window,
    itself a five-year sum.
Out of time
    A forecast made at ``t0`` is trained only on transitions whose outcome was known by
    ``t0`` (``t1' <= t0``) and tested on the transition ``t0 -> t1``.
Predictors
    ``density`` (relatedness density, the field's standard), ``rca`` (RCA level at ``t0``),
    ``logistic`` (logistic regression on both), ``random`` (seeded), and ``model`` (gradient
    boosting, LightGBM, on density variants, RCA and its trend, complexity, size, diversity,
    ubiquity, the activity's strength (mean RCA) in the bordering regions, in the other regions
    of the same NUTS 1 region and of the same country, and growth). Its settings were chosen among :data:`MODEL_GRID` on a
    validation transition one period before the test (:func:`select_model`), never on the test.
Predictor shown
    The predictor whose probabilities users see is also chosen on the validation transition
    (:func:`choose_predictor`): the model if it beats every baseline there, else the strongest
    baseline, and the verdict says which. The test period only reports its skill.
Metrics
    ROC-AUC and average precision pooled over all candidates; mean precision@10 per region;
    mean ROC-AUC within regions; each also for candidates near specialisation (RCA 0.5-1) and
    for true diversification (RCA < 0.5).

References
----------
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). Science 317(5837).
Albora, G., Pietronero, L., Tacchella, A., Zaccaria, A. (2023). Product progression: a machine
learning approach to forecasting industrial upgrading. Scientific Reports 13, 1481.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

# scikit-learn and LightGBM are imported in the functions that use them: scikit-learn alone takes
# about 2 s to import, and most commands never need either.
from smartspec.data.nuts import neighbours
from smartspec.data.panel import Panel
from smartspec.errors import InputError, SmartspecError
from smartspec.metrics import density as density_of, proximity as proximity_of
from smartspec.strategy.context import Analysis, analyse, analyse_panel

PREDICTORS = ("model", "logistic", "rca", "density", "random")
FEATURES = ["rca", "rca_prev", "rca_trend", "rca_max_past", "past_specialised_share", "density", "density_self",
            "density_cosine", "pci", "cog", "eci", "coi", "fitness", "diversity", "ubiquity", "log_value",
            "log_region_total", "log_activity_total", "neighbour_rca", "nuts1_rca", "country_rca", "value_growth",
            "activity_growth"]
SEED = 0


@dataclass
class BacktestSetup:
    """How a panel is backtested: its analysis, the test transition and the training ones."""

    analysis: Analysis
    test: tuple[int, int]
    train: list[tuple[int, int]]
    persistence: bool
    #: Model selection happens one period earlier: trained on ``validation_train``, scored on
    #: ``validation`` (every outcome known by the test's start year).
    validation: tuple[int, int] | None = None
    validation_train: list[tuple[int, int]] = field(default_factory=list)
    #: Years per period (the patents' design sums 5-year windows named by their first year).
    window: int = 1


def features(analysis: Analysis, t0: int, prev: int | None) -> pd.DataFrame:
    """Features of every region-activity cell at ``t0`` (``prev``: the year before, for trends).

    Returns a frame with ``region``, ``activity`` and :data:`FEATURES` (NaN where a feature
    cannot be computed, e.g. trends without a previous year).
    """
    m = analysis.at(t0)
    n_r, n_a = m.rca.shape
    regions = analysis.panel.regions.to_numpy()
    M = m.mcp
    phi = m.proximity
    cos = proximity_of(M, "cosine")
    rows = {
        "region": np.repeat(regions, n_a),
        "activity": np.tile(analysis.panel.activities.to_numpy(), n_r),
        "rca": m.rca.ravel(),
        "density": m.density.ravel(),
        "density_self": density_of(M, phi, include_self=True).ravel(),
        "density_cosine": density_of(M, cos).ravel(),
        "pci": np.tile(m.pci, n_r),
        "cog": m.cog.ravel(),
        "eci": np.repeat(m.eci, n_a),
        "coi": np.repeat(m.coi, n_a),
        "fitness": np.repeat(m.fitness, n_a),
        "diversity": np.repeat(m.diversity, n_a),
        "ubiquity": np.tile(m.ubiquity, n_r),
        "log_value": np.log1p(m.values).ravel(),
        "log_region_total": np.repeat(np.log1p(m.values.sum(axis=1)), n_a),
        "log_activity_total": np.tile(np.log1p(m.values.sum(axis=0)), n_r),
    }
    # History strictly before t0: the highest RCA the cell reached and the share of years it
    # was specialised (a cell that dipped just below 1 often comes back).
    past = [y for y in analysis.years if y < t0]
    if past:
        R = np.stack([analysis.at(y).rca for y in past])
        rows["rca_max_past"] = R.max(axis=0).ravel()
        rows["past_specialised_share"] = (R >= 1).mean(axis=0).ravel()
    else:
        rows["rca_max_past"] = rows["past_specialised_share"] = np.full(n_r * n_a, np.nan)
    levels = analysis.panel.region_meta["level"]
    nuts = bool(levels.notna().all() and levels.nunique() == 1)
    A = region_adjacency(analysis.panel.regions, analysis.data_dir) if nuts else np.zeros((n_r, n_r))
    with np.errstate(divide="ignore", invalid="ignore"):
        n_adj = A.sum(axis=1)[:, None]
        rows["neighbour_rca"] = np.where(n_adj > 0, (A @ m.rca) / n_adj, np.nan).ravel()
    # Same NUTS 1 / same country: the first 3 / 2 characters of a NUTS code. Only for NUTS
    # panels (a country panel's ISO3 codes share letters by chance: AUS and AUT).
    for column, n in (("nuts1_rca", 3), ("country_rca", 2)):
        groups = analysis.panel.regions.astype(str).str[:n]
        rows[column] = _peer_mean(m.rca, groups).ravel() if nuts else np.full(n_r * n_a, np.nan)
    if prev is not None and prev in analysis.measures:
        mp = analysis.at(prev)
        rows["rca_prev"] = mp.rca.ravel()
        rows["rca_trend"] = (m.rca - mp.rca).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            rows["value_growth"] = np.log1p(m.values).ravel() - np.log1p(mp.values).ravel()
            rows["activity_growth"] = np.tile(np.log1p(m.values.sum(0)) - np.log1p(mp.values.sum(0)), n_r)
    else:
        for k in ("rca_prev", "rca_trend", "value_growth", "activity_growth"):
            rows[k] = np.full(n_r * n_a, np.nan)
    return pd.DataFrame(rows)


def region_adjacency(regions, data_dir=None) -> np.ndarray:
    """Which regions share a border: a symmetric 0/1 matrix over ``regions``.

    Neighbours are NUTS 2021 regions whose boundary polygons share a border
    (:func:`smartspec.data.nuts.neighbours`). Regions that are not NUTS 2021 codes of one level
    (e.g. countries of the patents panel), or a data directory without the boundary files,
    give no neighbours.

    Parameters
    ----------
    regions : sequence of str
        Region codes (rows of a panel).
    data_dir : path, optional

    Returns
    -------
    ndarray (n_regions, n_regions) of float, zero diagonal.
    """
    regions = [str(r) for r in regions]
    n = len(regions)
    A = np.zeros((n, n))
    lengths = {len(r) for r in regions}
    if len(lengths) != 1 or lengths.pop() not in (3, 4, 5):
        return A
    try:
        pairs = neighbours(len(regions[0]) - 2, data_dir)
    except SmartspecError:  # no boundary file: no neighbours, the feature is left empty
        return A
    pos = pd.Series(np.arange(n), index=regions)
    a = pos.reindex(pairs["a"]).to_numpy()
    b = pos.reindex(pairs["b"]).to_numpy()
    ok = ~(np.isnan(a) | np.isnan(b))
    A[a[ok].astype(int), b[ok].astype(int)] = 1.0
    return A


def _peer_mean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the *other* regions of the same group (NaN if alone)."""
    codes, uniq = pd.factorize(groups)
    G = np.zeros((len(groups), len(uniq)))
    G[np.arange(len(groups)), codes] = 1.0
    sums = G.T @ values
    counts = G.sum(axis=0)
    own_sum = sums[codes] - values
    own_cnt = counts[codes][:, None] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(own_cnt > 0, own_sum / own_cnt, np.nan)


def transitions(analysis: Analysis, t0: int, t1: int, *, persistence: bool, prev: int | None = None) -> pd.DataFrame:
    """Candidates at ``t0`` with their features and whether they entered by ``t1``."""
    f = features(analysis, t0, prev)
    m0, m1 = analysis.at(t0), analysis.at(t1)
    entered = m1.rca >= 1
    if persistence:
        before = analysis.years[analysis.years.index(t1) - 1]
        entered &= analysis.at(before).rca >= 1
    active0 = m0.values.sum(axis=1) > 0
    active1 = m1.values.sum(axis=1) > 0
    cand = (m0.rca < 1) & (active0 & active1)[:, None] & (m0.values.sum(axis=0) > 0)[None, :]
    # Cells the source reported missing or confidential are not observed: neither candidates
    # nor entries can be judged there.
    for y in {t0, t1, analysis.years[analysis.years.index(t1) - 1] if persistence else t1}:
        if y in analysis.panel.missing:
            cand &= ~analysis.panel.missing[y].toarray()
    f["entered"] = entered.ravel().astype(int)
    f["t0"], f["t1"] = t0, t1
    return f[cand.ravel()].reset_index(drop=True)


def _previous(years: list[int], y: int) -> int | None:
    i = years.index(y)
    return years[i - 1] if i > 0 else None


def setup(dataset: str | Panel = "eurostat-sbs", data_dir=None) -> BacktestSetup:
    """The backtest design of a named dataset (see the module docstring and docs/backtest.md)."""
    if isinstance(dataset, Panel):
        raise InputError("backtests are defined for the named datasets", fix="use eurostat-sbs or patents-wipo35")
    if dataset == "eurostat-sbs":
        a = analyse("eurostat-sbs", data_dir=data_dir, profile=None)
        # 2015 is 46% filled: the last complete transition is 2011 -> 2014. Training uses every
        # transition of 2 or 3 years whose outcome is known by 2011.
        # Validation: 2009 -> 2011, trained on 2008 -> 2010 (the only earlier transition).
        return BacktestSetup(a, test=(2011, 2014), train=training_pairs(a.years, 2011, persistence=True),
                             persistence=True, validation=(2009, 2011),
                             validation_train=training_pairs(a.years, 2010, persistence=True))
    if dataset == "patents-wipo35":
        a = analyse_panel(windowed_patents(data_dir), profile=None, data_dir=data_dir, dataset="patents-wipo35 (5-year windows)")
        starts = a.years
        pairs = list(zip(starts[:-1], starts[1:]))
        test = pairs[-1]
        train = [p for p in pairs if p[1] <= test[0] and p[0] >= 1980]
        return BacktestSetup(a, test=test, train=train, persistence=False, validation=train[-1],
                             validation_train=train[:-1], window=5)
    raise InputError(f"no backtest design for dataset {dataset!r}", fix="use eurostat-sbs or patents-wipo35")


def panel_design(panel: Panel, *, persistence: bool = False, data_dir=None) -> BacktestSetup:
    """The backtest design of any panel (a user's table): consecutive periods.

    The test is the last transition (year before last -> last year), model selection happens on
    the one before it (trained on the earlier ones), and training uses every transition whose
    outcome is known by the test's start year. ``persistence=True`` counts an entry only when
    the activity is specialised in the last two years of a 2-year horizon (at least 6 years).

    Raises
    ------
    InputError
        Fewer than 4 years with data (or 5 with ``persistence``): no earlier transition to
        validate on.
    """
    a = analyse_panel(panel, profile=None, data_dir=data_dir, dataset=panel.name)
    years = a.years
    need = 6 if persistence else 4
    if len(years) < need:
        raise InputError(f"a backtest needs at least {need} years with data, the panel has {len(years)} "
                         f"({', '.join(map(str, years)) or 'none'})", where=str(panel.source or panel.name),
                         fix="give a table with more years (a test, a validation and a training transition)")
    if persistence:  # 2-year horizons: specialised in the last two years of the horizon
        test, validation = (years[-3], years[-1]), (years[-5], years[-3])
        return BacktestSetup(a, test=test, train=training_pairs(years, test[0], persistence=True), persistence=True,
                             validation=validation, validation_train=training_pairs(years, years[-4], persistence=True))
    pairs = list(zip(years[:-1], years[1:]))
    test = pairs[-1]
    train = [p for p in pairs if p[1] <= test[0]]
    return BacktestSetup(a, test=test, train=train, persistence=False, validation=train[-1],
                         validation_train=train[:-1])


def training_pairs(years: list[int], until: int, *, persistence: bool) -> list[tuple[int, int]]:
    """Transitions whose outcome is known by ``until``: horizons of 2-3 years with the
    persistence rule (a 1-year horizon cannot satisfy it), consecutive windows otherwise."""
    if persistence:
        return [(a, b) for a in years for b in years if 2 <= b - a <= 3 and b <= until]
    return [(a, b) for a, b in zip(years[:-1], years[1:]) if b <= until]


def windowed_patents(data_dir=None, min_patents: float = 500.0) -> Panel:
    """Patents by country x WIPO field summed over 5-year windows 1975-79 ... 2015-19.

    Countries with fewer than ``min_patents`` patents in a window are left out of it (their
    shares are noise); 2020 is incomplete and dropped. Years are the windows' first years.
    """
    from smartspec.data.datasets import load_dataset

    p = load_dataset("patents-wipo35", data_dir)
    mats = {}
    for start in range(1975, 2020, 5):
        years = [y for y in range(start, start + 5) if y in p.matrices]
        M = sum(p.matrices[y] for y in years).toarray()
        M[M.sum(axis=1) < min_patents] = 0.0
        mats[start] = M
    return Panel(mats, p.regions, p.activities, region_meta=p.region_meta, activity_meta=p.activity_meta,
                 name="patents-wipo35 (5-year windows)", value_name=p.value_name, source=p.source,
                 report={**p.report, "min_patents_per_window": min_patents})


#: Features whose effect on entry is constrained to be non-decreasing (more relatedness or a
#: stronger position never lowers the forecast); this regularises the small training sets.
MONOTONE = {"rca", "rca_prev", "rca_max_past", "past_specialised_share", "density", "density_self",
            "density_cosine", "neighbour_rca", "nuts1_rca", "country_rca"}


#: Settings every candidate of :data:`MODEL_GRID` starts from (LightGBM).
MODEL_DEFAULTS = dict(n_estimators=300, learning_rate=0.02, num_leaves=5, min_child_samples=50, monotone=True,
                      features="all")

#: Candidate settings compared by :func:`select_model` (overrides of :data:`MODEL_DEFAULTS`).
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
#: validation transitions of both panels (:func:`select_model`; the test periods played no
#: part). ``tests/strategy/test_forecast.py`` checks that it is still the best.
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


def _metrics(df: pd.DataFrame, score: np.ndarray) -> dict:
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = df["entered"].to_numpy()
    out = {"n": int(len(y)), "entries": int(y.sum()), "base_rate": float(y.mean()) if len(y) else np.nan}
    both = 0 < y.sum() < len(y)
    out["roc_auc"] = float(roc_auc_score(y, score)) if both else np.nan
    out["average_precision"] = float(average_precision_score(y, score)) if both else np.nan
    frame = pd.DataFrame({"region": df["region"].to_numpy(), "y": y, "s": score})
    frame = frame.sort_values(["region", "s"], ascending=[True, False], kind="stable")
    top = frame.groupby("region", sort=False).head(10)
    out["precision_at_10"] = float(top.groupby("region")["y"].mean().mean()) if len(top) else np.nan
    grouped = frame.groupby("region")
    pos = grouped["y"].transform("sum")
    ok = (pos > 0) & (pos < grouped["y"].transform("size"))
    within = frame[ok]
    if len(within):
        # per-region AUC via ranks (vectorised Mann-Whitney)
        ranks = within.groupby("region")["s"].rank(method="average")
        n1 = within.groupby("region")["y"].transform("sum")
        n = within.groupby("region")["y"].transform("size")
        r1 = (ranks * within["y"]).groupby(within["region"]).sum()
        n1r = n1.groupby(within["region"]).first()
        n0r = (n - n1).groupby(within["region"]).first()
        auc = (r1 - n1r * (n1r + 1) / 2) / (n1r * n0r)
        out["within_region_auc"] = float(auc.mean())
    else:
        out["within_region_auc"] = np.nan
    return out


def _stack(s: BacktestSetup, pairs) -> pd.DataFrame:
    a = s.analysis
    return pd.concat([transitions(a, t0, t1, persistence=s.persistence, prev=_previous(a.years, t0))
                      for t0, t1 in pairs], ignore_index=True)


@dataclass
class BacktestData:
    """The candidate frames of a backtest: training and test, and the validation pair."""

    setup: BacktestSetup
    train: pd.DataFrame
    test: pd.DataFrame
    validation_train: pd.DataFrame | None
    validation: pd.DataFrame | None


@lru_cache(maxsize=4)
def _data_cached(dataset: str, data_dir) -> BacktestData:
    return _candidates(setup(dataset, data_dir), dataset)


def _candidates(s: BacktestSetup, dataset: str) -> BacktestData:
    """The candidate frames of a design (``dataset`` names it in messages)."""
    train, test = _stack(s, s.train), _stack(s, [s.test])
    if train["entered"].sum() == 0 or test["entered"].sum() == 0:
        raise InputError(f"no entries in the training or test transitions of {dataset}")
    vtrain = _stack(s, s.validation_train) if s.validation_train else None
    val = _stack(s, [s.validation]) if s.validation else None
    return BacktestData(s, train, test, vtrain, val)


def backtest_data(dataset: str = "eurostat-sbs", data_dir=None) -> BacktestData:
    """Training, test and validation candidates of a named dataset (computed once per process)."""
    return _data_cached(dataset, None if data_dir is None else str(data_dir))


def _subsets(test: pd.DataFrame):
    rca = test["rca"].to_numpy()
    return (("all", np.ones(len(test), bool)), ("near", rca >= 0.5), ("far", rca < 0.5))


@lru_cache(maxsize=8)
def _backtest_cached(dataset: str, data_dir) -> pd.DataFrame:
    from smartspec.data.cache import cached_result

    return cached_result("backtest", {"dataset": dataset}, data_dir, lambda: _backtest(dataset, data_dir))


def backtest(dataset: str = "eurostat-sbs", data_dir=None) -> pd.DataFrame:
    """Out-of-time backtest of every predictor on a named dataset (computed once per process).

    Parameters
    ----------
    dataset : {"eurostat-sbs", "patents-wipo35"}
        SBS: NUTS 2 regions x NACE divisions, test 2011 -> 2014. Patents: countries x 35 WIPO
        fields in 5-year windows, test 2010-14 -> 2015-19. See the module docstring.
    data_dir : path, optional
        Data directory (default: the configured one).

    Returns
    -------
    DataFrame
        One row per predictor x subset (``all``, ``near`` RCA 0.5-1, ``far`` RCA < 0.5) with
        ``n`` (test candidates), ``entries``, ``base_rate``, ``roc_auc``,
        ``average_precision``, ``precision_at_10``, ``within_region_auc``, and a ``label`` in
        words. ``attrs`` hold the design (``test``, ``train``, ``train_size``,
        ``train_entries``, ``validation``), ``validation_ap_<predictor>`` (average precision on
        the validation transition), ``model_setting``, ``model_params``, ``strongest_baseline``, ``winner`` (the
        predictor users are shown), ``model_beats_baseline`` and a ``verdict`` sentence.

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Regional Studies 53(9).
    """
    table = _backtest_cached(dataset, None if data_dir is None else str(data_dir))
    out = table.copy()
    out.attrs = dict(table.attrs)
    return out


LABELS = {"model": "entry model (gradient boosting)", "logistic": "logistic (density + RCA)", "rca": "RCA level",
          "density": "relatedness density", "random": "random"}


def backtest_panel(panel: Panel, *, persistence: bool = False, data_dir=None) -> pd.DataFrame:
    """The out-of-time backtest of :func:`backtest` on any panel, with :func:`panel_design`
    (consecutive periods; the same predictors, validation rule and output)."""
    s = panel_design(panel, persistence=persistence, data_dir=data_dir)
    return _evaluate(_candidates(s, panel.name), panel.name)


def _backtest(dataset: str, data_dir) -> pd.DataFrame:
    return _evaluate(backtest_data(dataset, data_dir), dataset)


def _evaluate(d: BacktestData, dataset: str) -> pd.DataFrame:
    from sklearn.metrics import average_precision_score

    s, test = d.setup, d.test
    scores = fit_predict(d.train, test)
    rows = []
    for name in PREDICTORS:
        for subset, mask in _subsets(test):
            rows.append({"predictor": name, "label": LABELS[name], "subset": subset,
                         **_metrics(test[mask], scores[name][mask])})
    table = pd.DataFrame(rows)
    overall = table[table["subset"] == "all"].set_index("predictor")
    validation_ap = {}
    if d.validation is not None and d.validation["entered"].sum() > 0:
        vs = fit_predict(d.validation_train, d.validation)
        validation_ap = {k: float(average_precision_score(d.validation["entered"], vs[k])) for k in PREDICTORS}
    winner, strongest, verdict = choose_predictor(validation_ap)
    test_ap = {k: float(overall.at[k, "average_precision"]) for k in (winner, strongest)}
    verdict += (f" On the held-out test period {_period(s, *s.test)}: {LABELS[winner]} {test_ap[winner]:.3f}"
                + (f", {LABELS[strongest]} {test_ap[strongest]:.3f}." if strongest != winner else "."))
    t0, t1 = s.test
    table.attrs.update(dataset=dataset, test=_period(s, t0, t1), train=[_period(s, a0, a1) for a0, a1 in s.train],
                       train_size=int(len(d.train)), train_entries=int(d.train["entered"].sum()),
                       validation=(f"{_period(s, *s.validation)} (trained on "
                                   f"{', '.join(_period(s, a0, a1) for a0, a1 in s.validation_train)})"
                                   if s.validation else ""),
                       **{f"validation_ap_{k}": v for k, v in validation_ap.items()},
                       persistence=s.persistence, strongest_baseline=strongest,
                       winner=winner, chosen_on="validation", model_beats_baseline=bool(winner == "model"),
                       verdict=verdict,
                       model_setting=SELECTED, model_params=", ".join(f"{k}={v}" for k, v in MODEL_PARAMS.items()),
                       sign=s.analysis.sign)
    return table


def choose_predictor(validation_ap: dict) -> tuple[str, str, str]:
    """The predictor users are shown, chosen on the validation transition only.

    The model is shown if its average precision on the validation transition beats every
    baseline's (``logistic``, ``rca``, ``density``; ``random`` is not a candidate); otherwise
    the strongest baseline on validation is, and the verdict says so. The test period plays no
    part (it is reported beside, as the honest estimate of the chosen predictor's skill).
    Without a validation transition the field's standard, relatedness density, is shown.

    Returns
    -------
    (winner, strongest_baseline, verdict)
    """
    baselines = {k: v for k, v in validation_ap.items() if k not in ("model", "random")}
    if not baselines or "model" not in validation_ap:
        return "density", "density", ("No validation transition to choose a predictor on: relatedness density "
                                      "(the field's standard) is shown.")
    strongest = max(baselines, key=baselines.get)
    model_ap, best_ap = validation_ap["model"], baselines[strongest]
    if model_ap > best_ap:
        return "model", strongest, (f"The entry model beats the strongest baseline ({LABELS[strongest]}) on the "
                                    f"validation transition (average precision {model_ap:.3f} vs {best_ap:.3f}); "
                                    "opportunity scores are its probabilities.")
    return strongest, strongest, (f"The entry model does NOT beat the strongest baseline ({LABELS[strongest]}) on the "
                                  f"validation transition (average precision {model_ap:.3f} vs {best_ap:.3f}); "
                                  f"opportunity scores show {LABELS[strongest]} instead.")


def _period(s: BacktestSetup, t0: int, t1: int) -> str:
    """``2011 -> 2014`` for years, ``2010-14 -> 2015-19`` for the patents' 5-year windows."""
    if s.window == 1:
        return f"{t0} -> {t1}"
    return f"{t0}-{(t0 + s.window - 1) % 100:02d} -> {t1}-{(t1 + s.window - 1) % 100:02d}"


def select_model(datasets=("eurostat-sbs", "patents-wipo35"), data_dir=None, grid: dict | None = None) -> pd.DataFrame:
    """Compare model settings on the validation transitions only (never the test period).

    Each setting of ``grid`` (default :data:`MODEL_GRID`) is trained on each dataset's
    ``validation_train`` transitions and scored on its ``validation`` transition; the setting
    with the highest mean average precision across datasets is the one to put in
    :data:`MODEL_PARAMS`. The RCA level and the logistic baseline are listed for reference.

    Returns
    -------
    DataFrame
        One row per setting: average precision per dataset and their ``mean``, best first.
    """
    from sklearn.metrics import average_precision_score

    grid = MODEL_GRID if grid is None else grid
    rows = {}
    for ds in datasets:
        d = backtest_data(ds, data_dir)
        y = d.validation["entered"].to_numpy()
        for name, over in grid.items():
            sc = fit_predict(d.validation_train, d.validation, over)
            rows.setdefault(name, {})[ds] = float(average_precision_score(y, sc["model"]))
        rows.setdefault("(baseline) RCA level", {})[ds] = float(average_precision_score(y, sc["rca"]))
        rows.setdefault("(baseline) logistic", {})[ds] = float(average_precision_score(y, sc["logistic"]))
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["mean"] = out[list(datasets)].mean(axis=1)
    return out.sort_values("mean", ascending=False).rename_axis("setting").reset_index()


def precision_curves(dataset: str = "eurostat-sbs", data_dir=None, k_max: int = 30) -> pd.DataFrame:
    """Mean precision@k per region for k = 1..k_max, per predictor, on the held-out transition.

    Returns
    -------
    DataFrame
        ``predictor``, ``label``, ``k``, ``precision`` (share of a region's top k candidates
        that entered, averaged over regions with at least k candidates), ``base_rate``.
    """
    d = backtest_data(dataset, data_dir)
    test = d.test
    scores = fit_predict(d.train, test)
    frames = []
    for name in PREDICTORS:
        f = pd.DataFrame({"region": test["region"].to_numpy(), "y": test["entered"].to_numpy(), "s": scores[name]})
        f = f.sort_values(["region", "s"], ascending=[True, False], kind="stable")
        f["k"] = f.groupby("region").cumcount() + 1
        f["hits"] = f.groupby("region")["y"].cumsum()
        f = f[f["k"] <= k_max]
        curve = (f["hits"] / f["k"]).groupby(f["k"]).mean()
        frames.append(pd.DataFrame({"predictor": name, "label": LABELS[name], "k": curve.index.astype(int),
                                    "precision": curve.to_numpy()}))
    out = pd.concat(frames, ignore_index=True)
    out["base_rate"] = float(test["entered"].mean())
    return out


def entry_probabilities(analysis: Analysis, year: int | None = None) -> tuple[pd.DataFrame, str]:
    """Probability of entry over the next horizon for every candidate cell of ``year``.

    The predictor is the backtest's winner on this dataset (:func:`backtest`): the model,
    trained on every transition whose outcome is known by ``year``, if it beat the baselines;
    otherwise the best baseline, turned into a probability by a logistic fit on the same
    transitions (for ``rca`` or ``density`` a fit on that variable alone, so the ranking is
    the baseline's). Datasets without a backtest design use the model.

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
        the predictor used (``"none"`` when no earlier transition exists to learn from).
    """
    from smartspec.data.cache import cached_result, panel_digest

    years = analysis.years
    year = years[-1] if year is None else int(year)
    key = ("entry_probabilities", year)
    if key not in analysis._cache:
        # seconds of training: kept across runs for the same panel, measures, code and data files
        params = {"panel": panel_digest(analysis.panel), "dataset": analysis.dataset, "year": year,
                  "measures": analysis.at(year).options}
        table = cached_result("entry-probabilities", params, analysis.data_dir,
                              lambda: _entry_probabilities(analysis, year))
        analysis._cache[key] = (table, table.attrs["predictor"])
    return analysis._cache[key]


def _entry_probabilities(analysis: Analysis, year: int) -> pd.DataFrame:
    """:func:`entry_probabilities` computed, with the predictor's name in ``attrs``."""
    from sklearn.linear_model import LogisticRegression

    years = analysis.years
    persistence = analysis.panel.region_meta["level"].notna().mean() >= 0.5
    pairs = training_pairs(years, year, persistence=persistence)
    target = features(analysis, year, _previous(years, year))
    if not pairs:
        out = target.assign(probability=np.nan)[["region", "activity", "probability"]]
        out.attrs["predictor"] = "none"
        return out
    train = pd.concat([transitions(analysis, t0, t1, persistence=persistence, prev=_previous(years, t0))
                       for t0, t1 in pairs], ignore_index=True)
    winner = "model"
    if analysis.dataset in ("eurostat-sbs", "patents-wipo35"):
        try:
            winner = backtest(analysis.dataset, analysis.data_dir).attrs["winner"]
        except InputError:
            winner = "model"
    scores = fit_predict(train, target)
    if winner in ("rca", "density"):
        one = LogisticRegression(max_iter=1000).fit(train[[winner]].to_numpy(), train["entered"].to_numpy())
        scores[winner] = one.predict_proba(target[[winner]].to_numpy())[:, 1]
    target["probability"] = scores[winner]
    out = target[["region", "activity", "probability"]].copy()
    out.attrs["predictor"] = winner
    return out
