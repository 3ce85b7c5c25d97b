"""Sentences about partner regions and networks, in English and Italian.

:func:`smartspec.strategy.partners.complementary_partners` returns codes and figures
(``brings_codes``, ``brings_persons``, ``brings_share``, ``gain`` ...) and
:func:`smartspec.strategy.partners.network_benchmark` the facts behind its note
(``attrs``: ``aggregated``, ``approximated``, ``absent``, ``hidden_cells`` ...); the words are
chosen here, as :mod:`smartspec.views.text` does for opportunities.
"""
from __future__ import annotations

import math
from typing import Mapping

from smartspec.views.text import NameOf, _split, group_name, number

#: How two listed items are separated in a ``brings`` cell (the CLI shortens each item).
SEP = " | "


def _percent(share: float, lang: str = "en") -> str:
    """``35%`` in both languages (a whole percentage has no decimal separator)."""
    return f"{float(share):.0%}"


def brings(codes, persons, shares, name_of: NameOf, lang: str = "en") -> str:
    """``C28 Manufacture of machinery n.e.c. (10,999 persons, 50%) | ...`` from the parallel
    lists ``brings_codes``, ``brings_persons`` and ``brings_share`` of one partner."""
    word = "persone" if lang == "it" else "persons"
    return SEP.join(f"{c} {name_of(c)} ({number(float(n), 0, lang)} {word}, {_percent(s, lang)})"
                    for c, n, s in zip(_split(codes), _split(persons), _split(shares)))


def coded_names(codes, name_of: NameOf) -> str:
    """``C28 Manufacture of ... | C29 ...`` from ``"; "``-joined codes (``brings_in_ecosystem_codes``)."""
    return SEP.join(f"{c} {name_of(c)}" for c in _split(codes))


def target_label(attrs: Mapping, name_of: NameOf, lang: str = "en", profile: str | None = None) -> str:
    """The target of a partner table: ``C30 Manufacture of other transport equipment`` or an S3
    ecosystem's name, in ``lang``."""
    if attrs.get("target_kind") == "activity" and attrs.get("target_code"):
        return f"{attrs['target_code']} {name_of(attrs['target_code'])}"
    return group_name(str(attrs.get("target", "")), lang, profile)


def partner_reason(row: Mapping, *, region: str, label: str, kind: str, density_alone: float, brought: str,
                   lang: str = "en") -> str:
    """Why a region is a complementary partner, from one row of
    :func:`smartspec.strategy.partners.complementary_partners`.

    Parameters
    ----------
    row : mapping
        Uses ``name, region, density_with, gain, n_brings, partner_rca, target_persons,
        partner_specialised, similarity, overlap, holds``.
    region : str
        Code of the region the partners are for (``ITC4``).
    label : str
        The target in ``lang`` (:func:`target_label`).
    kind : {"activity", "ecosystem"}
        What the target is.
    density_alone : float
        The region's relatedness density in the target without a partner.
    brought : str
        What the partner brings most, in ``lang`` (:func:`brings`); empty when nothing.
    """
    it = lang == "it"

    def n(v, digits=0):
        return number(float(v), digits, lang)

    rca = float(row["partner_rca"])
    if kind != "activity":
        own = (f"è specializzata nel {_percent(row['partner_specialised'], lang)} delle attività dell'ecosistema"
               if it else f"it is specialised in {_percent(row['partner_specialised'], lang)} of the ecosystem's "
                          f"activities")
    elif math.isnan(rca):
        own = f"il suo dato per {label} è riservato" if it else f"its own figure for {label} is confidential"
    else:
        own = (f"la sua RCA in {label} è {n(rca, 2)} ({n(row['target_persons'])} persone occupate)" if it else
               f"its own RCA in {label} is {n(rca, 2)} ({n(row['target_persons'])} persons employed)")
    if it:
        brought = brought or f"nulla di correlato che manchi a {region}"
        return (f"{row['name']} ({row['region']}) alza la densità di correlazione di {region} in {label} da "
                f"{n(density_alone, 2)} a {n(row['density_with'], 2)} (+{n(row['gain'], 3)}) con "
                f"{int(row['n_brings'])} specializzazioni che mancano a {region}; {own}; somiglianza delle due "
                f"strutture {n(row['similarity'], 2)} (sovrapposizione delle specializzazioni "
                f"{_percent(row['overlap'], lang)}). Occupa {n(row['holds'])} persone in ciò che apporta. "
                f"Apporta soprattutto: {brought}.")
    brought = brought or f"nothing related that {region} lacks"
    return (f"{row['name']} ({row['region']}) raises {region}'s relatedness density in {label} from "
            f"{n(density_alone, 2)} to {n(row['density_with'], 2)} (+{n(row['gain'], 3)}) with {int(row['n_brings'])} "
            f"specialisations {region} lacks; {own}; similarity of the two structures {n(row['similarity'], 2)} "
            f"(overlap of specialisations {_percent(row['overlap'], lang)}). It holds {n(row['holds'])} persons "
            f"employed in what it brings. Brings most: {brought}.")


