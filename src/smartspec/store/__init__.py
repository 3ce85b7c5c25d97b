"""The results store: every table the web pages and the region report read, precomputed once.

:func:`build_store` loads a dataset, runs the shared measures and strategy functions on it and
writes their results as Parquet files (plus the simplified NUTS 2 GeoJSON and a
``manifest.json``) into a folder of the cache directory; :func:`open_store` reads that folder
back into memory. The web application and the report never compute a measure themselves: they
only read a :class:`Store`.

Where each part lives: the build, its steps and the manifest in :mod:`smartspec.store.build`;
the measures' tables in :mod:`smartspec.store._measures`; the strategy tables (one
``*_tables(build)`` adapter a step) in :mod:`smartspec.store._strategy`; reading, and the
store's name lookups, in :mod:`smartspec.store.reader`.
"""
from __future__ import annotations

from smartspec.store.build import build_store, default_store_path, store_is_current
from smartspec.store.reader import Store, open_store

__all__ = ["build_store", "open_store", "Store", "default_store_path", "store_is_current"]
