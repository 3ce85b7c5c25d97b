"""Input-output analysis: technical coefficients, Leontief inverse, multipliers, linkages.

Notation: ``Z`` the inter-industry flow matrix (``Z[i, j]`` is what sector j buys from
sector i), ``x`` total output by sector, ``A = Z diag(x)^-1`` the technical coefficients,
``L = (I - A)^-1`` the Leontief inverse.

References
----------
Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions, 2nd ed.
Cambridge University Press (ch. 2 and 6).
Rasmussen, P. N. (1956). Studies in Inter-sectoral Relations. North-Holland.
Office for National Statistics (2014). UK input-output analytical tables: methodology
(Type I multipliers and effects).
"""
from __future__ import annotations

import numpy as np

from smartspec.errors import InputError


def _square(Z, name="Z") -> np.ndarray:
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
        raise InputError(f"{name} must be a square sector x sector matrix, got shape {Z.shape}")
    if np.isnan(Z).any():
        raise InputError(f"{name} holds NaN values", fix="fill missing flows with 0")
    return Z


def _per_sector(values, n: int, name: str, verb: str = "has") -> np.ndarray:
    """``values`` as a float vector of one value per sector of an ``n`` x ``n`` matrix (InputError otherwise)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.shape[0] != n:
        raise InputError(f"{name} {verb} {v.shape[0]} values for {n} sectors")
    return v


def technical_coefficients(Z, output) -> np.ndarray:
    r"""Technical (input) coefficients.

    .. math:: a_{ij} = z_{ij} / x_j

    Parameters
    ----------
    Z : array-like (n, n)
        Inter-industry flows, ``Z[i, j]`` bought by sector j from sector i.
    output : array-like (n,)
        Total output of each sector.

    Returns
    -------
    numpy.ndarray (n, n)
        ``A``; the columns of sectors with zero output are 0.

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 2.
    """
    return _per_unit_of_output(Z, output, axis=0)


def allocation_coefficients(Z, output) -> np.ndarray:
    r"""Output (allocation) coefficients of the Ghosh model.

    .. math:: b_{ij} = z_{ij} / x_i

    Parameters
    ----------
    Z, output : array-like (n, n), (n,)
        As for :func:`technical_coefficients`; here each row ``i`` is divided by ``x_i``.

    Returns
    -------
    numpy.ndarray (n, n)
        ``B``; the rows of sectors with zero output are 0.

    References
    ----------
    Ghosh, A. (1958). Input-output approach in an allocation system. Economica 25(97).
    """
    return _per_unit_of_output(Z, output, axis=1)


def _per_unit_of_output(Z, output, axis: int) -> np.ndarray:
    """``Z`` divided by the output of the buying sector (``axis=0``: columns) or of the selling
    one (``axis=1``: rows); 0 where that output is 0."""
    Z = _square(Z)
    x = _per_sector(output, Z.shape[0], "output")
    x = x[None, :] if axis == 0 else x[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, Z / x, 0.0)


def leontief_inverse(A) -> np.ndarray:
    r"""Leontief inverse.

    .. math:: L = (I - A)^{-1}

    Parameters
    ----------
    A : array-like (n, n)
        Technical coefficients (:func:`technical_coefficients`).

    Returns
    -------
    numpy.ndarray (n, n)

    Raises
    ------
    InputError
        If ``I - A`` is singular.

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 2.
    """
    A = _square(A, "A")
    try:
        return np.linalg.inv(np.eye(A.shape[0]) - A)
    except np.linalg.LinAlgError:
        raise InputError("I - A is singular: the coefficients do not describe a productive economy",
                         fix="check that flows and output are in the same units and output covers inputs") from None


def output_multipliers(L) -> np.ndarray:
    r"""Type I output multipliers: the column sums of the Leontief inverse.

    .. math:: m_j = \sum_i l_{ij}

    Parameters
    ----------
    L : array-like (n, n)
        Leontief inverse.

    Returns
    -------
    numpy.ndarray (n,)

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 6.
    """
    return _square(L, "L").sum(axis=0)


def effects(L, coefficients) -> np.ndarray:
    r"""Type I effects of a per-unit-of-output coefficient (value added, employment cost, jobs).

    .. math:: e_j = \sum_i c_i l_{ij}, \qquad c_i = \frac{\text{value}_i}{x_i}

    Parameters
    ----------
    L : array-like (n, n)
        Leontief inverse.
    coefficients : array-like (n,)
        The quantity per unit of output of each sector.

    Returns
    -------
    numpy.ndarray (n,)
        What one unit of final demand for each sector generates in the whole economy.

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 6; ONS (2014), UK input-output analytical tables: methodology.
    """
    L = _square(L, "L")
    return _per_sector(coefficients, L.shape[0], "coefficients", "have") @ L


def input_multipliers(L, coefficients) -> np.ndarray:
    r"""Type I multipliers of value added, employment cost or employment.

    .. math:: \mu_j = e_j / c_j

    with :math:`e` the effects (:func:`effects`).

    Parameters
    ----------
    L, coefficients : array-like (n, n), (n,)
        As for :func:`effects`: the Leontief inverse and the quantity per unit of output.

    Returns
    -------
    numpy.ndarray (n,)
        NaN for sectors whose own coefficient is zero (the ratio is undefined).

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 6.
    """
    c = np.asarray(coefficients, dtype=np.float64).ravel()
    e = effects(L, c)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c != 0, e / np.where(c != 0, c, 1.0), np.nan)


def backward_linkages(L) -> np.ndarray:
    r"""Rasmussen's normalised backward linkage (power of dispersion).

    .. math:: BL_j = \frac{\sum_i l_{ij}}{\frac{1}{n} \sum_{ij} l_{ij}}

    Above 1, the sector pulls more than the average on its suppliers.

    Parameters
    ----------
    L : array-like (n, n)
        Leontief inverse.

    Returns
    -------
    numpy.ndarray (n,), mean 1.

    References
    ----------
    Rasmussen, P. N. (1956). Studies in Inter-sectoral Relations. North-Holland.
    """
    m = output_multipliers(L)
    return m / m.mean()


def forward_linkages(Z, output) -> np.ndarray:
    r"""Normalised forward linkage (sensitivity of dispersion) from the Ghosh inverse.

    .. math:: FL_i = \frac{\sum_j g_{ij}}{\frac{1}{n} \sum_{ij} g_{ij}}, \qquad G = (I - B)^{-1}

    with B the allocation coefficients (:func:`allocation_coefficients`).

    Parameters
    ----------
    Z : array-like (n, n)
        Inter-industry flows.
    output : array-like (n,)
        Total output of each sector.

    Returns
    -------
    numpy.ndarray (n,), mean 1.

    References
    ----------
    Miller, R. E., Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions,
    2nd ed. Cambridge University Press, ch. 12.
    """
    B = allocation_coefficients(Z, output)
    G = leontief_inverse(B)
    r = G.sum(axis=1)
    return r / r.mean()
