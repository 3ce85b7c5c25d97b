"""Notes of the monitoring dashboard, in English and Italian.

:func:`smartspec.strategy.monitoring.dashboard.dashboard` says why a cell has the figure it
has, or none, with a ``note_kind`` (:data:`~smartspec.strategy.monitoring.dashboard.NOTE_KINDS`)
and the source's detail of a gap (``missing``); the words are chosen here.
"""
from __future__ import annotations

import math
import re
from typing import Mapping

#: Templates of each note kind: (English, Italian); ``{year}``, ``{country}``, ``{n}``, ``{missing}``.
NOTES = {
    "": ("", ""),
    "country_median": ("median of {n} other NUTS 2 regions of {country}",
                       "mediana di {n} altre regioni NUTS 2 del paese {country}"),
    "national_figure": ("national figure ({country})", "dato nazionale ({country})"),
    "gap_cells": ("no value in {year}: {missing} confidential or missing",
                  "nessun valore nel {year}: {missing} riservate o mancanti"),
    "gap": ("no value in {year}: {missing}", "nessun valore nel {year}: {missing}"),
    "no_regional_value": ("no value in {year}: no other region of {country} has one",
                          "nessun valore nel {year}: nessun'altra regione del paese {country} ne ha uno"),
    "no_national_figure": ("no national figure in {year}", "nessun dato nazionale nel {year}"),
    "not_covered": ("not covered by the source", "non coperta dalla fonte"),
    "no_value": ("no value in {year}", "nessun valore nel {year}"),
}


#: The gap details of :mod:`smartspec.strategy.monitoring.cooperation`, in Italian.
GAP_DETAILS_IT = {
    "no population for the region in the LAU 2019 table (its municipalities carry none: all of France)":
        "nessuna popolazione per la regione nella tabella LAU 2019 (i suoi comuni non ne riportano: tutta la Francia)",
    "the region's own country (not a foreign partner)": "il paese della regione stessa (non un partner estero)",
}


def _gap_detail_it(missing: str) -> str:
    """A gap's detail in Italian: the SBS gaps' cells (``division(s) C10, C11`` -> ``divisioni
    C10, C11``; ``all divisions of section F`` -> ``tutte le divisioni di sezione F``) and the
    known details of the other sources; an unknown detail is kept as it is."""
    if missing in GAP_DETAILS_IT:
        return GAP_DETAILS_IT[missing]
    out = re.sub(r"^division\(s\) ", "divisioni ", missing)
    out = re.sub(r"^all divisions of ", "tutte le divisioni di ", out)
    return re.sub(r"\bsection ([A-U])\b", r"sezione \1", out)


def cell_note(row: Mapping, lang: str = "en") -> str:
    """The note of one dashboard cell (``note_kind, missing, unit, role, year, n_regions``) in ``lang``."""
    kind = str(row.get("note_kind") or "")
    en, it = NOTES.get(kind, (kind, kind))
    unit = str(row["unit"])
    n = row.get("n_regions")
    missing = str(row.get("missing") or "")
    if lang == "it":
        missing = _gap_detail_it(missing)
    return (it if lang == "it" else en).format(
        year=int(row["year"]), country=unit[:2] if len(unit) == 4 else unit,
        n=int(n) if n is not None and not (isinstance(n, float) and math.isnan(n)) else "", missing=missing)


def with_cell_notes(board, lang: str = "en"):
    """``board`` (:func:`smartspec.strategy.monitoring.dashboard.dashboard`) with its ``note``
    column worded in ``lang``."""
    return board.assign(note=[cell_note(r, lang) for r in board.to_dict(orient="records")])
