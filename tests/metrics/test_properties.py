"""Property tests of the eigenvector definition of ECI/PCI and of the two solvers."""
import importlib
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartspec.metrics import complexity, density, proximity

cx_module = importlib.import_module("smartspec.metrics.complexity")  # the module, not the function

binary = arrays(np.float64, st.tuples(st.integers(5, 30), st.integers(5, 40)),
                elements=st.sampled_from([0.0, 1.0, 1.0]))


@settings(max_examples=50, deadline=None)
@given(binary)
def test_eci_and_pci_are_the_eigenvectors(M):
    """ECI is an eigenvector of Mtilde_rr' = D_r^-1 M D_a^-1 M^T, PCI of D_a^-1 M^T D_r^-1 M, with
    the second largest eigenvalue, and ECI (raw) is the mean PCI (raw) of a region's activities."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cx = complexity(M)
    ok_r, ok_a = ~np.isnan(cx.eci_raw), ~np.isnan(cx.pci_raw)
    assume(ok_r.sum() >= 3 and ok_a.sum() >= 3 and cx.spectral_gap > 1e-6)
    assume(np.all(cx.component[ok_r] == cx.component[ok_r][0]))
    A = M[np.ix_(ok_r, ok_a)]
    assume(A.sum(1).min() > 0 and A.sum(0).min() > 0)
    kr, ka = A.sum(1), A.sum(0)
    e, p = cx.eci_raw[ok_r], cx.pci_raw[ok_a]
    lam = cx.singular_values[1] ** 2
    Mrr = (A / kr[:, None]) @ (A / ka[None, :]).T
    Maa = (A / ka[None, :]).T @ (A / kr[:, None])
    np.testing.assert_allclose(Mrr @ e, lam * e, atol=1e-8 * max(1.0, np.abs(e).max()))
    np.testing.assert_allclose(Maa @ p, lam * p, atol=1e-8 * max(1.0, np.abs(p).max()))
    np.testing.assert_allclose(e, (A @ p) / kr, atol=1e-12)
    # standardised ECI correlates positively with diversity (the sign convention) unless undefined
    if kr.std() > 0 and abs(np.corrcoef(e, kr)[0, 1]) > 1e-9:
        assert np.corrcoef(cx.eci[ok_r], kr)[0, 1] > 0


@settings(max_examples=40, deadline=None)
@given(binary)
def test_density_is_a_share(M):
    phi = proximity(M)
    for include_self in (True, False):
        d = density(M, phi, include_self=include_self)
        assert np.all((d >= 0) & (d <= 1))


def test_sparse_svd_and_gram_paths_agree(trade_presence, monkeypatch):
    """Above 1,200 rows and columns the eigenvectors come from ARPACK: same answer as the Gram path."""
    gram = complexity(trade_presence)
    monkeypatch.setattr(cx_module, "_GRAM_MAX", 10)
    arpack = complexity(trade_presence)
    np.testing.assert_allclose(arpack.eci, gram.eci, atol=1e-8)
    np.testing.assert_allclose(arpack.pci, gram.pci, atol=1e-8)
    assert arpack.spectral_gap == pytest.approx(gram.spectral_gap, abs=1e-10)


def test_min_cp_proximity_by_blocks_is_the_textbook_formula(trade_presence, monkeypatch):
    """Blocks of 7 rows (785 products: the last block is short) give phi = C / max(u_i, u_j) with
    C = M^T M, computed here in one float64 expression."""
    monkeypatch.setattr(importlib.import_module("smartspec.metrics.relatedness"), "_BLOCK", 7)
    C = trade_presence.T @ trade_presence
    u = np.diag(C)
    den = np.maximum.outer(u, u)
    want = np.divide(C, den, out=np.zeros_like(C), where=den > 0)
    np.testing.assert_allclose(proximity(trade_presence, "min_cp"), want, rtol=0, atol=1e-15)


def test_fitness_complexity_is_the_plain_iteration(trade_presence):
    """Tacchella et al.'s map written as two plain loops, with the same stopping rule."""
    from smartspec.metrics.complexity import fitness_complexity, trim

    rows, cols = trim(trade_presence)
    A = trade_presence[np.ix_(rows, cols)]
    F, Q = np.ones(A.shape[0]), np.ones(A.shape[1])
    for _ in range(1000):
        F_new = A @ Q
        Q_new = 1.0 / (A.T @ (1.0 / F))
        F_new, Q_new = F_new / F_new.mean(), Q_new / Q_new.mean()
        change = max(np.abs(np.log(F_new / F)).max(), np.abs(np.log(Q_new / Q)).max())
        F, Q = F_new, Q_new
        if change < 1e-9:
            break
    fit, com, _ = fitness_complexity(trade_presence)
    np.testing.assert_allclose(fit[rows], F, rtol=1e-9)
    np.testing.assert_allclose(com[cols], Q, rtol=1e-9)
    assert np.isnan(fit[~rows]).all() and np.isnan(com[~cols]).all()
