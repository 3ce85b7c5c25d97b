"""The few largest eigenpairs of a small symmetric matrix, without holding the GIL.

``scipy.linalg.eigh`` holds Python's global interpreter lock while LAPACK runs, so the year-threads
of :func:`smartspec.measure_table.compute_panel` queue behind each other's eigensolver (about 3 ms
a year on 300 regions). The same LAPACK routine (``dsyevx``: Householder tridiagonalisation,
bisection and inverse iteration for the wanted eigenpairs) is called here through :mod:`ctypes`,
which releases the lock for the duration of a foreign call, from the OpenBLAS build that numpy's
wheels ship (its C interface, LAPACKE, with 64-bit integers). Where that library is not found
(a numpy built against another BLAS) ``scipy.linalg.eigh`` is used: same routine, same results.
"""
from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy as np

_COLUMN_MAJOR = 102  # LAPACK_COL_MAJOR: the symmetric input needs no transposition either way


@functools.lru_cache(maxsize=1)
def _dsyevx():
    """LAPACKE_dsyevx of numpy's bundled OpenBLAS, or None."""
    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas64_*.so"))
    if not libs:
        return None
    try:
        fn = ctypes.CDLL(str(libs[0])).scipy_LAPACKE_dsyevx64_
    except (OSError, AttributeError):
        return None
    i64, dbl, ptr = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
    fn.restype = i64
    # layout, jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, ifail
    fn.argtypes = [ctypes.c_int, ctypes.c_char, ctypes.c_char, ctypes.c_char, i64, ptr, i64, dbl, dbl, i64, i64,
                   dbl, ctypes.POINTER(i64), ptr, ptr, i64, ptr]
    return fn


def top_eigenpairs(G: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest eigenvalues of the symmetric matrix ``G`` and their eigenvectors.

    Parameters
    ----------
    G : numpy.ndarray (n, n)
        Symmetric (only its lower triangle is read); not modified.
    k : int
        1 <= k <= n.

    Returns
    -------
    eigenvalues : numpy.ndarray (k,)
        Ascending, as :func:`scipy.linalg.eigh` returns them.
    eigenvectors : numpy.ndarray (n, k)
        Column i belongs to eigenvalue i (unit norm; the sign is LAPACK's).
    """
    n = G.shape[0]
    fn = _dsyevx()
    if fn is None:
        return _scipy_top_eigenpairs(G, k)
    a = np.array(G, dtype=np.float64, order="F")  # LAPACK overwrites its input
    w = np.empty(n)
    z = np.empty((k, n))  # column-major n x k
    ifail = np.empty(n, dtype=np.int64)
    found = ctypes.c_int64(0)
    info = fn(_COLUMN_MAJOR, b"V", b"I", b"L", n, a.ctypes.data, n, 0.0, 0.0, n - k + 1, n, 0.0,
              ctypes.byref(found), w.ctypes.data, z.ctypes.data, n, ifail.ctypes.data)
    if info != 0 or found.value != k:  # not expected on a Gram matrix; let scipy raise its own error
        return _scipy_top_eigenpairs(G, k)
    return w[:k], z.T


def _scipy_top_eigenpairs(G: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The same routine through scipy (holding the GIL)."""
    from scipy.linalg import eigh

    n = G.shape[0]
    return eigh(G, subset_by_index=[n - k, n - 1], driver="evx")
