"""The monitoring tables of the results store (written by the store's ``monitoring`` step).

The store keeps the observations of every region, the peers of every region with data and
the composite; a region's dashboard is then assembled by
:func:`smartspec.strategy.monitoring.dashboard.dashboard` from those rows (a selection, no
measure is computed by the pages).
"""
from __future__ import annotations

import pandas as pd

from smartspec.strategy.monitoring import composite as C
from smartspec.strategy.monitoring.dashboard import peer_table
from smartspec.strategy.monitoring.indicators import CATALOGUE, observations, regional_file
from smartspec.strategy.monitoring.targets import progress


def composite_tables(obs: pd.DataFrame, data_dir=None, n_draws: int = 1000, seed: int = 20260101) -> dict:
    """The local composite over the regions of the Interreg CE file (those the RIS is published
    for there), its rank ranges, the method steps and the agreement with each RIS edition.

    Returns
    -------
    dict of DataFrame
        ``monitor_composite`` (region, composite, rank, median_rank, rank_p05, rank_p95,
        rank_min, rank_max, n_indicators, then the normalised score of every input),
        ``monitor_composite_steps`` (one row per input: year used, outliers, skewness,
        transformation, min, max), ``monitor_agreement`` (edition, n_regions, spearman, p_value).
    """
    regions = pd.Index(sorted(regional_file(data_dir)["region"].unique()))
    X, years = C.composite_inputs(obs, regions)
    hib = CATALOGUE.set_index("key")["higher_is_better"].to_dict()
    comp = C.ris_composite(X, hib)
    ranks = C.rank_ranges(comp.normalised, n_draws=n_draws, seed=seed)
    table = pd.concat([comp.score, ranks, comp.normalised.notna().sum(axis=1).rename("n_indicators"),
                       comp.normalised.add_prefix("score_")], axis=1).dropna(subset=["composite"])
    table = table.sort_values("composite", ascending=False).rename_axis("region").reset_index()
    steps = comp.steps.assign(year=comp.steps["indicator"].map(years))
    ris = obs[obs["indicator"] == "ris"]
    return {"monitor_composite": table, "monitor_composite_steps": steps,
            "monitor_agreement": C.agreement(comp.score, ris)}


def monitoring_tables(analysis, regions=None, network: str | None = "Four Motors for Europe") -> dict:
    """Every monitoring table of the store.

    Parameters
    ----------
    analysis : Analysis
        The employment analysis (its profile gives the ecosystems, the network and the targets).
    regions : sequence, optional
        Regions whose peers are stored (default: every region of the panel with data).

    Returns
    -------
    dict of DataFrame
        ``monitor_catalogue``, ``monitor_observations``, ``monitor_gaps``, ``monitor_peers``
        (``region`` plus the columns of :func:`peer_table`), ``monitor_targets`` (the profile
        region's progress), ``monitor_erc_hosts`` (every ERC grant with its matched host, see
        :func:`smartspec.strategy.monitoring.cooperation.erc_hosts`), and the tables of
        :func:`composite_tables`.
    """
    from smartspec.match.registry import load_registry
    from smartspec.strategy.monitoring.cooperation import complementary_observations, erc_hosts

    prof = analysis.profile
    obs, gaps = observations(prof, analysis.data_dir)
    registry = load_registry(analysis.data_dir)
    # the complementary partners come from the analysis, so this indicator is added here
    obs = pd.concat([obs, complementary_observations(analysis, registry)], ignore_index=True)
    if regions is None:
        p = analysis.panel
        has = sum((abs(m).sum(axis=1) > 0).astype(int) for m in p.matrices.values())
        regions = [r for r, h in zip(p.regions, has) if h and len(str(r)) == 4]
    peers = pd.concat([peer_table(analysis, r, network=network).assign(region=r) for r in regions],
                      ignore_index=True)
    out = {"monitor_catalogue": CATALOGUE.copy(), "monitor_observations": obs, "monitor_gaps": gaps,
           "monitor_peers": peers[["region", "unit", "name", "role", "group", "order"]],
           "monitor_targets": progress(prof, obs) if prof is not None else pd.DataFrame(),
           "monitor_erc_hosts": erc_hosts(registry, analysis.data_dir)}
    out.update(composite_tables(obs, analysis.data_dir))
    return out


def region_dashboard(table, region: str) -> pd.DataFrame:
    """The dashboard of ``region`` from stored monitoring tables.

    Parameters
    ----------
    table : callable
        ``table(name) -> DataFrame`` (e.g. :meth:`smartspec.store.Store.table`).
    region : str
        NUTS 2 code of a region whose peers are stored.

    Returns
    -------
    DataFrame
        As :func:`smartspec.strategy.monitoring.dashboard.dashboard`.
    """
    from smartspec.errors import UnknownNameError
    from smartspec.strategy.monitoring.dashboard import dashboard

    peers = table("monitor_peers")
    mine = peers[peers["region"] == region].sort_values("order")
    if mine.empty:
        raise UnknownNameError("region", region, sorted(peers["region"].unique()), where="monitoring peers")
    return dashboard(table("monitor_observations"), table("monitor_gaps"), mine.drop(columns="region"))
