"""Names and codes: the one normaliser and the one resolver of smartspec.

Every lookup of a region, an activity, a country, a network, an ecosystem or a profile group by
what a user typed goes through :func:`normalise_name` and :class:`NameIndex`, so that the
library, the results store, the web and the command line agree on what matches:

* ``normalise_name`` is Unicode-aware: it removes accents, folds case, transliterates Greek
  and Bulgarian Cyrillic to Latin (``Αττική`` matches ``Attiki``) and the Latin letters that do
  not decompose (``ß`` -> ``ss``, ``ø`` -> ``o``, ``æ`` -> ``ae``, ``ł`` -> ``l``), keeps letters of
  other scripts, and drops spaces and punctuation (``Weser-Ems`` -> ``weserems``);
* a name with no letter or digit has the empty key, and the empty key never matches anything
  (``'???'`` and ``'@'`` are unknown names, not the first region of a table);
* :class:`NameIndex` resolves a code exactly or case-insensitively, then a name by its key (or
  its German transliteration: ``Baden-Wuerttemberg`` = ``Baden-Württemberg``), and otherwise
  raises :class:`~smartspec.errors.UnknownNameError` listing the closest names; it also
  searches by prefix and substring for the finders (``smartspec regions``, the web search).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.errors import UnknownNameError

#: Letters that Unicode does not decompose into a base letter and an accent.
_TRANSLITERATION = str.maketrans({
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h",
})
#: Greek (ELOT 743) and Bulgarian Cyrillic (the official Streamlined System) to Latin letters,
#: applied to lower-case letters without accents, so that ``Αττική`` and ``Attiki`` share a key
#: (Eurostat spells some Greek names with a Latin capital: ``Aττική``).
_TO_LATIN = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
})
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


@lru_cache(maxsize=65536)
def normalise_name(text: object) -> str:
    """The matching key of a name: letters and digits, accents removed, case folded, Greek,
    Cyrillic and special Latin letters transliterated, everything else dropped.

    ``"Baden-Württemberg"`` -> ``"badenwurttemberg"``, ``"Straße"`` -> ``"strasse"``,
    ``"Αττική"`` -> ``"attiki"``, ``"Северозападен"`` -> ``"severozapaden"``, ``"???"`` -> ``""``.
    Letters of other scripts are kept as they are (they still match themselves).
    """
    t = unicodedata.normalize("NFKD", str(text).translate(_TRANSLITERATION))
    t = "".join(ch for ch in t.casefold() if ch.isalnum() and not unicodedata.combining(ch))
    return t.translate(_TO_LATIN)


def german_variant(text: object) -> str:
    """The key of a name with German umlauts written out (``ü`` -> ``ue``), so that
    ``Baden-Wuerttemberg`` finds ``Baden-Württemberg``."""
    return normalise_name(str(text).translate(_GERMAN))


class NameIndex:
    """Codes and their names (several per code: languages, old names), resolved by key.

    Parameters
    ----------
    kind : str
        What the codes are (``"region"``, ``"activity"``, ``"country"``...), for messages.
    names : DataFrame
        Columns ``code`` and ``name``, one row per name of a code; the order of rows is the order
        of preference when two codes share a key (the first wins).
    codes : sequence of str, optional
        Every valid code (default: the codes of ``names``); codes without a name are valid too.
    """

    def __init__(self, kind: str, names: pd.DataFrame, codes=None):
        self.kind = kind
        names = names[["code", "name"]].dropna().astype(str)
        self.codes = pd.Index(pd.unique(names["code"]) if codes is None else [str(c) for c in codes])
        self._exact = set(self.codes)
        self._upper = {c.upper(): c for c in self.codes}
        keys = names["name"].map(normalise_name)
        german = names["name"].map(german_variant)
        known = names["code"].isin(self.codes).to_numpy()
        self.names = names.assign(key=keys)[known].drop_duplicates(["code", "name"]).reset_index(drop=True)
        lookup = pd.concat([pd.DataFrame({"key": keys, "code": names["code"]})[known],
                            pd.DataFrame({"key": german, "code": names["code"]})[known]])
        lookup = lookup[lookup["key"] != ""]
        self._by_key = dict(lookup.drop_duplicates("key")[["key", "code"]].itertuples(index=False))

    @classmethod
    def from_series(cls, kind: str, names: pd.Series) -> "NameIndex":
        """An index of ``code -> name`` (one name per code, e.g. activity labels)."""
        return cls(kind, pd.DataFrame({"code": names.index.astype(str), "name": names.to_numpy()}),
                   codes=names.index)

    def find(self, query: object) -> str | None:
        """The code ``query`` names (a code, any case, or a name), or None."""
        q = str(query).strip()
        if q in self._exact:
            return q
        if q.upper() in self._upper:
            return self._upper[q.upper()]
        key = normalise_name(q)
        return self._by_key.get(key) or self._by_key.get(german_variant(q)) if key else None

    def resolve(self, query: object, *, where: str | None = None) -> str:
        """The code ``query`` names, or :class:`UnknownNameError` with the closest names."""
        code = self.find(query)
        if code is None:
            raise UnknownNameError(self.kind, str(query).strip(), self.valid_names, where=where)
        return code

    @property
    def valid_names(self) -> list[str]:
        """Codes, then names, as offered when a query is not found."""
        return list(self.codes) + list(dict.fromkeys(self.names["name"]))

    def search(self, query: object, limit: int | None = None) -> pd.DataFrame:
        """The codes whose code or one of whose names matches ``query``, best match first.

        Returns
        -------
        DataFrame
            ``code``, ``name`` (its best-matching name) and ``score``: 0 the code starts with the
            query, 1 a name starts with it, 2 a name contains it; ties ordered by code (score 0)
            or by name. One row per code; none when the query has no letter or digit.
        """
        return match_names(self.names, query, limit)


def match_names(names: pd.DataFrame, query: object, limit: int | None = None) -> pd.DataFrame:
    """Prefix and substring search of ``query`` in ``names`` (columns ``code``, ``name`` and an
    optional precomputed ``key``); see :meth:`NameIndex.search` for what it returns."""
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


def resolve_region(query: object, names: pd.DataFrame, codes=None, *, data_dir=None, where: str | None = None) -> str:
    """A region code among ``codes`` from a code or a name in any language.

    ``names`` (``code``, ``name``) are the names the caller knows (a panel's, a store's); a
    query they do not resolve is looked up in the NUTS tables of every version
    (:func:`smartspec.data.nuts.lookup_region`) and accepted when that code is among ``codes``.
    """
    index = NameIndex("region", names, codes)
    code = index.find(query)
    if code is not None:
        return code
    if normalise_name(query):
        from smartspec.data.nuts import lookup_region

        try:
            code = lookup_region(str(query), data_dir=data_dir)
        except UnknownNameError:
            code = None
        if code in index.codes:
            return code
    raise UnknownNameError("region", str(query).strip(), index.valid_names, where=where)
