"""Traded and local activities (data.scope): the classification file and its validity on SBS."""
from __future__ import annotations

import numpy as np
import pytest

from smartspec.data.labels import nace_labels
from smartspec.data.scope import activity_scope, check_scope, scope_table, traded_mask
from smartspec.errors import InputError


def test_every_nace_division_is_classified_with_a_reason():
    labels = nace_labels()
    divisions = labels.index[labels["level"] == "division"]
    table = scope_table()
    assert set(divisions) == set(table.index)
    assert set(table["scope"]) == {"traded", "local"}
    assert (table["note"].str.len() > 20).all()
    assert set(table["basis"]) <= {"DPS2016", "JK2005"}


def test_the_issue_s_anchor_cases():
    s = activity_scope(["C28", "C13", "B08", "K64", "H50", "H51", "N79", "M71", "J62",
                        "I56", "G47", "F41", "L68", "N81", "S96", "W07", "F", "C"])
    assert set(s[["C28", "C13", "B08", "K64", "H50", "H51", "N79", "M71", "J62", "W07", "C"]]) == {"traded"}
    assert set(s[["I56", "G47", "F41", "L68", "N81", "S96", "F"]]) == {"local"}


def test_mask_and_bad_scope():
    assert traded_mask(["C28", "I56"]).tolist() == [True, False]
    assert traded_mask(["C28", "I56"], "all").tolist() == [True, True]
    with pytest.raises(InputError, match="unknown scope 'trade'"):
        check_scope("trade")


def test_local_activities_are_spread_like_employment(sbs):
    """The criterion of Delgado, Porter and Stern (2016): a local activity's location quotient
    varies little across regions, a traded one's a lot. On SBS 2014 the median spread of log LQ
    across regions is at least 1.5 times larger for traded divisions than for local ones."""
    m = sbs.at(2014)
    X = m.values
    ok = X.sum(axis=1) > 0
    X = X[ok]
    share = X / X.sum(axis=1, keepdims=True)
    lq = share / (X.sum(axis=0) / X.sum())
    with np.errstate(divide="ignore"):
        spread = np.array([np.nanstd(np.log(col[col > 0])) for col in lq.T])
    local = ~traded_mask(sbs.panel.activities)
    ratio = np.nanmedian(spread[~local]) / np.nanmedian(spread[local])
    print(f"traded/local spread ratio {ratio:.2f}")
    assert ratio > 1.5, ratio
