"""The words of matchmaking (EN/IT): the reasons of a ranked organisation and the table shown.

:func:`smartspec.match.matchmaking.match` returns the evidence as data; this module says it.
"""
from __future__ import annotations

import pandas as pd

from smartspec.match.profiles import programme_part_labels

_WORDS = {
    "name": ("its name: {terms}", "il suo nome: {terms}"),
    "sector": ("sector: {sector} (JRC R&D investors: {company}){terms}",
               "settore: {sector} (JRC R&D investors: {company}){terms}"),
    "group": ("{company} group", "gruppo {company}"),
    "sector_terms": ("; shares {terms}", "; in comune {terms}"),
    "erc": ("ERC grants: {n} hosted, on {terms}", "grant ERC: {n} ospitati, su {terms}"),
    "erc_1": ("ERC grants: 1 hosted, on {terms}", "grant ERC: 1 ospitato, su {terms}"),
    "programme": ("programme: {parts} (a programme-level match: what these parts fund, not its own projects)",
                  "programma: {parts} (corrispondenza a livello di programma: ciò che queste parti finanziano, "
                  "non i suoi progetti)"),
    "projects": ("{part}, {n} projects", "{part}, {n} progetti"),
    "projects_1": ("{part}, 1 project", "{part}, 1 progetto"),
    "no_specific": ("no specific evidence of this competence (name, sector, ERC grants): a programme-level match only",
                    "nessuna prova specifica di questa competenza (nome, settore, grant ERC): solo una "
                    "corrispondenza a livello di programma"),
    "links": ("{n} projects already shared with organisations of {region}",
              "{n} progetti già condivisi con organizzazioni di {region}"),
    "links_1": ("1 project already shared with organisations of {region}",
                "1 progetto già condiviso con organizzazioni di {region}"),
    "no_links": ("no past project with organisations of {region} (a new link)",
                 "nessun progetto passato con organizzazioni di {region} (un legame nuovo)"),
    "complementarity": ("its region {nuts2} complements {region}{activities} (capability gain {gain:.3f})",
                        "la sua regione {nuts2} è complementare a {region}{activities} (guadagno di capacità {gain:.3f})"),
    "activities": (" in {codes}", " in {codes}"),
    "network": ("its region {nuts2} is a partner of {region} in the {network}",
                "la sua regione {nuts2} è partner di {region} nella rete {network}"),
}


def _counted(key: str, n: int) -> str:
    """``key``, or its singular form ``key_1`` when ``n`` is 1 ("1 project", "1 progetto")."""
    return f"{key}_1" if n == 1 else key


def _quoted(terms) -> str:
    return ", ".join(f"'{t}'" for t in terms)


def _present(value) -> bool:
    return isinstance(value, str) and value != ""


def reasons(row: pd.Series, lang: str = "en") -> list[str]:
    """The reasons of one row of :func:`~smartspec.match.matchmaking.match`, in words.

    Each reason names where its evidence comes from: the organisation's name, its sector (the
    NACE class of the top R&D investor it was matched to), the ERC grants it hosted -- the
    specific evidence -- and the programme parts whose themes share terms with the challenge,
    which is said to be a programme-level match only.

    Parameters
    ----------
    row : Series
        A row of the ranking plus ``region`` (the region of the query, or None).
    lang : {"en", "it"}

    Returns
    -------
    list of str
        The specific evidence, the programme experience (or that there is no specific
        evidence), the links to the region's organisations and the partner region's basis,
        whichever apply.
    """
    i = 1 if lang == "it" else 0
    out = []
    if len(row.get("name_terms", [])):
        out.append(_WORDS["name"][i].format(terms=_quoted(row["name_terms"])))
    if _present(row.get("sector")) and len(row.get("sector_terms", [])):
        company = (_WORDS["group"][i].format(company=row["rd_investor"]) if row.get("sector_method") == "group"
                   else row["rd_investor"])
        terms = _WORDS["sector_terms"][i].format(terms=_quoted(row["sector_terms"]))
        out.append(_WORDS["sector"][i].format(sector=row["sector"][0].lower() + row["sector"][1:], company=company,
                                              terms=terms))
    if row.get("n_erc", 0) and len(row.get("erc_terms", [])):
        out.append(_WORDS[_counted("erc", int(row["n_erc"]))][i].format(n=int(row["n_erc"]), terms=_quoted(row["erc_terms"])))
    exp = row["programme_experience"]
    if exp:
        labels = programme_part_labels().set_index("code")["label_it" if lang == "it" else "label"]
        parts = "; ".join(_WORDS[_counted("projects", n)][i].format(n=n, part=f"{labels.get(c, c)} ({c})")
                          for c, n in sorted(exp.items(), key=lambda kv: -kv[1]))
        out.append(_WORDS["programme"][i].format(parts=parts))
    if row.get("evidence") == "programme only":
        out.append(_WORDS["no_specific"][i])
    region = row.get("region")
    if region:
        key = _counted("links", int(row["links_to_region"])) if row["links_to_region"] else "no_links"
        out.append(_WORDS[key][i].format(n=int(row["links_to_region"]), region=region))
        basis = row.get("partner_basis")
        if isinstance(basis, str) and basis.startswith("network "):
            out.append(_WORDS["network"][i].format(nuts2=row["nuts2"], region=region, network=basis[len("network "):]))
        elif isinstance(basis, str) and basis == "complementarity":
            codes = row.get("partner_activities")
            activities = _WORDS["activities"][i].format(codes=", ".join(codes)) if isinstance(codes, (list, tuple)) and codes else ""
            out.append(_WORDS["complementarity"][i].format(nuts2=row["nuts2"], region=region, activities=activities,
                                                           gain=float(row.get("partner_gain") or 0)))
    return out


def with_reasons(ranking: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``ranking`` plus a ``reasons`` column (list of sentences, see :func:`reasons`)."""
    region = ranking.attrs.get("region")
    rows = ranking.assign(region=region)
    out = ranking.copy()
    out["reasons"] = [reasons(r, lang) for _, r in rows.iterrows()]
    return out
