"""The few largest eigenpairs of a small symmetric matrix, without holding the GIL.

``scipy.linalg.eigh`` holds Python's global interpreter lock while LAPACK runs, so the year-threads
of :func:`smartspec.measure_table.compute_panel` queue behind each other's eigensolver (about 3 ms
a year on 300 regions). The same LAPACK routine (``dsyevx``: Householder tridiagonalisation,
bisection and inverse iteration for the wanted eigenpairs) is called here through :mod:`ctypes`,
which releases the lock for the duration of a foreign call, from the OpenBLAS build that numpy's
wheels ship (its C interface, LAPACKE, with 64-bit integers). Where that library is not found
(a numpy built against another BLAS) ``scipy.linalg.eigh`` is used: same routine, same results.

From :data:`LANCZOS_MIN` rows on, the dense routine's tridiagonalisation (cubic in the size) costs
more than ARPACK's implicitly restarted Lanczos iteration (``scipy.sparse.linalg.eigsh``), whose
matrix-vector products are all it needs; on the synthetic 2,000 x 5,000 benchmark panel 0.17 s
against 0.23-0.28 s, the same eigenvectors to 2e-14. Unlike the dense routine, Lanczos holds the
GIL between its matrix-vector products (the products themselves release it).
"""
from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy as np

_COLUMN_MAJOR = 102  # LAPACK_COL_MAJOR: the symmetric input needs no transposition either way

#: Size from which :func:`top_eigenpairs` uses Lanczos. Measured on one core with the synthetic
#: panels of ``benchmarks/bench_measures.py`` (noise-like spectra, the slowest case for Lanczos):
#: 300 rows 2.5 ms dense against 3.7 ms Lanczos, 500 rows 7.7 against 7.0, 700 rows 18 against
#: 12, 1,000 rows 51 against 22, 2,000 rows 410 against 250.
LANCZOS_MIN = 700


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
        Symmetric, both triangles filled (below :data:`LANCZOS_MIN` rows only the lower one is
        read); not modified.
    k : int
        1 <= k <= n.

    Returns
    -------
    eigenvalues : numpy.ndarray (k,)
        Ascending, as :func:`scipy.linalg.eigh` returns them.
    eigenvectors : numpy.ndarray (n, k)
        Column i belongs to eigenvalue i (unit norm; the sign is the solver's).
    """
    n = G.shape[0]
    if n >= LANCZOS_MIN and k < n:
        found = _lanczos_top_eigenpairs(G, k)
        if found is not None:
            return found
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


def _lanczos_top_eigenpairs(G: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """ARPACK's Lanczos iteration to machine precision, or None if it does not converge."""
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    start = np.random.default_rng(0).random(G.shape[0])  # a fixed start: the same answer on every run
    try:
        lam, vec = eigsh(G, k=k, which="LA", v0=start, tol=0)
    except ArpackNoConvergence:  # left to the dense routine
        return None
    order = np.argsort(lam)
    return lam[order], vec[:, order]


def _scipy_top_eigenpairs(G: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The same routine through scipy (holding the GIL)."""
    from scipy.linalg import eigh

    n = G.shape[0]
    return eigh(G, subset_by_index=[n - k, n - 1], driver="evx")
