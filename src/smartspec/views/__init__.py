"""View models shared by the web pages and the report, read from the results store.

Each function returns a pydantic model of :mod:`smartspec.views.models` (the API's response
bodies); nothing here computes a measure. Labels in both languages are in
:mod:`smartspec.views.i18n`, sentences built from structured columns in :mod:`smartspec.views.text`.

Where each view lives: a region's page, search and map in :mod:`smartspec.views.region`; an
activity and the activity space in :mod:`smartspec.views.activity`; networks and the backtest
in :mod:`smartspec.views.compare`; store tables and value cleaning in
:mod:`smartspec.views.tables`; the models in :mod:`smartspec.views.models`.
"""
from smartspec.views.activity import activity_detail, space
from smartspec.views.compare import backtest, compare, expand_members, networks, resolve_network
from smartspec.views.region import map_data, region_view, search_regions
from smartspec.views.tables import info, table_model, tables

__all__ = ["activity_detail", "backtest", "compare", "expand_members", "info", "map_data", "networks",
           "region_view", "resolve_network", "search_regions", "space", "table_model", "tables"]
