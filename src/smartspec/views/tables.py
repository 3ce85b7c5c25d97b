"""Store tables as view models, and the value cleaning every view shares.

Nothing here computes a measure: every number comes from a table of the results store.
"""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pandas as pd

from smartspec.store import Store
from smartspec.views import models as m

#: The columns each section shows (in this order); the downloads keep every column.
COLUMNS = {
    "competences": ["name", "strength", "specialised", "size", "employment_share", "trend", "specialisations",
                    "ecosystems"],
    "paths": ["from", "to", "feasibility", "steps", "stepping_stones", "route"],
    "niches": ["rank", "a", "a_name", "b", "b_name", "link", "io_link", "proximity", "bridges"],
    "partners": ["rank", "partner", "partner_name", "country", "targets_helped", "best_gain", "holds", "targets"],
    "compare": ["member", "name", "built_from", "size", "diversity", "eci", "top_specialisations"],
    "complementarity": ["from_member", "to_member", "ecosystem", "gain"],
}


def num(v) -> Optional[float]:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def clean(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return num(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (list, tuple, np.ndarray)):
        return "; ".join(str(x) for x in v)
    return v


def text(v) -> str:
    v = clean(v)
    return "" if v is None else str(v)


def table_model(store: Store, section: str, table: str, *, query: str | None = None, limit: int = 200,
                columns: list[str] | None = None) -> m.Table:
    """A store table (optionally filtered with a pandas query) as a :class:`Table` section."""
    if not store.available(section) or not store.has(table):
        return m.Table(available=False, note=store.reason(section) or "not computed by this store")
    df = store.table(table)
    if query:
        df = df.query(query)
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    df = df.head(limit)
    rows = [{k: clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
    return m.Table(available=True, columns=[str(c) for c in df.columns], rows=rows)


def info(store: Store) -> m.StoreInfo:
    man = store.manifest
    return m.StoreInfo(
        dataset=man["dataset"], value_name=man.get("value_name", ""), source=man.get("source", ""),
        year=man.get("year"), first_year=man.get("first_year"), region=man.get("region"),
        region_name=man.get("region_name"), n_regions=man.get("n_regions", 0), n_activities=man.get("n_activities", 0),
        sections={k: m.SectionStatus(available=v.get("available", False), reason=v.get("reason", ""))
                  for k, v in man.get("sections", {}).items()},
        built_at=man.get("built_at", ""),
    )


def tables(store: Store) -> list[m.TableInfo]:
    return [m.TableInfo(name=n, rows=len(store.table(n)), csv=f"/api/download/{n}?format=csv",
                        parquet=f"/api/download/{n}?format=parquet") for n in store.table_names]


def rca_rows(store: Store, column: str, code: str) -> pd.DataFrame:
    """The rows of the store's RCA table for one region or one activity (``column`` is
    ``"region"`` or ``"activity"``)."""
    rca = store.table("rca")
    return rca[rca[column] == code]


def pci_of(store: Store, activity: str) -> Optional[float]:
    """The activity's PCI, None for one the store does not rank."""
    acts = store.activities
    return num(acts.at[activity, "pci"]) if activity in acts.index else None


def rank_of(series: pd.Series, key) -> tuple[Optional[int], int]:
    """The rank of ``key`` in ``series`` (1 = highest, missing values left out) and how many are ranked."""
    s = series.dropna()
    if key not in s.index:
        return None, len(s)
    return int((s > s[key]).sum() + 1), len(s)
