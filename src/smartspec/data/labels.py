"""Official labels of the activity classifications the datasets use.

``labels/nace_r2.csv``: NACE Rev.2 sections, divisions and the SBS groups, English names from
Eurostat's RAMON classification server. ``labels/wipo35.csv``: the 35 fields of the WIPO
technology concordance (Schmoch 2008) with their five sectors, codes ``W01``-``W35`` in the
order WIPO numbers them.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd


@lru_cache(maxsize=None)
def nace_labels() -> pd.DataFrame:
    """NACE Rev.2 codes indexed by ``code`` with ``level`` and ``name``."""
    with resources.files("smartspec").joinpath("labels/nace_r2.csv").open() as fh:
        return pd.read_csv(fh, dtype=str).set_index("code")


@lru_cache(maxsize=None)
def wipo_labels() -> pd.DataFrame:
    """WIPO technology fields indexed by ``code`` (W01-W35) with ``sector`` and ``name``."""
    with resources.files("smartspec").joinpath("labels/wipo35.csv").open() as fh:
        return pd.read_csv(fh, dtype=str).set_index("code")


def normalise_name(name: str) -> str:
    """Lower-case ASCII letters and digits only: for matching names spelt differently."""
    ascii_ = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_.lower() if ch.isalnum())


def match_names(names: pd.DataFrame, query: str, limit: int | None = None) -> pd.DataFrame:
    """The codes whose code or one of whose names matches ``query``, best match first.

    Parameters
    ----------
    names : DataFrame
        Columns ``code`` and ``name``, one row per name of a code (a region has names in several
        languages); an optional ``key`` column holds ``normalise_name(name)`` precomputed.
    query : str
        Part of a code or of a name; names are compared by :func:`normalise_name` (case,
        accents, spaces and punctuation ignored).
    limit : int, optional
        Keep the best ``limit`` codes.

    Returns
    -------
    DataFrame
        ``code``, ``name`` (its best-matching name) and ``score``: 0 the code starts with the
        query, 1 a name starts with it, 2 a name contains it; ties ordered by code (score 0) or
        by name. One row per code; none when the query has no letter or digit.
    """
    key = normalise_name(query)
    if not key:
        return pd.DataFrame({"code": [], "name": [], "score": []})
    keys = names["key"] if "key" in names else names["name"].map(normalise_name)
    code_hit = names["code"].astype(str).str.lower().str.startswith(str(query).strip().lower())
    score = np.select([code_hit.to_numpy(), keys.str.startswith(key).to_numpy(),
                       keys.str.contains(key, regex=False).to_numpy()], [0, 1, 2], 9)
    hits = names.assign(score=score, order=np.where(score == 0, names["code"].astype(str), names["name"].astype(str)))
    hits = hits[hits["score"] < 9].sort_values(["score", "order"]).drop_duplicates("code")
    return (hits if limit is None else hits.head(limit))[["code", "name", "score"]].reset_index(drop=True)


def wipo_code_for(names: pd.Series) -> pd.Series:
    """Map WIPO field names (as PATSTAT extracts spell them) to W01-W35 codes (NaN if unknown)."""
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
