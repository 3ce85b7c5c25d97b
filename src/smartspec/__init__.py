"""smartspec: Smart Specialisation Strategy analytics for European regions.

The top-level names (:class:`Panel`, :func:`measures`, :func:`load_dataset`) are imported on
first use, so ``import smartspec`` (and the ``smartspec`` command, whose ``--help`` must start
fast) loads neither pandas nor scipy until a command needs them.

The layers go one way, each package's docstring names where its concepts live:
:mod:`smartspec.data` (files, names, NUTS, datasets) -> :mod:`smartspec.metrics` (RCA,
relatedness, complexity, input-output) -> :mod:`smartspec.strategy` (opportunities,
forecast, paths, niches, partners, monitoring) -> :mod:`smartspec.store` and
:mod:`smartspec.views` -> :mod:`smartspec.web`, :mod:`smartspec.report` and
:mod:`smartspec.cli`; :mod:`smartspec.match` holds the research organisations. Defaults are in :mod:`smartspec.config`, errors in :mod:`smartspec.errors`.
"""
from __future__ import annotations

from smartspec._version import __version__

__all__ = ["Panel", "measures", "load_dataset", "__version__"]


def __getattr__(name):
    if name == "Panel":
        from smartspec.data.panel import Panel

        return Panel
    if name == "measures":
        # the function; its module is smartspec.measure_table, so no module hides behind the name
        from smartspec.measure_table import measures

        return measures
    if name == "load_dataset":
        from smartspec.data.datasets import load_dataset

        return load_dataset
    raise AttributeError(f"module 'smartspec' has no attribute {name!r}")
