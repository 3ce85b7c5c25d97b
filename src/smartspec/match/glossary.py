"""The Italian -> English glossary of S3 terms (``labels/s3_glossary_it_en.csv``).

It turns an Italian challenge into the English of the profiles (:func:`translate_italian`) and
adds the English of the Italian (and, where the words are the same, Spanish or Catalan) terms
of an organisation's name to its name document (:func:`english_terms`): "Fundació Centre de
Regulació Genòmica" then says "genomics".
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "labels" / "s3_glossary_it_en.csv"


def read_glossary() -> pd.DataFrame:
    """The Italian -> English glossary of S3 terms (``it, en``), longest Italian terms first."""
    g = pd.read_csv(GLOSSARY_FILE, dtype=str).dropna()
    g["it"] = g["it"].str.strip().str.lower()
    return g.assign(_n=g["it"].str.len()).sort_values("_n", ascending=False).drop(columns="_n")


@lru_cache(maxsize=1)
def _pairs() -> tuple[tuple[str, str], ...]:
    # read once per process: every Italian challenge is translated with it
    return tuple(read_glossary()[["it", "en"]].itertuples(index=False, name=None))


def translate_italian(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace the glossary's Italian terms in ``text`` by their English terms.

    Longer terms are replaced first (``manifattura additiva`` before ``manifattura``); words
    not in the glossary are kept (names, acronyms, English words).

    Returns
    -------
    (str, list of (it, en))
        The translated text and the pairs used.
    """
    out = f" {text.lower()} "
    used = []
    for it, en in _pairs():
        pattern = rf"(?<![\w]){re.escape(it)}(?![\w])"
        if re.search(pattern, out):
            out = re.sub(pattern, f" {en} ", out)
            used.append((it, en))
    return re.sub(r"\s+", " ", out).strip(), used


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict]:
    from smartspec.match.profiles import name_key

    it, en = zip(*_pairs())
    folded = name_key(pd.Series(it)).str.lower()
    english = dict(zip(folded, en))
    terms = sorted(english, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)"), english


def english_terms(texts: pd.Series) -> pd.Series:
    """The English glossary terms of the Italian terms found in each text (accents folded,
    longest terms first), joined by spaces; empty where none is found."""
    from smartspec.match.profiles import name_key

    pattern, english = _pattern()
    folded = name_key(texts).str.lower()
    return folded.str.findall(pattern).map(lambda found: " ".join(english[t] for t in found))
