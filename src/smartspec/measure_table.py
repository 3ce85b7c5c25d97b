"""The one-call API: every measure of specialisation, relatedness and complexity at once.

:func:`compute` works on one year of a :class:`~smartspec.data.panel.Panel` and returns the
matrices (a :class:`Measures`) for other modules to reuse; :func:`compute_panel` does every
year; :func:`measures` (``smartspec.measures``) takes a tidy frame (or a Panel) and returns a
tidy frame with one row per year x region x activity. The options they share are one
validated :class:`MeasureOptions`, passed through unchanged.

Conventions
-----------
``"smartspec"`` (default)
    presence RCA >= threshold; density leaves the activity itself out; ECI and PCI each
    standardised by their own mean and population standard deviation; COI and COG computed
    from that standardised PCI (the textbook form, Hausmann et al. 2014).
``"harvard"``
    as the ``ecomplexity`` Python package (0.5.x): presence RCA >= threshold; density
    includes the activity itself; ECI standardised (population sd), PCI and COG scaled by
    ECI's mean and sd, COI standardised, all from the raw eigenvectors.
``"harvard-stata"``
    as the Stata ``ecomplexity`` command: presence RCA > threshold (strict); proximity with a
    zero diagonal, so density and COG leave the activity itself out; ECI, PCI, COG and COI
    scaled as ``harvard`` but with the sample standard deviation (ddof=1) over the rows of
    the long table (every region repeated once per activity).
See docs/methods.md for the full comparison.

Scope and orientation
---------------------
Complexity (ECI, PCI, fitness, COI, COG) is computed on the *traded* activities by default
(``scope="traded"``, :mod:`smartspec.data.scope`: a local activity such as restaurants follows
population and says nothing about capabilities); local activities get NaN there, and
``scope="all"`` uses every activity. RCA, presence, proximity, density, diversity and ubiquity
always use every activity. ECI and PCI are oriented by the one rule of
:mod:`smartspec.data.orientation` (GDP per head where the panel has it, else diversity); the
tidy output names it in ``attrs["eci_orientation"]``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import numbers
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartspec._runtime import keep_freed_memory, single_thread_blas
from smartspec.data.orientation import ORIENTATIONS, orientation as orientation_of
from smartspec.data.panel import Panel
from smartspec.data.scope import DEFAULT_SCOPE, SCOPES, traded_mask
from smartspec.errors import InputError
from smartspec.metrics.complexity import (
    COMPONENTS, ComplexityWarning, complexity, fitness_complexity, outlook_and_gain,
)
from smartspec.metrics._products import PreparedProximity, prepared
from smartspec.metrics.relatedness import PROXIMITY_METHODS, density, knn_proximity, proximity
from smartspec.metrics.specialisation import presence as presence_matrix_from, rca, rpop

CONVENTIONS = ("smartspec", "harvard", "harvard-stata")
PRESENCE_TESTS = ("rca", "rpop", "both", "manual")


@dataclass(frozen=True)
class MeasureOptions:
    """The options of :func:`measures`, :func:`compute_panel` and :func:`compute`, validated once.

    The defaults are declared here and nowhere else; a wrong value raises an
    :class:`~smartspec.errors.InputError` (a ``ValueError``) naming the option, the value and
    what is allowed.

    Parameters
    ----------
    convention : {"smartspec", "harvard", "harvard-stata"}
        ``"harvard"`` reproduces the ``ecomplexity`` package, ``"harvard-stata"`` its Stata
        original (see the module docstring and docs/methods.md).
    rca_threshold : float
        Presence where RCA >= this (``> this`` under ``"harvard-stata"``); finite and > 0.
    presence : {"rca", "rpop", "both", "manual"}
        The presence test: RCA, population-based RPOP, either of the two, or given by the user.
    presence_column : str, optional
        A 0/1 column of the input frame with the presence (:func:`measures` only; implies
        ``presence="manual"``).
    proximity : {"min_cp", "asymmetric", "continuous", "cosine", "association", "jaccard"}
        How activities are related (:func:`smartspec.metrics.relatedness.proximity`).
    knn : int, optional
        Keep each activity's ``knn`` nearest neighbours in the proximity used for density.
    proximity_by_year : bool
        Proximity of each year (default) or pooled over every year (:func:`pooled_proximity`).
    density_includes_self : bool, optional
        Override the convention's choice of counting the activity itself in its density.
    components : {"largest", "each", "raise"}
        Complexity on a disconnected region-activity graph
        (:func:`smartspec.metrics.complexity.complexity`).
    sign_reference : array-like (n_regions,) or dict year -> array, optional
        Orient ECI to correlate positively with this instead of by ``orientation``.
    orientation : {"auto", "gdp", "diversity"}
        The orientation rule (:func:`smartspec.data.orientation.orientation`), used by
        :func:`measures` when no ``sign_reference`` is given.
    scope : {"traded", "all"}
        Activities complexity is computed on (:mod:`smartspec.data.scope`).

    Examples
    --------
    >>> from smartspec.measure_table import MeasureOptions
    >>> options = MeasureOptions(convention="harvard", scope="all")
    >>> options.includes_self
    True
    """

    convention: str = "smartspec"
    rca_threshold: float = 1.0
    presence: str = "rca"
    presence_column: str | None = None
    proximity: str = "min_cp"
    knn: int | None = None
    proximity_by_year: bool = True
    density_includes_self: bool | None = None
    components: str = "largest"
    sign_reference: object = field(default=None, compare=False)  # arrays: no element-wise ==
    orientation: str = "auto"
    scope: str = DEFAULT_SCOPE

    def __post_init__(self):
        for name, allowed in (("convention", CONVENTIONS), ("presence", PRESENCE_TESTS),
                              ("proximity", PROXIMITY_METHODS), ("components", COMPONENTS),
                              ("orientation", ORIENTATIONS), ("scope", SCOPES)):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in allowed:
                raise InputError(f"unknown {name} {value!r}", where=name, fix=f"use one of {', '.join(allowed)}")
        t = self.rca_threshold
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not np.isfinite(t) or t <= 0:
            _bad_option("rca_threshold", t, "a finite number > 0 (1 is the usual threshold)")
        if self.knn is not None and (isinstance(self.knn, bool) or not isinstance(self.knn, numbers.Integral)
                                     or self.knn < 1):
            _bad_option("knn", self.knn, "None (the full proximity) or a whole number >= 1")
        for name in ("proximity_by_year", "density_includes_self"):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)) and not (value is None and name == "density_includes_self"):
                _bad_option(name, value, "True or False" + (" (or None: the convention's choice)"
                                                            if name == "density_includes_self" else ""))
        if self.presence_column is not None and not isinstance(self.presence_column, str):
            _bad_option("presence_column", self.presence_column, "None or the name of a 0/1 column")

    @property
    def includes_self(self) -> bool:
        """Whether density counts the activity itself: ``density_includes_self``, else the
        convention's choice (only ``"harvard"`` does)."""
        return self.convention == "harvard" if self.density_includes_self is None else bool(self.density_includes_self)

    @property
    def strict(self) -> bool:
        """Presence needs RCA strictly above the threshold (the Stata command's test)."""
        return self.convention == "harvard-stata"


