"""The float32 presence x proximity product behind density and COG (smartspec.metrics._products)."""
import numpy as np
import pytest

from smartspec.metrics import proximity
from smartspec.metrics._products import weighted_presence_times_proximity


def test_float32_product_is_within_issue_3s_tolerance_on_the_trade_data(trade_presence):
    M = trade_presence
    phi = proximity(M, "min_cp")
    exact = (M @ phi) / phi.sum(axis=0)
    ours = weighted_presence_times_proximity(M, phi) / phi.sum(axis=0)
    error = np.abs(ours - exact).max()
    assert error < 1e-6  # the tolerance issue 3 set for density against the anchors
    # centring the proximity's columns is what keeps the float32 running sums small: the plain
    # float32 product of the same matrices is several times further off (9e-7 against 2e-7)
    plain = (M.astype(np.float32) @ phi.astype(np.float32)).astype(np.float64) / phi.sum(axis=0)
    assert error * 2 < np.abs(plain - exact).max()


def test_weighted_rows_and_mixed_signs():
    rng = np.random.default_rng(0)
    M = (rng.random((40, 30)) < 0.3).astype(float)
    W = M * rng.normal(size=30)[None, :]
    phi = rng.random((30, 30))
    np.testing.assert_allclose(weighted_presence_times_proximity(W, phi), W @ phi, atol=1e-6)
    assert weighted_presence_times_proximity(W, phi).dtype == np.float64


@pytest.mark.parametrize("shape", [(0, 4), (3, 0), (1, 1)])
def test_empty_and_single_shapes(shape):
    W = np.ones(shape)
    out = weighted_presence_times_proximity(W, np.ones((shape[1], shape[1])))
    assert out.shape == shape
    np.testing.assert_array_equal(out, W @ np.ones((shape[1], shape[1])))


def test_a_prepared_proximity_gives_the_same_density_and_gain_and_is_centred_once(trade_presence):
    from smartspec.metrics import density, outlook_and_gain
    from smartspec.metrics._products import PreparedProximity

    M = trade_presence
    phi = proximity(M, "min_cp")
    shared = PreparedProximity(phi)
    assert shared.values is phi  # a float64 array is wrapped, not copied
    D = density(M, shared)
    first = shared.centred_float32()[0]
    pci = np.linspace(-1, 1, M.shape[1])
    coi, cog = outlook_and_gain(M, shared, D, pci)
    assert shared.centred_float32()[0] is first  # COG reused density's float32 copy
    np.testing.assert_array_equal(D, density(M, phi))
    ref_coi, ref_cog = outlook_and_gain(M, phi, D, pci)
    np.testing.assert_array_equal(coi, ref_coi)
    np.testing.assert_array_equal(cog, ref_cog)
