"""The analysis of one dataset that every strategy function works on.

:func:`analyse` loads a named dataset (or takes a Panel), computes the measures of every
year once, and keeps them with the region profile; strategy functions take the result.
Repeated calls with the same arguments return the same object (kept in memory).
"""
from __future__ import annotations

import dataclasses
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE
from smartspec.data.orientation import orientation
from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, check_scope
from smartspec.errors import UnknownNameError
from smartspec.measure_table import Measures, compute
from smartspec.metrics import ComplexityWarning
from smartspec.strategy.profiles import RegionProfile, load_profile


@dataclass
class Analysis:
    """A panel, its measures per year and the region profile.

    Attributes
    ----------
    panel : Panel
    measures : Mapping[int, Measures]   years with data only (:class:`YearMeasures`: read when asked for)
    profile : RegionProfile or None
    dataset : str
    sign : str                          how ECI/PCI are oriented ("GDP per head" or "diversity")
    scope : str                         activities complexity is computed on ("traded" or "all")
    eci_orientation : str               the orientation rule in one sentence
    """

    panel: Panel
    measures: Mapping[int, Measures]
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

    def year_of(self, region: str, year: int | None = None) -> int:
        """The year a question about ``region`` is answered for, the one rule every strategy
        function uses: ``year`` when given (it must be a year of the analysis, else
        UnknownNameError with the valid years), otherwise the region's default year
        (:meth:`last_year`)."""
        if year is None:
            return self.last_year(region)
        return self.at(year).year

    def region(self, query: str) -> str:
        """A region code of the panel from a code or a name (any language the data has)."""
        return self.panel.region(query, data_dir=self.data_dir)

    def activity(self, query: str) -> str:
        """An activity code of the panel from a code or a name."""
        return self.panel.activity(query)

    def memo(self, key: tuple, build):
        """The result of ``build()`` computed once per analysis and ``key`` (a tuple naming the
        function and its parameters): strategy functions keep their expensive results here."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def label(self, code: str) -> str:
        """``C13 Manufacture of textiles``."""
        return f"{code} {self.panel.activity_meta['name'].get(code, '')}".strip()


def analyse_panel(panel: Panel, *, profile: RegionProfile | str | None = DEFAULT_PROFILE, data_dir=None,
                  dataset: str = "", scope: str = DEFAULT_SCOPE, **options) -> Analysis:
    """Measures of every year with data, with the region profile (see :class:`Analysis`).

    ECI/PCI are oriented by the one rule of :mod:`smartspec.data.orientation` and computed on
    the activities of ``scope`` (:mod:`smartspec.data.scope`; traded ones by default)."""
    check_scope(scope)
    if isinstance(profile, str):
        profile = load_profile(profile, data_dir=data_dir)
    oriented = orientation(panel, "auto", data_dir)
    years = [y for y in panel.years if panel.matrices[y].nnz > 0]
    stored = None if options else _stored_as(panel)

    def year_measures(y: int) -> Measures:
        ref = oriented.references[y] if oriented.references else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ComplexityWarning)
            # the default analysis is kept on disk; options (arrays such as phi) are computed afresh
            return (compute(panel, y, sign_reference=ref, scope=scope, **options) if options
                    else _year_measures(panel, y, ref, scope, stored))

    # options are computed at once, so a bad option fails here; stored measures are read as asked for
    measures = {y: year_measures(y) for y in years} if options else YearMeasures(years, year_measures)
    sign = "GDP per head" if oriented.rule == "gdp" else "diversity"
    return Analysis(panel=panel, measures=measures, profile=profile, dataset=dataset or panel.name, sign=sign,
                    data_dir=data_dir, scope=scope, eci_orientation=oriented.label)


class YearMeasures(Mapping):
    """Year -> :class:`~smartspec.measure_table.Measures`, each year read (or computed) when first
    asked for and then kept.

    A command answers for one year and perhaps the growth from an earlier one: it reads those
    entries of the disk cache, not one per year of the panel.

    Parameters
    ----------
    years : list of int
        The years with data, in order (the keys).
    load : callable
        ``load(year)`` -> the measures of ``year``.
    """

    def __init__(self, years, load) -> None:
        self._years = list(years)
        self._load = load
        self._read: dict[int, Measures] = {}

    def __getitem__(self, year: int) -> Measures:
        if year not in self._read:
            if year not in self._years:
                raise KeyError(year)
            self._read[year] = self._load(year)
        return self._read[year]

    def __iter__(self):
        return iter(self._years)

    def __len__(self) -> int:
        return len(self._years)

    def __contains__(self, year) -> bool:
        return year in self._years


def _stored_as(panel: Panel) -> dict:
    """What the stored measures of ``panel`` depend on besides the year: its content and the installed code."""
    from smartspec.data.cache import package_fingerprint, panel_digest

    return {"panel": panel_digest(panel), "code": package_fingerprint()}


def _year_measures(panel: Panel, year: int, reference, scope: str, stored: dict) -> Measures:
    """:func:`smartspec.measures.compute` for one year, kept on disk as arrays.

    The entry is keyed by ``stored`` (:func:`_stored_as`: the panel's content and the installed
    code's fingerprint), the year, the orientation reference and the scope, so a warm command reads its measures instead of
    recomputing them, and any change in the data or the code recomputes them.
    """
    import numpy as np
    import pandas as pd

    from smartspec.data.cache import cached_arrays

    def build() -> dict:
        m = compute(panel, year, sign_reference=reference, scope=scope)
        arrays = {f.name: np.asarray(getattr(m, f.name)) for f in dataclasses.fields(m)
                  if f.name not in ("regions", "activities", "options")}
        arrays["regions"] = np.asarray(m.regions, dtype=str)
        arrays["activities"] = np.asarray(m.activities, dtype=str)
        arrays["options"] = np.asarray(json.dumps(m.options, default=str))
        return arrays

    ref = None if reference is None else np.asarray(reference, dtype=float).tobytes().hex()
    params = {**stored, "year": int(year), "reference": ref, "scope": scope}
    a = cached_arrays("measures", params, build)
    fields = {f.name for f in dataclasses.fields(Measures)}
    values = {k: (v.item() if v.ndim == 0 else v) for k, v in a.items() if k in fields}
    values.update(regions=pd.Index(a["regions"].tolist(), name=panel.regions.name),
                  activities=pd.Index(a["activities"].tolist(), name=panel.activities.name),
                  options=json.loads(str(a["options"])))
    return Measures(**values)


@lru_cache(maxsize=8)
def _analyse_cached(dataset: str, data_dir, profile: str | None, scope: str) -> Analysis:
    from smartspec.data.datasets import load_dataset

    panel = load_dataset(dataset, data_dir)
    return analyse_panel(panel, profile=profile, data_dir=data_dir, dataset=dataset, scope=scope)


def analyse(dataset: str | Panel = DEFAULT_DATASET, *, data_dir=None, profile: str | None = DEFAULT_PROFILE,
            scope: str = DEFAULT_SCOPE) -> Analysis:
    """The analysis of a named dataset (computed once per process) or of a Panel; ``scope``
    is the activities complexity is computed on (``traded``, the default, or ``all``)."""
    if isinstance(dataset, Panel):
        return analyse_panel(dataset, profile=profile, data_dir=data_dir, scope=scope)
    return _analyse_cached(dataset, None if data_dir is None else str(data_dir), profile, check_scope(scope))