def _bad_option(name: str, value, allowed: str):
    raise InputError(f"{name}={value!r} is not allowed", where=name, fix=f"use {allowed}")


#: The options that were once spelt differently, and their names now.
_RENAMED_OPTIONS = {"proximity_method": "proximity"}


def measure_options(options: MeasureOptions | None = None, caller: str = "compute", **keywords) -> MeasureOptions:
    """``options``, or a :class:`MeasureOptions` built from keywords (the former names, such as
    ``proximity_method=``, warn with a FutureWarning); giving both is a TypeError, an unknown
    keyword too (as for any function)."""
    for old, new in _RENAMED_OPTIONS.items():
        if old in keywords:
            warnings.warn(f"{caller}({old}=...) is deprecated: use {new}=", FutureWarning, stacklevel=3)
            if new in keywords:
                raise TypeError(f"{caller}() got both {old}= and {new}=; give only {new}=")
            keywords[new] = keywords.pop(old)
    unknown = sorted(set(keywords) - {f.name for f in dataclasses.fields(MeasureOptions)})
    if unknown:
        raise TypeError(f"{caller}() got unexpected keyword argument(s) {unknown}")
    if options is None:
        return MeasureOptions(**keywords)
    if not isinstance(options, MeasureOptions):
        raise TypeError(f"{caller}(options=...) takes a MeasureOptions, got {type(options).__name__}")
    if keywords:
        raise TypeError(f"{caller}() got options= and the keyword(s) {sorted(keywords)}; "
                        f"give them in the MeasureOptions (dataclasses.replace(options, ...))")
    return options
MEASURE_COLUMNS = ["rca", "mcp", "density", "eci", "pci", "diversity", "ubiquity", "coi", "cog", "fitness",
                   "product_complexity"]


@dataclass
class Measures:
    """All measures of one year, as arrays over ``regions`` x ``activities``.

    Attributes
    ----------
    year : int
    regions, activities : pandas.Index
    values : ndarray (n_regions, n_activities)      the input values (missing cells as 0)
    rca, mcp, density, cog : ndarray (n_regions, n_activities)
    proximity : ndarray (n_activities, n_activities)
    eci, diversity, coi, fitness : ndarray (n_regions,)
    pci, ubiquity, product_complexity : ndarray (n_activities,)
    spectral_gap : float
    options : dict   the options used
    """

    year: int
    regions: pd.Index
    activities: pd.Index
    values: np.ndarray
    rca: np.ndarray
    mcp: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    fitness: np.ndarray
    product_complexity: np.ndarray
    spectral_gap: float
    options: dict = field(default_factory=dict)

    def frame(self, name: str) -> pd.DataFrame | pd.Series:
        """A measure as a labelled frame (matrices) or series (vectors)."""
        x = getattr(self, name)
        if name == "proximity":
            return pd.DataFrame(x, index=self.activities, columns=self.activities)
        if x.ndim == 2:
            return pd.DataFrame(x, index=self.regions, columns=self.activities)
        return pd.Series(x, index=self.regions if len(x) == len(self.regions) and name in
                         ("eci", "diversity", "coi", "fitness") else self.activities, name=name)

    def tidy(self) -> pd.DataFrame:
        """One row per region x activity with the columns of :data:`MEASURE_COLUMNS`."""
        n_r, n_a = self.rca.shape
        # Region and activity columns are categoricals built from codes: no per-row strings.
        out = pd.DataFrame({
            "year": np.full(n_r * n_a, self.year, dtype=np.int64),
            "region": pd.Categorical.from_codes(np.repeat(np.arange(n_r), n_a), categories=self.regions),
            "activity": pd.Categorical.from_codes(np.tile(np.arange(n_a), n_r), categories=self.activities),
            "value": self.values.ravel(),
            "rca": self.rca.ravel(),
            "mcp": self.mcp.ravel().astype(np.int8),
            "density": self.density.ravel(),
            "eci": np.repeat(self.eci, n_a),
            "pci": np.tile(self.pci, n_r),
            "diversity": np.repeat(self.diversity, n_a),
            "ubiquity": np.tile(self.ubiquity, n_r),
            "coi": np.repeat(self.coi, n_a),
            "cog": self.cog.ravel(),
            "fitness": np.repeat(self.fitness, n_a),
            "product_complexity": np.tile(self.product_complexity, n_r),
        }, copy=False)
        return out


