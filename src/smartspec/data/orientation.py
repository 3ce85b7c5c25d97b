"""The one orientation rule of ECI and PCI (and of COI/COG, which follow PCI).

The eigenvector that defines ECI has an arbitrary sign. smartspec orients it everywhere (the
library :func:`smartspec.measure_table.measures`, ``smartspec measures``, the strategy analysis, the
results store, the web pages and the report) by one rule:

* on a panel of NUTS regions (at least half of its regions at NUTS level 1-3) for which
  Eurostat's regional GDP per head in PPS (``nama_10r_2gdp``) is known for at least half of the
  regions with data, ECI has a **positive Spearman correlation with GDP per head** (of the same
  year; years after the GDP file's last year use that year);
* otherwise (countries, user codes, no GDP file) ECI has a **positive correlation with
  diversity**, the rule of the Harvard ``ecomplexity`` tools.

PCI is oriented with ECI, so that a region's ECI stays the mean PCI of its activities. On
regional employment data the diversity rule often makes the least developed regions the "most
complex" (the second eigenvector separates manufacturing from service regions), which is why a
development indicator is preferred where one exists (see docs/methods.md, validity table).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from smartspec.errors import InputError

#: ``auto`` applies the rule above; ``gdp`` and ``diversity`` force one side of it.
ORIENTATIONS = ("auto", "gdp", "diversity")
#: A panel is oriented by GDP per head when at least this share of its regions with data have one.
MIN_GDP_COVERAGE = 0.5

LABELS = {
    "gdp": "ECI correlates positively (Spearman) with GDP per head in PPS (Eurostat nama_10r_2gdp)",
    "diversity": "ECI correlates positively with diversity (the number of specialisations)",
}


@dataclass(frozen=True)
class Orientation:
    """How ECI/PCI of a panel are oriented.

    Attributes
    ----------
    rule : {"gdp", "diversity"}
    references : dict year -> ndarray, or None
        GDP per head of every region (panel order, NaN where unknown) per year; None for
        ``diversity``.
    coverage : float
        Share of the regions with data that have a GDP per head (0 when not looked up).
    """

    rule: str
    references: dict | None
    coverage: float = 0.0

    @property
    def label(self) -> str:
        """The rule in one sentence (the ``eci_orientation`` field of every output)."""
        return LABELS[self.rule]


def _is_nuts(panel) -> bool:
    level = panel.region_meta["level"] if "level" in panel.region_meta else None
    if level is None:
        return False
    return bool((level.fillna(0).astype(int) >= 1).mean() >= 0.5)


def orientation(panel, rule: str = "auto", data_dir=None) -> Orientation:
    """The orientation of ``panel``'s ECI/PCI under ``rule`` (see the module docstring).

    Parameters
    ----------
    panel : smartspec.data.panel.Panel
    rule : {"auto", "gdp", "diversity"}
        ``auto`` (default) chooses GDP per head where the panel has it, else diversity.
    data_dir : path, optional
        Where the GDP file is looked for (default: the configured data directory).

    Returns
    -------
    Orientation

    Raises
    ------
    InputError
        ``rule="gdp"`` on a panel whose regions have no GDP per head.
    """
    if rule not in ORIENTATIONS:
        raise InputError(f"unknown orientation {rule!r}", where="sign",
                         fix="use auto (GDP per head where known, else diversity), gdp or diversity")
    if rule == "diversity" or (rule == "auto" and not _is_nuts(panel)):
        return Orientation("diversity", None)
    from smartspec.errors import DataNotFoundError

    try:
        refs = gdp_references(panel, data_dir)
    except DataNotFoundError:
        if rule == "gdp":
            raise
        return Orientation("diversity", None)
    with_data = [np.asarray(panel.matrices[y].sum(axis=1)).ravel() > 0 for y in panel.years]
    known = [np.isfinite(refs[y])[w].mean() if w.any() else 0.0 for y, w in zip(panel.years, with_data)]
    coverage = float(min(known)) if known else 0.0
    if coverage >= MIN_GDP_COVERAGE or (rule == "gdp" and coverage > 0):
        return Orientation("gdp", refs, coverage)
    if rule == "gdp":
        raise InputError("no region of the table has a GDP per head (NUTS 2 codes, 2000-2014)", where="--sign gdp",
                         fix="use --sign diversity for regions that are not NUTS regions")
    return Orientation("diversity", None, coverage)


def gdp_references(panel, data_dir=None) -> dict:
    """GDP per head in PPS of every region of ``panel`` (panel order, NaN where unknown), per year.

    :func:`smartspec.data.datasets.gdp_per_head` for each year of the panel, kept in the cache
    (:func:`smartspec.data.cache.cached_arrays`): every command on a named dataset orients its
    measures, and reading and filtering the GDP table once per year was a tenth of a warm
    command's time. The entry is keyed by the panel's region codes and years, the content of
    the GDP file read (a download by ``smartspec data update`` or the bundled file) and the
    readers' code, so a new download or a changed parser recomputes it; a damaged entry is
    discarded with a warning and rebuilt.

    Parameters
    ----------
    panel : smartspec.data.panel.Panel
    data_dir : path, optional
        Where the GDP file is looked for (default: the configured data directory).

    Returns
    -------
    dict
        year -> ndarray of float, one value per region of the panel.

    Raises
    ------
    DataNotFoundError
        There is no GDP file.
    """
    from smartspec.data.cache import cache_key, cached_arrays
    from smartspec.data.datasets import dataset_file, gdp_per_head

    years = [int(y) for y in panel.years]
    gdp_file = dataset_file("gdp_per_head", data_dir)
    regions = hashlib.sha1("\n".join(map(str, panel.regions)).encode()).hexdigest()

    def build() -> dict:
        values = [gdp_per_head(panel.regions, y, data_dir).to_numpy(dtype=float) for y in years]
        return {"gdp": np.array(values, dtype=float).reshape(len(years), len(panel.regions))}

    key = cache_key("gdp-references", [gdp_file.path], {"regions": regions, "years": years})
    stored = cached_arrays("gdp-references", {"key": key}, build)["gdp"]
    return {y: stored[k] for k, y in enumerate(panel.years)}
