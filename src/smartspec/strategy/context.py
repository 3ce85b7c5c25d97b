"""The analysis of one dataset that every strategy function works on.

:func:`analyse` loads a named dataset (or takes a Panel), computes the measures of every
year once, and keeps them with the region profile; strategy functions take the result.
Repeated calls with the same arguments return the same object (kept in memory).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.data.orientation import orientation
from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, check_scope
from smartspec.errors import UnknownNameError
from smartspec.measures import Measures, compute
from smartspec.metrics import ComplexityWarning
from smartspec.strategy.profiles import RegionProfile, load_profile


@dataclass
class Analysis:
    """A panel, its measures per year and the region profile.

    Attributes
    ----------
    panel : Panel
    measures : dict[int, Measures]      years with data only
    profile : RegionProfile or None
    dataset : str
    sign : str                          how ECI/PCI are oriented ("GDP per head" or "diversity")
    scope : str                         activities complexity is computed on ("traded" or "all")
    eci_orientation : str               the orientation rule in one sentence
    """

    panel: Panel
    measures: dict[int, Measures]
    profile: RegionProfile | None
    dataset: str = ""
    sign: str = "diversity"
    data_dir: object = None
    scope: str = DEFAULT_SCOPE
    eci_orientation: str = ""
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def years(self) -> list[int]:
        return list(self.measures)

    def at(self, year: int | None = None) -> Measures:
        """Measures of ``year`` (default: the last year with data)."""
        if year is None:
            return self.measures[self.years[-1]]
        if int(year) not in self.measures:
            raise UnknownNameError("year", str(year), [str(y) for y in self.years], where=self.dataset)
        return self.measures[int(year)]

    def last_year(self, region: str) -> int:
        """The default year for ``region`` (:meth:`~smartspec.data.panel.Panel.default_year`: its
        last well-covered year with data)."""
        return self.panel.default_year(region)

    def region(self, query: str) -> str:
        """A region code of the panel from a code or a name (any language the data has)."""
        return resolve_region(self.panel, query, self.data_dir)

    def activity(self, query: str) -> str:
        """An activity code of the panel from a code or a name."""
        q = str(query).strip()
        if q in self.panel.activities:
            return q
        up = q.upper()
        if up in self.panel.activities:
            return up
        names = self.panel.activity_meta["name"].astype(str)
        hit = names[names.str.lower() == q.lower()]
        if len(hit):
            return str(hit.index[0])
        valid = [f"{c} ({n})" for c, n in names.items()]
        raise UnknownNameError("activity", query, list(self.panel.activities) + valid)

    def label(self, code: str) -> str:
        """``C13 Manufacture of textiles``."""
        return f"{code} {self.panel.activity_meta['name'].get(code, '')}".strip()


def resolve_region(panel: Panel, query: str, data_dir=None) -> str:
    q = str(query).strip()
    if q in panel.regions:
        return q
    if q.upper() in panel.regions:
        return q.upper()
    names = panel.region_meta["name"].astype(str)
    hit = names[names.str.lower() == q.lower()]
    if len(hit):
        return str(hit.index[0])
    try:
        from smartspec.data.nuts import lookup_region

        code = lookup_region(q, data_dir=data_dir)
        if code in panel.regions:
            return code
    except UnknownNameError:
        pass
    raise UnknownNameError("region", query, list(panel.regions) + list(names))


def analyse_panel(panel: Panel, *, profile: RegionProfile | str | None = "lombardy", data_dir=None,
                  dataset: str = "", scope: str = DEFAULT_SCOPE, **options) -> Analysis:
    """Measures of every year with data, with the region profile (see :class:`Analysis`).

    ECI/PCI are oriented by the one rule of :mod:`smartspec.data.orientation` and computed on
    the activities of ``scope`` (:mod:`smartspec.data.scope`; traded ones by default)."""
    check_scope(scope)
    if isinstance(profile, str):
        profile = load_profile(profile, data_dir=data_dir)
    oriented = orientation(panel, "auto", data_dir)
    measures = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        for y in panel.years:
            if panel.matrices[y].nnz == 0:
                continue
            ref = oriented.references[y] if oriented.references else None
            measures[y] = compute(panel, y, sign_reference=ref, scope=scope, **options)
    sign = "GDP per head" if oriented.rule == "gdp" else "diversity"
    return Analysis(panel=panel, measures=measures, profile=profile, dataset=dataset or panel.name, sign=sign,
                    data_dir=data_dir, scope=scope, eci_orientation=oriented.label)


@lru_cache(maxsize=8)
def _analyse_cached(dataset: str, data_dir, profile: str | None, scope: str) -> Analysis:
    from smartspec.data.datasets import load_dataset

    panel = load_dataset(dataset, data_dir)
    return analyse_panel(panel, profile=profile, data_dir=data_dir, dataset=dataset, scope=scope)


def analyse(dataset: str | Panel = "eurostat-sbs", *, data_dir=None, profile: str | None = "lombardy",
            scope: str = DEFAULT_SCOPE) -> Analysis:
    """The analysis of a named dataset (computed once per process) or of a Panel; ``scope``
    is the activities complexity is computed on (``traded``, the default, or ``all``)."""
    if isinstance(dataset, Panel):
        return analyse_panel(dataset, profile=profile, data_dir=data_dir, scope=scope)
    return _analyse_cached(dataset, None if data_dir is None else str(data_dir), profile, check_scope(scope))


def region_table_at(analysis: Analysis, year: int | None = None) -> pd.DataFrame:
    """Per-region summary of a year: name, total, diversity, ECI, COI."""
    m = analysis.at(year)
    p = analysis.panel
    return pd.DataFrame({
        "region": p.regions, "name": p.region_meta["name"].to_numpy(), "total": m.values.sum(axis=1),
        "diversity": m.diversity, "eci": m.eci, "coi": m.coi,
    })