def _complexity_values(cx, M, P, D, convention: str) -> tuple[np.ndarray, ...]:
    """ECI, PCI, COI and COG under a convention (see the module docstring and docs/methods.md).

    ``smartspec``: ECI and PCI each standardised by their own mean and population standard
    deviation; COI/COG from that PCI. ``harvard``/``harvard-stata``: ECI standardised, PCI
    standardised with ECI's raw mean and standard deviation (so ECI stays the mean PCI of a
    region's activities), COI/COG from the raw PCI, then COG divided by ECI's standard
    deviation and COI standardised; ``harvard-stata`` takes standard deviations over the rows
    of the long table (each region repeated once per activity) with ddof=1. ``P`` is the
    proximity, as an array or a :class:`~smartspec.metrics._products.PreparedProximity`.
    """
    if convention == "smartspec":
        coi, cog = outlook_and_gain(M, P, D, cx.pci)
        return cx.eci, cx.pci, coi, cog
    e, p = cx.eci_raw, cx.pci_raw
    ok = ~np.isnan(e)
    if ok.sum() < 2:  # nothing to standardise (every region trimmed or in tiny components)
        nan_r, nan_ra = np.full(M.shape[0], np.nan), np.full(M.shape, np.nan)
        return nan_r, np.full(M.shape[1], np.nan), nan_r.copy(), nan_ra
    n_a = M.shape[1]
    if convention == "harvard":
        mean, sd = e[ok].mean(), e[ok].std()
    else:
        mean = e[ok].mean()
        sd = np.sqrt(((e[ok] - mean) ** 2).sum() * n_a / (ok.sum() * n_a - 1))
    if convention == "harvard-stata":
        # the Stata command's proximity has a zero diagonal, so its COG leaves the activity out too
        P = prepared(P).values.copy()
        np.fill_diagonal(P, 0.0)
    coi_raw, cog_raw = outlook_and_gain(M, P, D, p)
    coi_raw = np.where(ok, coi_raw, np.nan)
    cm = coi_raw[ok].mean()
    csd = coi_raw[ok].std() if convention == "harvard" else np.sqrt(
        ((coi_raw[ok] - cm) ** 2).sum() * n_a / (ok.sum() * n_a - 1))
    return (e - mean) / sd, (p - mean) / sd, (coi_raw - cm) / csd, cog_raw / sd


def presence_for(X: np.ndarray, options: MeasureOptions, *, population=None,
                 manual=None) -> tuple[np.ndarray, np.ndarray]:
    """RCA and the presence matrix under the test of ``options`` (see :class:`MeasureOptions`)."""
    R = rca(X)
    presence = options.presence
    if presence == "manual":
        if manual is None:
            raise InputError("presence='manual' needs a presence matrix", fix="pass presence_matrix= (CLI --presence-column)")
        Mm = np.asarray(manual, dtype=np.float64)
        if Mm.shape != R.shape or not np.isin(Mm, (0.0, 1.0)).all():
            raise InputError(f"the manual presence matrix must be 0/1 with shape {R.shape}")
        return R, Mm
    P = rpop(X, population) if presence in ("rpop", "both") else None
    if presence in ("rpop", "both") and population is None:
        raise InputError(f"presence={presence!r} needs a population per region", fix="pass population= (CLI --population FILE)")
    return R, presence_matrix_from(R, options.rca_threshold, rpop_values=P, method=presence, strict=options.strict)


def compute(panel: Panel, year: int | None = None, *, options: MeasureOptions | None = None, population=None,
            presence_matrix=None, phi: np.ndarray | None = None, **keywords) -> Measures:
    """Every measure for one year of a panel.

    Parameters
    ----------
    panel : Panel
        Region x activity values; missing/confidential cells count as 0.
    year : int, optional
        Default: the panel's last year.
    options : MeasureOptions, optional
        The options (convention, presence test, proximity, scope...); or give them as keywords
        (``compute(panel, 2014, convention="harvard")``), not both. ``orientation``,
        ``presence_column`` and ``proximity_by_year`` concern whole tables and are not used here;
        ``sign_reference`` is this year's array (one value per region in panel order).
    population : array (n_regions,), optional
        For ``presence="rpop"``/``"both"``.
    presence_matrix : array (n_regions, n_activities), optional
        For ``presence="manual"``: the 0/1 presence.
    phi : ndarray, optional
        A proximity computed elsewhere (e.g. pooled over years) instead of this year's.
    **keywords
        The fields of :class:`MeasureOptions`; ``proximity_method=`` is the former name of
        ``proximity=`` (FutureWarning).

    Returns
    -------
    Measures
    """
    options = measure_options(options, "compute", **keywords)
    notes: list[str] = []
    n_r, n_a = len(panel.regions), len(panel.activities)
    blas = single_thread_blas() if n_r * n_a * n_a < _SMALL_FLOPS else contextlib.nullcontext()
    with blas:
        out = _compute(panel, year, notes, options, population=population, presence_matrix=presence_matrix, phi=phi,
                       keep=traded_mask(panel.activities, options.scope))
    for note in notes:
        warnings.warn(note, ComplexityWarning, stacklevel=2)
    return out


