"""Which activities will a region enter next? Out-of-time backtest and the entry model.

Entries
    A candidate is a region-activity cell with RCA < 1 at the start year ``t0``. It *enters*
    when it is specialised (RCA >= 1) at the end year ``t1`` and at the year before
    (persistence rule: a one-year blip above 1 is not an entry). For the patents panel the
    years are 5-year windows and the rule is RCA >= 1 in the next window.
Out of time
    A forecast made at ``t0`` is trained only on transitions whose outcome was known by
    ``t0`` (``t1' <= t0``) and tested on the transition ``t0 -> t1``.
Predictors
    ``density`` (relatedness density, the field's standard), ``rca`` (RCA level at ``t0``),
    ``logistic`` (logistic regression on both), ``random`` (seeded), and ``model`` (gradient
    boosting, LightGBM, on density variants, RCA and its trend, complexity, size, diversity,
    ubiquity, the activity's strength in the same NUTS 1 region and the same country, and
    growth).
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
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from smartspec.data.panel import Panel
from smartspec.errors import InputError
from smartspec.metrics import density as density_of, proximity as proximity_of
from smartspec.strategy.context import Analysis, analyse, analyse_panel

PREDICTORS = ("model", "logistic", "rca", "density", "random")
FEATURES = ["rca", "rca_prev", "rca_trend", "density", "density_self", "density_cosine", "pci", "eci", "diversity",
            "ubiquity", "log_value", "log_region_total", "log_activity_total", "nuts1_rca", "country_rca",
            "value_growth", "activity_growth"]
SEED = 0


@dataclass
class BacktestSetup:
    """How a panel is backtested: its analysis, the test transition and the training ones."""

    analysis: Analysis
    test: tuple[int, int]
    train: list[tuple[int, int]]
    persistence: bool


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
        "eci": np.repeat(m.eci, n_a),
        "diversity": np.repeat(m.diversity, n_a),
        "ubiquity": np.tile(m.ubiquity, n_r),
        "log_value": np.log1p(m.values).ravel(),
        "log_region_total": np.repeat(np.log1p(m.values.sum(axis=1)), n_a),
        "log_activity_total": np.tile(np.log1p(m.values.sum(axis=0)), n_r),
    }
    rows["nuts1_rca"] = _peer_mean(m.rca, _prefix(regions, 3)).ravel()
    rows["country_rca"] = _peer_mean(m.rca, _prefix(regions, 2)).ravel()
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


def _prefix(regions: np.ndarray, n: int) -> np.ndarray:
    """Group key of each region: its first ``n`` characters for NUTS codes, else itself."""
    codes = pd.Series(regions.astype(str))
    nuts = codes.str.match(r"^[A-Z]{2}[A-Z0-9]{1,3}$") & (codes.str.len() > n)
    return np.where(nuts, codes.str[:n], codes).astype(str)


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
        return BacktestSetup(a, test=(2011, 2014), train=training_pairs(a.years, 2011, persistence=True),
                             persistence=True)
    if dataset == "patents-wipo35":
        a = analyse_panel(windowed_patents(data_dir), profile=None, data_dir=data_dir, dataset="patents-wipo35 (5-year windows)")
        starts = a.years
        pairs = list(zip(starts[:-1], starts[1:]))
        test = pairs[-1]
        return BacktestSetup(a, test=test, train=[p for p in pairs if p[1] <= test[0] and p[0] >= 1980],
                             persistence=False)
    raise InputError(f"no backtest design for dataset {dataset!r}", fix="use eurostat-sbs or patents-wipo35")


def training_pairs(years: list[int], until: int, *, persistence: bool) -> list[tuple[int, int]]:
    """Transitions whose outcome is known by ``until``: horizons of 2-3 years with the
    persistence rule (a 1-year horizon cannot satisfy it), consecutive windows otherwise."""
    if persistence:
        return [(a, b) for a in years for b in years if 2 <= b - a <= 3 and b <= until]
    return [(a, b) for a, b in zip(years[:-1], years[1:]) if b <= until]


def windowed_patents(data_dir=None, min_patents: float = 100.0) -> Panel:
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
MONOTONE = {"rca", "rca_prev", "density", "density_self", "density_cosine", "nuts1_rca", "country_rca"}


def _model(features: list[str]):
    import lightgbm as lgb

    return lgb.LGBMClassifier(n_estimators=300, learning_rate=0.02, num_leaves=5, min_child_samples=50,
                              subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                              monotone_constraints=[1 if f in MONOTONE else 0 for f in features],
                              random_state=SEED, deterministic=True, n_jobs=1, verbose=-1)


def fit_predict(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, np.ndarray]:
    """Scores of every predictor on ``test``, trained (where they learn) on ``train`` only."""
    rng = np.random.default_rng(SEED)
    y = train["entered"].to_numpy()
    scores = {"density": test["density"].to_numpy(), "rca": test["rca"].to_numpy(),
              "random": rng.random(len(test))}
    logit = LogisticRegression(max_iter=1000)
    logit.fit(train[["density", "rca"]].to_numpy(), y)
    scores["logistic"] = logit.predict_proba(test[["density", "rca"]].to_numpy())[:, 1]
    usable = [c for c in FEATURES if train[c].notna().any()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _model(usable).fit(train[usable], y)
        scores["model"] = model.predict_proba(test[usable])[:, 1]
    return scores


def _metrics(df: pd.DataFrame, score: np.ndarray) -> dict:
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


@lru_cache(maxsize=8)
def _backtest_cached(dataset: str, data_dir) -> pd.DataFrame:
    return _backtest(dataset, data_dir)


def backtest(dataset: str = "eurostat-sbs", data_dir=None) -> pd.DataFrame:
    """Out-of-time backtest of every predictor on a named dataset (computed once per process).

    Returns
    -------
    DataFrame
        One row per predictor x subset (``all``, ``near`` RCA 0.5-1, ``far`` RCA < 0.5) with
        ``n``, ``entries``, ``base_rate``, ``roc_auc``, ``average_precision``,
        ``precision_at_10``, ``within_region_auc``; ``attrs`` hold the design and the winner.
    """
    table = _backtest_cached(dataset, None if data_dir is None else str(data_dir))
    out = table.copy()
    out.attrs = dict(table.attrs)
    return out


def _backtest(dataset: str, data_dir) -> pd.DataFrame:
    s = setup(dataset, data_dir)
    a = s.analysis
    years = a.years
    train = pd.concat([transitions(a, t0, t1, persistence=s.persistence, prev=_previous(years, t0))
                       for t0, t1 in s.train], ignore_index=True)
    t0, t1 = s.test
    test = transitions(a, t0, t1, persistence=s.persistence, prev=_previous(years, t0))
    if train["entered"].sum() == 0 or test["entered"].sum() == 0:
        raise InputError(f"no entries in the training or test transitions of {dataset}")
    scores = fit_predict(train, test)
    rows = []
    for name in PREDICTORS:
        for subset, mask in (("all", np.ones(len(test), bool)), ("near", (test["rca"] >= 0.5).to_numpy()),
                             ("far", (test["rca"] < 0.5).to_numpy())):
            rows.append({"predictor": name, "subset": subset, **_metrics(test[mask], scores[name][mask])})
    table = pd.DataFrame(rows)
    overall = table[table["subset"] == "all"].set_index("predictor")
    baselines = overall.drop(index=["model", "random"])
    strongest = baselines["average_precision"].idxmax()
    winner = "model" if overall.at["model", "average_precision"] > baselines["average_precision"].max() else strongest
    table.attrs.update(dataset=dataset, test=f"{t0} -> {t1}", train=[f"{a0} -> {a1}" for a0, a1 in s.train],
                       train_size=int(len(train)), train_entries=int(train["entered"].sum()),
                       persistence=s.persistence, strongest_baseline=strongest, winner=winner,
                       model_beats_baseline=bool(winner == "model"), sign=a.sign)
    return table


def precision_curves(dataset: str = "eurostat-sbs", data_dir=None, k_max: int = 30) -> pd.DataFrame:
    """Mean precision@k per region for k = 1..k_max, per predictor, on the held-out transition."""
    s = setup(dataset, data_dir)
    a = s.analysis
    train = pd.concat([transitions(a, t0, t1, persistence=s.persistence, prev=_previous(a.years, t0))
                       for t0, t1 in s.train], ignore_index=True)
    t0, t1 = s.test
    test = transitions(a, t0, t1, persistence=s.persistence, prev=_previous(a.years, t0))
    scores = fit_predict(train, test)
    rows = []
    for name, sc in scores.items():
        f = pd.DataFrame({"region": test["region"], "y": test["entered"], "s": sc})
        f = f.sort_values(["region", "s"], ascending=[True, False], kind="stable")
        f["k"] = f.groupby("region").cumcount() + 1
        f["hits"] = f.groupby("region")["y"].cumsum()
        f = f[f["k"] <= k_max]
        curve = (f["hits"] / f["k"]).groupby(f["k"]).mean()
        rows += [{"predictor": name, "k": int(k), "precision": float(v)} for k, v in curve.items()]
    return pd.DataFrame(rows)


def entry_probabilities(analysis: Analysis, year: int | None = None) -> tuple[pd.DataFrame, str]:
    """Probability of entry over the next horizon for every candidate cell of ``year``.

    The predictor is the backtest's winner on this dataset: the model, trained on every
    transition whose outcome is known by ``year``, if it beat the baselines; otherwise the
    best baseline's score. Returns (frame with region, activity, probability, predictor name).
    """
    years = analysis.years
    year = years[-1] if year is None else int(year)
    key = ("entry_probabilities", year)
    if key in analysis._cache:
        return analysis._cache[key]
    persistence = analysis.panel.region_meta["level"].notna().mean() >= 0.5
    pairs = training_pairs(years, year, persistence=persistence)
    target = features(analysis, year, _previous(years, year))
    if not pairs:
        return target.assign(probability=np.nan)[["region", "activity", "probability"]], "none"
    train = pd.concat([transitions(analysis, t0, t1, persistence=persistence, prev=_previous(years, t0))
                       for t0, t1 in pairs], ignore_index=True)
    winner = "model"
    if analysis.dataset in ("eurostat-sbs", "patents-wipo35"):
        try:
            winner = backtest(analysis.dataset, analysis.data_dir).attrs["winner"]
        except InputError:
            winner = "model"
    scores = fit_predict(train, target)
    target["probability"] = scores[winner] if winner in ("model", "logistic") else scores["logistic"]
    analysis._cache[key] = (target[["region", "activity", "probability"]], winner)
    return analysis._cache[key]
