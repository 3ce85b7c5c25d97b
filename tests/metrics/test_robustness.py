"""Where the anchors break, smartspec must not (issue: measures)."""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import smartspec
from smartspec.errors import InputError
from smartspec.metrics import (
    ComplexityWarning, complexity, density, fitness_complexity, knn_proximity, method_of_reflections, presence,
    proximity, rca, rpop,
)


def test_zero_diversity_region_gets_nan_alone(trade_presence):
    M = trade_presence.copy()
    M[5] = 0  # one region specialised in nothing: ecomplexity/economic-complexity return all-NaN ECI
    with pytest.warns(ComplexityWarning, match=r"regions \[5\]"):
        cx = complexity(M)
    assert np.isnan(cx.eci[5]) and np.isfinite(np.delete(cx.eci, 5)).all()
    reference = complexity(np.delete(trade_presence, 5, axis=0))
    np.testing.assert_allclose(np.delete(cx.eci, 5), reference.eci, atol=1e-9)


def test_disconnected_blocks_are_detected(trade_presence):
    A = trade_presence[:60, :200]
    B = trade_presence[60:130, 200:450]
    M = np.block([[A, np.zeros((60, 250))], [np.zeros((70, 200)), B]])
    rows, cols = M.sum(1) > 0, M.sum(0) > 0
    M = M[rows][:, cols]
    with pytest.raises(InputError, match="disconnected components"):
        complexity(M, components="raise")
    with pytest.warns(ComplexityWarning, match="connected components"):
        cx = complexity(M, components="largest")
    assert len(set(cx.component[cx.component >= 0])) == 2
    assert np.isnan(cx.eci).any() and not np.isnan(cx.eci).all()
    with pytest.warns(ComplexityWarning):
        each = complexity(M, components="each")
    assert np.isfinite(each.eci[each.component >= 0]).all()


def test_reflections_do_not_collapse(trade_presence):
    cx = complexity(trade_presence)
    for n in (18, 200):
        eci, _ = method_of_reflections(trade_presence, iterations=n)
        ok = ~np.isnan(cx.eci)
        assert np.corrcoef(eci[ok], cx.eci[ok])[0, 1] > 0.99
        assert np.nanstd(eci) == pytest.approx(1.0)


def test_sign_rule_eci_follows_diversity(trade_presence):
    cx = complexity(trade_presence)
    assert np.corrcoef(cx.eci, cx.diversity)[0, 1] > 0
    # ECI is the mean PCI of a region's activities (eigenvector definition, raw vectors)
    mean_pci = (trade_presence @ cx.pci_raw) / trade_presence.sum(1)
    assert np.corrcoef(mean_pci, cx.eci_raw)[0, 1] == pytest.approx(1.0)


def test_knn_density_is_a_share_not_a_count(trade_presence):
    phi = proximity(trade_presence)
    d = density(trade_presence, knn_proximity(phi, 10))
    assert d.min() >= 0 and d.max() <= 1


def test_presence_both_is_binary(trade_frame):
    X = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    pop = np.linspace(1e5, 1e8, X.shape[0])
    M = presence(rca(X.to_numpy()), rpop_values=rpop(X.to_numpy(), pop), method="both")
    assert set(np.unique(M)) <= {0.0, 1.0}


def test_rca_not_rounded(trade_frame):
    X = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    R = rca(X.to_numpy())
    assert (np.round(R, 2) != R).mean() > 0.5  # full precision, unlike EconGeo's rounding


def test_bad_inputs():
    with pytest.raises(InputError, match="negative"):
        rca(np.array([[1.0, -1.0], [2.0, 3.0]]))
    with pytest.raises(InputError, match="NaN"):
        rca(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(InputError, match="only 0 and 1"):
        proximity(np.array([[2.0, 0.0], [1.0, 1.0]]))
    with pytest.raises(InputError, match="unknown convention"):
        smartspec.measures(pd.DataFrame({"region": ["a"], "activity": ["x"], "value": [1.0]}), convention="stata")
    with pytest.raises(InputError, match="population"):
        smartspec.measures(pd.DataFrame({"region": ["a"], "activity": ["x"], "value": [1.0]}), presence="rpop")


def test_nothing_printed(trade_frame, capsys):
    smartspec.measures(trade_frame, region="country", activity="product", year="year")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


binary = arrays(np.float64, st.tuples(st.integers(4, 12), st.integers(4, 12)), elements=st.sampled_from([0.0, 1.0]))


@settings(max_examples=40, deadline=None)
@given(binary, st.randoms(use_true_random=False))
def test_invariant_to_row_and_column_order(M, rnd):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = list(range(M.shape[0]))
        cols = list(range(M.shape[1]))
        rnd.shuffle(rows)
        rnd.shuffle(cols)
        phi = proximity(M)
        phi_p = proximity(M[rows][:, cols])
        np.testing.assert_allclose(phi_p, phi[np.ix_(cols, cols)], atol=1e-12)
        d = density(M, phi)
        assert np.all((d >= 0) & (d <= 1 + 1e-12))
        np.testing.assert_allclose(density(M[rows][:, cols], phi_p), d[np.ix_(rows, cols)], atol=1e-12)
        cx, cxp = complexity(M), complexity(M[rows][:, cols])
        ok = ~np.isnan(cx.eci)
        oriented = ok.sum() > 2 and cx.diversity[ok].std() > 0 and abs(
            np.corrcoef(cx.eci[ok], cx.diversity[ok])[0, 1]) > 1e-6
        # with a repeated eigenvalue the eigenvector is not unique; without a correlation
        # with diversity its sign is not defined
        if cx.spectral_gap > 1e-6 and oriented:
            np.testing.assert_allclose(cxp.eci, cx.eci[rows], atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 15), st.integers(4, 15))
def test_fitness_ordering_on_nested_matrices(n_regions, n_activities):
    """On a perfectly nested matrix, a region with a superset of activities has higher fitness."""
    diversity = np.linspace(1, n_activities, n_regions).astype(int)
    M = (np.arange(n_activities)[None, :] < diversity[:, None]).astype(float)
    fit, _, _ = fitness_complexity(M)
    assert np.all(np.diff(fit) >= -1e-12)


def test_activities_present_nowhere_have_zero_proximity_without_a_warning(trade_presence):
    M = trade_presence.copy()
    M[:, [3, 7]] = 0.0  # two activities no region is specialised in
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0 / 0 between them must not warn
        phi = proximity(M, "min_cp")
    assert not np.isnan(phi).any()
    assert (phi[[3, 7]] == 0).all() and (phi[:, [3, 7]] == 0).all()
    present = M.sum(axis=0) > 0
    assert (np.diag(phi)[present] == 1).all()