def _compute(panel: Panel, year, notes: list, options: MeasureOptions, *, population, presence_matrix, phi,
             keep: np.ndarray) -> Measures:
    """:func:`compute` without warnings: what it leaves out is appended to ``notes`` (thread-safe);
    ``keep`` is the mask of the activities of ``options.scope`` (computed once per panel)."""
    year = panel._year(year)
    X = panel.dense(year)
    R, M = presence_for(X, options, population=population, manual=presence_matrix)
    P = proximity(M, options.proximity, rca_values=R) if phi is None else np.asarray(phi, dtype=np.float64)
    shared = PreparedProximity(P)  # centred and cast to float32 once, for the density and COG products
    D = density(M, PreparedProximity(knn_proximity(P, options.knn)) if options.knn else shared,
                include_self=options.includes_self)
    cx = _scoped_complexity(M, keep, components=options.components, sign_reference=options.sign_reference)
    where = f"{panel.name + ' ' if panel.name else ''}{year}"
    empty = X.sum(axis=1) == 0
    if empty.any():
        names = [str(r) for r in panel.regions[empty]]
        notes.append(f"{where}: {len(names)} region(s) without any value (no ECI/PCI, no rows in the tidy "
                     f"table): {names[:10]}{' ...' if len(names) > 10 else ''}")
    trimmed = [i for i in cx.trimmed_regions if not empty[i]]
    if trimmed or cx.trimmed_activities:
        notes.append(
            f"{where}: left out of ECI/PCI (no specialisation after iterative trimming): regions "
            f"{[str(panel.regions[i]) for i in trimmed]}, activities "
            f"{[str(panel.activities[i]) for i in cx.trimmed_activities]}")
    outside = np.flatnonzero((cx.component >= 0) & np.isnan(cx.eci))
    if outside.size:
        n_comp = len(set(cx.component[cx.component >= 0].tolist()))
        notes.append(
            f"{where}: the region-activity graph has {n_comp} connected components; ECI/PCI computed on "
            f"{'the largest' if options.components == 'largest' else 'each with at least 2 regions and activities'}, "
            f"NaN for regions {[str(panel.regions[i]) for i in outside]} "
            f"(use components='each' to compute every component separately)")
    eci, pci, coi, cog = _complexity_values(cx, M, shared, D, options.convention)
    del shared
    pcomp = np.full(M.shape[1], np.nan)
    fit, pcomp[keep], _ = fitness_complexity(M if keep.all() else M[:, keep])
    if not keep.all():
        cog[:, ~keep] = np.nan  # a local activity is no target: no gain is reported for it
    return Measures(
        year=year, regions=panel.regions, activities=panel.activities, values=X, rca=R, mcp=M, proximity=P,
        density=D, eci=eci, pci=pci, diversity=cx.diversity, ubiquity=cx.ubiquity, coi=coi, cog=cog,
        fitness=fit, product_complexity=pcomp, spectral_gap=cx.spectral_gap,
        options=dict(convention=options.convention, rca_threshold=options.rca_threshold, presence=options.presence,
                     proximity=options.proximity, knn=options.knn, density_includes_self=options.includes_self,
                     components=options.components,
                     sign="reference" if options.sign_reference is not None else "diversity", scope=options.scope),
    )


def _scoped_complexity(M: np.ndarray, keep: np.ndarray, **options):
    """:func:`~smartspec.metrics.complexity.complexity` of the columns ``keep``, laid out over
    every column again (PCI NaN for the others; diversity and ubiquity over every column)."""
    if keep.all():
        return complexity(M, warn=False, **options)
    cx = complexity(M[:, keep], warn=False, **options)
    cols = np.flatnonzero(keep)
    for name in ("pci", "pci_raw"):
        full = np.full(M.shape[1], np.nan)
        full[cols] = getattr(cx, name)
        setattr(cx, name, full)
    cx.diversity, cx.ubiquity = M.sum(axis=1), M.sum(axis=0)
    cx.trimmed_activities = [int(cols[j]) for j in cx.trimmed_activities]
    return cx


def pooled_proximity(panel: Panel, options: MeasureOptions | None = None, *, population=None,
                     presence_matrices: dict | None = None) -> np.ndarray:
    """One proximity from every year's presence matrix stacked (region-years as rows).

    Parameters
    ----------
    panel : Panel
    options : MeasureOptions, optional
        The presence test and ``proximity`` (:func:`smartspec.metrics.relatedness.proximity`;
        ``"continuous"`` correlates the stacked RCA columns); default :class:`MeasureOptions`.
    population, presence_matrices
        As in :func:`compute_panel` (each year's own presence test).

    Returns
    -------
    numpy.ndarray (n_activities, n_activities)
        Region-years without any presence are left out of the stack.
    """
    options = MeasureOptions() if options is None else options
    pops = _per_year(population, panel, "population")
    Ms, Rs = [], []
    for y in panel.years:
        X = panel.dense(y)
        if not X.any():
            continue
        manual = None if presence_matrices is None else presence_matrices.get(y)
        R, M = presence_for(X, options, population=pops[y], manual=manual)
        keep = M.sum(axis=1) > 0
        Ms.append(M[keep])
        Rs.append(R[keep])
    if not Ms:
        raise InputError("no year of the panel has a value", fix="check the value column")
    method = options.proximity
    return proximity(np.vstack(Ms), method, rca_values=np.vstack(Rs) if method == "continuous" else None)