def with_partner_texts(table, name_of: NameOf, lang: str = "en", profile: str | None = None):
    """``table`` (:func:`smartspec.strategy.partners.complementary_partners`, with its ``attrs``)
    with ``brings``, ``brings_in_ecosystem`` (ecosystem targets) and ``reason`` added in ``lang``."""
    meta = table.attrs
    label = target_label(meta, name_of, lang, profile)
    rows = table.to_dict(orient="records")
    said = [brings(r["brings_codes"], r["brings_persons"], r["brings_share"], name_of, lang) for r in rows]
    out = table.assign(brings=said)
    if "brings_in_ecosystem_codes" in table:
        out["brings_in_ecosystem"] = [coded_names(c, name_of) for c in table["brings_in_ecosystem_codes"]]
    out["reason"] = [partner_reason(r, region=meta["region"], label=label, kind=meta["target_kind"],
                                    density_alone=meta["density_alone"], brought=b, lang=lang)
                     for r, b in zip(rows, said)]
    out.attrs = dict(meta)
    return out


def floors(min_persons: float, min_eu_share: float, lang: str = "en") -> str:
    """The mass floors (:func:`smartspec.strategy.mass.mass_mask`) in words, for the outputs that must state them."""
    if lang == "it":
        return (f"una cella conta solo con almeno {number(min_persons, 0, lang)} persone occupate e "
                f"{number(100 * min_eu_share, 1, lang)}% del totale dell'attività nelle regioni del panel")
    return (f"a cell counts only with at least {min_persons:,.0f} persons employed and "
            f"{min_eu_share:.1%} of the activity's total over the panel's regions")


#: What members bring, by the scope of :func:`smartspec.data.scope.traded_mask`.
SCOPE_WORDS = {"traded": "esposte al commercio", "all": "di ogni tipo"}


def network_note(facts: Mapping, lang: str = "en") -> str:
    """How a network's members are measured, from the ``attrs`` of
    :func:`smartspec.strategy.partners.network_benchmark`'s member table (or a row of the
    store's ``compare`` table): ``aggregated, approximated, absent, hidden_cells, scope,
    min_persons, min_eu_share``; lists as lists or ``"; "``-joined."""
    it = lang == "it"
    aggregated, approximated, absent, cells = (_split(facts.get(k)) for k in
                                               ("aggregated", "approximated", "absent", "hidden_cells"))
    parts = []
    if aggregated:
        parts.append(f"I membri definiti al livello NUTS 1 ({', '.join(aggregated)}) sono la somma delle loro regioni "
                     f"NUTS 2, che sostituiscono nel panel prima del calcolo di RCA, prossimità, diversità ed ECI."
                     if it else
                     f"Members defined at NUTS 1 ({', '.join(aggregated)}) are the sums of their NUTS 2 regions, which "
                     f"they replace in the panel before RCA, proximity, diversity and ECI are computed.")
    if approximated:
        parts.append(f"I membri definiti al livello NUTS 3 ({', '.join(approximated)}) sono misurati dalla regione "
                     f"NUTS 2 che li contiene." if it else
                     f"Members defined at NUTS 3 ({', '.join(approximated)}) are measured by the NUTS 2 region "
                     f"containing them.")
    if absent:
        parts.append(f"Nessun dato per {', '.join(absent)}." if it else f"No data for {', '.join(absent)}.")
    if cells:
        parts.append(f"{len(cells)} celle sono riservate o mancanti ({', '.join(cells)}): non hanno RCA, non contano "
                     f"nelle quote degli ecosistemi (calcolate sulle attività note) e non apportano nulla." if it else
                     f"{len(cells)} cells are confidential or missing ({', '.join(cells)}): they have no RCA, are not "
                     f"counted in the ecosystem shares (computed over the known activities) and bring nothing.")
    scope = str(facts.get("scope", "traded"))
    floor = floors(float(facts["min_persons"]), float(facts["min_eu_share"]), lang)
    parts.append(f"I membri apportano solo attività {SCOPE_WORDS.get(scope, scope)}; {floor}." if it else
                 f"Members bring {scope} activities only; {floor}.")
    return " ".join(parts)


def best_target_reasons(details, name_of: NameOf, lang: str = "en", profile: str | None = None,
                        region_name: NameOf | None = None) -> dict[str, str]:
    """For each partner of one region, why it is one, for the target it raises most.

    Parameters
    ----------
    details : DataFrame
        The store's ``partner_details`` rows of one region (``region, target_kind, target,
        partner, partner_name, gain, density_alone`` and the columns of
        :func:`smartspec.strategy.partners.complementary_partners`).
    region_name : callable, optional
        ``region_name(code)``: the partner's name as the pages show it (default: the table's).

    Returns
    -------
    dict
        ``{partner code: reason in lang}``.
    """
    if details is None or not len(details):
        return {}
    best = details.sort_values("gain", ascending=False, kind="stable").drop_duplicates("partner")
    out = {}
    for r in best.to_dict(orient="records"):
        kind = str(r["target_kind"])
        label = (target_label({"target_kind": kind, "target_code": r["target"]}, name_of, lang) if kind == "activity"
                 else group_name(str(r["target"]), lang, profile))
        row = dict(r, name=region_name(r["partner"]) if region_name else r["partner_name"], region=r["partner"])
        out[r["partner"]] = partner_reason(
            row, region=r["region"], label=label, kind=kind, density_alone=float(r["density_alone"]),
            brought=brings(r["brings_codes"], r["brings_persons"], r["brings_share"], name_of, lang), lang=lang)
    return out
