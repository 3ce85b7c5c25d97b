"""Read a results store built by :func:`smartspec.store.build_store`."""
from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path

import pandas as pd

from smartspec.errors import DataNotFoundError, UnknownNameError


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
        manifest = self.path / "manifest.json"
        if not manifest.exists():
            raise DataNotFoundError(f"no results store at {self.path}", where=str(self.path),
                                    fix="build it with `smartspec build` (or pass the folder `smartspec build` printed)")
        self.manifest = json.loads(manifest.read_text())
        self._tables: dict[str, pd.DataFrame] = {}
        for name in self.manifest.get("tables", {}):
            if name.endswith(".geojson"):
                continue
            f = self.path / f"{name}.parquet"
            if f.exists():
                self._tables[name] = pd.read_parquet(f)

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
        f = self.path / "nuts2.geojson"
        return f.read_bytes() if f.exists() else b""

    # ---------------------------------------------------------------- lookups
    @cached_property
    def regions(self) -> pd.DataFrame:
        return self.table("regions").set_index("region", drop=False) if self.has("regions") else pd.DataFrame()

    @cached_property
    def activities(self) -> pd.DataFrame:
        return self.table("activities").set_index("activity", drop=False) if self.has("activities") else pd.DataFrame()

    @cached_property
    def _region_lookup(self) -> dict[str, str]:
        from smartspec.data.labels import normalise_name

        out: dict[str, str] = {}
        if self.has("region_names"):
            for code, name in self.table("region_names")[["region", "name"]].itertuples(index=False):
                out.setdefault(normalise_name(name), code)
        for code, name in self.regions[["region", "name"]].itertuples(index=False) if len(self.regions) else []:
            out.setdefault(normalise_name(name), code)
        return out

    @cached_property
    def region_search_names(self) -> pd.DataFrame:
        """One row per (region, name) in every language the data has, plus the code."""
        parts = [self.regions[["region", "name"]]] if len(self.regions) else []
        if self.has("region_names"):
            parts.append(self.table("region_names")[["region", "name"]])
        df = pd.concat(parts, ignore_index=True).drop_duplicates() if parts else pd.DataFrame(columns=["region", "name"])
        df = df[df["region"].isin(self.regions.index)] if len(self.regions) else df
        from smartspec.data.labels import normalise_name

        df = df.assign(key=df["name"].map(normalise_name))
        return df.reset_index(drop=True)

    def resolve_region(self, query: str) -> str:
        """A region code from a code or a name in any language the data has."""
        q = str(query).strip()
        if q in self.regions.index:
            return q
        if q.upper() in self.regions.index:
            return q.upper()
        from smartspec.data.labels import normalise_name

        code = self._region_lookup.get(normalise_name(q))
        if code is not None and code in self.regions.index:
            return code
        raise UnknownNameError("region", q, self._valid_region_names)

    @cached_property
    def _valid_region_names(self) -> list[str]:
        """Codes and names offered when a region is not found (built once: unknown names are
        the requests a server sees most often without a cached answer)."""
        return [str(c) for c in self.regions.index] + [str(n) for n in self.region_search_names["name"].unique()]

    @cached_property
    def _activity_lookup(self) -> dict[str, str]:
        from smartspec.data.labels import normalise_name

        return {normalise_name(n): c for c, n in self.activities["name"].items()}

    def resolve_activity(self, query: str) -> str:
        q = str(query).strip()
        if q in self.activities.index:
            return q
        if q.upper() in self.activities.index:
            return q.upper()
        from smartspec.data.labels import normalise_name

        code = self._activity_lookup.get(normalise_name(q))
        if code is not None:
            return code
        raise UnknownNameError("activity", q, list(self.activities.index) + list(self.activities["name"]))

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