def _per_year(value, panel: Panel, what: str) -> dict[int, np.ndarray | None]:
    """Align a population given as array, Series/dict by region, or frame (region[, year], population)."""
    if value is None:
        return {y: None for y in panel.years}
    if isinstance(value, pd.DataFrame):
        cols = [c for c in value.columns if c not in ("region", "year")]
        if "region" not in value.columns or len(cols) != 1:
            raise InputError(f"a {what} table needs a 'region' column, optionally 'year', and one value column; "
                             f"it has {list(map(str, value.columns))}")
        if "year" in value.columns:
            out = {}
            for y in panel.years:
                sub = value[pd.to_numeric(value["year"], errors="coerce") == y]
                if sub.empty:
                    raise InputError(f"the {what} table has no rows for year {y}")
                out[y] = _align(sub.set_index(sub["region"].astype(str))[cols[0]], panel, what, y)
            return out
        value = value.set_index(value["region"].astype(str))[cols[0]]
    if isinstance(value, dict):
        value = pd.Series(value)
    if isinstance(value, pd.Series):
        return {y: _align(value, panel, what, y) for y in panel.years}
    arr = np.asarray(value, dtype=np.float64).ravel()
    if arr.shape[0] != len(panel.regions):
        raise InputError(f"{what} has {arr.shape[0]} values for {len(panel.regions)} regions",
                         fix="give one value per region in panel order, or a Series indexed by region")
    return {y: arr for y in panel.years}


def _align(series: pd.Series, panel: Panel, what: str, year: int) -> np.ndarray:
    series = pd.to_numeric(series, errors="coerce")
    series.index = series.index.astype(str)
    if series.index.has_duplicates:
        raise InputError(f"the {what} table repeats region {series.index[series.index.duplicated()][0]!r}")
    aligned = series.reindex(panel.regions.astype(str))
    missing = aligned.index[aligned.isna()].tolist()
    if missing:
        raise InputError(f"no {what} for {len(missing)} region(s) in {year}: {missing[:10]}",
                         fix=f"give a positive {what} for every region of the table")
    return aligned.to_numpy(dtype=np.float64)


def compute_panel(panel: Panel, *, options: MeasureOptions | None = None, population=None,
                  presence_matrices: dict | None = None, on_year=None, **keywords) -> dict[int, Measures]:
    """:func:`compute` for every year with data.

    Parameters
    ----------
    panel : Panel
    options : MeasureOptions, optional
        Or its fields as keywords (see :func:`compute`). ``proximity_by_year=False`` uses one
        proximity pooled over all years (:func:`pooled_proximity`) for every year's density,
        COI and COG; ``sign_reference`` may be a dict year -> array.
    population : array, Series/dict by region, or DataFrame (region[, year], value), optional
        For ``presence="rpop"``/``"both"``.
    presence_matrices : dict year -> array, optional
        For ``presence="manual"``: each year's 0/1 presence matrix (regions x activities).
    on_year : callable, optional
        Called with each year's :class:`Measures` as soon as it is computed, in the thread that
        computed it (years run side by side on small panels): work on one year's results, such
        as writing them out, then overlaps the other years' products.
    **keywords
        The fields of :class:`MeasureOptions`.
    """
    options = measure_options(options, "compute_panel", **keywords)
    pops = _per_year(population, panel, "population")
    phi = None if options.proximity_by_year else pooled_proximity(
        panel, options, population=population, presence_matrices=presence_matrices)
    years = _years_with_data(panel)
    notes: dict[int, list[str]] = {y: [] for y in years}
    keep = traded_mask(panel.activities, options.scope)
    by_year = isinstance(options.sign_reference, dict)

    def one(y):
        manual = None if presence_matrices is None else presence_matrices.get(y)
        year_options = dataclasses.replace(options, sign_reference=options.sign_reference.get(y)) if by_year \
            else options
        out = _compute(panel, y, notes[y], year_options, population=pops[y], presence_matrix=manual, phi=phi,
                       keep=keep)
        if on_year is not None:
            on_year(out)
        return out

    n_r, n_a = len(panel.regions), len(panel.activities)
    keep_freed_memory()
    if n_r * n_a * n_a < _SMALL_FLOPS:
        # Small matrices: one BLAS thread per year and the years side by side beat one multi-threaded
        # BLAS call at a time (thread start-up and contention dominate products this size).
        with single_thread_blas():
            if len(years) > 1:
                with ThreadPoolExecutor(max_workers=min(len(years), os.cpu_count() or 1)) as pool:
                    results = dict(zip(years, pool.map(one, years)))
            else:
                results = {y: one(y) for y in years}
    else:
        results = {y: one(y) for y in years}
    for y in years:
        for note in notes[y]:
            warnings.warn(note, ComplexityWarning, stacklevel=2)
    return results


def _years_with_data(panel: Panel) -> list[int]:
    """The years :func:`compute_panel` computes: those with a value somewhere."""
    return [y for y in panel.years if panel.matrices[y].nnz > 0]


#: Below this many multiply-adds per year (regions x activities^2), years run in parallel threads.
_SMALL_FLOPS = 1e9


def tidy_frame(per_year: dict[int, Measures]) -> pd.DataFrame:
    """All years' measures as one tidy frame (see :meth:`Measures.tidy`), built in one go.

    A region with no value at all in a year (not reported that year: its row of the panel is
    empty) has no row for that year; every other region has one row per activity.
    ``region`` and ``activity`` are categorical columns (the codes as categories): a long
    table repeats them once per cell, and categories keep it small and fast to filter. With one
    year and every region, the cell columns are the matrices of ``per_year`` themselves (no copy).
    """
    ms = list(per_year.values())
    if not ms:
        return pd.DataFrame(columns=_COLUMN_ORDER)
    reported = {m.year: _reported(m.values) for m in ms}
    table = _LongTable(ms[0].regions, ms[0].activities, reported)
    if table.whole:
        table.whole_year(ms[0])
    else:
        for m in ms:
            table.write(m)
    return table.frame()


