"""View models shared by the web pages and the report, read from the results store.

Each function returns a pydantic model of :mod:`smartspec.views.models` (the API's response
bodies); nothing here computes a measure. Labels in both languages are in
:mod:`smartspec.views.i18n`, sentences built from structured columns in :mod:`smartspec.views.text`.

Where each view lives: a region's page, search and map in :mod:`smartspec.views.region`; an
activity and the activity space in :mod:`smartspec.views.activity`; networks and the backtest
in :mod:`smartspec.views.compare`; store tables and value cleaning in
:mod:`smartspec.views.tables`; the models in :mod:`smartspec.views.models`.

The view functions are imported on first use, so the command line can word its sentences with
:mod:`smartspec.views.text` and :mod:`smartspec.views.partners_text` without loading pydantic,
the models and the store.
"""
from __future__ import annotations

import importlib
import sys
import types

#: Each public view function and the module that defines it.
_HOMES = {"activity_detail": "activity", "space": "activity", "backtest": "compare", "compare": "compare",
          "expand_members": "compare", "networks": "compare", "resolve_network": "compare",
          "map_data": "region", "region_view": "region", "search_regions": "region",
          "info": "tables", "table_model": "tables", "tables": "tables"}

__all__ = sorted(_HOMES)


class _Views(types.ModuleType):
    """This package, its view functions imported on first use.

    Two functions share their name with the module that defines them (``compare``, ``tables``).
    Importing a submodule binds it as an attribute of the package, so here that binding is
    skipped for a function's name: ``views.tables`` is always the function, as it was when
    this package imported every function at once.
    """

    def __getattr__(self, name: str):
        if name not in _HOMES:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{self.__name__}.{_HOMES[name]}"), name)
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_HOMES})


sys.modules[__name__].__class__ = _Views
