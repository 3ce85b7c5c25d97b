"""A region's own targets per indicator and the progress towards them.

Targets are declared in the region profile (``[[targets]]`` tables, format in
docs/profiles.md): the indicator key (one of :data:`~smartspec.strategy.monitoring.indicators.INDICATORS`),
an optional breakdown (an S3 ecosystem for the ecosystem indicators), a baseline year (and
value: read from the data when not given), an optional milestone (year and value), the target
year and value, and the source of the target.

Progress, with the latest value :math:`x_t` of the region (year :math:`t`), baseline
:math:`b` (year :math:`t_0`) and target :math:`T` (year :math:`t_1`):

- distance to target :math:`T - x_t` (and to the milestone, when declared);
- share of the way covered :math:`(x_t - b) / (T - b)`;
- the value expected on the straight path from baseline to target,
  :math:`b + (T - b)(t - t_0)/(t_1 - t_0)`; status ``reached`` (the target is met, in the
  indicator's direction), ``on track`` (at or beyond the straight path), ``behind the straight
  path``, or ``no value`` (the region has no value after the baseline year).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.monitoring.indicators import CATALOGUE

TARGET_KEYS = {"indicator", "breakdown", "baseline_year", "baseline", "milestone_year", "milestone", "target_year",
               "target", "source", "note"}
REQUIRED = ("indicator", "baseline_year", "target_year", "target", "source")


def check_targets(profile) -> list[dict]:
    """The profile's ``[[targets]]`` checked: known keys and indicator, numbers where numbers
    are due, baseline year < milestone year < target year. Errors name the file and the table."""
    out = []
    keys = list(CATALOGUE["key"])
    for i, t in enumerate(profile.targets):
        where = f"{profile.source}: [[targets]] #{i + 1}" + (f" ({t['indicator']})" if "indicator" in t else "")
        extra = sorted(set(t) - TARGET_KEYS)
        if extra:
            raise InputError(f"unknown key {extra[0]!r}", where=where, fix=f"keys are {', '.join(sorted(TARGET_KEYS))}")
        for k in REQUIRED:
            if k not in t:
                raise InputError(f"missing key {k!r}", where=where, fix=f"every [[targets]] needs {', '.join(REQUIRED)}")
        if t["indicator"] not in keys:
            raise UnknownNameError("indicator", t["indicator"], keys, where=where)
        for k in ("baseline", "milestone", "target"):
            if k in t and not isinstance(t[k], (int, float)):
                raise InputError(f"{k!r} must be a number, not {t[k]!r}", where=where, fix=f"{k} = 9.0")
        for k in ("baseline_year", "milestone_year", "target_year"):
            if k in t and not isinstance(t[k], int):
                raise InputError(f"{k!r} must be a year (an integer), not {t[k]!r}", where=where, fix=f"{k} = 2030")
        if ("milestone" in t) != ("milestone_year" in t):
            raise InputError("a milestone needs both 'milestone' and 'milestone_year'", where=where,
                             fix="give both, or neither")
        years = [t["baseline_year"], t.get("milestone_year", t["baseline_year"] + 0.5), t["target_year"]]
        if not years[0] < years[1] < years[2]:
            raise InputError("the years must increase: baseline_year < milestone_year < target_year", where=where,
                             fix="check the years")
        out.append({"breakdown": "", **t})
    return out


def progress(profile, observations: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Progress of ``region`` (default: the profile's) towards each declared target.

    Returns
    -------
    DataFrame
        ``indicator, label, breakdown, unit, baseline_year, baseline, baseline_from`` (declared or
        data), ``milestone_year, milestone, target_year, target, latest_year, latest,
        distance_to_target, distance_to_milestone, share_covered, expected_on_path, status,
        source, note``. A target whose baseline is neither declared nor in the data is an error.
    """
    region = region or profile.region
    cat = CATALOGUE.set_index("key")
    rows = []
    for t in check_targets(profile):
        ind = cat.loc[t["indicator"]]
        series = observations[(observations["indicator"] == t["indicator"]) & (observations["breakdown"] == t["breakdown"])
                              & (observations["region"] == region)].set_index("year")["value"].sort_index()
        if "baseline" in t:
            base, base_from = float(t["baseline"]), "declared"
        elif t["baseline_year"] in series.index:
            base, base_from = float(series[t["baseline_year"]]), "data"
        else:
            raise InputError(f"no baseline: {region} has no value of {t['indicator']} in {t['baseline_year']}",
                             where=f"{profile.source}: [[targets]] ({t['indicator']})",
                             fix="declare 'baseline = VALUE' or choose a baseline year with data")
        after = series[series.index > t["baseline_year"]]
        hib = bool(ind["higher_is_better"])
        row = {"indicator": t["indicator"], "label": ind["label"], "breakdown": t["breakdown"], "unit": ind["unit"],
               "baseline_year": t["baseline_year"], "baseline": base, "baseline_from": base_from,
               "milestone_year": t.get("milestone_year", np.nan), "milestone": t.get("milestone", np.nan),
               "target_year": t["target_year"], "target": float(t["target"]), "source": t["source"],
               "note": t.get("note", "")}
        if after.empty:
            row.update(latest_year=np.nan, latest=np.nan, distance_to_target=np.nan, distance_to_milestone=np.nan,
                       share_covered=np.nan, expected_on_path=np.nan,
                       status=f"no value after the baseline year {t['baseline_year']}")
        else:
            year, x = int(after.index[-1]), float(after.iloc[-1])
            T = float(t["target"])
            share = (x - base) / (T - base) if T != base else np.nan
            expected = base + (T - base) * (year - t["baseline_year"]) / (t["target_year"] - t["baseline_year"])
            better = (lambda a, b: a >= b) if hib else (lambda a, b: a <= b)
            status = "reached" if better(x, T) else ("on track" if better(x, expected) else "behind the straight path")
            row.update(latest_year=year, latest=x, distance_to_target=T - x,
                       distance_to_milestone=(float(t["milestone"]) - x) if "milestone" in t else np.nan,
                       share_covered=share, expected_on_path=expected, status=status)
        rows.append(row)
    cols = ["indicator", "label", "breakdown", "unit", "baseline_year", "baseline", "baseline_from", "milestone_year",
            "milestone", "target_year", "target", "latest_year", "latest", "distance_to_target",
            "distance_to_milestone", "share_covered", "expected_on_path", "status", "source", "note"]
    return pd.DataFrame(rows, columns=cols)
