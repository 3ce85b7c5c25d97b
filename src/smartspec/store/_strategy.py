"""Adapters from the strategy modules to the store's tidy tables (filled as the modules land)."""
from __future__ import annotations

import pandas as pd


def _missing(what: str):
    raise NotImplementedError(f"{what} is not in this version of smartspec")


def opportunities_table(b) -> pd.DataFrame:
    from smartspec.strategy import opportunities  # noqa: F401

    _missing("smartspec.strategy.opportunities")


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