def _reported(values) -> np.ndarray:
    """The regions (rows of a year's values, dense or sparse) with a row in the long table: a
    value above 0 somewhere. Values are >= 0 (:func:`check_values`); unknown cells are NaN in a
    dense matrix and not stored in a sparse one."""
    if hasattr(values, "tocsr"):
        return np.asarray(values.sum(axis=1)).ravel() > 0
    return np.nansum(values, axis=1) > 0


#: The columns of the long table after year, region and activity, by what they vary over, with
#: their types.
_CELL_COLUMNS = {"value": np.float64, "rca": np.float64, "mcp": np.int8, "density": np.float64, "cog": np.float64}
_REGION_COLUMNS = {"eci": np.float64, "diversity": np.int32, "coi": np.float64, "fitness": np.float64}
_ACTIVITY_COLUMNS = {"pci": np.float64, "ubiquity": np.int32, "product_complexity": np.float64}
_COLUMN_ORDER = ["year", "region", "activity", "value", *MEASURE_COLUMNS]
_ATTRIBUTE = {"value": "values"}  # the attribute of Measures behind a column, where the names differ


class _LongTable:
    """The long table of several years, written one year at a time into its final columns.

    Each year's rows are one slice of every column, written in place: no per-year temporaries
    joined afterwards (the long table is 15 columns of regions x activities x years). Years
    may be written in any order and from different threads (their slices do not overlap), so
    :func:`measures` writes each year in the thread that computed it, beside the other years'
    matrix products, instead of after all of them. A single year with every region is not
    written at all: its matrices, flattened, are the cell columns (:meth:`whole_year`).

    Parameters
    ----------
    regions, activities : pandas.Index
    reported : dict year -> bool array (n_regions,)
        The regions with a row that year (a value somewhere), in the years' output order.
    """

    def __init__(self, regions: pd.Index, activities: pd.Index, reported: dict[int, np.ndarray]):
        self.regions, self.activities = regions, activities
        self.region_code, self.activity_code = _code_dtype(len(regions)), _code_dtype(len(activities))
        n_a = len(activities)
        self.kept = {y: np.flatnonzero(r) for y, r in reported.items()}
        ends = np.cumsum([len(k) * n_a for k in self.kept.values()])
        self.slices = {y: slice(e - len(k) * n_a, e) for e, (y, k) in zip(ends, self.kept.items())}
        self.whole = len(self.kept) == 1 and all(len(k) == len(regions) for k in self.kept.values())
        n_rows = 0 if self.whole else int(ends[-1])
        self.columns = {"year": np.empty(n_rows, dtype=np.int64),
                        "region": np.empty(n_rows, dtype=self.region_code),
                        "activity": np.empty(n_rows, dtype=self.activity_code),
                        **{name: np.empty(n_rows, dtype=t) for name, t in
                           {**_CELL_COLUMNS, **_REGION_COLUMNS, **_ACTIVITY_COLUMNS}.items()}}

    def write(self, m: Measures) -> None:
        """Write the rows of year ``m.year``: its regions with a row, every activity."""
        k, n_a = self.kept[m.year], len(self.activities)
        every_region = len(k) == len(self.regions)

        def block(name):
            return self.columns[name][self.slices[m.year]].reshape(len(k), n_a)

        block("year")[:] = m.year
        block("region")[:] = k[:, None]
        block("activity")[:] = np.arange(n_a)[None, :]
        for name in _CELL_COLUMNS:
            x = getattr(m, _ATTRIBUTE.get(name, name))
            block(name)[:] = x if every_region else x[k]
        for name in _REGION_COLUMNS:
            block(name)[:] = getattr(m, name)[k][:, None]
        for name in _ACTIVITY_COLUMNS:
            block(name)[:] = getattr(m, name)[None, :]

    def whole_year(self, m: Measures) -> None:
        """Take the columns of the only year, ``m``, every region reported: the cell columns are
        its matrices flattened (views, no copy of a regions x activities column)."""
        n_r, n_a = len(self.regions), len(self.activities)
        self.columns = {"year": np.full(n_r * n_a, m.year, dtype=np.int64),
                        "region": np.repeat(np.arange(n_r, dtype=self.region_code), n_a),
                        "activity": np.tile(np.arange(n_a, dtype=self.activity_code), n_r)}
        for name, t in _CELL_COLUMNS.items():
            self.columns[name] = np.ascontiguousarray(getattr(m, _ATTRIBUTE.get(name, name)), dtype=t).ravel()
        for name, t in _REGION_COLUMNS.items():
            self.columns[name] = np.repeat(np.asarray(getattr(m, name), dtype=t), n_a)
        for name, t in _ACTIVITY_COLUMNS.items():
            self.columns[name] = np.tile(np.asarray(getattr(m, name), dtype=t), n_r)

    def frame(self) -> pd.DataFrame:
        """The tidy frame of the written columns (their arrays, not copies)."""
        out = {name: self.columns[name] for name in _COLUMN_ORDER}
        # the codes were written from positions in these indices: no pass over millions of rows to check them
        out["region"] = pd.Categorical.from_codes(out["region"], categories=pd.Index(self.regions.astype(str)),
                                                  validate=False)
        out["activity"] = pd.Categorical.from_codes(out["activity"], categories=pd.Index(self.activities.astype(str)),
                                                    validate=False)
        return pd.DataFrame(out, copy=False)  # one block per column: no consolidation copy of the long table


