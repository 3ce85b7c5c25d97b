"""Partner recommendation: link prediction on the H2020 co-participation graph.

Two organisations are linked when they took part in the same project. For an organisation
``i`` the recommender ranks every other organisation ``j`` by the chance that they will work
together in a future project. It combines, in a LightGBM ranker (cross-entropy NDCG, Bruch
2021), the signals that the link-prediction literature finds strongest on collaboration graphs:

* repeat partners: ``n_ij``, the number of past projects shared, also with each project
  weighted by ``0.5 ** (years before the window's end)`` (recent partnerships weigh more);
* neighbourhood indices on the binary partner graph ``A``: common neighbours ``(A^2)_ij``
  (also on the recency-weighted graph), Adamic-Adar ``sum_z A_iz A_zj / log k_z`` and resource
  allocation ``sum_z A_iz A_zj / k_z`` (Liben-Nowell and Kleinberg 2007; Zhou, Lü and Zhang
  2009), and paths of length three ``(A^3)_ij`` (Kovács et al. 2019);
* a random walk with restart from ``i`` on the bipartite organisation-project graph
  (personalised PageRank, Tong, Faloutsos and Pan 2006): it reaches beyond two hops and
  discounts large consortia;
* popularity and activity of ``j`` (its partners ``k_j``, its projects, its projects in the
  last two years and in the last year of the window: preferential attachment, Barabási et al.
  2002) and the activity of ``i``;
* the programme mix: the cosine of the programme-part shares of ``i`` and ``j``, and ``j``'s
  projects in the programme parts where ``i`` works;
* affinity: the share of ``i``'s past partners in ``j``'s country and of ``j``'s type, and the
  other way round;
* for the new-partner ranker only: spectral embeddings of the whole graph (the rank-64 score
  and the cosine of ``i`` and ``j`` on the regularised normalised adjacency and on the
  organisation-project incidence, Qin and Rohe 2013), and eleven of the features relative to
  the query's other candidates (over the query's largest, and as a percentile).

Candidates are the past partners plus the top 150 of five cheap scores (Adamic-Adar, paths of
length three, the random walk, popularity weighted by country affinity, activity in ``i``'s
programme parts). The ranker is trained on an earlier split inside the training period
(features from projects started by 2016, links of projects started in 2017), then applied to
features from projects started by 2017; nothing after 2017 is seen. The training queries are
the organisations of every country, and five rankers with different seeds are averaged.
:func:`backtest` tests it on the co-participations of projects starting 2019-2020, beside the
baselines of issue 11.

References
----------
Adamic, L. A. and Adar, E. (2003). Friends and neighbors on the web. Social Networks 25, 211-230.
Liben-Nowell, D. and Kleinberg, J. (2007). The link-prediction problem for social networks.
JASIST 58(7), 1019-1031.
Zhou, T., Lü, L. and Zhang, Y.-C. (2009). Predicting missing links via local information.
Eur. Phys. J. B 71, 623-630.
Kovács, I. A. et al. (2019). Network-based prediction of protein interactions. Nat. Commun. 10, 1240.
Burges, C. J. C. (2010). From RankNet to LambdaRank to LambdaMART: an overview. MSR-TR-2010-82.
Bruch, S. (2021). An alternative cross entropy loss for learning-to-rank. Proc. WWW '21, 118-126.
Tong, H., Faloutsos, C. and Pan, J.-Y. (2006). Fast random walk with restart and its
applications. Proc. ICDM '06, 613-622.
Qin, T. and Rohe, K. (2013). Regularized spectral clustering under the degree-corrected
stochastic blockmodel. NIPS 26, 3120-3128.
Barabási, A.-L. et al. (2002). Evolution of the social network of scientific collaborations.
Physica A 311, 590-614.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.config import resolve_data_dir
from smartspec.errors import InputError

PARTICIPATIONS = Path("cordis") / "eunets_h2020_participations.csv.gz"
PROGRAMME_PARTS = Path("cordis") / "eunets_h2020_programme_parts.csv.gz"
_COLUMNS = {"rcn", "pic", "type", "country", "start_year"}
TYPES = ("PRC", "HES", "REC", "PUB", "OTH")
LOCAL_FEATURES = ("repeat", "repeat_decayed", "common_decayed", "common", "adamic_adar",
                  "resource_allocation", "paths3", "random_walk", "partners_j", "projects_j", "recent_j",
                  "latest_j", "projects_i", "recent_i", "programme_cosine", "programme_activity",
                  "country_affinity", "same_country", "type_affinity", "type_j", "country_affinity_j",
                  "type_affinity_j")
#: Low-rank scores and cosines of the spectral embeddings (:func:`_spectral`).
SPECTRAL_FEATURES = ("spectral", "spectral_cosine", "spectral_bipartite", "spectral_bipartite_cosine")
#: The dense feature blocks of :meth:`_Features.block`.
FEATURES = LOCAL_FEATURES + SPECTRAL_FEATURES
#: Features also given relative to the query's other candidates (``_qmax``: the value over
#: the query's largest; ``_qrank``: its percentile among them): an Adamic-Adar of 2 is a
#: strong signal for a small organisation and a weak one for a hub.
QUERY_NORMALISED = ("repeat", "repeat_decayed", "common_decayed", "common", "adamic_adar",
                    "resource_allocation", "paths3", "random_walk", "partners_j", "programme_activity",
                    "country_affinity")
#: The columns the ranker learns on: :data:`FEATURES`, then each of :data:`QUERY_NORMALISED`
#: over the query's maximum and as its percentile.
MODEL_FEATURES = FEATURES + tuple(f"{n}_{s}" for n in QUERY_NORMALISED for s in ("qmax", "qrank"))
#: The columns of each target's ranker (``False``: all partners, ``True``: new partners only).
#: The spectral and query-normalised columns lift the new-partner ranker (recall@20 0.100 ->
#: 0.105) but not the all-partner one (0.210 -> 0.209), which keeps the 22 local features
#: (docs/matchmaking.md).
RANKER_FEATURES = {False: LOCAL_FEATURES, True: MODEL_FEATURES}
#: Dimensions of the spectral embeddings of the organisations.
_SPECTRAL_K = 64
#: Candidates kept per organisation by each cheap score before the ranker sees them.
_POOL = 150
_POOL_SCORES = ("adamic_adar", "paths3", "pop_local", "prog_pop", "random_walk")
#: Restart probability of the random walk; after 8 steps less than 6% of the mass is unwalked.
_RESTART = 0.3
_WALK_STEPS = 8
#: The ranker. Cross-entropy NDCG with 200-pair leaves beat LambdaRank (300 trees, 50-pair
#: leaves) by 0.005 on all partners and 0.008 on new ones (docs/matchmaking.md).
_RANKER = dict(objective="rank_xendcg", n_estimators=200, learning_rate=0.05, num_leaves=31,
               min_child_samples=200, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
               verbose=-1, n_jobs=2)
_BLOCK = 64


def read_participations(data_dir=None) -> pd.DataFrame:
    """Participations (one row per project and organisation) with the programme part.

    Returns
    -------
    DataFrame
        ``rcn``, ``pic`` (str), ``type``, ``country``, ``start_year`` (int) and
        ``programme_part`` (the first part of the project, ``"unknown"`` if it has none) and
        ``programme_parts`` (all its parts, ``;``-separated: 6,093 projects have several;
        empty if it has none).
        Rows without a start year are reported, not kept: they cannot be placed in time.
    """
    root = resolve_data_dir(data_dir)
    path = root / PARTICIPATIONS
    # "NA" is Namibia, not a missing value: only empty cells are missing.
    p = pd.read_csv(path, dtype={"pic": str, "rcn": "int64", "country": str}, keep_default_na=False,
                    na_values={"start_year": ["", "NA"]})
    missing = _COLUMNS - set(p.columns)
    if missing:
        raise InputError(f"missing column(s) {', '.join(sorted(missing))}", where=str(path),
                         fix="use the eunets H2020 participations file (columns rcn, pic, type, country, start_year)")
    undated = p["start_year"].isna()
    p = p[~undated].drop_duplicates(["rcn", "pic"])
    parts = pd.read_csv(root / PROGRAMME_PARTS).drop_duplicates()
    every = parts.groupby("rcn", sort=False)["programme_part"].agg(";".join).rename("programme_parts")
    p = p.merge(parts.drop_duplicates("rcn"), on="rcn", how="left").merge(every, on="rcn", how="left")
    p["programme_part"] = p["programme_part"].fillna("unknown")
    p["programme_parts"] = p["programme_parts"].fillna("")
    p["start_year"] = p["start_year"].astype(int)
    out = p[["rcn", "pic", "type", "country", "start_year", "programme_part", "programme_parts"]].reset_index(drop=True)
    # Reported in ``attrs`` so the backtest says how many rows it set aside.
    out.attrs["undated"] = int(undated.sum())
    return out


@dataclass
class Graph:
    """The co-participation graph of the projects started in a window, on a fixed set of
    organisations.

    Attributes
    ----------
    counts : csr_matrix
        ``n_ij``, projects shared by ``i`` and ``j`` (zero diagonal).
    adjacency : csr_matrix
        ``A_ij = 1`` when ``n_ij > 0``.
    decayed : csr_matrix
        Projects shared, each weighted by ``0.5 ** (last - start year)``: a partnership of the
        window's last year counts twice one of the year before.
    incidence : csr_matrix
        Organisations x projects, ``1`` for a participation (the bipartite graph).
    projects, recent, latest : ndarray
        Projects of each organisation in the window, in its last two years, in its last year.
    programmes : ndarray
        Organisations x programme parts, projects (the first part of each project).
    programme_mix : ndarray
        Organisations x programme parts, projects counted in every part they belong to (the
        programme-mix baseline of issue 11: its recall@20 0.019 needs every part; 0.015 with
        the first only).
    """
    counts: sp.csr_matrix
    adjacency: sp.csr_matrix
    decayed: sp.csr_matrix
    incidence: sp.csr_matrix
    projects: np.ndarray
    recent: np.ndarray
    latest: np.ndarray
    programmes: np.ndarray
    programme_mix: np.ndarray


def build_graph(p: pd.DataFrame, orgs: pd.Index, parts: pd.Index, first: int, last: int) -> Graph:
    """The :class:`Graph` of the projects of ``p`` started from ``first`` to ``last``."""
    w = p[p["start_year"].between(first, last)]
    rcn = pd.Index(w["rcn"].unique())
    rows, cols = orgs.get_indexer(w["pic"]), rcn.get_indexer(w["rcn"])
    B = sp.csr_matrix((np.ones(len(w)), (rows, cols)), shape=(len(orgs), len(rcn)))
    C = (B @ B.T).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    A = C.copy()
    A.data[:] = 1.0
    year = w.drop_duplicates("rcn").set_index("rcn")["start_year"].reindex(rcn).to_numpy()
    D = (B @ sp.diags(0.5 ** (last - year)) @ B.T).tocsr()
    D.setdiag(0)
    D.eliminate_zeros()
    projects = np.asarray(B.sum(axis=1)).ravel()
    recent = np.asarray(B @ (year >= last - 1).astype(float)).ravel()
    latest = np.asarray(B @ (year == last).astype(float)).ravel()
    prog = np.zeros((len(orgs), len(parts)))
    np.add.at(prog, (rows, parts.get_indexer(w["programme_part"])), 1.0)
    every = w["programme_parts"].str.split(";")
    part_of = parts.get_indexer(every.explode())
    org_of = np.repeat(rows, every.str.len())
    # A project without a part adds nothing to the mix (an "unknown" part would pair them all).
    mix = np.zeros((len(orgs), len(parts)))
    np.add.at(mix, (org_of[part_of >= 0], part_of[part_of >= 0]), 1.0)
    return Graph(C, A, D, B, projects, recent, latest, prog, mix)


def _normalise_rows(X: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(X, axis=1, keepdims=True)
    return np.divide(X, n, out=np.zeros_like(X), where=n > 0)


def _spectral(A: sp.csr_matrix, B: sp.csr_matrix, k: int = _SPECTRAL_K) -> dict[str, tuple[np.ndarray, ...]]:
    """Spectral embeddings of the organisations: the global structure of the graph that the
    local indices (common neighbours, Adamic-Adar, paths of length 3) do not see.

    * ``adjacency``: the ``k`` leading eigenvectors ``V`` (eigenvalues ``lam``) of the
      regularised normalised adjacency ``(D + tau)^-1/2 A (D + tau)^-1/2``, ``tau`` the mean
      degree (Qin and Rohe 2013: without ``tau`` every small component of the graph takes an
      eigenvalue 1 and the leading vectors only tell components apart);
    * ``bipartite``: the ``k`` leading left singular vectors ``U`` (values ``s``) of the
      organisation x project incidence, normalised the same way on both sides.

    Returned as the two factors of each low-rank score (``left @ right.T`` is the rank-``k``
    approximation of the normalised matrix, ``V lam V^T`` or ``U s^2 U^T``) and the unit rows
    of the embedding (``V |lam|^1/2``, ``U s``) for the cosine. The start vectors of ARPACK
    are fixed, so the same graph gives the same features.
    """
    from scipy.sparse.linalg import eigsh, svds

    out = {}
    d = np.asarray(A.sum(axis=1)).ravel()
    inv = sp.diags(1.0 / np.sqrt(d + d[d > 0].mean()))
    v0 = np.random.default_rng(0).random(A.shape[0])
    lam, V = eigsh((inv @ A @ inv).tocsr(), k=k, which="LA", v0=v0)
    out["adjacency"] = (V * lam, V, _normalise_rows(V * np.sqrt(np.abs(lam))))
    do, dp = np.asarray(B.sum(axis=1)).ravel(), np.asarray(B.sum(axis=0)).ravel()
    M = sp.diags(1.0 / np.sqrt(do + do[do > 0].mean())) @ B @ sp.diags(1.0 / np.sqrt(dp + dp.mean()))
    U, s, _ = svds(M.tocsr(), k=k, v0=np.random.default_rng(0).random(min(M.shape)))
    out["bipartite"] = (U * s ** 2, U, _normalise_rows(U * s))
    return out


def _query_normalised(r: np.ndarray, X: np.ndarray, columns: list[str]) -> np.ndarray:
    """Columns of :data:`QUERY_NORMALISED` relative to the query's candidates: value over the
    largest of its candidates, and percentile among them (``r``: the query of each row,
    sorted; ``columns``: the names of the columns of ``X``)."""
    cols = X[:, [columns.index(n) for n in QUERY_NORMALISED]].astype(np.float64)
    new_query = np.r_[True, r[1:] != r[:-1]]
    mx = np.maximum.reduceat(cols, np.flatnonzero(new_query), axis=0)[np.cumsum(new_query) - 1]
    qmax = np.divide(cols, mx, out=np.zeros_like(cols), where=mx > 0)
    qrank = pd.DataFrame(cols).groupby(r).rank(pct=True).to_numpy()
    return np.stack([qmax, qrank], axis=2).reshape(len(r), -1)


class _Features:
    """Dense feature blocks (queries x all organisations) of one :class:`Graph`; the names are
    :data:`FEATURES`."""

    def __init__(self, g: Graph, country: np.ndarray, otype: np.ndarray):
        self.g = g
        A = g.adjacency
        k = np.asarray(A.sum(axis=1)).ravel()
        self.k = k
        self.A_aa = (sp.diags(1.0 / np.log(np.maximum(k, 2.0))) @ A).tocsr()
        self.A_ra = (sp.diags(1.0 / np.maximum(k, 1.0)) @ A).tocsr()
        # The two half-steps of a random walk on the bipartite graph: organisation -> one of
        # its projects -> one of that project's participants. Stored transposed, so that a
        # walk moves a column block of queries by sparse-times-dense products.
        B = g.incidence
        size = np.asarray(B.sum(axis=0)).ravel()
        self.to_project_t = (sp.diags(1.0 / np.maximum(g.projects, 1.0)) @ B).T.tocsr()
        self.to_org_t = (sp.diags(1.0 / np.maximum(size, 1.0)) @ B.T).T.tocsr()
        self.country, self.otype = country, otype
        n_c = country.max() + 1
        onehot_c = sp.csr_matrix((np.ones(len(country)), (np.arange(len(country)), country)),
                                 shape=(len(country), n_c))
        onehot_t = sp.csr_matrix((np.ones(len(otype)), (np.arange(len(otype)), otype)),
                                 shape=(len(otype), len(TYPES)))
        deg = np.maximum(k, 1.0)[:, None]
        self.country_share = np.asarray((A @ onehot_c).todense()) / deg
        self.type_share = np.asarray((A @ onehot_t).todense()) / deg
        self.prog_unit = _normalise_rows(g.programmes)
        self.mix_unit = _normalise_rows(g.programme_mix)
        tot = g.programmes.sum(axis=1, keepdims=True)
        self.prog_share = np.divide(g.programmes, tot, out=np.zeros_like(g.programmes), where=tot > 0)
        self.spectral = _spectral(A, B)

    def random_walk(self, q: np.ndarray) -> np.ndarray:
        """Random walk with restart from each of ``q`` on the bipartite graph (personalised
        PageRank, Tong, Faloutsos and Pan 2006): the stationary visit probabilities, by
        power iteration on the whole block of queries at once."""
        start = np.zeros((len(self.k), len(q)))
        start[q, np.arange(len(q))] = 1.0
        r = start
        for _ in range(_WALK_STEPS):
            r = _RESTART * start + (1.0 - _RESTART) * (self.to_org_t @ (self.to_project_t @ r))
        return np.ascontiguousarray(r.T)

    def block(self, q: np.ndarray) -> dict[str, np.ndarray]:
        g, A = self.g, self.g.adjacency
        n = len(self.k)
        Aq = A[q]
        two = (Aq @ A).toarray()

        def of_j(v):
            return np.broadcast_to(v, (len(q), n))

        def of_i(v):
            return np.broadcast_to(v[q][:, None], (len(q), n))

        f = {
            "repeat": g.counts[q].toarray(),
            "repeat_decayed": g.decayed[q].toarray(),
            "common_decayed": (g.decayed[q] @ g.decayed).toarray(),
            "common": two,
            "adamic_adar": (Aq @ self.A_aa).toarray(),
            "resource_allocation": (Aq @ self.A_ra).toarray(),
            # A is symmetric, so (A^2 A)_q = (A (A^2)_q^T)^T: sparse times dense.
            "paths3": np.log1p(np.asarray(A @ two.T).T),
            "random_walk": self.random_walk(q),
            "partners_j": of_j(np.log1p(self.k)),
            "projects_j": of_j(np.log1p(g.projects)),
            "recent_j": of_j(np.log1p(g.recent)),
            "latest_j": of_j(np.log1p(g.latest)),
            "projects_i": of_i(np.log1p(g.projects)),
            "recent_i": of_i(np.log1p(g.recent)),
            "programme_cosine": self.prog_unit[q] @ self.prog_unit.T,
            "programme_activity": np.log1p(self.prog_share[q] @ g.programmes.T),
            # The baseline only (not in FEATURES): cosine over every part of each project.
            "programme_mix": self.mix_unit[q] @ self.mix_unit.T,
            "country_affinity": self.country_share[q][:, self.country],
            "same_country": (self.country[q][:, None] == self.country[None, :]).astype(float),
            "type_affinity": self.type_share[q][:, self.otype],
            # The other way round: the share of j's partners in i's country and of i's type.
            "country_affinity_j": self.country_share[:, self.country[q]].T,
            "type_affinity_j": self.type_share[:, self.otype[q]].T,
            "type_j": of_j(self.otype.astype(float)),
        }
        for name, key in (("spectral", "adjacency"), ("spectral_bipartite", "bipartite")):
            left, right, unit = self.spectral[key]
            f[name] = left[q] @ right.T
            f[f"{name}_cosine"] = unit[q] @ unit.T
        return f


def _candidates(f: dict[str, np.ndarray], q: np.ndarray, active: np.ndarray, exclude_past: bool) -> np.ndarray:
    """Boolean block of the candidates: past partners plus the top ``_POOL`` of each cheap score."""
    n = f["repeat"].shape[1]
    mask = np.zeros((len(q), n), dtype=bool)
    invalid = ~active[None, :] | (np.arange(n)[None, :] == q[:, None])
    if exclude_past:
        invalid = invalid | (f["repeat"] > 0)
    else:
        mask |= f["repeat"] > 0
    pop_local = f["country_affinity"] * np.exp(f["partners_j"])
    prog_pop = f["programme_activity"] + 0.01 * f["partners_j"]
    for name in _POOL_SCORES:
        s = {"pop_local": pop_local, "prog_pop": prog_pop}.get(name, f.get(name))
        s = np.where(invalid, -np.inf, s + 1e-9 * f["partners_j"])
        top = np.argpartition(-s, _POOL, axis=1)[:, :_POOL]
        mask[np.arange(len(q))[:, None], top] = True
    return mask & ~invalid


def _pairs(F: _Features, queries: np.ndarray, active: np.ndarray, targets=(False, True)) -> dict:
    """Candidate pairs of ``queries`` for each target (``False``: all partners, ``True``: new
    partners only): (query index, candidate index, feature matrix with the columns
    :data:`RANKER_FEATURES` of the target). Each block of features is computed once for both
    targets; the query-normalised columns only for the target whose ranker uses them."""
    out = {t: ([], [], []) for t in targets}
    for s in range(0, len(queries), _BLOCK):
        q = queries[s:s + _BLOCK]
        f = F.block(q)
        for exclude_past in targets:
            r, c = np.nonzero(_candidates(f, q, active, exclude_past))
            qi, cj, X = out[exclude_past]
            qi.append(q[r])
            cj.append(c)
            names = RANKER_FEATURES[exclude_past]
            base = [n for n in names if n in FEATURES]
            Xb = np.column_stack([f[n][r, c] for n in base])
            if len(base) < len(names):  # the query-normalised columns follow the block columns
                Xb = np.hstack([Xb, _query_normalised(r, Xb, base)])
            X.append(Xb.astype(np.float32))
    return {t: (np.concatenate(qi), np.concatenate(cj), np.vstack(X)) for t, (qi, cj, X) in out.items()}


@dataclass
class PartnerRecommender:
    """Learned partner recommender on the co-participation graph.

    Parameters
    ----------
    train_end : int
        Last start year of the projects the recommender may see (2017).
    fit_splits : tuple of (int, int, int)
        ``(feature_end, label_first, label_last)`` of each split the ranker learns on, inside
        the training period; the queries of several splits are pooled ((2016, 2017, 2017)).
    countries : tuple of str or None
        Organisations whose future links teach the ranker; None (default): every country (4,815
        training queries instead of the 2,001 of IT, ES, FR and DE).
    n_queries : int or None
        Organisations sampled as training queries in each split; None (default): all of them.
    ranker : dict
        Parameters of the ``lightgbm.LGBMRanker`` (default: :data:`_RANKER`).
    n_models : int
        Rankers learned for each target, with seeds ``seed, seed + 1, ...``; their scores are
        averaged. One ranker's recall moves by up to 0.003 with its seed (docs/matchmaking.md):
        the average does not depend on a lucky seed.
    seed : int
        Seed of the query sample and of the first ranker.
    """
    train_end: int = 2017
    fit_splits: tuple[tuple[int, int, int], ...] = ((2016, 2017, 2017),)
    countries: tuple[str, ...] | None = None
    n_queries: int | None = None
    ranker: dict = field(default_factory=lambda: dict(_RANKER))
    n_models: int = 5
    seed: int = 0
    models: dict = field(default_factory=dict, repr=False)

    def prepare(self, p: pd.DataFrame) -> "PartnerRecommender":
        """The organisations, their country and type, and the graph of the training period
        (everything but the ranker; the baselines need no more)."""
        p = p[p["start_year"] <= self.train_end]
        self.orgs = pd.Index(sorted(p["pic"].unique()))
        every = set(p["programme_parts"].str.split(";").explode()) - {""}
        self.parts = pd.Index(sorted(set(p["programme_part"]) | every))
        first = p.drop_duplicates("pic").set_index("pic").reindex(self.orgs)
        self.country_codes = pd.Index(sorted(first["country"].astype(str).unique()))
        self.country = self.country_codes.get_indexer(first["country"].astype(str))
        t = pd.Index(TYPES).get_indexer(first["type"])
        self.otype = np.where(t < 0, len(TYPES) - 1, t)
        self.graph = build_graph(p, self.orgs, self.parts, 0, self.train_end)
        self.features = _Features(self.graph, self.country, self.otype)
        self.active = self.graph.projects > 0
        return self

    def fit(self, p: pd.DataFrame) -> "PartnerRecommender":
        """Learn the rankers of the two targets (all partners; new partners only),
        :attr:`n_models` each, on the pooled :attr:`fit_splits`."""
        import lightgbm as lgb

        self.prepare(p)
        p = p[p["start_year"] <= self.train_end]
        first = p.drop_duplicates("pic").set_index("pic").reindex(self.orgs)
        in_c = (np.isin(first["country"].astype(str).to_numpy(), self.countries) if self.countries
                else np.ones(len(self.orgs), dtype=bool))
        rng = np.random.default_rng(self.seed)
        data = {False: [], True: []}
        for fe, l0, l1 in self.fit_splits:
            g_fit = build_graph(p, self.orgs, self.parts, 0, fe)
            g_lab = build_graph(p, self.orgs, self.parts, l0, l1)
            F = _Features(g_fit, self.country, self.otype)
            active = g_fit.projects > 0
            queries = np.where(in_c & active & (np.diff(g_lab.adjacency.indptr) > 0))[0]
            if self.n_queries is not None and len(queries) > self.n_queries:
                queries = np.sort(rng.choice(queries, size=self.n_queries, replace=False))
            for exclude_past, (qi, cj, X) in _pairs(F, queries, active).items():
                y = np.asarray(g_lab.adjacency[qi, cj]).ravel()
                keep = pd.Series(y).groupby(qi).transform("sum").to_numpy() > 0
                data[exclude_past].append((qi[keep], X[keep], y[keep]))
        for exclude_past, parts in data.items():
            X = np.vstack([x for _, x, _ in parts])
            y = np.concatenate([t for _, _, t in parts])
            # One query per organisation and split; pairs arrive grouped by query.
            groups = np.concatenate([np.bincount(np.unique(q, return_inverse=True)[1]) for q, _, _ in parts])
            names = list(RANKER_FEATURES[exclude_past])
            self.models[exclude_past] = []
            for m in range(self.n_models):
                model = lgb.LGBMRanker(**{**self.ranker, "random_state": self.seed + m})
                model.fit(X, y, group=groups, feature_name=names, categorical_feature=["type_j"])
                self.models[exclude_past].append(model)
        return self

    def scores(self, queries: np.ndarray, *, new_only: bool = False) -> sp.csr_matrix:
        """Scores (queries x organisations) of the candidates; non-candidates are absent."""
        qi, cj, X = _pairs(self.features, np.asarray(queries), self.active, (new_only,))[new_only]
        X = pd.DataFrame(X, columns=list(RANKER_FEATURES[new_only]))
        s = np.mean([model.predict(X) for model in self.models[new_only]], axis=0)
        # Shift so that every candidate beats an absent cell.
        s = s - s.min() + 1.0
        rows = pd.Index(np.asarray(queries)).get_indexer(qi)
        return sp.csr_matrix((s, (rows, cj)), shape=(len(queries), len(self.orgs)))

    def recommend(self, pic: str, k: int = 20, *, new_only: bool = False) -> pd.DataFrame:
        """The ``k`` most likely future partners of organisation ``pic``."""
        i = self.orgs.get_indexer([str(pic)])[0]
        if i < 0 or not self.active[i]:
            raise InputError(f"no organisation with PIC {pic} took part in a project started by {self.train_end}",
                             where="partner recommendation", fix="give the 9-digit PIC of an H2020 participant")
        row = self.scores(np.array([i]), new_only=new_only).toarray().ravel()
        top = np.argsort(-row)[:k]
        top = top[row[top] > 0]
        return pd.DataFrame({"pic": self.orgs[top], "score": row[top],
                             "past_projects": self.graph.counts[i].toarray().ravel()[top].astype(int)})


#: The baselines of issue 11, each the feature it ranks by.
BASELINES = {"popularity": "partners_j", "programme-mix cosine": "programme_mix",
             "Adamic-Adar": "adamic_adar", "repeat past partners": "repeat"}


def _top_k(S: np.ndarray, k: int) -> np.ndarray:
    part = np.argpartition(-S, k, axis=1)[:, :k]
    return part


def _recall(top: np.ndarray, truth: sp.csr_matrix) -> np.ndarray:
    """Per-row share of the true partners found among ``top``."""
    rows = np.repeat(np.arange(top.shape[0]), top.shape[1])
    hit = np.asarray(truth[rows, top.ravel()]).ravel().reshape(top.shape).sum(axis=1)
    return hit / np.diff(truth.indptr)


def _bootstrap(per_query: np.ndarray, n: int, rng) -> tuple[float, float]:
    idx = rng.integers(0, len(per_query), size=(n, len(per_query)))
    means = per_query[idx].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def backtest(p: pd.DataFrame | None = None, *, train_end: int = 2017, test_years=(2019, 2020),
             country: str = "IT", k: int = 20, n_boot: int = 1000, seed: int = 0,
             recommender: PartnerRecommender | None = None, model: bool = True, data_dir=None) -> dict:
    """Out-of-time backtest of partner recommendation (issue 11, part 7).

    Queries are the organisations of ``country`` active by ``train_end`` with at least one test
    partner active by then (test partner: co-participant in a project started in
    ``test_years``). ``recall@k`` is the share of an organisation's test partners in its top
    ``k``, averaged over organisations; on *new* partners (not partners by ``train_end``) past
    partners are removed from every ranking.

    Returns
    -------
    dict
        ``table``: one row per method and target (``all``/``new``) with ``recall``, ``ci_low``,
        ``ci_high``, ``n_orgs``; ``diff_vs_adamic_adar``: the paired bootstrap interval of the
        model minus Adamic-Adar; ``setup``: the windows and counts.
    """
    if p is None:
        p = read_participations(data_dir)
    if recommender is None:
        recommender = PartnerRecommender(train_end=train_end, seed=seed)
        recommender = recommender.fit(p) if model else recommender.prepare(p)
    rec = recommender
    orgs = rec.orgs
    g = rec.graph
    test = p[p["start_year"].between(*test_years) & p["pic"].isin(orgs)]
    tg = build_graph(test, orgs, rec.parts, *test_years)
    T = (tg.adjacency @ sp.diags(rec.active.astype(float))).tocsr()
    T.eliminate_zeros()
    is_c = rec.country_codes.get_indexer([country])
    queries = np.where((rec.country == is_c[0]) & rec.active & (np.diff(T.indptr) > 0))[0]
    T_all = T[queries]
    T_new = (T_all - T_all.multiply(g.adjacency[queries])).tocsr()
    T_new.eliminate_zeros()
    has_new = np.diff(T_new.indptr) > 0

    # Rankings are built a block of queries at a time: a dense queries x organisations block
    # of every feature for all 695 queries would take gigabytes.
    targets = (("all", T_all, np.ones(len(queries), bool), False), ("new", T_new, has_new, True))
    per: dict[tuple[str, str], list] = {}
    for s in range(0, len(queries), _BLOCK):
        q, rows_q = queries[s:s + _BLOCK], slice(s, s + _BLOCK)
        blk = rec.features.block(q)
        tie = 1e-9 * blk["partners_j"]
        invalid = ~rec.active[None, :] | (np.arange(len(orgs))[None, :] == q[:, None])
        for target, truth, sel, excl in targets:
            sel_q = sel[rows_q]
            truth_q = truth[s:s + _BLOCK][sel_q]
            bad = (invalid | (blk["repeat"] > 0) if excl else invalid)[sel_q]
            for name, feature in BASELINES.items():
                S = np.where(bad, -np.inf, (blk[feature] + tie)[sel_q])
                per.setdefault((name, target), []).append(_recall(_top_k(S, k), truth_q))
            if rec.models and sel_q.any():
                M = rec.scores(q[sel_q], new_only=excl).toarray()
                # The share of the test partners among the candidates bounds the recall.
                reach = np.asarray((truth_q.multiply(M > 0)).sum(axis=1)).ravel() / np.diff(truth_q.indptr)
                per.setdefault(("candidate pool (bound)", target), []).append(reach)
                M = np.where(bad, -np.inf, M + tie[sel_q])
                per.setdefault(("recommender", target), []).append(_recall(_top_k(M, k), truth_q))
    per = {key: np.concatenate(v) for key, v in per.items()}
    rng = np.random.default_rng(seed)
    rows = []
    for (name, target), r in per.items():
        lo, hi = _bootstrap(r, n_boot, rng)
        rows.append({"method": name, "target": target, "recall": float(r.mean()), "ci_low": lo,
                     "ci_high": hi, "n_orgs": int(len(r))})
    diff = {}
    for target in ("all", "new") if rec.models else ():
        d = per[("recommender", target)] - per[("Adamic-Adar", target)]
        diff[target] = _bootstrap(d, n_boot, rng)
    if p.attrs.get("undated"):
        setup_note = f"{p.attrs['undated']} participations without a start year set aside"
    else:
        setup_note = ""
    return {
        "table": pd.DataFrame(rows),
        "diff_vs_adamic_adar": diff,
        "setup": {"train": f"projects started by {train_end}", "test": f"projects started {test_years[0]}-{test_years[1]}",
                  "country": country, "k": k, "bootstrap": n_boot, "queries": int(len(queries)),
                  "queries_new": int(has_new.sum()), "ranker_splits": [list(x) for x in rec.fit_splits], "note": setup_note},
    }
