"""The sector of a firm: registry firms matched by name to the JRC-OECD top R&D investors.

The participations file has no project texts, so what a firm does must come from elsewhere.
The world's 2,000 top corporate R&D investors (EU Industrial R&D Investment Scoreboard,
JRC-OECD, ``firms/jrc_oecd_top_rd_investors_panel_2015_2018.csv``) carry a NACE Rev. 2 class
(4 digits) and a country. A registry firm (type ``firm``) takes the class of the investor whose
name it bears, in the same country:

* names are reduced by :func:`company_key` (case, accents, punctuation, legal forms such as
  ``S.p.A.``, ``GmbH``, ``Società per azioni``);
* **name**: the keys agree to at least :data:`MATCH_CUTOFF` (rapidfuzz ``ratio``, 0-100);
* **group**: the firm's key starts with the investor's whole key followed by more words
  (``LEONARDO - FINMECCANICA SPA``, ``PIRELLI TYRE SPA``): a company of the group, which
  takes the group's class.

The words of a class are its title (``labels/nace_r2_classes.csv``, official NACE Rev. 2
titles), the title of its division (``labels/nace_r2.csv``) and, for research-intensive
classes, a few themes in the English terms of the S3 glossary (3030 -> ``aerospace
aeronautics aircraft ...``), without which "manufacture of air and spacecraft" would never
meet a challenge about aerospace.

References
----------
Nindl, E. et al. (2019). The 2019 EU Industrial R&D Investment Scoreboard. Publications Office
of the European Union (JRC118983). Data: JRC-OECD COR&DIP database.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.match.registry import _path, read_table

RD_INVESTORS_FILE = Path("firms") / "jrc_oecd_top_rd_investors_panel_2015_2018.csv"
LABELS_DIR = Path(__file__).resolve().parents[1] / "labels"
CLASS_LABELS_FILE = LABELS_DIR / "nace_r2_classes.csv"
DIVISION_LABELS_FILE = LABELS_DIR / "nace_r2.csv"
#: Lowest rapidfuzz ``ratio`` (0-100) of two company keys taken as the same name.
MATCH_CUTOFF = 92.0
#: ISO 3166 codes of the scoreboard -> the country codes of CORDIS (EU style).
_EU_COUNTRY = {"GB": "UK", "GR": "EL"}
_GENERIC_TITLE_WORDS = re.compile(r"(?i)\b(manufacture|manufacturing|other|n\.e\.c\.|activities|products|related)\b")
_LEGAL_FORMS = re.compile(
    r"\b(SOCIETA PER AZIONI|SOCIETA A RESPONSABILITA LIMITATA|AKTIENGESELLSCHAFT|GESELLSCHAFT MIT BESCHRANKTER HAFTUNG|"
    r"PUBLIC LIMITED COMPANY|SOCIEDAD ANONIMA|SOCIETE ANONYME|SOCIETE PAR ACTIONS SIMPLIFIEE|"
    r"S P A|SPA|S R L|SRL|GMBH|MBH|AG|KGAA|KG|CO|SE|SA|SAS|SL|SLU|NV|BV|AB|ASA|AS|OY|OYJ|PLC|LTD|LIMITED|INC|CORP|"
    r"CORPORATION|COMPANY|HOLDING|HOLDINGS|GROUP|GRUPPO)\b")


def company_key(names: pd.Series) -> pd.Series:
    """Company names reduced for matching: :func:`~smartspec.match.profiles.name_key` without
    legal forms (``Leonardo S.p.A.`` -> ``LEONARDO``, ``ROBERT BOSCH GMBH`` -> ``ROBERT BOSCH``)."""
    from smartspec.match.profiles import name_key

    return name_key(names).str.replace(_LEGAL_FORMS, " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()


def load_rd_investors(data_dir=None) -> pd.DataFrame:
    """The top R&D investors, one row per company (its latest year in the panel).

    Returns
    -------
    DataFrame
        ``company_id, company, country`` (CORDIS style: UK, EL), ``nace`` (4-digit class as
        text, ``3030``), ``year``, ``rd`` (R&D investment, EUR million).
    """
    path = _path(data_dir, RD_INVESTORS_FILE)
    raw = read_table(path, ("company_id", "company_name", "ctry_code", "nace2", "year", "rd"))
    nace = pd.to_numeric(raw["nace2"], errors="coerce")
    latest = (raw.assign(_nace=nace, _year=pd.to_numeric(raw["year"], errors="coerce"))
              .dropna(subset=["_nace"]).sort_values("_year").drop_duplicates("company_id", keep="last"))
    return pd.DataFrame({
        "company_id": latest["company_id"].astype(str), "company": latest["company_name"].astype(str),
        "country": latest["ctry_code"].astype(str).replace(_EU_COUNTRY),
        "nace": latest["_nace"].astype(int).map(lambda c: f"{c:04d}"),
        "year": latest["_year"].astype("Int64"), "rd": pd.to_numeric(latest["rd"], errors="coerce")}).reset_index(drop=True)


def match_rd_investors(organisations: pd.DataFrame, investors: pd.DataFrame) -> pd.DataFrame:
    """The top R&D investor of each registry firm that bears its name in the same country.

    Parameters
    ----------
    organisations : DataFrame
        The registry's organisations (``org_id, name, type, country``); only firms are matched.
    investors : DataFrame
        :func:`load_rd_investors`.

    Returns
    -------
    DataFrame
        ``org_id, company_id, company, nace, method`` (``name`` or ``group``), ``similarity``
        (rapidfuzz ratio, 100 for a group match): one row per matched firm (the most similar
        investor when several qualify).
    """
    from rapidfuzz import fuzz, process

    firms = organisations.loc[organisations["type"] == "firm", ["org_id", "name", "country"]]
    firms = firms.assign(_key=company_key(firms["name"])).query("_key != ''")
    inv = investors.assign(_key=company_key(investors["company"])).query("_key != ''")
    found = []
    for country, here in inv.groupby("country"):
        there = firms[firms["country"] == country]
        if there.empty:
            continue
        sim = process.cdist(here["_key"].tolist(), there["_key"].tolist(), scorer=fuzz.ratio, workers=1)
        i, j = np.nonzero(sim >= MATCH_CUTOFF)
        found.append(pd.DataFrame({"org_id": there["org_id"].to_numpy()[j], "company_id": here["company_id"].to_numpy()[i],
                                   "method": "name", "similarity": sim[i, j].astype(float)}))
        # a company of the group: the firm's name is the investor's whole name and more words
        keys = there["_key"].to_numpy().astype(str)
        for cid, key in zip(here["company_id"], here["_key"]):
            if len(key) >= 4:
                hit = np.char.startswith(keys, key + " ")
                found.append(pd.DataFrame({"org_id": there["org_id"].to_numpy()[hit], "company_id": cid,
                                           "method": "group", "similarity": 100.0}))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["org_id", "company_id", "method", "similarity"])
    # a firm matched both ways or to two investors keeps its closest name (name before group)
    out = (out.assign(_by_name=out["method"] == "name").sort_values(["org_id", "_by_name", "similarity"], ascending=False)
           .drop_duplicates("org_id").drop(columns="_by_name"))
    out = out.merge(investors[["company_id", "company", "nace"]], on="company_id", how="left")
    return out[["org_id", "company_id", "company", "nace", "method", "similarity"]].reset_index(drop=True)


def _divisions() -> pd.DataFrame:
    """The NACE divisions of ``labels/nace_r2.csv`` (``code`` as ``C30``, ``name``), indexed by
    their two digits (``30``), the first two of a class code."""
    divisions = pd.read_csv(DIVISION_LABELS_FILE, dtype=str)
    divisions = divisions[divisions["level"] == "division"]
    return divisions.set_index(divisions["code"].str[1:3])


def class_labels() -> pd.DataFrame:
    """Title, division title and themes of each NACE class of the scoreboard
    (``code, name, division, themes``; ``code`` as ``3030``)."""
    classes = pd.read_csv(CLASS_LABELS_FILE, dtype=str).fillna("")
    return classes.assign(division=classes["code"].str[:2].map(_divisions()["name"]).fillna(""))


def sector_documents(matches: pd.DataFrame, org_ids: pd.Series) -> pd.Series:
    """The words of each firm's sector (class title, division title, themes; empty when unmatched),
    aligned with ``org_ids``."""
    labels = class_labels().set_index("code")
    words = labels["name"] + ". " + labels["division"] + ". " + labels["themes"]
    by_org = matches.set_index("org_id")["nace"].map(words)
    return pd.Series(org_ids.map(by_org).fillna("").to_numpy(), index=org_ids.index)


def coverage(matches: pd.DataFrame, investors: pd.DataFrame, organisations: pd.DataFrame) -> dict:
    """How many investors of the registry's countries found a firm, and how many firms got a sector."""
    countries = set(organisations["country"].dropna())
    near = investors[investors["country"].isin(countries)]
    return {"investors": int(len(investors)), "investors_in_registry_countries": int(len(near)),
            "investors_matched": int(matches["company_id"].nunique()),
            "firms_with_sector": int(len(matches)), "by_name": int((matches["method"] == "name").sum()),
            "by_group": int((matches["method"] == "group").sum())}


def activity_documents() -> pd.Series:
    """The words of the NACE activities, indexed by division (``C30``): one text per division
    (its title) and one per class of the scoreboard (title and themes), so that a challenge
    about aerospace meets class 30.30 without the ships and trains of the rest of C30."""
    divisions = _divisions()
    section = divisions["code"]
    classes = class_labels()
    own = pd.Series((classes["name"] + " " + classes["themes"]).to_numpy(),
                    index=classes["code"].str[:2].map(section).to_numpy())
    docs = pd.concat([divisions.set_index("code")["name"], own[own.index.notna()]])
    # the words every title uses say nothing of what is made: "Other manufacturing" must not
    # answer every challenge about manufacturing
    return docs.str.replace(_GENERIC_TITLE_WORDS, " ", regex=True)