def _code_dtype(n_categories: int) -> type:
    """The integer type pandas keeps the codes of ``n_categories`` categories in: codes written in
    it are not converted (copied) again by :meth:`pandas.Categorical.from_codes`."""
    return next(t for t in (np.int8, np.int16, np.int32, np.int64) if n_categories < np.iinfo(t).max)


#: Largest total a year may add up to: the measures multiply a region's and an activity's totals
#: (RCA = x_ra X / (X_r X_a)), which overflows float64 (1.8e308) long before the values do.
MAX_TOTAL = 1e100


def check_values(panel: Panel) -> None:
    """Refuse values no measure can use, naming the cells: infinite (``inf``, ``1e309``) or
    negative values, and years whose total is beyond :data:`MAX_TOTAL` (all-``1e308`` values).

    Raises
    ------
    InputError
        With the (year, region, activity) of the first bad cells and how many there are.
    """
    for y in panel.years:
        m = panel.matrices[y]
        data = m.data  # the stored values; their cells are looked up only to name the bad ones

        def region_activity(i: int) -> str:
            row = int(np.searchsorted(m.indptr, i, side="right")) - 1
            return f"{panel.regions[row]}, {panel.activities[m.indices[i]]}"

        for bad, what in ((~np.isfinite(data), "not finite (inf, or beyond 1.8e308)"),
                          (data < 0, "negative (the measures need counts or amounts >= 0)")):
            if bad.any():
                idx = np.flatnonzero(bad)
                cells = ", ".join(f"({region_activity(i)}" + (f", {y})" if y else ")") + f" = {data[i]:g}"
                                  for i in idx[:5])
                raise InputError(f"{len(idx)} value(s) are {what}: {cells}{' ...' if len(idx) > 5 else ''}",
                                 where=str(panel.source or panel.name),
                                 fix="correct or remove these rows (leave a value empty when it is unknown)")
        with np.errstate(over="ignore"):
            total = float(data.sum())
        if not total <= MAX_TOTAL:
            i = int(np.argmax(data))
            raise InputError(f"the values{f' of {y}' if y else ''} add up to {total:g}, too large for the measures "
                             f"(largest: ({region_activity(i)}) = {data[i]:g})",
                             where=str(panel.source or panel.name),
                             fix=f"rescale the values (divide them by a power of ten) so each year adds up to "
                                 f"less than {MAX_TOTAL:g}")


_D = MeasureOptions  # the defaults of measures()'s keywords are those of the options object


