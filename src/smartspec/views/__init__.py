"""View models shared by the web pages and the report, read from the results store.

Each function returns a pydantic model of :mod:`smartspec.views.models` (the API's response
bodies); nothing here computes a measure. Labels in both languages are in
:mod:`smartspec.views.i18n`, sentences built from structured columns in :mod:`smartspec.views.text`.
"""
from smartspec.views.activity import activity_detail, space
from smartspec.views.compare import backtest, compare, expand_members, networks, resolve_network
from smartspec.views.region import map_data, region_view, search_regions
from smartspec.views.tables import info, table_model, tables

__all__ = ["activity_detail", "backtest", "compare", "expand_members", "info", "map_data", "networks",
           "region_view", "resolve_network", "search_regions", "space", "table_model", "tables"]
