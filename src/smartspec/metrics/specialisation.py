"""Specialisation: revealed comparative advantage (location quotient) and presence.

All functions take a region x activity matrix ``X`` (rows regions, columns activities) as a
dense array or a scipy sparse matrix, and return dense float arrays of the same shape.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from smartspec.errors import InputError


def as_dense(X, name: str = "X") -> np.ndarray:
    """Validate a 2-D non-negative value matrix and return it as a dense float64 array."""
    A = X.toarray() if sp.issparse(X) else np.asarray(X, dtype=np.float64)
    A = A.astype(np.float64, copy=False)
    if A.ndim != 2:
        raise InputError(f"{name} must be a 2-D region x activity matrix, got {A.ndim} dimension(s)")
    if np.isnan(A).any():
        raise InputError(f"{name} holds NaN values", fix="replace missing cells by 0 (or drop them) before computing measures")
    if (A < 0).any():
        raise InputError(f"{name} holds negative values", fix="measures of specialisation need non-negative values (counts, employment, exports)")
    return A


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[~np.isfinite(out)] = 0.0
    return out


def rca(X) -> np.ndarray:
    """Revealed comparative advantage (Balassa index), also called the location quotient.

    .. math:: RCA_{ra} = \\frac{X_{ra} / \\sum_{a'} X_{ra'}}{\\sum_{r'} X_{r'a} / \\sum_{r'a'} X_{r'a'}}

    Parameters
    ----------
    X : array-like or sparse matrix, shape (n_regions, n_activities)
        Non-negative values (employment, exports, patents).

    Returns
    -------
    numpy.ndarray
        RCA values; 0 where a region or an activity has a zero total (undefined ratio).

    References
    ----------
    Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage.
    The Manchester School, 33(2), 99-123.
    """
    A = as_dense(X)
    region_share = _safe_divide(A, A.sum(axis=1, keepdims=True))
    activity_share = _safe_divide(A.sum(axis=0, keepdims=True), np.array([[A.sum()]]))
    return _safe_divide(region_share, activity_share)


def rpop(X, population) -> np.ndarray:
    """Population-based revealed comparative advantage (RPOP).

    .. math:: RPOP_{ra} = \\frac{X_{ra} / P_r}{\\sum_{r'} X_{r'a} / \\sum_{r'} P_{r'}}

    Parameters
    ----------
    X : array-like, shape (n_regions, n_activities)
    population : array-like, shape (n_regions,)
        Positive population of each region.

    References
    ----------
    Hausmann, R., Hidalgo, C. A., et al. (2011). The Atlas of Economic Complexity. MIT Press.
    """
    A = as_dense(X)
    pop = np.asarray(population, dtype=np.float64).ravel()
    if pop.shape[0] != A.shape[0]:
        raise InputError(f"population has {pop.shape[0]} values for {A.shape[0]} regions")
    if np.isnan(pop).any() or (pop <= 0).any():
        raise InputError("population must be positive for every region", fix="give a population for each region")
    per_capita = A / pop[:, None]
    world = _safe_divide(A.sum(axis=0, keepdims=True), np.array([[pop.sum()]]))
    return _safe_divide(per_capita, world)


def presence(rca_values, threshold: float = 1.0, *, rpop_values=None, rpop_threshold: float = 1.0,
             method: str = "rca", strict: bool = False) -> np.ndarray:
    """Binary presence matrix M (1 where a region is specialised in an activity).

    Parameters
    ----------
    rca_values : array-like
        RCA matrix (see :func:`rca`).
    threshold : float
        M = 1 where RCA >= threshold (default 1).
    rpop_values : array-like, optional
        RPOP matrix, required by ``method="rpop"`` and ``"both"``.
    method : {"rca", "rpop", "both"}
        ``"both"`` means RCA *or* RPOP above its threshold; the result is still 0/1
        (never 2, unlike tools that add the two tests).
    strict : bool
        Presence where the value is strictly above the threshold (the Stata ``ecomplexity``
        command's ``RCA > 1``) instead of at or above it (the Python package's ``RCA >= 1``).

    Returns
    -------
    numpy.ndarray of float64 with values 0.0 and 1.0.
    """
    R = np.asarray(rca_values, dtype=np.float64)
    above = np.greater if strict else np.greater_equal
    if method == "rca":
        return above(R, threshold).astype(np.float64)
    if rpop_values is None:
        raise InputError(f"presence method {method!r} needs RPOP values", fix="pass a population table")
    P = np.asarray(rpop_values, dtype=np.float64)
    if method == "rpop":
        return above(P, rpop_threshold).astype(np.float64)
    if method == "both":
        return (above(R, threshold) | above(P, rpop_threshold)).astype(np.float64)
    raise InputError(f"unknown presence method {method!r}", fix="use 'rca', 'rpop', 'both' or a manual presence column")


def continuous_rca(rca_values) -> np.ndarray:
    r"""Symmetric (continuous) RCA.

    .. math:: \frac{RCA - 1}{RCA + 1} \in [-1, 1)

    Parameters
    ----------
    rca_values : array-like
        RCA (see :func:`rca`).

    Returns
    -------
    numpy.ndarray of the same shape.

    References
    ----------
    Laursen, K. (2015). Revealed comparative advantage and the alternatives as measures of
    international specialization. Eurasian Business Review 5, 99-115.
    """
    R = np.asarray(rca_values, dtype=np.float64)
    return (R - 1.0) / (R + 1.0)
