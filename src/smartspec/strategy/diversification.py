"""Diversification opportunities of a region, in the relatedness x complexity framework.

For a region and a year, every activity in which the region is not specialised (RCA < 1) is
a candidate, described by

* its relatedness density (how many of the region's strengths are related to it);
* its complexity (PCI);
* its quadrant in the framework of Balland et al. (2019): relatedness above/below a
  threshold x complexity above/below a threshold. Default thresholds: the medians over the
  region's candidates, so each quadrant splits the region's own options (Balland et al. split
  at the mean over all region-activity pairs; ``"mean"``, ``"median-all"`` / ``"mean-all"``
  (over every activity of the region, specialised or not) or numbers can be given);
* its size in the region (the panel's value, e.g. persons employed) and its recent growth
  (over the last :data:`GROWTH_YEARS` years with data);
* the region's existing strengths that support it (specialised activities with the largest
  proximity to it);
* the S3 ecosystems of the region profile it belongs to;
* a score that combines feasibility with desirability under a named *strategic approach*
  (:data:`APPROACHES`, in the spirit of the strategic approaches of the Atlas of Economic
  Complexity): feasibility is the probability of entry of the backtest's winning predictor
  (:func:`smartspec.strategy.forecast.entry_probabilities`; relatedness density without
  one); desirability combines the activity's complexity (PCI), the region's complexity outlook
  gain from it (COG), the activity's European wages per person employed
  (:func:`smartspec.data.datasets.sbs_activity_wages`), its European employment growth and its
  fit to the region's S3 ecosystems. Each component enters as its percentile among the
  region's candidates, so no unit dominates; every component is a column of the result.

Only *traded* activities are candidates under the default scope (:mod:`smartspec.data.scope`):
a local activity (retail, restaurants, construction) follows the region's income and
population and is never a target; the region's local activities without specialisation are
listed apart (``attrs["local"]``). ``scope="all"`` in :func:`smartspec.strategy.context.analyse`
restores every activity.

References
----------
Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Smart specialization policy in
the European Union: relatedness, knowledge complexity and regional diversification.
Regional Studies 53(9), 1252-1268.
Hausmann, R., Hidalgo, C. A., et al. (2014). The Atlas of Economic Complexity. MIT Press
(strategic approaches: weights on distance, complexity and opportunity gain).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.data.scope import traded_mask
from smartspec.errors import InputError
from smartspec.strategy.context import Analysis

QUADRANTS = {
    (True, True): "high relatedness, high complexity",
    (False, True): "low relatedness, high complexity",
    (True, False): "high relatedness, low complexity",
    (False, False): "low relatedness, low complexity",
}


QUADRANT_CODES = {
    "HH": "high relatedness, high complexity",
    "LH": "low relatedness, high complexity",
    "HL": "high relatedness, low complexity",
    "LL": "low relatedness, low complexity",
}
THRESHOLD_RULES = ("median", "mean", "median-all", "mean-all")
#: The components of the score, in the order of the weights below.
COMPONENTS = ("feasibility", "pci", "cog", "wage", "activity_growth", "ecosystem_fit")
#: Strategic approaches: the weight of each component (they sum to 1). Feasibility is the
#: entry probability (or density); the others are desirability. ``balanced`` is the default.
APPROACHES = {
    # builds on what is nearly there: most weight on feasibility
    "low-hanging-fruit": dict(feasibility=0.60, pci=0.10, cog=0.05, wage=0.10, activity_growth=0.10,
                              ecosystem_fit=0.05),
    # half feasibility, half the value of the activity
    "balanced": dict(feasibility=0.45, pci=0.15, cog=0.10, wage=0.15, activity_growth=0.05, ecosystem_fit=0.10),
    # long jumps to complex, well-paid activities that open further diversification
    "strategic-bets": dict(feasibility=0.20, pci=0.25, cog=0.20, wage=0.20, activity_growth=0.05,
                           ecosystem_fit=0.10),
}
DEFAULT_APPROACH = "balanced"
#: Recent growth is measured over at most this many years before the opportunity's year.
GROWTH_YEARS = 3


def quadrant_name(query: str) -> str:
    """The full quadrant name from ``HH``/``HL``/``LH``/``LL``, ``high_high`` ... or the name itself."""
    q = str(query).strip()
    for code, name in QUADRANT_CODES.items():
        words = name.replace(",", "").split()
        keys = {code.lower(), name.lower(), f"{words[0]}_{words[2]}", f"{words[0]}-{words[2]}"}
        if q.lower() in keys:
            return name
    raise InputError(f"unknown quadrant {query!r}",
                     fix="use " + ", ".join(f"{c} ({n})" for c, n in QUADRANT_CODES.items()))


def _threshold(candidates: np.ndarray, every: np.ndarray, rule) -> tuple[float, str]:
    """The threshold value and the rule in words."""
    if isinstance(rule, (int, float)) and not isinstance(rule, bool):
        return float(rule), "a fixed value"
    if rule not in THRESHOLD_RULES:
        raise InputError(f"unknown threshold rule {rule!r}", fix="use 'median', 'mean', 'median-all', 'mean-all' "
                         "or a number")
    stat, _, scope = str(rule).partition("-")
    values = every if scope == "all" else candidates
    values = values[np.isfinite(values)]
    if not len(values):
        return np.nan, rule
    value = float(np.median(values)) if stat == "median" else float(values.mean())
    return value, f"{stat} over {'all the region' + chr(39) + 's activities' if scope else 'its candidates'}"


def check_approach(approach: str) -> str:
    """``approach`` itself if it names one of :data:`APPROACHES`, else an :class:`InputError`."""
    if approach not in APPROACHES:
        raise InputError(f"unknown strategic approach {approach!r}", where="approach",
                         fix="use " + ", ".join(APPROACHES) + f" (default {DEFAULT_APPROACH})")
    return approach


def supporting_strengths(analysis: Analysis, region: str, year: int | None = None, top: int = 5) -> pd.DataFrame:
    """For every activity, the region's specialised activities most related to it.

    Only activities of the analysis' scope support (under ``traded``, a restaurant is no
    capability to build on). Returns a long frame: ``activity``, ``support`` (a specialised
    activity), ``proximity``, ``support_rca``, ranked within activity (at most ``top`` each).
    """
    m = analysis.at(year)
    i = analysis.panel.regions.get_loc(region)
    present = np.flatnonzero((m.mcp[i] > 0) & traded_mask(analysis.panel.activities, analysis.scope))
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
    approach: str = DEFAULT_APPROACH,
) -> pd.DataFrame:
    r"""Every traded activity the region is not specialised in, ranked, with what explains it.

    Parameters
    ----------
    analysis : Analysis
        From :func:`smartspec.strategy.context.analyse`.
    region : str
        Code or name of the region.
    year : int, optional
        Default: the region's last year with data.
    relatedness_threshold, complexity_threshold : {"median", "mean"} or float
        Where the quadrants split density and PCI: ``"median"``/``"mean"`` over the region's
        candidates (default), ``"median-all"``/``"mean-all"`` over all its activities, or a
        number.
    n_support : int
        Number of supporting strengths listed per opportunity.
    with_probability : bool
        Compute the entry probability of the winning predictor (trains the model once).
    approach : {"low-hanging-fruit", "balanced", "strategic-bets"}
        The strategic approach: weights of the score's components (:data:`APPROACHES`).

    Returns
    -------
    DataFrame
        One row per traded candidate (every candidate under ``scope="all"``), best first:
        ``rank, activity, name, score, feasibility, desirability, probability, predictor,
        density, density_percentile, pci, cog, wage, activity_growth, ecosystem_fit, rca,
        quadrant, value, share, growth, growth_from, ecosystems, n_supporting, supporting_codes,
        supporting_proximity``. ``score`` is

        .. math:: s = \sum_k w_k \, q_k / \sum_k w_k

        over the components :data:`COMPONENTS` that the data has, where :math:`q_k` is the
        percentile of component :math:`k` among the region's candidates (0.5 where one
        activity lacks it) and :math:`w_k` the approach's weight; ``feasibility`` is the
        percentile of the entry probability (of density when ``with_probability`` is False or
        no predictor could be trained), ``desirability`` the weighted mean of the other
        percentiles. ``cog`` is the region's complexity outlook gain, ``wage`` the activity's
        European wages and salaries per person employed (euro, SBS V13320 / V16110; NaN outside
        NACE panels), ``ecosystem_fit`` 1 when the activity is in one of the region's own S3
        ecosystems (NaN when the profile is another region's: it is then left out of the
        score); ``growth`` and ``activity_growth`` are the relative
        change of the region's value and of the activity's European total over the last
        :data:`GROWTH_YEARS` years; ``supporting_codes`` lists (``"; "``-joined) the region's specialised
        activities most related to the candidate, ``supporting_proximity`` their proximities
        in the same order; :func:`smartspec.views.text.opportunity_reason` words the row. ``attrs``: region, region_name,
        year, thresholds and their rule, n_candidates, score_meaning, backtest_verdict (the facts
        of the backtest's verdict, worded by :func:`smartspec.views.text.backtest_verdict`),
        growth_from, not_observed (activities left out because the source reports the cell
        missing or confidential), local (the region's local activities without specialisation:
        never targets), scope, approach, weights (the weights used, renormalised over the
        components present), ecosystems_profile (whose S3 ecosystems ``ecosystems`` names) and
        profile_is_region, value_name, dataset, complexity_sign, eci_orientation.

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Regional Studies 53(9).
    Hidalgo, C. A. et al. (2007). The product space conditions the development of nations.
    Science 317(5837).
    """
    code = analysis.region(region)
    m = analysis.at(analysis.year_of(code, year))
    year = m.year
    p = analysis.panel
    i = p.regions.get_loc(code)
    if m.values[i].sum() <= 0:
        raise InputError(f"region {code} has no data in {year}", where=analysis.dataset,
                         fix=f"choose another year (years with data: {analysis.years})")
    check_approach(approach)
    cand = (m.mcp[i] == 0) & (m.values.sum(axis=0) > 0)
    # Cells the source reports missing or confidential are not known to be absent: they are
    # left out of the candidates and named in attrs["not_observed"].
    unobserved = np.zeros_like(cand)
    if year in p.missing:
        unobserved = cand & p.missing[year][[i]].toarray().ravel().astype(bool)
    cand &= ~unobserved
    traded = traded_mask(p.activities, analysis.scope)
    local = cand & ~traded  # shown apart, never targets
    cand &= traded
    idx = np.flatnonzero(cand)
    dens = m.density[i, idx]
    pci = m.pci[idx]
    observed = m.values.sum(axis=0) > 0
    d_thr, d_rule = _threshold(dens, m.density[i, observed], relatedness_threshold)
    c_thr, c_rule = _threshold(pci, m.pci[observed], complexity_threshold)
    quadrant = [QUADRANTS[(bool(d >= d_thr), bool(c >= c_thr))] for d, c in zip(dens, pci)]
    # the growth base is read from the panel: the measures of earlier years are not needed for it
    earlier = [y for y in analysis.years if year - GROWTH_YEARS <= y < year and p.matrices[y][[i]].sum() > 0]
    first = earlier[0] if earlier else year
    base = p.dense(first) if earlier else m.values
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(base[i, idx] > 0, m.values[i, idx] / base[i, idx] - 1, np.nan)
        act_growth = m.values[:, idx].sum(0) / base[:, idx].sum(0) - 1
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
    prof = analysis.profile
    out["ecosystems"] = [", ".join(prof.ecosystems_of(a)) if prof else "" for a in out["activity"]]
    support = supporting_strengths(analysis, code, year, n_support)
    # structured, so that smartspec.views.text words them in any language
    by_act = support.assign(w=support["proximity"].map(str)).groupby("activity")
    counts = support.groupby("activity").size()
    out["supporting_codes"] = out["activity"].map(by_act["support"].agg("; ".join)).fillna("")
    out["supporting_proximity"] = out["activity"].map(by_act["w"].agg("; ".join)).fillna("")
    out["n_supporting"] = out["activity"].map(counts).fillna(0).astype(int)
    if with_probability:
        from smartspec.strategy.forecast import entry_probabilities

        probs, predictor = entry_probabilities(analysis, year)
        verdict = probs.attrs.get("verdict", {})  # how the predictor was chosen, from its backtest
        probs = probs[probs["region"] == code].set_index("activity")["probability"]
        out["probability"] = out["activity"].map(probs).to_numpy()
        out["predictor"] = predictor
    else:
        out["probability"] = np.nan
        out["predictor"] = "density"
        verdict = {}
    feasible = out["probability"] if out["probability"].notna().any() else out["density"]
    out["cog"] = m.cog[i, idx]
    out["wage"] = _activity_wages(analysis, year).reindex(out["activity"]).to_numpy()
    own_profile = bool(prof and prof.region == code)
    out["ecosystem_fit"] = (out["ecosystems"] != "").astype(float) if own_profile else np.nan
    parts = {"feasibility": feasible, "pci": out["pci"], "cog": out["cog"], "wage": out["wage"],
             "activity_growth": out["activity_growth"], "ecosystem_fit": out["ecosystem_fit"]}
    weights = {k: w for k, w in APPROACHES[approach].items() if pd.Series(parts[k]).notna().any()}
    total = sum(weights.values())
    weights = {k: w / total for k, w in weights.items()}
    # percentiles put every unit on one scale; the 0/1 ecosystem fit is its own scale
    pct = {k: (np.asarray(parts[k], dtype=float) if k == "ecosystem_fit" else
               pd.Series(np.asarray(parts[k], dtype=float)).rank(pct=True).fillna(0.5).to_numpy()) for k in weights}
    out["feasibility"] = pct["feasibility"]
    wanted = [k for k in weights if k != "feasibility"]
    w_des = sum(weights[k] for k in wanted)
    out["desirability"] = sum(weights[k] * pct[k] for k in wanted) / w_des if w_des else np.nan
    out["score"] = sum(weights[k] * pct[k] for k in weights)
    out = out.sort_values(["score", "feasibility"], ascending=False, kind="stable", ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["growth_from"] = first
    cols = ["rank", "activity", "name", "score", "feasibility", "desirability", "probability", "predictor", "density",
            "density_percentile", "pci", "cog", "wage", "activity_growth", "ecosystem_fit", "rca", "quadrant",
            "value", "share", "growth", "growth_from", "ecosystems", "n_supporting", "supporting_codes",
            "supporting_proximity"]
    out = out[cols]
    predictor = out["predictor"].iloc[0] if len(out) else "density"
    out.attrs.update(region=code, region_name=p.region_name(code), year=year, relatedness_threshold=d_thr,
                     complexity_threshold=c_thr, threshold_rule=d_rule if d_rule == c_rule else f"{d_rule} / {c_rule}",
                     n_candidates=int(len(out)), score_meaning=_score_meaning(approach, weights),
                     feasibility_meaning=_feasibility_meaning(predictor, analysis),
                     local=[str(c) for c in p.activities[local]], scope=analysis.scope, approach=approach,
                     weights=weights, eci_orientation=analysis.eci_orientation,
                     backtest_verdict=verdict, growth_from=first,
                     not_observed=[str(c) for c in p.activities[unobserved]],
                     ecosystems_profile=f"{prof.name} ({prof.region})" if prof else "",
                     profile_is_region=bool(prof and prof.region == code), value_name=p.value_name,
                     dataset=analysis.dataset, complexity_sign=analysis.sign)
    return out


def _activity_wages(analysis: Analysis, year: int) -> pd.Series:
    """EU wages per person employed of each activity in ``year`` (or the last earlier year with
    a figure), for NACE panels; an empty series otherwise."""
    p = analysis.panel
    if "level" not in p.activity_meta or (p.activity_meta["level"] == "division").mean() < 0.5:
        return pd.Series(dtype=float)
    from smartspec.data.datasets import sbs_activity_wages
    from smartspec.errors import DataNotFoundError

    try:
        w = sbs_activity_wages(analysis.data_dir)
    except DataNotFoundError:
        return pd.Series(dtype=float)
    w = w[w["year"] <= year].sort_values("year")
    return w.groupby("activity")["wage_per_person"].last()


def _score_meaning(approach: str, weights: dict) -> str:
    words = {"feasibility": "feasibility", "pci": "complexity (PCI)", "cog": "opportunity gain (COG)",
             "wage": "EU wages per person employed", "activity_growth": "EU employment growth",
             "ecosystem_fit": "fit to the region's S3 ecosystems"}
    return (f"'{approach}' approach: weighted percentiles among the region's candidates of "
            + ", ".join(f"{words[k]} {w:.2f}" for k, w in weights.items()))


def _feasibility_meaning(predictor: str, analysis: Analysis) -> str:
    if predictor in ("density", "none"):
        return "relatedness density (share of related activities the region is specialised in)"
    names = {"model": "the entry model", "logistic": "a logistic model on density and RCA",
             "rca": "a logistic fit on the RCA level", "density": "a logistic fit on relatedness density"}
    horizon = "within 2-3 years (RCA >= 1 in two consecutive years)" if _is_regional(analysis) else "in the next period"
    return f"probability of specialising {horizon}, by {names.get(predictor, predictor)}"


def _is_regional(analysis: Analysis) -> bool:
    return bool(analysis.panel.region_meta["level"].notna().mean() >= 0.5)

