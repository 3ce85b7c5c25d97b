"""A region's areas of excellence: its specialisations by location quotient, over time.

The location quotient (Balassa's revealed comparative advantage applied to employment) of
region r in activity a is ``LQ_ra = (X_ra / X_r.) / (X_.a / X_..)``; the region is
specialised in ``a`` when ``LQ_ra >= 1``. See :func:`smartspec.metrics.rca`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.data.panel import Panel
from smartspec.errors import UnknownNameError
from smartspec.metrics import rca


def region_specialisations(panel: Panel, region: str, year: int | None = None) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        One row per activity, sorted by location quotient (descending): ``activity``, ``name``,
        ``value`` (the region's value), ``share`` (of the region's total), ``lq``,
        ``specialised`` (lq >= 1), ``lq_first`` (LQ in the panel's first year with data for the
        region), ``lq_change``, ``confidential_or_missing``, ``rank``. A cell the source
        reported missing or confidential has no LQ (NaN, ranked last), in either year.
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
    first = np.where(panel.missing[years_with_data[0]][[i]].toarray().ravel(), np.nan,
                     rca(panel.dense(years_with_data[0]))[i])
    values = panel.dense(year)[i]
    total = values.sum()
    out = pd.DataFrame(
        {
            "activity": panel.activities,
            "name": panel.activity_meta["name"].to_numpy(),
            "value": values,
            "share": values / total if total > 0 else np.nan,
            "lq": lq,
            "specialised": lq >= 1,
            "lq_first": first,
            "lq_change": lq - first,
        }
    )
    out["confidential_or_missing"] = missing
    out = out.sort_values("lq", ascending=False, kind="stable", ignore_index=True, na_position="last")
    out["rank"] = np.arange(1, len(out) + 1)
    out.attrs.update(region=region, year=year, first_year=years_with_data[0],
                     region_name=panel.region_name(region), value_name=panel.value_name)
    return out
