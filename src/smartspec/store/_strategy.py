"""Adapters from the strategy modules to the store's tidy tables (filled as the modules land)."""
from __future__ import annotations

import pandas as pd


def _missing(what: str):
    raise NotImplementedError(f"{what} is not in this version of smartspec")


QUADRANT_KEYS = {
    "high relatedness, high complexity": "high_high",
    "low relatedness, high complexity": "low_high",
    "high relatedness, low complexity": "high_low",
    "low relatedness, low complexity": "low_low",
}


def _analysis(b):
    if b.analysis is None:
        from smartspec.strategy.context import analyse_panel

        b.analysis = analyse_panel(b.panel, profile=b.profile, data_dir=b.data_dir, dataset=b.dataset)
    return b.analysis


def _regions_with_data(b) -> list[str]:
    regs = b.computed.get("regions")
    if regs is None:
        return list(b.panel.regions)
    return list(regs.loc[regs["has_data"], "region"])


def opportunities_table(b) -> pd.DataFrame:
    """:func:`smartspec.strategy.opportunities.opportunities` of every region with data in the store's year.

    One row per region x candidate activity, with the quadrant as a key (``high_high`` ...), the
    region's quadrant thresholds, and every column the strategy function explains it with.
    """
    from smartspec.errors import InputError
    from smartspec.strategy.opportunities import opportunities

    a = _analysis(b)
    parts = []
    for region in _regions_with_data(b):
        try:
            o = opportunities(a, region, b.year)
        except InputError:
            continue
        o.insert(0, "region", region)
        o["quadrant_label"] = o["quadrant"]
        o["quadrant"] = o["quadrant"].map(QUADRANT_KEYS).fillna(o["quadrant"])
        o["density_threshold"] = o.attrs.get("relatedness_threshold")
        o["pci_threshold"] = o.attrs.get("complexity_threshold")
        parts.append(o)
    if not parts:
        raise InputError("no region has opportunities in this year")
    return pd.concat(parts, ignore_index=True)


def competences_tables(b) -> dict:
    from smartspec.strategy import competences  # noqa: F401

    _missing("smartspec.strategy.competences")


def paths_table(b) -> pd.DataFrame:
    from smartspec.strategy import paths  # noqa: F401

    _missing("smartspec.strategy.paths")


def niches_table(b) -> pd.DataFrame:
    from smartspec.strategy import niches  # noqa: F401

    _missing("smartspec.strategy.niches")


def partners_table(b) -> pd.DataFrame:
    from smartspec.strategy import partners  # noqa: F401

    _missing("smartspec.strategy.partners")


def compare_tables(b) -> dict:
    from smartspec.strategy import partners  # noqa: F401

    _missing("smartspec.strategy.partners benchmarking")


def backtest_tables(b) -> dict:
    """The strategy backtest (every predictor x subset), its precision@k curves and its design."""
    from smartspec.strategy.forecast import backtest, precision_curves

    table = backtest(b.dataset, b.data_dir)
    curves = precision_curves(b.dataset, b.data_dir)
    design = pd.DataFrame([{k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                            for k, v in table.attrs.items()}])
    return {"backtest": table, "precision_curves": curves, "backtest_design": design}
