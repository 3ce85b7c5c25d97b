"""The Panel: values for regions x activities x years, with their labels.

A :class:`Panel` stores one sparse matrix per year over shared region and activity indices
(rows are regions, columns activities). Cells that the source reported as missing or
confidential are kept apart in a boolean mask per year, so a missing cell is never confused
with a true zero. Region and activity metadata (names, NUTS level, country, activity level)
live in two frames indexed by code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec._runtime import keep_freed_memory
from smartspec.errors import InputError, UnknownNameError

TIDY_COLUMNS = ["year", "region", "activity", "value"]


def nuts_level(code: str) -> int | None:
    """NUTS level of a code: ``AT`` 0, ``AT1`` 1, ``AT11`` 2, ``AT111`` 3; None if not NUTS-shaped.

    Extra-regio codes (``ITZ``, ``ITZZ``) are NUTS-shaped and get their level too.
    """
    code = str(code)
    if len(code) < 2 or len(code) > 5 or not code[:2].isalpha() or not code[:2].isupper():
        return None
    if len(code) > 2 and not code[2:].isalnum():
        return None
    return len(code) - 2


def nace_level(code: str) -> str | None:
    """NACE Rev.2 level of a code: ``C`` section, ``C13`` division, ``G47`` group-level aggregates
    in the SBS table are divisions; ``C131`` group, ``C1310`` class; ``B-E`` style ranges are
    ``aggregate``; None if not NACE-shaped."""
    code = str(code)
    if len(code) == 1 and code.isalpha():
        return "section"
    if "-" in code or "_" in code:
        return "aggregate"
    if code[:1].isalpha() and code[1:].isdigit():
        return {2: "division", 3: "group", 4: "class"}.get(len(code) - 1)
    return None


@dataclass
class Panel:
    """Region x activity x year values.

    Parameters
    ----------
    matrices : mapping of int -> scipy.sparse matrix
        One ``(n_regions, n_activities)`` matrix per year; implicit zeros are true zeros (or
        cells the source did not list); stored entries are observed values.
    regions, activities : pandas.Index
        Codes of the rows and columns, named ``region`` and ``activity``.
    missing : mapping of int -> scipy.sparse boolean matrix, optional
        Cells reported as missing or confidential in the source, per year.
    region_meta, activity_meta : pandas.DataFrame, optional
        Indexed by code; columns such as ``name``, ``level``, ``country``.
    name, value_name, source : str
        Dataset name, what the values measure, and where they come from.
    report : dict
        What building the panel left out or changed (counted, never silent).
    """

    matrices: Mapping[int, sp.csr_array]
    regions: pd.Index
    activities: pd.Index
    missing: Mapping[int, sp.csr_array] | None = None
    region_meta: pd.DataFrame | None = None
    activity_meta: pd.DataFrame | None = None
    name: str = ""
    value_name: str = "value"
    source: str = ""
    report: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.regions = pd.Index(self.regions, name="region")
        self.activities = pd.Index(self.activities, name="activity")
        if self.regions.has_duplicates or self.activities.has_duplicates:
            raise InputError("region and activity codes of a panel must be unique")
        shape = (len(self.regions), len(self.activities))
        mats = {}
        for year, m in self.matrices.items():
            m = sp.csr_array(m, dtype=np.float64)
            if m.shape != shape:
                raise InputError(f"matrix of year {year} has shape {m.shape}, expected {shape}")
            mats[int(year)] = m
        self.matrices = dict(sorted(mats.items()))
        if self.missing is None:
            self.missing = {y: sp.csr_array(shape, dtype=bool) for y in self.matrices}
        else:
            self.missing = {int(y): sp.csr_array(m, dtype=bool) for y, m in self.missing.items()}
            for y in self.matrices:
                self.missing.setdefault(y, sp.csr_array(shape, dtype=bool))
        self.region_meta = _with_names(self.region_meta, self.regions, default_region_meta)
        self.activity_meta = _with_names(self.activity_meta, self.activities, default_activity_meta)

    # ------------------------------------------------------------------ access
    @property
    def years(self) -> list[int]:
        return list(self.matrices)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(years, regions, activities)."""
        return (len(self.matrices), len(self.regions), len(self.activities))

    def matrix(self, year: int | None = None) -> sp.csr_array:
        """The sparse region x activity matrix of ``year`` (the last year if None)."""
        year = self._year(year)
        return self.matrices[year]

    def dense(self, year: int | None = None) -> np.ndarray:
        """The region x activity matrix of ``year`` as a dense float array."""
        return self.matrix(year).toarray()

    def frame(self, year: int | None = None) -> pd.DataFrame:
        """The region x activity matrix of ``year`` as a labelled dense frame."""
        return pd.DataFrame(self.dense(year), index=self.regions, columns=self.activities)

    def region_name(self, code: str) -> str:
        return str(self.region_meta.at[code, "name"])

    def activity_name(self, code: str) -> str:
        return str(self.activity_meta.at[code, "name"])

    def region(self, query: str, *, data_dir=None) -> str:
        """A region code of the panel from a code or a name in any language (the panel's own
        names, then the NUTS names of every version: :func:`smartspec.data.names.resolve_region`)."""
        from smartspec.data.names import resolve_region

        if isinstance(query, str) and query in self.regions:  # a code: no name index to build (~60 ms)
            return query
        names = self.region_meta["name"].astype(str)
        return resolve_region(query, pd.DataFrame({"code": names.index, "name": names.to_numpy()}), self.regions,
                              data_dir=data_dir, where=f"panel {self.name}")

    def activity(self, query: str) -> str:
        """An activity code of the panel from a code or a name."""
        from smartspec.data.names import NameIndex

        if "_activity_index" not in self.__dict__:
            self.__dict__["_activity_index"] = NameIndex.from_series("activity", self.activity_meta["name"].astype(str))
        return self.__dict__["_activity_index"].resolve(query, where=f"panel {self.name}")

    def years_with_data(self, region: str) -> list[int]:
        """The years in which ``region`` has a value for at least one activity.

        Raises :class:`~smartspec.errors.InputError` when it has none (the source reports
        nothing for it, or only missing or confidential cells): no profile or measure of the
        region exists.
        """
        i = self.regions.get_loc(region)
        years = [y for y in self.years if self.matrices[y][[i]].count_nonzero() > 0]
        if not years:
            n_missing = sum(int(self.missing[y][[i]].count_nonzero()) for y in self.years)
            raise InputError(
                f"{self.region_name(region)} ({region}) has no value in any year"
                + (f" ({n_missing} cells reported missing or confidential)" if n_missing else ""),
                where=f"panel {self.name}" if self.name else None,
                fix="choose another region (`smartspec regions` lists them) or another dataset")
        return years

    def default_year(self, region: str | None = None, min_coverage: float = 0.75) -> int:
        """The year a result defaults to: the last *well-covered* year (with data for ``region``
        when one is given). This one rule serves the region profile, the strategy functions and
        the results store.

        A year is well covered when at least ``min_coverage`` as many regions have data as in the
        best-covered year (the SBS panel's 2015 has 162 of 272 regions: a location quotient of
        such a year compares the region with a different, smaller Europe). Falls back to the
        region's last year with data.
        """
        years = self.years if region is None else self.years_with_data(region)
        coverage = {y: int((np.asarray(abs(self.matrices[y]).sum(axis=1)).ravel() > 0).sum()) for y in self.years}
        best = max(coverage.values())
        good = [y for y in years if coverage[y] >= min_coverage * best]
        return good[-1] if good else years[-1]

    def _year(self, year: int | None) -> int:
        if year is None:
            if not self.matrices:
                raise InputError(f"panel {self.name!r} has no years")
            return self.years[-1]
        if int(year) not in self.matrices:
            raise UnknownNameError("year", str(year), [str(y) for y in self.years], where=f"panel {self.name}")
        return int(year)

    # ------------------------------------------------------------- conversion
    def to_frame(self, *, include_missing: bool = False, names: bool = False) -> pd.DataFrame:
        """Tidy frame with columns ``year, region, activity, value`` (one row per stored cell).

        With ``include_missing`` the cells reported missing are added with ``value`` NaN;
        with ``names`` the columns ``region_name`` and ``activity_name`` are added.
        """
        parts = []
        for year, m in self.matrices.items():
            coo = m.tocoo()
            rows, cols, vals = coo.row, coo.col, coo.data
            if include_missing:
                miss = self.missing[year].tocoo()
                rows = np.concatenate([rows, miss.row])
                cols = np.concatenate([cols, miss.col])
                vals = np.concatenate([vals, np.full(miss.nnz, np.nan)])
            parts.append(
                pd.DataFrame(
                    {
                        "year": np.full(len(rows), year, dtype=np.int64),
                        "region": self.regions.values[rows],
                        "activity": self.activities.values[cols],
                        "value": vals,
                    }
                )
            )
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TIDY_COLUMNS)
        out = out.sort_values(["year", "region", "activity"], kind="stable", ignore_index=True)
        if names:
            out["region_name"] = self.region_meta["name"].reindex(out["region"]).to_numpy()
            out["activity_name"] = self.activity_meta["name"].reindex(out["activity"]).to_numpy()
        return out

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        region: str = "region",
        activity: str = "activity",
        value: str = "value",
        year: str | None = "year",
        duplicates: str = "error",
        source_name: str = "table",
        regions: Sequence[str] | None = None,
        activities: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        **kwargs,
    ) -> "Panel":
        """Build a panel from a tidy frame.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per (year,) region, activity.
        region, activity, value, year : str
            Column names; ``year=None`` (or a missing year column when left at the default)
            makes a single-year panel with year 0.
        duplicates : {"error", "sum"}
            What to do with repeated keys.
        source_name : str
            Name used in error messages (a file name, say).
        regions, activities, years : sequence, optional
            Fix the indices (and their order) instead of taking the sorted codes of the table;
            rows with other codes are an error.
        **kwargs
            Passed to :class:`Panel` (``name``, ``region_meta``, ...).

        Rows whose value is NaN are kept as *missing* cells, not dropped.
        """
        if year == "year" and "year" not in df.columns:
            year = None
        needed = [c for c in (region, activity, value, year) if c is not None]
        absent = [c for c in needed if c not in df.columns]
        if absent:
            raise InputError(
                f"missing column(s) {absent}; the table has {list(map(str, df.columns))}",
                where=source_name,
                fix="name the right columns with region=, activity=, value=, year= (CLI: --region, --activity, --value, --year)",
            )
        keep_freed_memory()  # a long table's temporaries are reused, not faulted in again (see smartspec._runtime)
        # Codes are factorised once (fast on millions of rows, no per-row string copies);
        # only the distinct labels are cleaned.
        (r_codes, r_labels), (a_codes, a_labels) = _factorize_columns(df, [region, activity])
        r_labels = pd.Index(r_labels).astype(str).str.strip()
        a_labels = pd.Index(a_labels).astype(str).str.strip()
        raw_values = df[value]
        numeric = pd.api.types.is_numeric_dtype(raw_values.dtype)  # already numbers: no conversion pass
        values = (raw_values if numeric else pd.to_numeric(raw_values, errors="coerce")).to_numpy(
            dtype=np.float64, na_value=np.nan)
        if np.isnan(values).any():
            given = raw_values.notna().to_numpy()
            if raw_values.dtype == object:
                given &= (raw_values.astype(str).str.strip() != "").to_numpy()
            bad_value = np.isnan(values) & given
            if bad_value.any():
                i = int(np.flatnonzero(bad_value)[0])
                raise InputError(
                    f"column {value!r} has {int(bad_value.sum())} non-numeric value(s), first {raw_values.iloc[i]!r} "
                    f"at data row {i + 1}",
                    where=source_name,
                    fix="clean the values or point --value to the numeric column",
                )
        if year is None:
            yrs = np.zeros(len(df), dtype=np.int64)
        elif pd.api.types.is_integer_dtype(df[year].dtype):
            yrs = df[year].to_numpy(dtype=np.int64)
        else:
            yv = pd.to_numeric(df[year], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            if np.isnan(yv).any():
                i = int(np.flatnonzero(np.isnan(yv))[0])
                raise InputError(
                    f"column {year!r} has a value that is not a year at data row {i + 1}: {df[year].iloc[i]!r}",
                    where=source_name,
                    fix="years must be integers such as 2014",
                )
            yrs = yv.astype(np.int64)
        # labels that differ only by surrounding spaces are the same code
        r_unique, r_map = np.unique(np.asarray(r_labels), return_inverse=True)
        a_unique, a_map = np.unique(np.asarray(a_labels), return_inverse=True)
        regions = pd.Index(r_unique if regions is None else list(regions), name="region")
        activities = pd.Index(a_unique if activities is None else list(activities), name="activity")
        r_pos = regions.get_indexer(r_unique)
        a_pos = activities.get_indexer(a_unique)
        for kind, pos, labels in (("region", r_pos, r_unique), ("activity", a_pos, a_unique)):
            if (pos < 0).any():
                index = regions if kind == "region" else activities
                raise UnknownNameError(kind, str(labels[int(np.flatnonzero(pos < 0)[0])]), index.astype(str),
                                       where=source_name)
        year_values, year_index = _year_index(yrs)
        n_rows, n_cols = len(regions), len(activities)
        # All years at once: one sparse matrix with a block of region rows per year, cut into
        # per-year matrices below (row blocks of a CSR matrix are cheap slices).
        # key = (year block * n_rows + row) * n_cols + column, built in place (each pass over
        # millions of rows counts); rows and columns are recovered from it where needed
        key = r_pos[r_map][r_codes]
        if year_index is not None:
            key += year_index * n_rows
        key *= n_cols
        key += a_pos[a_map][a_codes]
        # a table sorted by year, region and activity (the usual layout) has strictly increasing
        # keys: no key repeats, and the cells are already in the order of the sparse matrix
        increasing = bool(len(key) < 2 or (key[0] < key[1] and (key[1:] > key[:-1]).all()))
        repeated = None if increasing else _repeated_keys(key, len(year_values) * n_rows * n_cols)
        if repeated is not None:
            if duplicates == "sum":
                increasing = True  # np.unique sorts
                key, inverse = np.unique(key, return_inverse=True)
                finite = ~np.isnan(values)
                summed = np.bincount(inverse, weights=np.where(finite, values, 0.0), minlength=len(key))
                any_finite = np.bincount(inverse, weights=finite.astype(float), minlength=len(key)) > 0
                values = np.where(any_finite, summed, np.nan)
            else:
                first = int(np.flatnonzero(repeated)[0])
                rows, cols = np.divmod(key[first:first + 1], n_cols)
                raise InputError(
                    f"{int(repeated.sum())} rows repeat a (year, region, activity) key, first "
                    f"({yrs[first]}, {regions[rows[0] % n_rows]}, {activities[cols[0]]}) "
                    f"at data row {first + 1}",
                    where=source_name,
                    fix="remove the duplicates, or ask for them to be summed (duplicates='sum', CLI --sum-duplicates)",
                )
        shape = (len(year_values) * n_rows, n_cols)
        missing_cell = np.isnan(values)
        all_values = _stacked_matrix(key, values, missing_cell, shape, increasing)
        missing_rows, missing_cols = np.divmod(key[missing_cell], n_cols)
        all_missing = sp.csr_array((np.ones(len(missing_rows), dtype=bool), (missing_rows, missing_cols)), shape=shape)
        block = {int(y): k for k, y in enumerate(year_values)}
        empty = sp.csr_array((n_rows, n_cols), dtype=np.float64)
        matrices, missing = {}, {}
        for y in (year_values if years is None else sorted(set(map(int, years)))):
            y = int(y)
            if y in block:
                matrices[y] = _row_block(all_values, block[y] * n_rows, n_rows)
                missing[y] = _row_block(all_missing, block[y] * n_rows, n_rows)
            else:
                matrices[y], missing[y] = empty.copy(), empty.astype(bool)
        return cls(matrices, regions, activities, missing=missing, **kwargs)

    # ---------------------------------------------------------------- filters
    def subset(self, regions: Sequence[str] | None = None, activities: Sequence[str] | None = None,
               years: Iterable[int] | None = None) -> "Panel":
        """A panel restricted to the given codes and years (in the given order)."""
        r_idx = np.arange(len(self.regions)) if regions is None else self._indexer(self.regions, regions, "region")
        a_idx = np.arange(len(self.activities)) if activities is None else self._indexer(self.activities, activities, "activity")
        ys = self.years if years is None else [self._year(y) for y in years]
        return Panel(
            {y: self.matrices[y][r_idx][:, a_idx] for y in ys},
            self.regions[r_idx],
            self.activities[a_idx],
            missing={y: self.missing[y][r_idx][:, a_idx] for y in ys},
            region_meta=self.region_meta.iloc[r_idx].copy(),
            activity_meta=self.activity_meta.iloc[a_idx].copy(),
            name=self.name,
            value_name=self.value_name,
            source=self.source,
            report=dict(self.report),
        )

    def filter(
        self,
        *,
        nuts_level: int | None = None,
        country: str | Sequence[str] | None = None,
        years: Iterable[int] | None = None,
        activity_level: str | None = None,
    ) -> "Panel":
        """Keep regions of a NUTS level and/or countries, some years, activities of a level."""
        rm = self.region_meta
        keep_r = np.ones(len(self.regions), dtype=bool)
        if nuts_level is not None:
            keep_r &= (rm["level"] == nuts_level).to_numpy()
        if country is not None:
            countries = [country] if isinstance(country, str) else list(country)
            keep_r &= rm["country"].isin(countries).to_numpy()
        keep_a = np.ones(len(self.activities), dtype=bool)
        if activity_level is not None:
            keep_a &= (self.activity_meta["level"] == activity_level).to_numpy()
        return self.subset(self.regions[keep_r], self.activities[keep_a], years)

    @staticmethod
    def _indexer(index: pd.Index, codes: Sequence[str], kind: str) -> np.ndarray:
        codes = list(codes)
        idx = index.get_indexer(codes)
        if (idx < 0).any():
            bad = codes[int(np.flatnonzero(idx < 0)[0])]
            raise UnknownNameError(kind, bad, index.astype(str))
        return idx

    def __repr__(self) -> str:
        y = f"{self.years[0]}-{self.years[-1]}" if self.years else "no years"
        return (f"Panel({self.name!r}: {len(self.regions)} regions x {len(self.activities)} activities, "
                f"{len(self.years)} years {y}, {self.value_name})")


#: From this many rows on, the key columns of a frame are factorised in parallel threads.
_PARALLEL_ROWS = 200_000


def _factorize_columns(df: pd.DataFrame, columns: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``pd.factorize`` of each column (missing values get a code of their own).

    Hashing the strings of a long table is most of the time of reading it; pandas' hash tables
    (and pyarrow's, for pandas 3's default string columns) release the GIL, so on a few hundred
    thousand rows or more the columns are factorised side by side (1.8 million rows, two
    columns: 70 ms one after the other, 36 ms in two threads).
    """
    def one(column):
        return pd.factorize(df[column], use_na_sentinel=False)

    if len(df) < _PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        out = [one(c) for c in columns]
    else:
        from concurrent.futures import ThreadPoolExecutor  # here: with logging, 40 ms of every command's start-up

        with ThreadPoolExecutor(max_workers=len(columns)) as pool:
            out = list(pool.map(one, columns))
    _release_arrow_memory(df, columns)
    return out


def _release_arrow_memory(df: pd.DataFrame, columns: list[str]) -> None:
    """Return to the system the memory pyarrow's pool freed after factorising arrow-backed columns.

    pandas 3 keeps strings in pyarrow arrays, and factorising them builds pyarrow's dictionary
    arrays in pyarrow's own allocator (mimalloc), which keeps the freed pages: on 10 million rows
    about 120 MB stayed resident through the whole computation (measured 2026-12-08); releasing
    them takes under 1 ms.
    """
    if any(getattr(df[c].dtype, "storage", None) == "pyarrow" for c in columns):
        import pyarrow

        pyarrow.default_memory_pool().release_unused()


def _year_index(yrs: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The sorted distinct years and each row's position among them, or None for the positions
    when there is one year (every position 0: no pass over the rows to say so).

    Years span a short range: a lookup table over that range is linear in the rows, where
    sorting (``np.unique``) is not.
    """
    if len(yrs) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    low, high = int(yrs.min()), int(yrs.max())
    if low == high:
        return np.array([low]), None
    if high - low > 100_000:
        return np.unique(yrs, return_inverse=True)
    offset = yrs - low
    present = np.bincount(offset, minlength=high - low + 1) > 0
    if present.all():  # consecutive years (the usual case): the offset is the position
        return np.arange(low, high + 1), offset
    position = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, position[offset]


#: A table filling at least 1 cell in ``_DENSE_FILL`` (or with at most ``_DENSE_CELLS`` cells) is
#: laid out through a dense array of all its cells: linear, where building a sparse matrix sorts.
_DENSE_FILL = 4
_DENSE_CELLS = 1 << 22


def _dense_enough(n_keys: int, n_cells: int) -> bool:
    return n_cells <= max(_DENSE_FILL * n_keys, _DENSE_CELLS)


def _stacked_matrix(key: np.ndarray, values: np.ndarray, missing: np.ndarray, shape: tuple[int, int],
                    increasing: bool = False) -> sp.csr_array:
    """The CSR matrix of the distinct cells ``key`` (row * n_cols + column) with their values,
    without the ``missing`` ones and without zeros; ``increasing``: the keys are in ascending order."""
    n_cells = shape[0] * shape[1]
    index = np.int32 if max(n_cells, shape[1]) < 2**31 else np.int64
    if increasing:  # already the matrix's order: keep the stored cells, find where each row starts
        stored = np.flatnonzero((values != 0) & ~missing)
        cells = key.take(stored)
        indptr = np.searchsorted(cells, np.arange(shape[0] + 1, dtype=np.int64) * shape[1])
        return sp.csr_array((values.take(stored), (cells % shape[1]).astype(index),
                             indptr.astype(np.int64 if len(stored) >= 2**31 else index)), shape=shape)
    if not _dense_enough(len(key), n_cells):
        observed = ~missing
        matrix = sp.csr_array((values[observed], (key[observed] // shape[1], key[observed] % shape[1])),
                              shape=shape)
        matrix.eliminate_zeros()
        return matrix
    cells = np.zeros(n_cells)
    cells[key] = values
    cells[key[missing]] = 0.0
    # the cells in row-major order: column indices sorted within each row, no duplicates. The
    # positions are found on a boolean mask and the values taken by position: numpy's nonzero on
    # booleans, and take, are several times faster than nonzero on floats or boolean indexing
    stored_mask = cells != 0
    stored = np.flatnonzero(stored_mask)
    indptr = np.zeros(shape[0] + 1, dtype=np.int64 if len(stored) >= 2**31 else index)
    np.cumsum(np.count_nonzero(stored_mask.reshape(shape), axis=1), out=indptr[1:])
    return sp.csr_array((cells.take(stored), (stored % shape[1]).astype(index), indptr), shape=shape)


def _row_block(matrix: sp.csr_array, start: int, n_rows: int) -> sp.csr_array:
    """Rows ``start`` to ``start + n_rows`` of a CSR matrix, sharing its data (a view, not a copy)."""
    lo, hi = matrix.indptr[start], matrix.indptr[start + n_rows]
    return sp.csr_array((matrix.data[lo:hi], matrix.indices[lo:hi], matrix.indptr[start:start + n_rows + 1] - lo),
                        shape=(n_rows, matrix.shape[1]))


def _repeated_keys(key: np.ndarray, n_cells: int) -> np.ndarray | None:
    """Which rows share their key with another row (None when every key is unique).

    Counting keys in an array of all cells is linear; sorting is the fallback when the cells
    far outnumber the rows (a very sparse table).
    """
    if _dense_enough(len(key), n_cells):
        # whether any key repeats: marking the cells seen is a third of the time of counting them
        # (10 million keys: 13 against 35 ms); the counts are needed only to name the repeats
        seen = np.zeros(n_cells, dtype=bool)
        seen[key] = True
        if np.count_nonzero(seen) == len(key):
            return None
        del seen
        return np.bincount(key, minlength=n_cells)[key] > 1
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    same = sorted_key[1:] == sorted_key[:-1]
    if not same.any():
        return None
    repeated_sorted = np.zeros(len(key), dtype=bool)
    repeated_sorted[1:] |= same
    repeated_sorted[:-1] |= same
    repeated = np.empty(len(key), dtype=bool)
    repeated[order] = repeated_sorted
    return repeated


def _with_names(meta: pd.DataFrame | None, codes: pd.Index, default) -> pd.DataFrame:
    """``meta`` aligned on ``codes`` with a name for every code (the code where none is given),
    or ``default(codes)`` when there is no ``meta``."""
    if meta is None:
        return default(codes)
    meta = meta.reindex(codes)
    meta.index.name = codes.name
    names = pd.Series(codes.astype(str), index=codes)
    meta["name"] = names if "name" not in meta else meta["name"].fillna(names)
    return meta


def default_region_meta(regions: pd.Index) -> pd.DataFrame:
    codes = pd.Index(regions.astype(str), name="region")
    levels = [nuts_level(c) for c in codes]
    return pd.DataFrame(
        {"name": pd.Series(codes, index=codes), "level": pd.Series(pd.array(levels, dtype="Int64"), index=codes),
         "country": pd.Series([c[:2] if lvl is not None else c for c, lvl in zip(codes, levels)], index=codes)})


def default_activity_meta(activities: pd.Index) -> pd.DataFrame:
    codes = pd.Index(activities.astype(str), name="activity")
    return pd.DataFrame({"name": pd.Series(codes, index=codes),
                         "level": pd.Series([nace_level(c) for c in codes], index=codes)})
