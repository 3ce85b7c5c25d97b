"""A composite indicator in the manner of the Regional Innovation Scoreboard, and its rank
uncertainty.

Method (European Commission, *European Innovation Scoreboard 2023: methodology report*; the
Regional Innovation Scoreboard applies the same steps to regions), for each input indicator
over the regions that have it:

1. **Direction**: an indicator where lower is better (NEET rate, unemployment) enters as its
   negative, so that higher is always better.
2. **Outliers**: values above the mean plus two standard deviations are replaced by the
   largest value that is not an outlier, values below the mean minus two standard deviations
   by the smallest one.
3. **Transformation**: an indicator whose skewness (after step 2) is above 1 is transformed by
   the square root (after shifting its minimum to 0, so negative values are allowed).
4. **Min-max rescaling**: :math:`s_{ri} = (x_{ri} - \\min_r x_{ri}) / (\\max_r x_{ri} - \\min_r x_{ri})`,
   so every indicator lies in [0, 1].
5. **Composite**: the equal-weight mean of the rescaled scores a region has,
   :math:`C_r = \\frac{1}{|I_r|} \\sum_{i \\in I_r} s_{ri}`; a region with fewer than half of the
   indicators gets no composite.

Rank uncertainty (the criticism of equal weights, e.g. Saisana, Saltelli and Tarantola 2005):
the weights are drawn ``n_draws`` times from the flat Dirichlet distribution (every weighting
of the indicators equally likely), the composite is recomputed with the weights of the
indicators each region has (renormalised to sum to 1) and the regions ranked; the result is
each region's median rank and its 5-95 % rank range.

References
----------
European Commission (2023). European Innovation Scoreboard 2023: methodology report. Hollanders, H.
European Commission (2023). Regional Innovation Scoreboard 2023: methodology report. Hollanders, H.
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis techniques as
tools for the quality assessment of composite indicators. J. R. Stat. Soc. A 168(2), 307-323.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from smartspec.errors import InputError

#: Inputs of the local composite (keys of the indicator catalogue); each is taken in the year
#: that covers most of the regions compared (:func:`composite_inputs`).
COMPOSITE_INPUTS = ("tertiary_attainment", "neet", "unemployment", "gdp_per_head", "knowledge_employment",
                    "wages_per_person")


@dataclass
class Composite:
    """Result of :func:`ris_composite`.

    Attributes
    ----------
    score : Series          composite per region (NaN below the coverage rule)
    normalised : DataFrame  the rescaled scores s_ri in [0, 1] (NaN where the region has no value)
    steps : DataFrame       per indicator: direction, outliers replaced (high, low), skewness,
                            square-root transformed, min and max used for the rescaling
    """

    score: pd.Series
    normalised: pd.DataFrame
    steps: pd.DataFrame


def ris_composite(values: pd.DataFrame, higher_is_better: dict[str, bool] | None = None,
                  min_share: float = 0.5) -> Composite:
    """The composite of ``values`` (regions x indicators) by the steps of the module docstring.

    Parameters
    ----------
    values : DataFrame
        Regions (index) x indicators (columns); NaN where a region has no value.
    higher_is_better : dict, optional
        Indicator -> direction (default: all True).
    min_share : float
        Least share of the indicators a region needs for a composite.

    Returns
    -------
    Composite
    """
    if values.shape[1] == 0 or values.shape[0] < 3:
        raise InputError("a composite needs at least one indicator and three regions",
                         where="ris_composite(values)", fix="pass a regions x indicators frame")
    hib = higher_is_better or {}
    norm = {}
    steps = []
    for col in values.columns:
        x = pd.to_numeric(values[col], errors="coerce").astype(float)
        sign = 1.0 if hib.get(col, True) else -1.0
        x = sign * x
        v = x.dropna()
        if len(v) < 3 or v.max() == v.min():
            raise InputError(f"indicator {col!r} has fewer than three distinct values", where="ris_composite(values)",
                             fix="leave it out of the composite")
        mu, sd = v.mean(), v.std(ddof=1)
        hi, lo = v > mu + 2 * sd, v < mu - 2 * sd
        if hi.any():
            v = v.where(~hi, v[~hi].max())
        if lo.any():
            v = v.where(~lo, v[~lo].min())
        skew = float(stats.skew(v.to_numpy(), bias=True))
        root = skew > 1
        if root:
            v = np.sqrt(v - v.min())
        s = (v - v.min()) / (v.max() - v.min())
        norm[col] = s.reindex(values.index)
        steps.append({"indicator": col, "higher_is_better": sign > 0, "n_regions": int(len(v)),
                      "outliers_high": int(hi.sum()), "outliers_low": int(lo.sum()), "skewness": skew,
                      "square_root": bool(root), "min": float(v.min()), "max": float(v.max())})
    normalised = pd.DataFrame(norm, index=values.index)
    enough = normalised.notna().sum(axis=1) >= min_share * normalised.shape[1]
    score = normalised.mean(axis=1).where(enough).rename("composite")
    return Composite(score=score, normalised=normalised, steps=pd.DataFrame(steps))


def rank_ranges(normalised: pd.DataFrame, n_draws: int = 1000, seed: int = 20260101,
                min_share: float = 0.5) -> pd.DataFrame:
    """Ranks of the regions under random weights (flat Dirichlet), vectorised over the draws.

    Parameters
    ----------
    normalised : DataFrame
        Rescaled scores (regions x indicators), e.g. :attr:`Composite.normalised`.
    n_draws : int
        Number of weight vectors.
    seed : int
        Seed of the random generator (the result is reproducible).

    Returns
    -------
    DataFrame
        Indexed by region (those with a composite): ``rank`` (equal weights, 1 = best),
        ``median_rank``, ``rank_p05``, ``rank_p95``, ``rank_min``, ``rank_max``.
    """
    enough = normalised.notna().sum(axis=1) >= min_share * normalised.shape[1]
    S = normalised[enough]
    avail = S.notna().to_numpy(float)
    vals = S.fillna(0.0).to_numpy()
    rng = np.random.default_rng(seed)
    W = rng.dirichlet(np.ones(S.shape[1]), size=n_draws)  # draws x indicators
    scores = (vals @ W.T) / (avail @ W.T)  # regions x draws (weights renormalised per region)
    ranks = stats.rankdata(-scores, axis=0, method="min")
    equal = stats.rankdata(-(vals.sum(axis=1) / avail.sum(axis=1)), method="min")
    return pd.DataFrame({"rank": equal.astype(int), "median_rank": np.median(ranks, axis=1),
                         "rank_p05": np.percentile(ranks, 5, axis=1), "rank_p95": np.percentile(ranks, 95, axis=1),
                         "rank_min": ranks.min(axis=1).astype(int), "rank_max": ranks.max(axis=1).astype(int)},
                        index=S.index)


def composite_inputs(observations: pd.DataFrame, regions, coverage: float = 2 / 3) -> tuple[pd.DataFrame, dict]:
    """The input table of the local composite for ``regions``: each indicator of
    :data:`COMPOSITE_INPUTS` in the year it covers most of them (the latest of equals), when
    that is at least ``coverage`` of them (else it is left out).

    Returns the table and the year used per indicator.
    """
    regions = pd.Index(regions)
    obs = observations[observations["region"].isin(regions)]
    table, years = {}, {}
    for key in COMPOSITE_INPUTS:
        rows = obs[(obs["indicator"] == key) & (obs["breakdown"] == "")]
        if rows.empty:
            continue
        counts = rows.groupby("year")["region"].nunique()
        if counts.max() < coverage * len(regions):
            continue
        y = int(counts[counts == counts.max()].index.max())
        table[key] = rows[rows["year"] == y].set_index("region")["value"].reindex(regions)
        years[key] = y
    return pd.DataFrame(table, index=regions), years


def agreement(score: pd.Series, published: pd.DataFrame) -> pd.DataFrame:
    """Spearman rank correlation of ``score`` with each edition of a published index.

    Parameters
    ----------
    score : Series    composite per region
    published : DataFrame   ``region, year, value`` (e.g. the RIS observations)

    Returns
    -------
    DataFrame  ``edition, n_regions, spearman, p_value``
    """
    out = []
    for y, g in published.groupby("year"):
        both = pd.concat([score.rename("c"), g.set_index("region")["value"].rename("p")], axis=1).dropna()
        rho, pv = stats.spearmanr(both["c"], both["p"]) if len(both) >= 3 else (np.nan, np.nan)
        out.append({"edition": int(y), "n_regions": int(len(both)), "spearman": float(rho), "p_value": float(pv)})
    return pd.DataFrame(out)
