"""A region's areas of excellence: its specialisations by location quotient, over time.

The location quotient (Balassa's revealed comparative advantage applied to employment) of
region r in activity a is ``LQ_ra = (X_ra / X_r.) / (X_.a / X_..)``; the region is
specialised in ``a`` when ``LQ_ra >= 1``, the cell has mass (at least 1,000 persons employed and
0.1% of the activity's total: :mod:`smartspec.strategy.mass`) and, by default, the activity is
traded (:mod:`smartspec.data.scope`: a region's restaurants or waste collection follow its
population, they are not a capability). See :func:`smartspec.metrics.rca`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, activity_scope, traded_mask
from smartspec.errors import UnknownNameError
from smartspec.metrics import rca
from smartspec.strategy.mass import MIN_EU_SHARE, MIN_PERSONS, WINDOW, mass_mask, window_measures, window_years


def region_specialisations(panel: Panel, region: str, year: int | None = None, *, scope: str = DEFAULT_SCOPE,
                           min_persons: float = MIN_PERSONS, min_eu_share: float = MIN_EU_SHARE,
                           window: int = WINDOW) -> pd.DataFrame:
    """Every activity of ``region`` with its size, share and location quotient.

    Parameters
    ----------
    panel : Panel
        Region x activity values (e.g. persons employed).
    region : str
        Region code (a row of ``panel``).
    year : int, optional
        Year of the profile (default: the region's last well-covered year with data,
        :meth:`~smartspec.data.panel.Panel.default_year`).
    scope : {"traded", "all"}
        Which activities can be specialisations (local ones are listed, never specialised,
        under ``"traded"``).
    min_persons, min_eu_share : float
        Mass floors (:func:`smartspec.strategy.mass.mass_mask`).
    window : int
        Years averaged at each end of the trend (``lq_first``, ``lq_recent``).

    Returns
    -------
    pandas.DataFrame
        One row per activity, specialisations first, each part by location quotient (descending): ``activity``, ``name``,
        ``value`` (the region's value), ``share`` (of the region's total), ``lq``,
        ``scope`` (traded/local), ``has_mass``, ``specialised`` (lq >= 1, mass, in scope),
        ``judgement`` (``specialised``, ``too small to judge``, ``local activity``, ``not
        specialised``, ``no data``), ``lq_first`` (LQ of the mean of the first ``window``
        years with data for the region), ``lq_recent`` (of the last ``window`` years up to
        ``year``), ``lq_change`` (recent minus first), ``confidential_or_missing``, ``rank``.
        A cell the source reported missing or confidential has no LQ (NaN, ranked last), in
        any year of a window. ``attrs`` states the floors and the windows.
    """
    if region not in panel.regions:
        raise UnknownNameError("region", region, panel.regions)
    i = panel.regions.get_loc(region)
    years_with_data = panel.years_with_data(region)
    if year is None:
        year = panel.default_year(region)
    # a cell the source reported missing or confidential has no LQ (NaN, never 0)
    missing = panel.missing[year][[i]].toarray().ravel()
    lq = np.where(missing, np.nan, rca(panel.dense(year))[i])
    first_years = window_years(years_with_data, years_with_data[min(window, len(years_with_data)) - 1], window)
    recent_years = window_years(years_with_data, year, window)
    first = window_measures(panel, first_years, min_persons=min_persons, min_eu_share=min_eu_share)["lq"][i]
    recent = window_measures(panel, recent_years, min_persons=min_persons, min_eu_share=min_eu_share)["lq"][i]
    mass = mass_mask(panel.dense(year), panel.missing[year].toarray(), min_persons=min_persons,
                     min_eu_share=min_eu_share)[i]
    in_scope = traded_mask(panel.activities, scope)
    values = panel.dense(year)[i]
    total = values.sum()
    out = pd.DataFrame(
        {
            "activity": panel.activities,
            "name": panel.activity_meta["name"].to_numpy(),
            "value": values,
            "share": values / total if total > 0 else np.nan,
            "lq": lq,
            "scope": activity_scope(panel.activities).to_numpy(),
            "has_mass": mass,
            "specialised": (lq >= 1) & mass & in_scope,
            "judgement": np.select([missing, lq < 1, ~in_scope, ~mass],
                                   ["no data", "not specialised", "local activity", "too small to judge"],
                                   "specialised"),
            "lq_first": first,
            "lq_recent": recent,
            "lq_change": recent - first,
        }
    )
    out["confidential_or_missing"] = missing
    # specialisations first (by LQ), then everything else by LQ: a too small or local cell with a
    # high LQ is listed, but after the region's real specialisations
    out = out.sort_values(["specialised", "lq"], ascending=False, kind="stable", ignore_index=True,
                          na_position="last")
    out["rank"] = np.arange(1, len(out) + 1)
    out.attrs.update(region=region, year=year, first_year=years_with_data[0], first_years=first_years,
                     recent_years=recent_years, scope=scope, min_persons=min_persons, min_eu_share=min_eu_share,
                     region_name=panel.region_name(region), value_name=panel.value_name)
    return out
