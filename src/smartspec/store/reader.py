"""Read a results store built by :func:`smartspec.store.build_store`."""
from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path

import pandas as pd

from smartspec.data.names import NameIndex
from smartspec.errors import DataNotFoundError, UnknownNameError
from smartspec.store.build import missing_tables


class Store:
    """The tables of one results store, loaded into memory once.

    Attributes
    ----------
    path : pathlib.Path
        The store folder.
    manifest : dict
        Dataset, year, profile region, sections available (with reasons when not), table sizes.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        # the store is a link to one built folder: read everything from that folder, so a
        # rebuild that swaps the link meanwhile cannot mix two versions
        self.folder = self.path.resolve()
        manifest = self.folder / "manifest.json"
        rebuild = "rebuild it with `smartspec build` (`smartspec serve` rebuilds it when it is not current)"
        if not manifest.exists():
            raise DataNotFoundError(f"no results store at {self.path}", where=str(self.path),
                                    fix="build it with `smartspec build` (or pass the folder `smartspec build` printed)")
        try:
            self.manifest = json.loads(manifest.read_text())
        except ValueError as exc:
            raise DataNotFoundError(f"the store's manifest is damaged ({exc})", where=str(manifest), fix=rebuild) from None
        absent = missing_tables(self.folder, self.manifest)
        if absent:
            raise DataNotFoundError(f"the store is incomplete: {len(absent)} table(s) its manifest lists are missing "
                                    f"({', '.join(absent[:8])})", where=str(self.path), fix=rebuild)
        self._tables: dict[str, pd.DataFrame] = {}
        for name, rows in self.manifest.get("tables", {}).items():
            if name.endswith(".geojson"):
                continue
            f = self.folder / f"{name}.parquet"
            try:
                self._tables[name] = pd.read_parquet(f)
            except Exception as exc:
                raise DataNotFoundError(f"the store's table {name} is damaged ({type(exc).__name__}: {exc})",
                                        where=str(f), fix=rebuild) from None
            if len(self._tables[name]) != rows:
                raise DataNotFoundError(f"the store's table {name} has {len(self._tables[name])} rows, its manifest "
                                        f"{rows}", where=str(f), fix=rebuild)

    # ------------------------------------------------------------------ tables
    @property
    def table_names(self) -> list[str]:
        return sorted(self._tables)

    def has(self, name: str) -> bool:
        return name in self._tables

    def table(self, name: str) -> pd.DataFrame:
        """A stored table by name (UnknownNameError with the closest names otherwise)."""
        if name not in self._tables:
            raise UnknownNameError("table", name, self.table_names)
        return self._tables[name]

    def get(self, name: str) -> pd.DataFrame | None:
        return self._tables.get(name)

    def available(self, section: str) -> bool:
        return bool(self.manifest.get("sections", {}).get(section, {}).get("available", False))

    def reason(self, section: str) -> str:
        sec = self.manifest.get("sections", {}).get(section)
        if sec is None:
            return "not computed by this store"
        return sec.get("reason", "")

    @cached_property
    def geojson_bytes(self) -> bytes:
        f = self.folder / "nuts2.geojson"
        return f.read_bytes() if f.exists() else b""

    # ---------------------------------------------------------------- lookups
    @cached_property
    def regions(self) -> pd.DataFrame:
        return self.table("regions").set_index("region", drop=False) if self.has("regions") else pd.DataFrame()

    @cached_property
    def activities(self) -> pd.DataFrame:
        return self.table("activities").set_index("activity", drop=False) if self.has("activities") else pd.DataFrame()

    @cached_property
    def region_search_names(self) -> pd.DataFrame:
        """One row per (region, name) in every language the data has (columns ``code``, ``name``,
        ``key``), the panel's own names first."""
        return self._region_index.names

    @cached_property
    def _region_index(self) -> NameIndex:
        parts = [self.regions[["region", "name"]]] if len(self.regions) else []
        if self.has("region_names"):
            parts.append(self.table("region_names")[["region", "name"]])
        names = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["region", "name"])
        return NameIndex("region", names.rename(columns={"region": "code"}), codes=self.regions.index)

    @cached_property
    def _activity_index(self) -> NameIndex:
        return NameIndex.from_series("activity", self.activities["name"].astype(str))

    def resolve_region(self, query: str) -> str:
        """A region code from a code or a name in any language the data has."""
        return self._region_index.resolve(query)

    def resolve_activity(self, query: str) -> str:
        """An activity code from a code or a name."""
        return self._activity_index.resolve(query)

    def region_name(self, code: str) -> str:
        return str(self.regions.at[code, "name"]) if code in self.regions.index else code

    def activity_name(self, code: str) -> str:
        return str(self.activities.at[code, "name"]) if code in self.activities.index else code


def open_store(path: str | os.PathLike | None = None) -> Store:
    """Open a results store (default: the store of the default dataset and profile)."""
    if path is None:
        from smartspec.store.build import default_store_path

        path = default_store_path()
    return Store(path)
