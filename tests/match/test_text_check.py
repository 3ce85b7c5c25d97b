"""The ERC out-of-time text check recomputed, against the issue's published figure."""
from __future__ import annotations

import numpy as np

from smartspec.match.text_check import text_check

#: Issue 11, item 7: recall@20 of TF-IDF on the ERC out-of-time check.
ISSUE_TFIDF = 0.589


def test_tfidf_recall_agrees_with_the_issue(registry, data_dir):
    res = text_check(rankers=("tfidf", "popularity"), n_boot=200, registry=registry, data_dir=data_dir)
    t = res["table"].set_index("ranker")
    assert 600 <= res["setup"]["queries"] <= 700
    tfidf = t.loc["tfidf"]
    # the issue's 0.589 is not reached: the best variant on the registry's 35,871 candidates
    # gives 0.541 (docs/matchmaking.md, benchmarks/text_check_variants.py --registry); the gap
    # is measured, and a change that widens it beyond the interval of a difference of two
    # such estimates (sqrt(2) times one half-width, plus the known gap) fails here
    half_width = (tfidf["ci_high"] - tfidf["ci_low"]) / 2
    assert 0.50 <= tfidf["recall"] <= 0.57
    assert ISSUE_TFIDF - tfidf["recall"] < 0.02 + np.sqrt(2) * half_width
    assert tfidf["ci_low"] > t.loc["popularity", "recall"]   # text beats popularity
