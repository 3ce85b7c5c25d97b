"""Structure of a region's economy: Krugman specialisation index, entropy, related and
unrelated variety."""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.errors import InputError
from smartspec.metrics.specialisation import as_dense


def _shares(A: np.ndarray) -> np.ndarray:
    tot = A.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, A / tot, 0.0)


def krugman_index(X) -> np.ndarray:
    r"""Krugman specialisation index of each region against the rest of the sample.

    .. math:: K_r = \sum_a \left| s_{ra} - \bar s_{-r,a} \right|

    with :math:`s_{ra}` the activity shares of region r and :math:`\bar s_{-r,a}` those of all
    other regions pooled. 0 for identical structures, up to 2 for disjoint ones.

    Parameters
    ----------
    X : array-like or sparse (n_regions, n_activities)
        Non-negative values (employment, exports).

    Returns
    -------
    numpy.ndarray (n_regions,)

    References
    ----------
    Krugman, P. (1991). Geography and Trade. MIT Press.
    """
    A = as_dense(X)
    rest = A.sum(axis=0, keepdims=True) - A
    return np.abs(_shares(A) - _shares(rest)).sum(axis=1)


def entropy(X) -> np.ndarray:
    r"""Shannon entropy of each region's activity shares.

    .. math:: H_r = -\sum_a s_{ra} \ln s_{ra}

    Parameters
    ----------
    X : array-like or sparse (n_regions, n_activities)
        Non-negative values.

    Returns
    -------
    numpy.ndarray (n_regions,)
        0 for a region active in one activity, :math:`\ln n` for equal shares in n.

    References
    ----------
    Frenken, K., van Oort, F., Verburg, T. (2007). Related variety, unrelated variety and
    regional economic growth. Regional Studies 41(5), 685-697.
    """
    S = _shares(as_dense(X))
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(S > 0, S * np.log(S), 0.0).sum(axis=1)


def related_unrelated_variety(X, groups) -> pd.DataFrame:
    """Related and unrelated variety (Frenken, van Oort and Verburg 2007).

    Activities are grouped in a coarser classification (for NACE divisions, their section).
    Unrelated variety is the entropy of the group shares; related variety is the share-weighted
    entropy within groups:

    .. math:: UV_r = \\sum_g P_{rg} \\ln \\frac{1}{P_{rg}}, \\qquad
              RV_r = \\sum_g P_{rg} H_{rg}, \\quad H_{rg} = \\sum_{a \\in g} \\frac{s_{ra}}{P_{rg}}
              \\ln \\frac{P_{rg}}{s_{ra}}

    Total entropy equals UV + RV (the decomposition theorem).

    Parameters
    ----------
    X : array-like (n_regions, n_activities)
    groups : sequence (n_activities,)
        Group label of every activity.

    Returns
    -------
    DataFrame with columns ``related_variety``, ``unrelated_variety``, ``entropy`` (one row per region).

    References
    ----------
    Frenken, K., van Oort, F., Verburg, T. (2007). Related variety, unrelated variety and
    regional economic growth. Regional Studies 41(5), 685-697.
    """
    A = as_dense(X)
    g = pd.Index(np.asarray(groups))
    if len(g) != A.shape[1]:
        raise InputError(f"groups has {len(g)} labels for {A.shape[1]} activities")
    codes, uniques = pd.factorize(g)
    G = np.zeros((A.shape[1], len(uniques)))
    G[np.arange(A.shape[1]), codes] = 1.0
    S = _shares(A)
    P = S @ G
    with np.errstate(divide="ignore", invalid="ignore"):
        uv = -np.where(P > 0, P * np.log(P), 0.0).sum(axis=1)
        Pa = P @ G.T  # each activity's group share
        rv = np.where(S > 0, S * np.log(np.where(S > 0, Pa / S, 1.0)), 0.0).sum(axis=1)
    return pd.DataFrame({"related_variety": rv, "unrelated_variety": uv, "entropy": uv + rv})
