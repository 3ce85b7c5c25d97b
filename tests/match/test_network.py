"""The collaboration network: Leiden communities and betweenness checked against independent code."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp


@pytest.fixture(scope="module")
def metrics(registry):
    from smartspec.match.network import load_network_metrics

    return load_network_metrics(registry)


def _shared_projects(registry, org_ids) -> sp.csr_matrix:
    """Organisations x organisations shared-project counts, zero diagonal (written without igraph)."""
    p = registry.participations[["project_id", "org_id"]].drop_duplicates()
    p = p[p["org_id"].isin(org_ids)]
    rows = pd.Index(org_ids).get_indexer(p["org_id"])
    cols = pd.factorize(p["project_id"])[0]
    inc = sp.csr_matrix((np.ones(len(p)), (rows, cols)), shape=(len(org_ids), cols.max() + 1))
    a = (inc @ inc.T).tolil()
    a.setdiag(0)
    return a.tocsr()


def test_modularity_recomputed_from_the_formula(registry, metrics):
    # Newman's weighted modularity Q = sum_c [ W_c / 2m - (K_c / 2m)^2 ], from the shared-project matrix
    ids = metrics["org_id"].tolist()
    a = _shared_projects(registry, ids)
    two_m = a.sum()
    comm = metrics["community"].to_numpy()
    k = np.asarray(a.sum(axis=1)).ravel()
    coo = a.tocoo()
    inside = np.bincount(comm[coo.row], weights=coo.data * (comm[coo.row] == comm[coo.col]), minlength=comm.max() + 1)
    degree_sum = np.bincount(comm, weights=k, minlength=comm.max() + 1)
    q = (inside / two_m - (degree_sum / two_m) ** 2).sum()
    assert q == pytest.approx(metrics.attrs["modularity"], abs=1e-9)
    # the figures of the earlier attempt: 796,670 links, about 4,400 communities, Q about 0.43
    assert metrics.attrs["links"] == coo.nnz // 2 == 796_670
    assert 0.42 < q < 0.44 and 4_000 < metrics.attrs["communities"] < 5_000
    assert metrics["community_size"].eq(metrics.groupby("community")["org_id"].transform("size")).all()


def _brute_force_betweenness(adj: np.ndarray) -> np.ndarray:
    """Betweenness from all-pairs distances and path counts (powers of the adjacency matrix)."""
    from scipy.sparse.csgraph import shortest_path

    n = len(adj)
    dist = shortest_path(adj, unweighted=True, directed=False)
    sigma = np.zeros((n, n))
    power = np.eye(n)
    for d in range(1, int(np.nanmax(dist[np.isfinite(dist)])) + 1):
        power = power @ adj  # walks of length d: shortest paths where d is the distance
        sigma[dist == d] = power[dist == d]
    np.fill_diagonal(sigma, 1)
    out = np.zeros(n)
    for v in range(n):
        on_path = np.isclose(dist[:, [v]] + dist[[v], :], dist) & np.isfinite(dist)
        on_path[v, :] = on_path[:, v] = False
        np.fill_diagonal(on_path, False)
        ratio = np.where(on_path, np.outer(sigma[:, v], sigma[v, :]) / np.where(sigma > 0, sigma, 1), 0)
        out[v] = ratio.sum() / 2  # each unordered pair counted twice
    return out


def test_betweenness_against_brute_force_on_a_real_region(registry):
    from smartspec.match.network import network_metrics
    from smartspec.match.registry import Registry

    # a small real graph: the organisations of one region and the projects among them
    counts = registry.organisations["nuts2"].value_counts()
    region = counts[(counts > 40) & (counts < 80)].index[0]
    ids = registry.organisations.loc[registry.organisations["nuts2"] == region, "org_id"]
    sub = Registry(registry.organisations[registry.organisations["org_id"].isin(ids)].reset_index(drop=True),
                   registry.participations[registry.participations["org_id"].isin(ids)])
    exact = network_metrics(sub, betweenness_sources=10**6)  # every organisation a source: exact
    adj = (_shared_projects(sub, exact["org_id"].tolist()).toarray() > 0).astype(float)
    expected = _brute_force_betweenness(adj)
    assert expected.max() > 0
    np.testing.assert_allclose(exact["betweenness"].to_numpy(), expected, rtol=1e-9, atol=1e-9)


def test_lombardy_brokers_are_its_large_universities_and_firms(registry, metrics):
    from smartspec.match.network import region_network

    net = region_network(registry, metrics, "itc4")
    top = net["brokers"].head(8)["name"].tolist()
    assert top[0] == "POLITECNICO DI MILANO"
    assert {"UNIVERSITA DEGLI STUDI DI MILANO", "STMICROELECTRONICS SRL"} <= set(top)
    assert net["brokers"]["betweenness"].is_monotonic_decreasing
    # every region's organisation is in one of the listed communities
    assert net["communities"]["members_in_region"].sum() == (registry.organisations["nuts2"] == "ITC4").sum()
    assert net["by_country"].iloc[0]["links"] >= net["by_country"].iloc[-1]["links"]


def test_organisation_card_and_unknown_ids(registry, metrics):
    from smartspec.errors import UnknownNameError
    from smartspec.match.network import organisation_network, region_network

    card = organisation_network(registry, metrics, "999879881")
    assert card["betweenness_rank"] <= 50 and card["community_size"] > 100
    assert card["community_top"]["strength"].is_monotonic_decreasing
    assert (metrics.loc[metrics["community"] == card["community"], "org_id"].isin(card["community_top"]["org_id"])).sum() \
        == len(card["community_top"])
    with pytest.raises(UnknownNameError):
        organisation_network(registry, metrics, "123")
    with pytest.raises(UnknownNameError):
        region_network(registry, metrics, "XX99")
