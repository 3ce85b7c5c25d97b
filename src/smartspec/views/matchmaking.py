"""The words of matchmaking (EN/IT): the reasons of a ranked organisation and the table shown.

:func:`smartspec.match.matchmaking.match` returns the evidence as data; this module says it.
"""
from __future__ import annotations

import pandas as pd

from smartspec.match.profiles import programme_part_labels

_WORDS = {
    "terms": ("shares the terms {terms} with the challenge", "condivide con la sfida i termini {terms}"),
    "experience": ("Horizon 2020 experience: {parts}", "esperienza Horizon 2020: {parts}"),
    "projects": ("{n} projects in {part}", "{n} progetti in {part}"),
    "projects_1": ("1 project in {part}", "1 progetto in {part}"),
    "links": ("{n} projects already shared with organisations of {region}",
              "{n} progetti già condivisi con organizzazioni di {region}"),
    "links_1": ("1 project already shared with organisations of {region}",
                "1 progetto già condiviso con organizzazioni di {region}"),
    "no_links": ("no past project with organisations of {region} (a new link)",
                 "nessun progetto passato con organizzazioni di {region} (un legame nuovo)"),
    "complementarity": ("its region {nuts2} complements {region} (capability gain {gain:.3f})",
                        "la sua regione {nuts2} è complementare a {region} (guadagno di capacità {gain:.3f})"),
    "network": ("its region {nuts2} is a partner of {region} in the {network}",
                "la sua regione {nuts2} è partner di {region} nella rete {network}"),
    "erc": ("hosted {n} ERC grants", "ha ospitato {n} grant ERC"),
    "erc_1": ("hosted 1 ERC grant", "ha ospitato 1 grant ERC"),
}


def _counted(key: str, n: int) -> str:
    """``key``, or its singular form ``key_1`` when ``n`` is 1 ("1 project", "1 progetto")."""
    return f"{key}_1" if n == 1 else key


def reasons(row: pd.Series, lang: str = "en") -> list[str]:
    """The reasons of one row of :func:`~smartspec.match.matchmaking.match`, in words.

    Parameters
    ----------
    row : Series
        A row of the ranking (with ``attrs`` of the frame passed as ``row.attrs`` unused).
    lang : {"en", "it"}

    Returns
    -------
    list of str
        Shared terms, programme experience, ERC grants, links to the region's organisations and
        the partner region's basis, whichever apply (at least two for every ranked organisation:
        the shared terms and the links or their absence).
    """
    i = 1 if lang == "it" else 0
    out = []
    if len(row["shared_terms"]):
        out.append(_WORDS["terms"][i].format(terms=", ".join(f"'{t}'" for t in row["shared_terms"])))
    exp = row["programme_experience"]
    if exp:
        labels = programme_part_labels().set_index("code")["label_it" if lang == "it" else "label"]
        parts = "; ".join(_WORDS[_counted("projects", n)][i].format(n=n, part=labels.get(c, c))
                          for c, n in sorted(exp.items(), key=lambda kv: -kv[1]))
        out.append(_WORDS["experience"][i].format(parts=parts))
    if row.get("n_erc", 0):
        out.append(_WORDS[_counted("erc", int(row["n_erc"]))][i].format(n=int(row["n_erc"])))
    region = row.get("region")
    if region:
        key = _counted("links", int(row["links_to_region"])) if row["links_to_region"] else "no_links"
        out.append(_WORDS[key][i].format(n=int(row["links_to_region"]), region=region))
        basis = row.get("partner_basis")
        if isinstance(basis, str) and basis.startswith("network "):
            out.append(_WORDS["network"][i].format(nuts2=row["nuts2"], region=region, network=basis[len("network "):]))
        elif isinstance(basis, str) and basis == "complementarity":
            out.append(_WORDS["complementarity"][i].format(nuts2=row["nuts2"], region=region,
                                                           gain=float(row.get("partner_gain") or 0)))
    return out


def with_reasons(ranking: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``ranking`` plus a ``reasons`` column (list of sentences, see :func:`reasons`)."""
    region = ranking.attrs.get("region")
    rows = ranking.assign(region=region)
    out = ranking.copy()
    out["reasons"] = [reasons(r, lang) for _, r in rows.iterrows()]
    return out
