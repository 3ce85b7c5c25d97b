"""The GIL-free eigensolver of the Gram matrix against scipy's, and its fallback."""
import threading
import time

import numpy as np
import pytest
from scipy.linalg import eigh

from smartspec.metrics import _eigen
from smartspec.metrics._eigen import top_eigenpairs


def _gram(seed: int, n_r: int = 120, n_a: int = 300) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = (rng.random((n_r, n_a)) < 0.3).astype(float)
    A = A[A.sum(axis=1) > 0][:, A.sum(axis=0) > 0]
    N = A / np.sqrt(A.sum(axis=1))[:, None] / np.sqrt(A.sum(axis=0))[None, :]
    return N @ N.T


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 3])
def test_same_eigenpairs_as_scipy(seed, k):
    G = _gram(seed)
    before = G.copy()
    lam, vec = top_eigenpairs(G, k)
    n = G.shape[0]
    ref_lam, ref_vec = eigh(G, subset_by_index=[n - k, n - 1], driver="evx")
    np.testing.assert_allclose(lam, ref_lam, rtol=0, atol=1e-13)
    # eigenvectors up to sign
    np.testing.assert_allclose(np.abs(vec), np.abs(ref_vec), rtol=0, atol=1e-10)
    np.testing.assert_allclose(G @ vec, vec * lam, atol=1e-12)
    assert np.array_equal(G, before)  # the input is not overwritten


def test_the_bundled_lapack_is_used():
    # numpy's wheels (pinned in pyproject.toml) ship OpenBLAS with LAPACKE: the GIL-free path is taken
    assert _eigen._dsyevx() is not None


def test_fallback_without_the_library(monkeypatch):
    G = _gram(7)
    monkeypatch.setattr(_eigen, "_dsyevx", lambda: None)
    lam, vec = top_eigenpairs(G, 3)
    n = G.shape[0]
    ref_lam, _ = eigh(G, subset_by_index=[n - 3, n - 1], driver="evx")
    np.testing.assert_allclose(lam, ref_lam, atol=1e-13)


def test_releases_the_gil():
    """While one thread is in the eigensolver, another thread keeps running Python code."""
    G = _gram(3, n_r=600, n_a=1200)
    top_eigenpairs(G, 3)
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.perf_counter())

    t0 = time.perf_counter()
    top_eigenpairs(G, 3)
    alone = time.perf_counter() - t0
    worker = threading.Thread(target=count)
    worker.start()
    time.sleep(0.01)
    start = time.perf_counter()
    top_eigenpairs(G, 3)
    end = time.perf_counter()
    done.set()
    worker.join()
    during = [t for t in ticks if start <= t <= end]
    # with the GIL held the counter thread would be stuck for the whole call (a 5 ms switch
    # interval at most lets it in once or twice); released, it ticks thousands of times
    assert alone > 0.005 and len(during) > 100


def test_lanczos_from_its_size_on_gives_the_dense_eigenpairs():
    G = _gram(11, n_r=_eigen.LANCZOS_MIN + 50, n_a=1500)
    n = G.shape[0]
    lam, vec = top_eigenpairs(G, 3)
    ref_lam, ref_vec = eigh(G, subset_by_index=[n - 3, n - 1], driver="evx")
    np.testing.assert_allclose(lam, ref_lam, rtol=0, atol=1e-13)
    np.testing.assert_allclose(np.abs(vec), np.abs(ref_vec), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(vec, top_eigenpairs(G, 3)[1])  # a fixed start: the same vectors every run


def test_lanczos_without_convergence_falls_back_to_the_dense_routine(monkeypatch):
    import scipy.sparse.linalg as sla

    def no_convergence(*args, **kwargs):
        raise sla.ArpackNoConvergence("no convergence", np.empty(0), np.empty((0, 0)))

    monkeypatch.setattr(sla, "eigsh", no_convergence)
    G = _gram(12, n_r=_eigen.LANCZOS_MIN + 10, n_a=1400)
    n = G.shape[0]
    lam, _ = top_eigenpairs(G, 3)
    np.testing.assert_allclose(lam, eigh(G, subset_by_index=[n - 3, n - 1], driver="evx")[0], atol=1e-13)
