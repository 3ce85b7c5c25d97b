"""Out-of-time check of the text profiles on ERC grants (issue 11, item 7).

Can the competence profiles find who does the research an abstract describes? Profiles are
built from the ERC grants that started up to ``train_end`` (2016) plus the programme parts of
every organisation; each grant that started from ``test_start`` (2018) on is a query, its
host institution the one right answer. The answer is one of all the registry's organisations.
Recall@k is the share of queries whose host is among the first ``k``.

Three rankers:

* ``tfidf`` -- the relevance of matchmaking (:func:`smartspec.match.profiles.relevance`):
  TF-IDF cosines with the name document and the centroid of the organisation's grants plus
  :data:`~smartspec.match.profiles.PROGRAMME_WEIGHT` times the cosine with its programme
  document; the vocabulary is fitted on each name, grant and programme part once;
* ``bm25`` -- Okapi BM25 (``bm25s``, k1 = 1.5, b = 0.75) on the same documents;
* ``popularity`` -- the organisations with most grants up to ``train_end`` (ties: most H2020
  participations), the same list for every query.

Intervals are percentile bootstrap intervals over the queries.

References
----------
Robertson, S. and Zaragoza, H. (2009). The probabilistic relevance framework: BM25 and beyond.
Foundations and Trends in Information Retrieval 3(4), 333-389.
Lù, X. H. (2024). BM25S: orders of magnitude faster lexical search via eager sparse scoring.
arXiv:2407.03618.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.match.profiles import (PROGRAMME_WEIGHT, document_matrices, fit_tfidf, load_erc_grants, match_hosts,
                                     part_counts, profile_documents, relevance, vocabulary_corpus)
from smartspec.match.registry import load_registry


def _recall_ci(hits: np.ndarray, n_boot: int, rng) -> tuple[float, float, float]:
    boot = rng.choice(hits, size=(n_boot, len(hits)), replace=True).mean(axis=1)
    return float(hits.mean()), float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def _top_k_hits(scores, target: np.ndarray, k: int) -> np.ndarray:
    """Whether each row's target is among its k highest scores (ties broken by position)."""
    S = np.asarray(scores.todense() if hasattr(scores, "todense") else scores)
    top = np.argpartition(-S, k, axis=1)[:, :k]
    return (top == target[:, None]).any(axis=1)


def text_check(*, train_end: int = 2016, test_start: int = 2018, k: int = 20, n_boot: int = 1000,
               max_queries: int | None = None, rankers=("tfidf", "bm25", "popularity"), seed: int = 0,
               registry=None, data_dir=None) -> dict:
    """Recall@k of the text rankers on the out-of-time ERC queries.

    Parameters
    ----------
    train_end, test_start : int
        Grants starting up to ``train_end`` build the profiles; grants from ``test_start`` on
        are the queries (the gap year keeps follow-up grants of one project apart).
    k : int
        Length of the list.
    n_boot : int
        Bootstrap resamples of the queries.
    max_queries : int, optional
        A random subset of the queries (the fast variant of the tests).
    rankers : tuple of str
        Any of ``tfidf``, ``bm25``, ``popularity``.

    Returns
    -------
    dict
        ``setup`` (years, counts of profiles, queries and candidates) and ``table`` (DataFrame
        ``ranker, recall, ci_low, ci_high``).
    """
    reg = registry or load_registry(data_dir)
    orgs = reg.organisations.reset_index(drop=True)
    grants = load_erc_grants(data_dir)
    grants = grants.assign(org_id=match_hosts(grants, orgs))
    train = grants[grants["year"].le(train_end).fillna(False)]
    position = pd.Series(np.arange(len(orgs)), index=orgs["org_id"])
    queries = grants[grants["year"].ge(test_start).fillna(False) & grants["org_id"].notna()]
    if max_queries is not None and len(queries) > max_queries:
        queries = queries.sample(max_queries, random_state=seed)
    target = position.loc[queries["org_id"]].to_numpy()
    docs = profile_documents(orgs, part_counts(reg), train)
    documents = (docs["name"] + " " + docs["programme"] + " " + docs["grants"]).tolist()
    texts = (queries["title"] + ". " + queries["abstract"]).tolist()
    rng = np.random.default_rng(seed)
    rows = []
    if "tfidf" in rankers:
        vec, _ = fit_tfidf(vocabulary_corpus(docs, train))
        # the relevance of matchmaking (without sectors: the grants' hosts are not firms)
        specific, programme = relevance(vec.transform(texts), document_matrices(vec, docs, train, orgs["org_id"]))
        scores = specific + PROGRAMME_WEIGHT * programme
        hits = _top_k_hits(scores, target, k)
        rows.append(("tfidf", *_recall_ci(hits, n_boot, rng)))
    if "bm25" in rankers:
        import bm25s

        retriever = bm25s.BM25(k1=1.5, b=0.75)
        retriever.index(bm25s.tokenize(documents, stopwords="en", show_progress=False), show_progress=False)
        found, _ = retriever.retrieve(bm25s.tokenize(texts, stopwords="en", show_progress=False), k=k,
                                      show_progress=False, n_threads=1)
        hits = (found == target[:, None]).any(axis=1)
        rows.append(("bm25", *_recall_ci(hits, n_boot, rng)))
    if "popularity" in rankers:
        popular = (orgs.assign(_g=orgs["org_id"].map(train["org_id"].value_counts()).fillna(0))
                   .sort_values(["_g", "n_participations"], ascending=False, kind="stable").index[:k])
        hits = np.isin(target, popular.to_numpy())
        rows.append(("popularity", *_recall_ci(hits, n_boot, rng)))
    setup = {"train": f"ERC grants starting up to {train_end}", "test": f"grants starting {test_start} or later",
             "profiles_with_grants": int(train["org_id"].nunique()), "train_grants_matched": int(train["org_id"].notna().sum()),
             "queries": int(len(queries)), "candidates": int(len(orgs)), "k": k, "bootstrap": n_boot}
    return {"setup": setup, "table": pd.DataFrame(rows, columns=["ranker", "recall", "ci_low", "ci_high"])}
