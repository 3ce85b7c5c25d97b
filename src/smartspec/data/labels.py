"""Official labels of the activity classifications the datasets use.

``labels/nace_r2.csv``: NACE Rev.2 sections, divisions and the SBS groups, English names from
Eurostat's RAMON classification server; ``labels/nace_r2_it.csv``: their Italian names, the
titles of ATECO 2007 (ISTAT's national version of NACE Rev.2, identical to the group level),
written by ``docs/make_nace_it.py``. ``labels/wipo35.csv``: the 35 fields of the WIPO
technology concordance (Schmoch 2008) with their five sectors, codes ``W01``-``W35`` in the
order WIPO numbers them.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd


@lru_cache(maxsize=None)
def nace_labels() -> pd.DataFrame:
    """NACE Rev.2 codes indexed by ``code`` with ``level`` and ``name``."""
    with resources.files("smartspec").joinpath("labels/nace_r2.csv").open() as fh:
        return pd.read_csv(fh, dtype=str).set_index("code")


@lru_cache(maxsize=None)
def nace_labels_it() -> pd.Series:
    """Italian names (ATECO 2007) of the NACE Rev.2 codes, indexed by ``code``."""
    with resources.files("smartspec").joinpath("labels/nace_r2_it.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, comment="#").set_index("code")["name_it"]


def activity_name(code: str, lang: str = "en", default: str | None = None) -> str:
    """The name of an activity code in ``lang`` (``"en"`` or ``"it"``).

    NACE Rev.2 codes get their official name (Eurostat's in English, ATECO 2007's in Italian);
    other codes (WIPO fields, a user's own activities) keep ``default``, the name their data
    gives, in every language, and so does a NACE-looking code whose ``default`` is not the
    NACE name (a user's own classification); the code itself when there is no name.
    """
    en = nace_labels()
    nace_en = str(en.at[code, "name"]) if code in en.index else None
    if lang == "it" and nace_en is not None and default in (None, "", nace_en):
        return str(nace_labels_it()[code])
    return default or nace_en or str(code)


@lru_cache(maxsize=None)
def wipo_labels() -> pd.DataFrame:
    """WIPO technology fields indexed by ``code`` (W01-W35) with ``sector`` and ``name``."""
    with resources.files("smartspec").joinpath("labels/wipo35.csv").open() as fh:
        return pd.read_csv(fh, dtype=str).set_index("code")


def wipo_code_for(names: pd.Series) -> pd.Series:
    """Map WIPO field names (as PATSTAT extracts spell them) to W01-W35 codes (NaN if unknown)."""
    from smartspec.data.names import normalise_name

    lookup = {normalise_name(n): c for c, n in wipo_labels()["name"].items()}
    return names.map(lambda n: lookup.get(normalise_name(n)))


#: ISO 3166 alpha-3 codes of the countries with NUTS regions, keyed by their NUTS country
#: prefix (NUTS uses EL for Greece and UK for the United Kingdom).
NUTS_COUNTRY_ISO3 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CH": "CHE", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "EL": "GRC", "ES": "ESP", "FI": "FIN", "FR": "FRA", "HR": "HRV", "HU": "HUN", "IE": "IRL",
    "IS": "ISL", "IT": "ITA", "LI": "LIE", "LT": "LTU", "LU": "LUX", "LV": "LVA", "ME": "MNE", "MK": "MKD",
    "MT": "MLT", "NL": "NLD", "NO": "NOR", "PL": "POL", "PT": "PRT", "RO": "ROU", "RS": "SRB", "SE": "SWE",
    "SI": "SVN", "SK": "SVK", "TR": "TUR", "UK": "GBR", "AL": "ALB",
}