def measures(table, region_col: str = "region", activity_col: str = "activity", value_col: str = "value",
             year_col: str | None = None, *, options: MeasureOptions | None = None,
             convention: str = _D.convention, rca_threshold: float = _D.rca_threshold, presence: str = _D.presence,
             population=None, presence_column: str | None = _D.presence_column, proximity: str = _D.proximity,
             knn: int | None = _D.knn, proximity_by_year: bool = _D.proximity_by_year,
             density_includes_self: bool | None = _D.density_includes_self, components: str = _D.components,
             sign_reference=_D.sign_reference, orientation: str = _D.orientation, scope: str = _D.scope,
             data_dir=None, **deprecated) -> pd.DataFrame:
    """Every measure of specialisation, relatedness and complexity, tidy.

    Parameters
    ----------
    table : pandas.DataFrame or Panel
        A tidy frame with one row per (year,) region and activity, or a
        :class:`~smartspec.data.panel.Panel`. Missing (NaN) values, and the cells a Panel
        holds as missing or confidential, count as 0 in every measure (as in the anchor tools);
        their ``value`` in the output is NaN.
    region_col, activity_col, value_col, year_col : str
        Column names of ``table`` (``year_col=None``: one period, reported as year 0 unless
        the frame has a ``year`` column). The former names ``region=``, ``activity=``,
        ``value=`` and ``year=`` still work, with a FutureWarning (elsewhere in smartspec a
        ``region`` is a region code and a ``year`` a year, not a column).
    options : MeasureOptions, optional
        Every option below (except ``population`` and ``data_dir``) in one validated object;
        give either ``options=`` or the keywords, not both.
    convention : {"smartspec", "harvard", "harvard-stata"}
        ``"harvard"`` reproduces the ``ecomplexity`` package; ``"harvard-stata"`` its Stata
        original; see the module docstring and docs/methods.md.
    rca_threshold : float
        Presence where RCA >= this (default 1).
    presence : {"rca", "rpop", "both", "manual"}
        The presence test: RCA, population-based RPOP, either of the two (0/1, never 2), or
        given by the user in ``presence_column``.
    population : Series/dict by region, DataFrame (region[, year], population) or array
        Needed by ``presence="rpop"`` and ``"both"``.
    presence_column : str, optional
        A 0/1 column of ``table`` with the presence to use (implies ``presence="manual"``).
    proximity : {"min_cp", "asymmetric", "continuous", "cosine", "association", "jaccard"}
        How activities are related (:func:`smartspec.metrics.relatedness.proximity`); the
        former name ``proximity_method=`` still works, with a FutureWarning.
    knn : int, optional
        Keep each activity's ``knn`` nearest neighbours in the proximity used for density.
    proximity_by_year : bool
        Proximity of each year (default) or pooled over all years.
    density_includes_self : bool, optional
        Override the convention's choice of counting the activity itself in its density.
    components : {"largest", "each", "raise"}
        Complexity on a disconnected region-activity graph
        (:func:`smartspec.metrics.complexity.complexity`).
    sign_reference : array-like (n_regions,) or dict year -> array, optional
        Orient ECI to correlate positively with this (e.g. GDP per head; NaN where unknown)
        instead of with diversity; a dict gives one reference per year. Given, it replaces
        ``orientation``.
    orientation : {"auto", "gdp", "diversity"}
        The orientation rule (:func:`smartspec.data.orientation.orientation`): ``auto``
        (default) orients ECI by GDP per head on NUTS regions that have it, else by diversity.
    scope : {"traded", "all"}
        Complexity on traded activities only (default) or on every activity
        (:mod:`smartspec.data.scope`); local activities get NaN PCI, product complexity and COG.
    data_dir : path, optional
        Where the GDP file of the orientation rule is looked for.

    Returns
    -------
    pandas.DataFrame
        One row per year x region x activity, columns ``year, region, activity, value`` and
        ``rca, mcp, density, eci, pci, diversity, ubiquity, coi, cog, fitness,
        product_complexity`` (region and activity categorical, mcp int8, diversity and
        ubiquity int32). A cell the source reports missing or confidential has ``value`` and
        ``rca`` NaN (unknown, not zero) and ``mcp`` 0. ``attrs``: ``eci_orientation`` (the
        rule in words), ``orientation`` (``gdp``/``diversity``/``reference``) and ``scope``.

    Examples
    --------
    >>> import smartspec
    >>> df = smartspec.measures(exports, region_col="country", activity_col="product", value_col="value",
    ...                         year_col="year", convention="harvard")
    """
    cols = {"region": region_col, "activity": activity_col, "value": value_col, "year": year_col}
    renamed = {old: deprecated.pop(old) for old in _RENAMED_OPTIONS if old in deprecated}
    given = dict(convention=convention, rca_threshold=rca_threshold, presence=presence,
                 presence_column=presence_column, proximity=proximity, knn=knn, proximity_by_year=proximity_by_year,
                 density_includes_self=density_includes_self, components=components, sign_reference=sign_reference,
                 orientation=orientation, scope=scope)
    given = {name: v for name, v in given.items() if not _is_default(v, getattr(MeasureOptions, name))}
    if renamed and "proximity" in given:
        raise TypeError("measures() got both proximity_method= and proximity=; give only proximity=")
    options = measure_options(options, "measures", **given, **renamed)
    for old, name in deprecated.items():
        if old not in cols:
            raise TypeError(f"measures() got an unexpected keyword argument {old!r}")
        warnings.warn(f"measures({old}=...) is deprecated: use {old}_col= (the name of the {old} column)",
                      FutureWarning, stacklevel=2)
        cols[old] = name
    region_col, activity_col, value_col, year_col = cols["region"], cols["activity"], cols["value"], cols["year"]
    pres_panel = None
    if isinstance(table, Panel):
        panel = table
        if options.presence_column is not None:
            raise InputError("presence_column needs a frame, not a Panel", fix="pass the tidy frame instead")
    elif isinstance(table, pd.DataFrame):
        panel = Panel.from_frame(table, region=region_col, activity=activity_col, value=value_col,
                                 year=year_col if year_col is not None else "year")
        if options.presence_column is not None:
            options = dataclasses.replace(options, presence="manual")
            pres_panel = Panel.from_frame(table, region=region_col, activity=activity_col,
                                          value=options.presence_column,
                                          year=year_col if year_col is not None else "year", regions=panel.regions,
                                          activities=panel.activities)
    else:
        raise InputError(f"measures() takes a pandas DataFrame or a Panel, got {type(table).__name__}")
    check_values(panel)
    manual = None
    if options.presence == "manual":
        if pres_panel is None:
            raise InputError("presence='manual' needs presence_column=", fix="name the 0/1 column of the table")
        manual = {y: pres_panel.dense(y) for y in pres_panel.years}
    if options.sign_reference is None:
        oriented = orientation_of(panel, options.orientation, data_dir)
        options = dataclasses.replace(options, sign_reference=oriented.references)
        rule, rule_text = oriented.rule, oriented.label
    else:
        rule, rule_text = "reference", "ECI correlates positively (Spearman) with the sign_reference given"
    years = _years_with_data(panel)
    if not years:
        raise InputError("the table has no non-zero values", fix="check the value column")
    table = _LongTable(panel.regions, panel.activities, {y: _reported(panel.matrices[y]) for y in years})

    def finish(m: Measures) -> None:
        """Mark the unknown cells, and write the year's rows (in its thread) unless it is the only one."""
        m.proximity = None  # the long table holds neither the proximity nor a float presence matrix: free them early
        m.mcp = m.mcp.astype(np.int8)
        missing = panel.missing[m.year]
        if missing.nnz:  # the measures count them as 0; the value and its RCA stay unknown
            unknown = missing.toarray().astype(bool)
            m.values = np.where(unknown, np.nan, m.values)
            m.rca = np.where(unknown, np.nan, m.rca)
        if not table.whole:
            table.write(m)

    per_year = compute_panel(panel, options=options, population=population, presence_matrices=manual,
                             on_year=finish)
    del panel, pres_panel, manual  # a panel read from the frame is no longer needed: free it before the long table
    if table.whole:
        table.whole_year(next(iter(per_year.values())))
    del per_year
    out = table.frame()
    out.attrs.update(eci_orientation=rule_text, orientation=rule, scope=options.scope)
    return out


def _is_default(value, default) -> bool:
    """Whether a keyword of :func:`measures` was left at its default (then ``options=`` may give it)."""
    return value is default or (isinstance(default, (str, bool, float, int)) and type(value) is type(default)
                                and value == default)
