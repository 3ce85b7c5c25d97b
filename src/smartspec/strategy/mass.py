"""Mass and noise: when a cell is large enough for its RCA to mean something.

A location quotient of a tiny cell is noise: 400 persons employed in a region's textiles are a
handful of firms, and one of them opening or closing moves the LQ across 1. smartspec
therefore counts a specialisation, an entry or a partner's strength only when the cell has
*mass*:

.. math:: X_{ra} \\ge \\text{min\\_persons} \\quad\\text{and}\\quad
          X_{ra} / X_{\\cdot a} \\ge \\text{min\\_eu\\_share}

(defaults :data:`MIN_PERSONS` = 1,000 persons employed and :data:`MIN_EU_SHARE` = 0.1% of the
activity's total over the panel's regions). A cell below either floor is *too small to
judge*: its LQ is still shown, but it is never called a specialisation, an entry or what a
partner brings. A cell the source reports missing or confidential has no mass (unknown is
never counted).

Changes over time ("entered recently", RCA trends) compare multi-year windows: the LQ of the
mean of the :data:`WINDOW` (3) last years against that of the first years, and the cell must
have mass in *every* year of the recent window, so that a cell that jumps from 388 to 2,864
persons (Dorset and Somerset in C13, 2011-2014) is too small to judge rather than a finding.

References
----------
Balland, P.-A., Boschma, R., Crespo, J., Rigby, D. L. (2019). Smart specialization policy in the
European Union: relatedness, knowledge complexity and regional diversification. *Regional
Studies* 53(9), 1252-1268 (minimum size of a technology before its RTA is read).
Hidalgo, C. A., et al. (2007). The product space conditions the development of nations.
*Science* 317, 482-487 (RCA thresholds on averaged years to remove noise).
"""
from __future__ import annotations

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics import rca

#: Persons employed a cell needs before its LQ counts.
MIN_PERSONS = 1000.0
#: Share of the activity's total over the panel's regions a cell needs before its LQ counts.
MIN_EU_SHARE = 0.001
#: Years averaged by trends and entries.
WINDOW = 3


def check_floors(min_persons: float, min_eu_share: float) -> None:
    """An :class:`InputError` for a negative floor or a share above 1."""
    if not (min_persons >= 0):
        raise InputError(f"min_persons must be 0 or more, got {min_persons}", where="min_persons",
                         fix=f"e.g. {MIN_PERSONS:.0f} persons employed (0 turns the floor off)")
    if not (0 <= min_eu_share <= 1):
        raise InputError(f"min_eu_share must be between 0 and 1, got {min_eu_share}", where="min_eu_share",
                         fix=f"e.g. {MIN_EU_SHARE} (0.1% of the activity's total)")


def mass_mask(values: np.ndarray, missing=None, *, min_persons: float = MIN_PERSONS,
              min_eu_share: float = MIN_EU_SHARE) -> np.ndarray:
    """Cells with mass: ``X_ra >= min_persons`` and ``X_ra / X_.a >= min_eu_share``.

    Parameters
    ----------
    values : ndarray (n_regions, n_activities)
        Persons employed (missing cells as 0 or NaN).
    missing : ndarray of bool, optional
        Cells the source reports missing or confidential (never have mass).
    min_persons, min_eu_share : float
        The two floors (see the module docstring).

    Returns
    -------
    ndarray of bool, same shape as ``values``.
    """
    check_floors(min_persons, min_eu_share)
    X = np.nan_to_num(np.asarray(values, dtype=np.float64))
    total = X.sum(axis=0, keepdims=True)
    share = np.divide(X, total, out=np.zeros_like(X), where=total > 0)
    ok = (X >= min_persons) & (share >= min_eu_share) & (X > 0)
    if missing is not None:
        ok &= ~np.asarray(missing, dtype=bool)
    return ok


def window_years(years, end: int, window: int = WINDOW) -> list[int]:
    """The ``window`` years of ``years`` ending at ``end`` (fewer at the start of the panel)."""
    if window < 1:
        raise InputError(f"window must be at least 1, got {window}", where="window", fix=f"e.g. {WINDOW}")
    have = sorted(int(y) for y in years if int(y) <= int(end))
    return have[-window:]


def window_measures(panel, years: list[int], *, min_persons: float = MIN_PERSONS,
                    min_eu_share: float = MIN_EU_SHARE) -> dict:
    """LQ of the mean over ``years``, and where the cell has mass in every one of them.

    Parameters
    ----------
    panel : Panel
    years : list of int
        The window (e.g. :func:`window_years`).

    Returns
    -------
    dict
        ``mean`` (mean value over the years a cell is observed; NaN where never observed),
        ``lq`` (LQ of the means; NaN where unknown in any year of the window), ``mass``
        (bool: mass in every year of the window), ``unknown`` (bool: missing or confidential
        in some year of the window).
    """
    # kept on the panel (its matrices do not change): a profile of every region asks for the same windows
    cache = panel.__dict__.setdefault("_mass_windows", {})
    key = (tuple(int(y) for y in years), float(min_persons), float(min_eu_share))
    if key not in cache:
        cache[key] = _window_measures(panel, years, min_persons, min_eu_share)
    return cache[key]


def _window_measures(panel, years, min_persons: float, min_eu_share: float) -> dict:
    stack = np.stack([panel.dense(y) for y in years])
    unknown = np.stack([panel.missing[y].toarray() for y in years]).any(axis=0)
    masses = np.stack([mass_mask(panel.dense(y), panel.missing[y].toarray(), min_persons=min_persons,
                                 min_eu_share=min_eu_share) for y in years])
    mean = stack.mean(axis=0)
    lq = np.where(unknown, np.nan, rca(mean))
    return {"mean": np.where(unknown, np.nan, mean), "lq": lq, "mass": masses.all(axis=0), "unknown": unknown}
