"""Out-of-time backtest of the entry forecast: does it beat relatedness density and RCA?

Designs
    Each named dataset declares its design in the registry
    (:attr:`smartspec.data.datasets.Dataset.backtest`, a
    :class:`~smartspec.data.datasets.BacktestDesign`); :func:`setup` builds it and
    :func:`panel_design` derives one for any other panel (consecutive periods). Nothing here
    knows a dataset by name.
Out of time
    A forecast made at ``t0`` is trained only on transitions whose outcome was known by ``t0``
    (``t1' <= t0``) and tested on the transition ``t0 -> t1``. Model settings and the predictor
    shown are chosen on a validation transition one period earlier (:func:`select_model`,
    :func:`choose_predictor`), never on the test.
Metrics
    ROC-AUC and average precision pooled over all candidates; mean precision@10 per region;
    mean ROC-AUC within regions; each also for candidates near specialisation (RCA 0.5-1) and
    for true diversification (RCA < 0.5).

References
----------
Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Smart specialization policy in
the European Union: relatedness, knowledge complexity and regional diversification.
Regional Studies 53(9), 1252-1268.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.config import DEFAULT_DATASET
from smartspec.data.datasets import DATASETS, BacktestDesign, backtest_design, load_dataset
from smartspec.data.panel import Panel
from smartspec.errors import InputError
from smartspec.strategy.context import Analysis, analyse, analyse_panel
from smartspec.strategy.forecast.features import previous_year, training_pairs, transitions
from smartspec.strategy.forecast.model import LABELS, MODEL_GRID, MODEL_PARAMS, PREDICTORS, SELECTED, fit_predict

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



def setup(dataset: str = DEFAULT_DATASET, data_dir=None) -> BacktestSetup:
    """The backtest design a named dataset declares (:attr:`~smartspec.data.datasets.Dataset.backtest`).

    Raises
    ------
    InputError
        A panel rather than a name (use :func:`panel_design`), or a dataset without a design.
    """
    if isinstance(dataset, Panel):
        raise InputError("backtests are declared for the named datasets", fix=f"use one of {_named()}, "
                         "or panel_design() for a panel of your own")
    design = backtest_design(dataset)
    if design is None:
        raise InputError(f"no backtest design for dataset {dataset!r}", fix=f"use one of {_named()}")
    if design.window > 1:
        panel = windowed_panel(load_dataset(dataset, data_dir), design)
        a = analyse_panel(panel, profile=None, data_dir=data_dir, dataset=panel.name)
    else:
        a = analyse(dataset, data_dir=data_dir, profile=None)
    return design_setup(a, design)


def _named() -> str:
    return ", ".join(name for name, ds in DATASETS.items() if ds.backtest)


def design_setup(analysis: Analysis, design: BacktestDesign) -> BacktestSetup:
    """The transitions of ``design`` on the years of ``analysis``.

    With the persistence rule (horizons of 2-3 years): the test is ``design.test`` or
    (third-last year -> last year), the validation ``design.validation`` or the same two years
    earlier; training uses every transition whose outcome is known by the test's start year,
    validation training every one known by the year before the validation's end. Without it
    (consecutive periods): the test is ``design.test`` or the last transition, training the
    earlier ones starting from ``design.train_from``, the validation the last of those and its
    training the ones before it.
    """
    years = analysis.years
    if design.persistence:
        test = design.test or (years[-3], years[-1])
        validation = design.validation or (years[-5], years[-3])
        return BacktestSetup(analysis, test=test, train=training_pairs(years, test[0], persistence=True),
                             persistence=True, validation=validation,
                             validation_train=training_pairs(years, previous_year(years, validation[1]),
                                                             persistence=True),
                             window=design.window)
    pairs = list(zip(years[:-1], years[1:]))
    test = design.test or pairs[-1]
    train = [p for p in pairs if p[1] <= test[0] and (design.train_from is None or p[0] >= design.train_from)]
    validation = design.validation or train[-1]
    return BacktestSetup(analysis, test=test, train=train, persistence=False, validation=validation,
                         validation_train=[p for p in train if p[1] <= validation[0]], window=design.window)


def panel_design(panel: Panel, *, persistence: bool = False, data_dir=None) -> BacktestSetup:
    """The backtest design of any panel (a user's table): consecutive periods.

    The test is the last transition (year before last -> last year), model selection happens on
    the one before it (trained on the earlier ones), and training uses every transition whose
    outcome is known by the test's start year. ``persistence=True`` counts an entry only when
    the activity is specialised in the last two years of a 2-year horizon (at least 6 years).
    See :func:`design_setup`.

    Raises
    ------
    InputError
        Fewer than 4 years with data (or 6 with ``persistence``): no earlier transition to
        validate on.
    """
    a = analyse_panel(panel, profile=None, data_dir=data_dir, dataset=panel.name)
    years = a.years
    need = 6 if persistence else 4
    if len(years) < need:
        raise InputError(f"a backtest needs at least {need} years with data, the panel has {len(years)} "
                         f"({', '.join(map(str, years)) or 'none'})", where=str(panel.source or panel.name),
                         fix="give a table with more years (a test, a validation and a training transition)")
    return design_setup(a, BacktestDesign(persistence=persistence))


def windowed_panel(panel: Panel, design: BacktestDesign) -> Panel:
    """``panel`` summed over the periods of ``design``: windows of ``design.window`` years from
    ``design.first_year`` to ``design.last_year``, each named by its first year.

    A region with less than ``design.min_per_window`` in a window is left out of it (its shares
    are noise there).
    """
    mats = {}
    for start in range(design.first_year, design.last_year + 1, design.window):
        years = [y for y in range(start, start + design.window) if y in panel.matrices]
        M = sum(panel.matrices[y] for y in years).toarray()
        M[M.sum(axis=1) < design.min_per_window] = 0.0
        mats[start] = M
    return Panel(mats, panel.regions, panel.activities, region_meta=panel.region_meta,
                 activity_meta=panel.activity_meta, name=f"{panel.name} ({design.window}-year windows)",
                 value_name=panel.value_name, source=panel.source,
                 report={**panel.report, "min_per_window": design.min_per_window})


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
    return pd.concat([transitions(a, t0, t1, persistence=s.persistence, prev=previous_year(a.years, t0))
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


def backtest_data(dataset: str = DEFAULT_DATASET, data_dir=None) -> BacktestData:
    """Training, test and validation candidates of a named dataset (computed once per process)."""
    return _data_cached(dataset, None if data_dir is None else str(data_dir))


def _subsets(test: pd.DataFrame):
    rca = test["rca"].to_numpy()
    return (("all", np.ones(len(test), bool)), ("near", rca >= 0.5), ("far", rca < 0.5))


@lru_cache(maxsize=8)
def _backtest_cached(dataset: str, data_dir) -> pd.DataFrame:
    from smartspec.data.cache import cached_result

    return cached_result("backtest", {"dataset": dataset}, data_dir, lambda: _backtest(dataset, data_dir))


def backtest(dataset: str = DEFAULT_DATASET, data_dir=None) -> pd.DataFrame:
    """Out-of-time backtest of every predictor on a named dataset (computed once per process).

    Parameters
    ----------
    dataset : str
        A dataset with a backtest design (:attr:`smartspec.data.datasets.Dataset.backtest`).
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
        predictor users are shown), ``model_beats_baseline``, ``test_ap_winner`` and
        ``test_ap_strongest`` (average precision of the two on the test period); no sentence
        (:func:`smartspec.views.text.backtest_verdict` words the verdict).

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Regional Studies 53(9).
    """
    table = _backtest_cached(dataset, None if data_dir is None else str(data_dir))
    out = table.copy()
    out.attrs = dict(table.attrs)
    return out


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
    winner, strongest = choose_predictor(validation_ap)
    t0, t1 = s.test
    table.attrs.update(dataset=dataset, test=_period(s, t0, t1), train=[_period(s, a0, a1) for a0, a1 in s.train],
                       train_size=int(len(d.train)), train_entries=int(d.train["entered"].sum()),
                       validation=(f"{_period(s, *s.validation)} (trained on "
                                   f"{', '.join(_period(s, a0, a1) for a0, a1 in s.validation_train)})"
                                   if s.validation else ""),
                       **{f"validation_ap_{k}": v for k, v in validation_ap.items()},
                       persistence=s.persistence, strongest_baseline=strongest,
                       winner=winner, chosen_on="validation", model_beats_baseline=bool(winner == "model"),
                       test_ap_winner=float(overall.at[winner, "average_precision"]),
                       test_ap_strongest=float(overall.at[strongest, "average_precision"]),
                       model_setting=SELECTED, model_params=", ".join(f"{k}={v}" for k, v in MODEL_PARAMS.items()),
                       sign=s.analysis.sign)
    return table


def verdict_facts(attrs: dict) -> dict:
    """What the backtest's verdict says, from its ``attrs``: the winner, the strongest baseline,
    the average precisions on validation and on the test period, the test period."""
    keep = ("winner", "strongest_baseline", "test", "test_ap_winner", "test_ap_strongest")
    return {k: v for k, v in attrs.items() if k in keep or k.startswith("validation_ap_")}


def choose_predictor(validation_ap: dict) -> tuple[str, str, str]:
    """The predictor users are shown, chosen on the validation transition only.

    The model is shown if its average precision on the validation transition beats every
    baseline's (``logistic``, ``rca``, ``density``; ``random`` is not a candidate); otherwise
    the strongest baseline on validation is. The test period plays no part (it is reported
    beside, as the honest estimate of the chosen predictor's skill). Without a validation
    transition the field's standard, relatedness density, is shown.
    :func:`smartspec.views.text.backtest_verdict` says which and why, in words.

    Returns
    -------
    (winner, strongest_baseline)
    """
    baselines = {k: v for k, v in validation_ap.items() if k not in ("model", "random")}
    if not baselines or "model" not in validation_ap:
        return "density", "density"
    strongest = max(baselines, key=baselines.get)
    return ("model" if validation_ap["model"] > baselines[strongest] else strongest), strongest


def _period(s: BacktestSetup, t0: int, t1: int) -> str:
    """``2011 -> 2014`` for years, ``2010-14 -> 2015-19`` for the patents' 5-year windows."""
    if s.window == 1:
        return f"{t0} -> {t1}"
    return f"{t0}-{(t0 + s.window - 1) % 100:02d} -> {t1}-{(t1 + s.window - 1) % 100:02d}"


def select_model(datasets=None, data_dir=None, grid: dict | None = None) -> pd.DataFrame:
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
    datasets = tuple(name for name, ds in DATASETS.items() if ds.backtest) if datasets is None else tuple(datasets)
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


def precision_curves(dataset: str = DEFAULT_DATASET, data_dir=None, k_max: int = 30) -> pd.DataFrame:
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


