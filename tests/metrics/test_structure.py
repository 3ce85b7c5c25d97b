"""Krugman index, entropy, related/unrelated variety on the real SBS panel."""
import numpy as np
import pytest

from smartspec.data.datasets import load_dataset
from smartspec.metrics import entropy, krugman_index, related_unrelated_variety


@pytest.fixture(scope="module")
def sbs(data_dir):
    p = load_dataset("eurostat-sbs", data_dir)
    X = p.dense(2014)
    keep = X.sum(axis=1) > 0
    return p, X[keep]


def test_entropy_decomposes(sbs):
    p, X = sbs
    sections = [a[0] for a in p.activities]
    v = related_unrelated_variety(X, sections)
    np.testing.assert_allclose(v["entropy"], entropy(X), atol=1e-10)
    assert (v["related_variety"] >= -1e-12).all() and (v["unrelated_variety"] >= 0).all()


def test_krugman_bounds_and_identity(sbs):
    _, X = sbs
    k = krugman_index(X)
    assert ((k >= 0) & (k <= 2)).all()
    same = np.vstack([X[0], X[0] * 3])
    np.testing.assert_allclose(krugman_index(same), 0, atol=1e-12)
