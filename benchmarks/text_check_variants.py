"""Variants of the ERC text check (issue 11, item 7): which protocol gives the issue's figures?

    PYTHONPATH=src nice .venv/bin/python benchmarks/text_check_variants.py

Strictly out of time in every variant: profiles from grants starting up to 2016, queries from
grants starting 2018 on. "hosts" variants take the grants' own host names (folded by
``name_key``) as the candidates -- every host with a grant by 2016, EPFL included, no
registry -- and the queries whose host has one; the registry variant is ``text_check``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
import scipy.sparse as sp

from smartspec.match.profiles import load_erc_grants, name_key
from smartspec.match.text_check import _top_k_hits


def main(k: int = 20) -> None:
    g = load_erc_grants()
    g = g.assign(host_key=name_key(g["host"]), text=g["title"] + ". " + g["abstract"])
    train = g[g["year"].le(2016).fillna(False)]
    test = g[g["year"].ge(2018).fillna(False)]
    hosts = pd.Index(sorted(train["host_key"].unique()))
    queries = test[test["host_key"].isin(hosts)]
    target = hosts.get_indexer(queries["host_key"])
    print(f"hosts with a grant by 2016: {len(hosts)}; queries (2018+) whose host has one: {len(queries)} of {len(test)}")
    rows = []
    A = sp.csr_matrix((np.ones(len(train)), (hosts.get_indexer(train["host_key"]), np.arange(len(train)))),
                      shape=(len(hosts), len(train)))
    concat = train.groupby("host_key")["text"].agg(" ".join).reindex(hosts).tolist()
    for name, params, centroid in [
        ("tfidf 1-2 grams, sublinear, stop words, min_df 2, centroid", dict(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2), True),
        ("tfidf same, one concatenated document", dict(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2), False),
        ("tfidf unigrams, sublinear, stop words, centroid", dict(sublinear_tf=True, stop_words="english", min_df=2), True),
        ("tfidf unigrams, raw tf, no stop words, concatenated", dict(), False),
    ]:
        vec = TfidfVectorizer(**params, dtype=np.float32).fit(train["text"])
        H = normalize(A @ vec.transform(train["text"])) if centroid else vec.transform(concat)
        hits = _top_k_hits(vec.transform(queries["text"]) @ H.T, target, k)
        rows.append((name, hits.mean()))
    import bm25s

    for k1, b in [(1.5, 0.75), (1.2, 0.75), (1.5, 0.3), (0.9, 0.4)]:
        r = bm25s.BM25(k1=k1, b=b)
        r.index(bm25s.tokenize(concat, stopwords="en", show_progress=False), show_progress=False)
        found, _ = r.retrieve(bm25s.tokenize(queries["text"].tolist(), stopwords="en", show_progress=False), k=k,
                              show_progress=False, n_threads=1)
        rows.append((f"bm25 k1 {k1} b {b}, one document per host", (found == target[:, None]).any(axis=1).mean()))
    popular = train["host_key"].value_counts().index[:k]
    rows.append(("popularity (most grants by 2016)", np.isin(queries["host_key"], popular).mean()))
    for name, recall in rows:
        print(f"{recall:.3f}  {name}")



def registry_variants(k: int = 20) -> None:
    """The registry protocol of ``text_check`` (every one of the 35,871 organisations a
    candidate) with other settings of the vocabulary and of the programme weight."""
    from smartspec.match.profiles import (TFIDF_PARAMS, document_matrices, match_hosts, part_counts, profile_documents,
                                          relevance, vocabulary_corpus)
    from smartspec.match.registry import load_registry

    reg = load_registry()
    orgs = reg.organisations.reset_index(drop=True)
    g = load_erc_grants()
    g = g.assign(org_id=match_hosts(g, orgs))
    train = g[g["year"].le(2016).fillna(False)]
    queries = g[g["year"].ge(2018).fillna(False) & g["org_id"].notna()]
    target = pd.Series(np.arange(len(orgs)), index=orgs["org_id"]).loc[queries["org_id"]].to_numpy()
    docs = profile_documents(orgs, part_counts(reg), train)
    texts = (queries["title"] + ". " + queries["abstract"]).tolist()
    whole = (docs["name"] + " " + docs["programme"] + " " + docs["grants"]).tolist()
    n_grants = np.log1p(orgs["org_id"].map(train["org_id"].value_counts()).fillna(0).to_numpy())
    print(f"registry protocol: {len(queries)} queries, {len(orgs)} candidates")
    base = dict(TFIDF_PARAMS)
    for label, corpus, params in [
        ("vocabulary: each name, grant, part once (shipped)", "once", base),
        ("vocabulary: whole profiles (before)", "whole", base),
        ("once, min_df 1", "once", {**base, "min_df": 1}),
        ("once, max_df 1.0", "once", {**base, "max_df": 1.0}),
        ("once, unigrams", "once", {**base, "ngram_range": (1, 1)}),
        ("once, raw tf", "once", {**base, "sublinear_tf": False}),
        ("once, no stop words", "once", {**base, "stop_words": None}),
    ]:
        vec = TfidfVectorizer(**params).fit(vocabulary_corpus(docs, train) if corpus == "once" else whole)
        specific, programme = relevance(vec.transform(texts), document_matrices(vec, docs, train, orgs["org_id"]))
        for weight in (0.0, 0.25, 1.0):
            hits = _top_k_hits(specific + weight * programme, target, k)
            print(f"{hits.mean():.3f}  {label}; programme weight {weight}")
        if corpus == "once" and params is base:
            for prior in (0.01, 0.02, 0.05):
                hits = _top_k_hits(specific + 0.25 * programme + prior * n_grants[None, :], target, k)
                print(f"{hits.mean():.3f}  {label}; programme weight 0.25 + {prior} x log(1 + grants by 2016)")


if __name__ == "__main__":
    import sys

    registry_variants() if "--registry" in sys.argv else main()
