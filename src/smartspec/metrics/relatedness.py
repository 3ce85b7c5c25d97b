"""Relatedness between activities and the relatedness density of regions.

Proximity matrices are activity x activity; density is region x activity. Inputs are the
binary presence matrix ``M`` (regions x activities) or, for the continuous variant, RCA.
"""
from __future__ import annotations

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._products import prepared, weighted_presence_times_proximity


def _presence(M) -> np.ndarray:
    A = M.toarray() if hasattr(M, "toarray") else np.asarray(M, dtype=np.float64)
    A = A.astype(np.float64, copy=False)
    if A.ndim != 2:
        raise InputError("the presence matrix must be 2-D (regions x activities)")
    if not np.isin(A, (0.0, 1.0)).all():
        raise InputError("the presence matrix must hold only 0 and 1", fix="threshold RCA first (smartspec.metrics.presence)")
    return A


def _divide(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[~np.isfinite(out)] = 0.0
    return out


#: Rows of the proximity computed at a time (a block of 256 x 5,000 activities is 10 MB).
_BLOCK = 256

#: The ``method`` values of :func:`proximity`.
PROXIMITY_METHODS = ("min_cp", "asymmetric", "continuous", "cosine", "association", "jaccard")


def proximity(M, method: str = "min_cp", *, rca_values=None) -> np.ndarray:
    """Proximity (relatedness) between activities.

    Parameters
    ----------
    M : array-like, shape (n_regions, n_activities)
        Binary presence matrix.
    method : str
        ``"min_cp"`` minimum conditional probability (Hidalgo et al. 2007):
        :math:`\\phi_{ij} = C_{ij} / \\max(u_i, u_j)` with co-occurrences
        :math:`C = M^T M` and ubiquities :math:`u = \\mathrm{diag}(C)`.
        ``"asymmetric"`` conditional probability :math:`P(j \\mid i) = C_{ij} / u_i` (row i).
        ``"cosine"`` :math:`C_{ij} / \\sqrt{u_i u_j}`.
        ``"jaccard"`` :math:`C_{ij} / (u_i + u_j - C_{ij})`.
        ``"association"`` association strength (van Eck and Waltman 2009):
        :math:`C_{ij} \\, N / (u_i u_j)` with N the number of regions, divided by its maximum
        off-diagonal value so that it lies in [0, 1].
        ``"continuous"`` Pearson correlation of RCA columns (needs ``rca_values``), negative
        correlations set to 0.

    Returns
    -------
    numpy.ndarray, shape (n_activities, n_activities)
        Proximity with ones on the diagonal for activities present somewhere.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). The product space
    conditions the development of nations. Science, 317(5837), 482-487.
    van Eck, N. J., Waltman, L. (2009). How to normalize cooccurrence data? JASIST 60(8).
    """
    if method == "continuous":
        if rca_values is None:
            raise InputError("continuous proximity needs RCA values", fix="pass rca_values=")
        R = np.asarray(rca_values, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.corrcoef(R, rowvar=False)
        phi = np.nan_to_num(phi, nan=0.0)
        phi[phi < 0] = 0.0
        np.fill_diagonal(phi, 1.0)
        return phi
    A = _presence(M)
    # Co-occurrence counts are integers: float32 products are exact below 2**24 regions.
    exact32 = A.shape[0] < 2**24
    A32 = A.astype(np.float32)
    C32 = A32.T @ A32 if exact32 else A.T @ A
    del A32
    u = np.diag(C32).astype(np.float64)
    if method == "min_cp":
        # divided block by block into the float64 result, whose block holds the denominators first:
        # no float64 copy of the counts and no matrix of denominators (on 5,000 activities each
        # would add 200 MB), and a plain division (with where=, numpy's is 2-3 times slower)
        C = np.empty(C32.shape)
        with np.errstate(invalid="ignore"):
            for start in range(0, len(u), _BLOCK):
                rows = slice(start, start + _BLOCK)
                np.maximum(u[rows, None], u[None, :], out=C[rows])
                np.divide(C32[rows], C[rows], out=C[rows])
        absent = np.flatnonzero(u == 0)  # 0 / 0 between two activities present nowhere
        C[np.ix_(absent, absent)] = 0.0
        return C
    C = C32.astype(np.float64, copy=False)
    del C32
    if method == "asymmetric":
        return _divide(C, np.broadcast_to(u[:, None], C.shape).copy())
    if method == "cosine":
        return _divide(C, np.sqrt(np.outer(u, u)))
    if method == "jaccard":
        return _divide(C, u[:, None] + u[None, :] - C)
    if method == "association":
        s = _divide(C * A.shape[0], np.outer(u, u))
        off = s.copy()
        np.fill_diagonal(off, 0.0)
        top = off.max() if off.size else 0.0
        s = s / top if top > 0 else s
        np.fill_diagonal(s, np.where(u > 0, 1.0, 0.0))
        return np.clip(s, 0.0, 1.0)
    raise InputError(f"unknown proximity method {method!r}",
                     fix="use min_cp, asymmetric, cosine, jaccard, association or continuous")


def knn_proximity(phi, k: int) -> np.ndarray:
    r"""Keep, for each activity, only its ``k`` nearest neighbours (largest proximities).

    .. math:: \phi^{(k)}_{ij} = \phi_{ij} \, 1[j \in N_k(i)] \text{ for } i \ne j, \qquad
              \phi^{(k)}_{ii} = \phi_{ii}

    with :math:`N_k(i)` the k activities of largest off-diagonal proximity in row i (ties broken
    by column order). The result is not symmetric in general. Used in :func:`density` it gives a
    share in [0, 1] (normalised by the kept proximities), not a count of neighbours.

    Parameters
    ----------
    phi : array-like (n_activities, n_activities)
        Proximity.
    k : int
        Number of neighbours, 1 <= k < n_activities.

    Returns
    -------
    numpy.ndarray (n_activities, n_activities)

    References
    ----------
    Hausmann, R., Hidalgo, C. A., et al. (2011). The Atlas of Economic Complexity (the ``knn``
    option of the Growth Lab's Stata ``ecomplexity`` command).
    """
    P = np.asarray(phi, dtype=np.float64)
    n = P.shape[0]
    if not 1 <= k < n:
        raise InputError(f"k must be between 1 and {n - 1}, got {k}")
    off = P.copy()
    np.fill_diagonal(off, -np.inf)
    idx = np.argpartition(-off, k - 1, axis=1)[:, :k]
    out = np.zeros_like(P)
    rows = np.repeat(np.arange(n), k)
    out[rows, idx.ravel()] = P[rows, idx.ravel()]
    np.fill_diagonal(out, np.diag(P))
    return out


def density(M, phi, *, include_self: bool = True) -> np.ndarray:
    """Relatedness density of each region around each activity.

    .. math:: d_{ra} = \\frac{\\sum_{a'} M_{ra'} \\phi_{a'a}}{\\sum_{a'} \\phi_{a'a}}

    Parameters
    ----------
    M : array-like, shape (n_regions, n_activities)
        Binary presence matrix.
    phi : array-like, shape (n_activities, n_activities), or PreparedProximity
        Proximity (``phi[a', a]`` relates activity a' to a); prepared
        (:class:`smartspec.metrics._products.PreparedProximity`), its float32 copy is shared
        with :func:`~smartspec.metrics.outlook_and_gain`.
    include_self : bool
        If True (the ``ecomplexity`` package's form) the sums include ``a' = a``, so a region
        specialised in ``a`` gets a higher density in ``a`` itself; if False (the Stata
        original and Hidalgo et al. 2007) the activity itself is left out.

    Returns
    -------
    numpy.ndarray in [0, 1], shape (n_regions, n_activities). Weighted k-nearest-neighbour
    proximities (:func:`knn_proximity`) give a share in [0, 1] too, never a count.
    """
    A = _presence(M)
    shared = prepared(phi)
    P = shared.values
    if P.shape != (A.shape[1], A.shape[1]):
        raise InputError(f"proximity has shape {P.shape}, expected {(A.shape[1], A.shape[1])}")
    diag = np.diag(P).copy()
    col = shared.column_sums
    num = weighted_presence_times_proximity(A, shared)  # float32 product: see _products for the accuracy
    if not include_self:  # remove the a' = a terms without copying the proximity
        num -= A * diag[None, :]
        col = col - diag
    np.divide(num, col[None, :], out=num, where=col[None, :] > 0)
    num[:, col <= 0] = 0.0
    return np.clip(num, 0.0, 1.0, out=num)  # a share: remove rounding above 1
