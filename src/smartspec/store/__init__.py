"""The results store: every table the web pages and the region report read, precomputed once.

:func:`build_store` loads a dataset, runs the shared measures and strategy functions on it and
writes their results as Parquet files (plus the simplified NUTS 2 GeoJSON and a
``manifest.json``) into a folder of the cache directory; :func:`open_store` reads that folder
back into memory. The web application and the report never compute a measure themselves: they
only read a :class:`Store`.
"""
from __future__ import annotations

from smartspec.store.build import build_store, default_store_path, store_is_current
from smartspec.store.reader import Store, open_store

__all__ = ["build_store", "open_store", "Store", "default_store_path", "store_is_current"]
