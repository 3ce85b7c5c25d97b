"""Cross-checks against the anchors on real data: ecomplexity and economic-complexity.

Under ``convention="harvard"`` smartspec reproduces the ``ecomplexity`` package to 1e-6 (in
practice to 1e-12) for RCA, presence, density, ECI, PCI, COI and COG. ``economic-complexity``
agrees on RCA, proximity and density; its ECI comes from a fixed number of reflections, so it
is compared by correlation (see docs/methods.md).
"""
import warnings

import numpy as np
import pandas as pd
import pytest

import smartspec

ecomplexity = pytest.importorskip("ecomplexity")
economic_complexity = pytest.importorskip("economic_complexity")

COLS = ["rca", "mcp", "density", "eci", "pci", "diversity", "ubiquity", "coi", "cog"]


def run_ecomplexity(df, loc, prod):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ecomplexity.ecomplexity(df, {"time": "year", "loc": loc, "prod": prod, "val": "value"},
                                       check_logsupermodularity=False)


def compare(anchor, ours, loc, prod, tol=1e-6):
    merged = anchor.merge(ours, left_on=[loc, prod], right_on=["region", "activity"], suffixes=("_a", "_s"))
    assert len(merged) == len(anchor) == len(ours)
    for col in COLS:
        a, s = merged[f"{col}_a"].astype(float), merged[f"{col}_s"].astype(float)
        assert (a.isna() == s.isna()).all(), col
        ok = a.notna()
        np.testing.assert_allclose(s[ok], a[ok], atol=tol, rtol=0, err_msg=col)


def test_ecomplexity_trade(trade_frame):
    anchor = run_ecomplexity(trade_frame, "country", "product")
    ours = smartspec.measures(trade_frame, region="country", activity="product", year="year", convention="harvard")
    compare(anchor, ours, "country", "product")


def test_ecomplexity_sbs(sbs_frame):
    anchor = run_ecomplexity(sbs_frame, "region", "activity")
    # the anchor orients by diversity over every activity; smartspec's defaults (GDP per head,
    # traded activities) are a choice on top of the same arithmetic
    ours = smartspec.measures(sbs_frame, year="year", convention="harvard", orientation="diversity", scope="all")
    compare(anchor.rename(columns={"region": "loc", "activity": "prod"}), ours, "loc", "prod")


def test_economic_complexity_rca_proximity_density(trade_frame):
    from smartspec.metrics import density, presence, proximity, rca

    pivot = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    anchor_rca = economic_complexity.rca(pivot)
    np.testing.assert_allclose(rca(pivot.to_numpy()), anchor_rca.to_numpy(), atol=1e-9)
    M = presence(rca(pivot.to_numpy()))
    phi = proximity(M, "min_cp")
    try:
        anchor_prox = economic_complexity.proximity(anchor_rca)
    except ValueError as exc:
        # economic-complexity 0.3.0 writes into a read-only array under pandas 3 (copy-on-write):
        # a known anchor failure (docs/methods.md); check against the plain formula instead.
        assert "read-only" in str(exc) and int(pd.__version__.split(".")[0]) >= 3
        B = pd.DataFrame(M, index=pivot.index, columns=pivot.columns)
        co = B.T @ B
        u = pd.Series(np.diag(co), index=co.index)
        anchor_prox = co / np.maximum.outer(u.to_numpy(), u.to_numpy())
    np.testing.assert_allclose(phi, anchor_prox.reindex(index=pivot.columns, columns=pivot.columns).to_numpy(),
                               atol=1e-9)
    anchor_rel = economic_complexity.relatedness(anchor_rca, proximities=anchor_prox)
    # density is a float32 product (smartspec.metrics._products): 1e-6, the tolerance of issue 3
    np.testing.assert_allclose(density(M, phi, include_self=True),
                               anchor_rel.reindex(index=pivot.index, columns=pivot.columns).to_numpy(), atol=1e-6)


def test_economic_complexity_eci_by_reflections(trade_frame):
    pivot = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    eci_anchor, pci_anchor = economic_complexity.complexity(economic_complexity.rca(pivot))
    ours = smartspec.measures(trade_frame, region="country", activity="product", year="year")
    eci = ours.drop_duplicates("region").set_index("region")["eci"].reindex(eci_anchor.index)
    # 20 reflections approximate the eigenvector; the anchor's sign rule is the raw iteration's.
    assert abs(np.corrcoef(eci, eci_anchor)[0, 1]) > 0.95


def test_atlas_2011_published_eci(trade_frame, data_dir):
    """Country ECI from 1998-2000 exports against the 2011 Atlas ECI (2008) ranking."""
    atlas = pd.read_csv(data_dir / "eci_published/atlas2011_ranking-1-economic-complexity-index.csv")
    ours = smartspec.measures(trade_frame, region="country", activity="product", year="year")
    eci = ours.drop_duplicates("region").set_index("region")["eci"]
    eci.index = eci.index.str.upper()
    matched = atlas.assign(ours=atlas["iso_code"].str.upper().map(eci)).dropna(subset=["ours"])
    assert len(matched) >= 120
    rho = matched["ours"].corr(matched["eci_2008"], method="spearman")
    assert rho >= 0.85, rho
