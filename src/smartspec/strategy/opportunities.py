"""Diversification opportunities of a region, in the relatedness x complexity framework.

For a region and a year, every activity in which the region is not specialised (RCA < 1) is
a candidate, described by

* its relatedness density (how many of the region's strengths are related to it);
* its complexity (PCI);
* its quadrant in the framework of Balland et al. (2019): relatedness above/below a
  threshold x complexity above/below a threshold (default thresholds: the medians over the
  region's candidates; ``"mean"`` or numbers can be given);
* its size in the region and its recent growth;
* the region's existing strengths that support it (specialised activities with the largest
  proximity to it);
* the S3 ecosystems of the region profile it belongs to;
* a score: the probability of entry of the backtest's winning predictor
  (:func:`smartspec.strategy.forecast.entry_probabilities`), with density and RCA beside it.

References
----------
Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Smart specialization policy in
the European Union: relatedness, knowledge complexity and regional diversification.
Regional Studies 53(9), 1252-1268.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.errors import InputError
from smartspec.strategy.context import Analysis

QUADRANTS = {
    (True, True): "high relatedness, high complexity",
    (False, True): "low relatedness, high complexity",
    (True, False): "high relatedness, low complexity",
    (False, False): "low relatedness, low complexity",
}
ADVICE = {
    "high relatedness, high complexity": "best bet: builds on existing strengths and adds complex capabilities",
    "low relatedness, high complexity": "ambitious: complex but few related strengths, needs a leap",
    "high relatedness, low complexity": "safe but limited: easy to reach, adds little complexity",
    "low relatedness, low complexity": "least attractive: neither related nor complex",
}


def _threshold(values: np.ndarray, rule) -> float:
    values = values[np.isfinite(values)]
    if isinstance(rule, (int, float)):
        return float(rule)
    if rule == "median":
        return float(np.median(values)) if len(values) else np.nan
    if rule == "mean":
        return float(values.mean()) if len(values) else np.nan
    raise InputError(f"unknown threshold rule {rule!r}", fix="use 'median', 'mean' or a number")


def supporting_strengths(analysis: Analysis, region: str, year: int | None = None, top: int = 5) -> pd.DataFrame:
    """For every activity, the region's specialised activities most related to it.

    Returns a long frame: ``activity``, ``support`` (a specialised activity), ``proximity``,
    ``support_rca``, ranked within activity (at most ``top`` each).
    """
    m = analysis.at(year)
    i = analysis.panel.regions.get_loc(region)
    present = np.flatnonzero(m.mcp[i] > 0)
    if len(present) == 0:
        return pd.DataFrame(columns=["activity", "support", "proximity", "support_rca", "rank"])
    phi = m.proximity[present]  # specialised x all
    phi = phi.copy()
    phi[np.arange(len(present)), present] = 0.0  # an activity does not support itself
    k = min(top, len(present))
    order = np.argsort(-phi, axis=0, kind="stable")[:k]  # k x activities
    acts = analysis.panel.activities.to_numpy()
    cols = np.tile(np.arange(len(acts)), k)
    sup = present[order.ravel()]
    out = pd.DataFrame({
        "activity": acts[cols], "support": acts[sup], "proximity": phi[order.ravel(), cols],
        "support_rca": m.rca[i, sup], "rank": np.repeat(np.arange(1, k + 1), len(acts)),
    })
    return out[out["proximity"] > 0].sort_values(["activity", "rank"], ignore_index=True)


def opportunities(
    analysis: Analysis,
    region: str,
    year: int | None = None,
    *,
    relatedness_threshold="median",
    complexity_threshold="median",
    n_support: int = 5,
    with_probability: bool = True,
) -> pd.DataFrame:
    """Every activity the region is not specialised in, ranked, with its reasons.

    Parameters
    ----------
    analysis : Analysis
        From :func:`smartspec.strategy.context.analyse`.
    region : str
        Code or name of the region.
    year : int, optional
        Default: the region's last year with data.
    relatedness_threshold, complexity_threshold : {"median", "mean"} or float
        Where the quadrants split density and PCI (median/mean over the region's candidates).
    n_support : int
        Number of supporting strengths listed per opportunity.
    with_probability : bool
        Compute the entry probability of the winning predictor (trains the model once).

    Returns
    -------
    DataFrame
        One row per candidate, best first: ``rank, activity, name, score, probability,
        predictor, density, density_percentile, pci, rca, quadrant, advice, value, share,
        growth, activity_growth, ecosystems, supporting, reason``.
    """
    code = analysis.region(region)
    m = analysis.at(analysis.last_year(code) if year is None else year)
    year = m.year
    p = analysis.panel
    i = p.regions.get_loc(code)
    if m.values[i].sum() <= 0:
        raise InputError(f"region {code} has no data in {year}", where=analysis.dataset,
                         fix=f"choose another year (years with data: {analysis.years})")
    cand = (m.mcp[i] == 0) & (m.values.sum(axis=0) > 0)
    idx = np.flatnonzero(cand)
    dens = m.density[i, idx]
    pci = m.pci[idx]
    d_thr = _threshold(dens, relatedness_threshold)
    c_thr = _threshold(pci, complexity_threshold)
    quadrant = [QUADRANTS[(bool(d >= d_thr), bool(c >= c_thr))] for d, c in zip(dens, pci)]
    first = next(y for y in analysis.years if analysis.at(y).values[i].sum() > 0)
    m0 = analysis.at(first)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(m0.values[i, idx] > 0, m.values[i, idx] / m0.values[i, idx] - 1, np.nan)
        act_growth = m.values[:, idx].sum(0) / m0.values[:, idx].sum(0) - 1
    out = pd.DataFrame({
        "activity": p.activities[idx],
        "name": p.activity_meta["name"].to_numpy()[idx],
        "density": dens,
        "density_percentile": pd.Series(dens).rank(pct=True).to_numpy(),
        "pci": pci,
        "rca": m.rca[i, idx],
        "quadrant": quadrant,
        "value": m.values[i, idx],
        "share": m.values[i, idx] / m.values[i].sum(),
        "growth": growth,
        "activity_growth": act_growth,
    })
    out["advice"] = out["quadrant"].map(ADVICE)
    prof = analysis.profile
    out["ecosystems"] = [", ".join(prof.ecosystems_of(a)) if prof else "" for a in out["activity"]]
    support = supporting_strengths(analysis, code, year, n_support)
    names = p.activity_meta["name"]
    support["text"] = [f"{s} {names[s]} ({w:.2f})" for s, w in zip(support["support"], support["proximity"])]
    listed = support.groupby("activity")["text"].agg(" | ".join)
    counts = support.groupby("activity").size()
    out["supporting"] = out["activity"].map(listed).fillna("")
    out["n_supporting"] = out["activity"].map(counts).fillna(0).astype(int)
    if with_probability:
        from smartspec.strategy.forecast import entry_probabilities

        probs, predictor = entry_probabilities(analysis, year)
        probs = probs[probs["region"] == code].set_index("activity")["probability"]
        out["probability"] = out["activity"].map(probs).to_numpy()
        out["predictor"] = predictor
        out["score"] = out["probability"]
    else:
        out["probability"] = np.nan
        out["predictor"] = "density"
        out["score"] = out["density"]
    out = out.sort_values(["score", "density"], ascending=False, kind="stable", ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["reason"] = [_reason(r, year, code) for r in out.itertuples()]
    cols = ["rank", "activity", "name", "score", "probability", "predictor", "density", "density_percentile", "pci",
            "rca", "quadrant", "advice", "value", "share", "growth", "activity_growth", "ecosystems", "n_supporting",
            "supporting", "reason"]
    out = out[cols]
    out.attrs.update(region=code, region_name=p.region_name(code), year=year, relatedness_threshold=d_thr,
                     complexity_threshold=c_thr, dataset=analysis.dataset, complexity_sign=analysis.sign)
    return out


def _reason(r, year: int, region: str) -> str:
    parts = [f"{r.activity} {r.name}: {r.quadrant} ({r.advice})."]
    if r.n_supporting:
        parts.append(f"Builds on {r.n_supporting} related strengths of {region}: {r.supporting}.")
    else:
        parts.append(f"No specialisation of {region} is related to it.")
    parts.append(f"Relatedness density {r.density:.2f} (above {100 * r.density_percentile:.0f}% of candidates); "
                 f"complexity (PCI) {r.pci:+.2f}; RCA {r.rca:.2f} in {year}.")
    if np.isfinite(r.probability):
        parts.append(f"Estimated probability of specialising within 3 years: {100 * r.probability:.1f}% ({r.predictor}).")
    if r.ecosystems:
        parts.append(f"S3 ecosystem: {r.ecosystems}.")
    return " ".join(parts)
