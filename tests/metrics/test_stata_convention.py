"""``convention="harvard-stata"`` against the Stata ``ecomplexity`` command's formulas.

Stata is not available here, so the command's computation (as read from its public ado files:
``ecomplexity.ado``, ``proxdiscrete.ado``, ``calculate_density.ado``, ``ecipci.ado``,
``coicog.ado``) is restated below in plain numpy, independently of smartspec's code, and run
on the real trade data: presence RCA > 1 (strict), proximity min(P(i|j), P(j|i)) minus the
identity, density as M @ prox over the proximity's column sums, PCI as the second eigenvector
of Mptilde (non-symmetric eigensystem), ECI as the mean PCI of a country's products, sign by
the correlation with diversity, then ECI/PCI/COG scaled by ECI's mean and sample standard
deviation over the long table and COI standardised the same way.
"""
import numpy as np
import pandas as pd
import pytest

import smartspec


def stata_ecomplexity(X: np.ndarray) -> dict:
    rca = (X / X.sum(1, keepdims=True)) / (X.sum(0, keepdims=True) / X.sum())
    M = (rca > 1).astype(float)
    n_c, n_p = M.shape
    kc0, kp0 = M.sum(1), M.sum(0)
    C = M.T @ M
    P1 = C / kp0[None, :]
    P2 = C / kp0[:, None]
    prox = np.minimum(P1, P2) - np.eye(n_p)
    density = (M @ prox) / prox.sum(0)[None, :]
    Mptilde = ((M / kp0[None, :]) / kc0[:, None]).T @ M
    vals, vecs = np.linalg.eig(Mptilde)
    order = np.argsort(-vals.real)
    kp = vecs[:, order[1]].real
    kc = (M / kc0[:, None]) @ kp
    sign = 1.0 if np.corrcoef(kc0, kc)[0, 1] > 0 else -1.0
    kp, kc = sign * kp, sign * kc
    coi = ((density * (1 - M)) * kp[None, :]).sum(1)
    W = prox * (kp / prox.sum(1))[:, None]
    cog = (1 - M) * ((1 - M) @ W)
    long_eci = np.repeat(kc, n_p)
    mean, sd = long_eci.mean(), long_eci.std(ddof=1)
    long_coi = np.repeat(coi, n_p)
    return {"rca": rca, "mcp": M, "density": density, "eci": (kc - mean) / sd, "pci": (kp - mean) / sd,
            "cog": cog / sd, "coi": (coi - long_coi.mean()) / long_coi.std(ddof=1)}


def test_harvard_stata_matches_the_stata_formulas(trade_frame):
    X = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    want = stata_ecomplexity(X.to_numpy())
    got = smartspec.measures(trade_frame, region="country", activity="product", year="year",
                             convention="harvard-stata")
    n_c, n_p = X.shape
    assert (got["region"].astype(str).to_numpy()[::n_p] == X.index.to_numpy()).all()
    # density and COG (and COI, made of density) are float32 products (smartspec.metrics._products):
    # 1e-6, the tolerance of issue 3; the rest is float64 throughout
    for col, tol in (("rca", 1e-8), ("mcp", 1e-8), ("density", 1e-6), ("cog", 1e-6)):
        np.testing.assert_allclose(got[col].to_numpy().reshape(n_c, n_p), want[col], atol=tol, err_msg=col)
    np.testing.assert_allclose(got["eci"].to_numpy()[::n_p], want["eci"], atol=1e-8)
    np.testing.assert_allclose(got["pci"].to_numpy()[:n_p], want["pci"], atol=1e-8)
    np.testing.assert_allclose(got["coi"].to_numpy()[::n_p], want["coi"], atol=1e-6)


def test_stata_presence_is_strict():
    # region a has RCA exactly 1 in both activities: present for the Python package, not for Stata
    df = pd.DataFrame({"region": ["a", "a", "b", "b", "c", "c"], "activity": ["x", "y"] * 3,
                       "value": [1.0, 1.0, 3.0, 1.0, 1.0, 3.0]})
    with pytest.warns(UserWarning):
        stata = smartspec.measures(df, convention="harvard-stata")
    harvard = smartspec.measures(df, convention="harvard")
    assert harvard.loc[harvard["region"] == "a", "mcp"].tolist() == [1, 1]
    assert stata.loc[stata["region"] == "a", "mcp"].tolist() == [0, 0]
