"""The presence x proximity matrix product that density and COG are made of.

Both are one product of a region x activity matrix with the activity x activity proximity per
year: on 2,000 regions x 5,000 activities each is 5e10 multiply-adds, most of the time of
:func:`smartspec.measure_table.compute`. They are computed in float32 (single-precision BLAS,
twice the float64 throughput and half the memory traffic), the result returned in float64.

Accuracy: against the float64 product, a density (a share in [0, 1]) moves by at most 2.1e-7
and COG by 1.9e-7 on the real trade and SBS data (docs/methods.md, section 7), checked against
``ecomplexity`` and ``economic-complexity`` to 1e-6 in the test suite: the tolerance issue 3 set
for density, COI and COG. Rankings by density that differ by less than that are ties to any
reader.
"""
from __future__ import annotations

import numpy as np


class PreparedProximity:
    """A proximity matrix with what its products need, computed once for density and COG.

    Both products centre the same proximity on its column means and cast it to float32 (on
    5,000 activities, 40 ms and 100 MB); :func:`smartspec.measure_table.compute` wraps a year's
    proximity once and passes the wrapper to :func:`~smartspec.metrics.density` and
    :func:`~smartspec.metrics.outlook_and_gain`, which accept it wherever they accept the array.
    The array must not change while the wrapper is in use.

    Parameters
    ----------
    phi : array-like (n_activities, n_activities)
        Proximity (any real square matrix).

    Attributes
    ----------
    values : numpy.ndarray (n_activities, n_activities), float64
        The proximity itself (the same object when ``phi`` is already a float64 array).
    column_sums : numpy.ndarray (n_activities,)
        ``values.sum(axis=0)``.
    """

    def __init__(self, phi):
        self.values = np.asarray(phi, dtype=np.float64)
        self.column_sums = self.values.sum(axis=0)
        self._centred = None

    def centred_float32(self) -> tuple[np.ndarray, np.ndarray]:
        """``(values - means, means)``: the columns centred on their means, in float32, and the means."""
        if self._centred is None:
            means = self.column_sums / max(self.values.shape[0], 1)
            self._centred = np.subtract(self.values, means[None, :], dtype=np.float32), means
        return self._centred


def prepared(phi) -> PreparedProximity:
    """``phi`` itself if it is a :class:`PreparedProximity`, else a new one wrapping it."""
    return phi if isinstance(phi, PreparedProximity) else PreparedProximity(phi)


def weighted_presence_times_proximity(weights: np.ndarray, phi) -> np.ndarray:
    """``weights @ phi`` computed in float32, returned in float64.

    The rounding that matters is not the inputs' (1.5e-8 on a density) but the float32 running
    sums (9e-7 on the trade data's densities, whose numerators reach 80 over 400 terms). So the
    product is taken with each proximity column centred on its mean, whose sums stay near 0,
    and the mean added back in float64: ``W (phi - c) + (W 1) c``.

    Parameters
    ----------
    weights : numpy.ndarray (n_regions, n_activities)
        A presence matrix, or a presence matrix times a weight per activity.
    phi : array-like (n_activities, n_activities) or PreparedProximity
        Proximity (any real matrix); prepared, its centred float32 copy is made once for every
        product with it.

    Returns
    -------
    numpy.ndarray (n_regions, n_activities), float64
    """
    from scipy.linalg import blas  # here, not at import: the CLI's start-up does not pay for it

    W = np.asarray(weights)
    centred, centre = prepared(phi).centred_float32()
    product = (W.astype(np.float32, copy=False) @ centred).astype(np.float64)
    # + (W 1) c^T in place: BLAS dger on the column-major view, no regions x activities temporary
    if product.size:
        blas.dger(1.0, centre, W.sum(axis=1, dtype=np.float64), a=product.T, overwrite_a=True)
    return product
