"""The R&I lens: the same RCA as smartspec.metrics and as an independent computation."""
from __future__ import annotations

import numpy as np
import pytest

from smartspec import metrics
from smartspec.errors import UnknownNameError
from smartspec.match.lens import ri_lens, ri_matrices


def test_lens_rca_equals_metrics_and_numpy(registry):
    counts, funding = ri_matrices(registry)
    lens = ri_lens("ITC4", registry)
    X = counts.to_numpy()
    # independent: Balassa index from the raw participations, region by region
    p = registry.participations
    p = p[p["nuts2"].notna() & (p["programme_part"] != "unassigned")]
    lomb = p[p["nuts2"] == "ITC4"]["programme_part"].value_counts()
    europe = p["programme_part"].value_counts()
    independent = (lomb / lomb.sum()) / (europe / europe.sum())
    got = lens.profile.set_index("programme_part")
    r = counts.index.get_loc("ITC4")
    np.testing.assert_allclose(got["rca"].reindex(counts.columns).to_numpy(), metrics.rca(X)[r])
    np.testing.assert_allclose(got["rca"].reindex(independent.index).to_numpy(), independent.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(got["rca_funding"].reindex(counts.columns).to_numpy(), metrics.rca(funding.to_numpy())[r])
    assert got["participations"].sum() + lens.summary["participations_outside_matrix"] == lens.summary["n_participations"]


def test_lombardy_ri_strengths_and_leaders(registry):
    lens = ri_lens("ITC4", registry)
    spec = set(lens.profile.loc[lens.profile["specialised"], "programme_part"])
    assert {"LEIT", "SC1", "SC3"} <= spec and "ARF" not in spec  # ARF: 2 participations only
    unis = lens.leaders[lens.leaders["type"] == "university"]
    assert unis["name"].iloc[0] == "POLITECNICO DI MILANO"
    assert set(lens.leaders["type"]) == {"firm", "university", "research centre", "public", "other"}
    assert lens.summary["n_organisations"] > 300 and lens.summary["rank_participations"] <= 15


def test_unknown_region(registry):
    with pytest.raises(UnknownNameError, match="unknown region 'XX99'"):
        ri_lens("XX99", registry)
