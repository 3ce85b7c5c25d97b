"""Sentences shown to users, built from the structured columns the strategy returns.

One function per kind of sentence, each with its English and Italian template, used by the
web pages, the report and the command line, so all three say the same. ``strategy`` returns
codes, values and categories (``supporting_codes``, ``quadrant``, ``status`` ...); the words
are chosen here. Single words and column headers are in :mod:`smartspec.views.i18n`.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Callable, Mapping

from smartspec.data.labels import activity_name
from smartspec.views.i18n import translator

#: ``name_of(code)`` -> the activity's name in the language wanted.
NameOf = Callable[[str], str]

#: Advice of each quadrant of Balland et al. (2019), keyed by the quadrant's name in the strategy.
ADVICE = {
    "high relatedness, high complexity": (
        "best bet: builds on existing strengths and adds complex capabilities",
        "scommessa migliore: si basa sui punti di forza esistenti e aggiunge capacità complesse"),
    "low relatedness, high complexity": (
        "ambitious: complex but few related strengths, needs a leap",
        "ambiziosa: complessa ma con pochi punti di forza correlati, serve un salto"),
    "high relatedness, low complexity": (
        "safe but limited: easy to reach, adds little complexity",
        "sicura ma limitata: facile da raggiungere, aggiunge poca complessità"),
    "low relatedness, low complexity": (
        "least attractive: neither related nor complex",
        "meno attraente: né correlata né complessa"),
}
QUADRANT_WORDS = {
    "high relatedness, high complexity": "alta correlazione, alta complessità",
    "low relatedness, high complexity": "bassa correlazione, alta complessità",
    "high relatedness, low complexity": "alta correlazione, bassa complessità",
    "low relatedness, low complexity": "bassa correlazione, bassa complessità",
}
PREDICTOR_WORDS = {
    "model": ("entry model trained on past entries", "modello di ingresso addestrato sugli ingressi passati"),
    "logistic": ("logistic model on density and RCA", "modello logistico su densità e RCA"),
    "rca": ("from the RCA level", "dal livello di RCA"),
    "density": ("from relatedness density", "dalla densità di correlazione"),
}
#: The status of a step of a transition path (strategy.paths), in words.
STATUS_WORDS = {"strength": "punto di forza", "reachable": "raggiungibile", "hard to reach": "difficile da raggiungere",
                "no data": "nessun dato"}
#: Labels strategy.paths.default_groups gives a region without its own profile.
DERIVED_GROUPS = (("largest specialisations of ", "principali specializzazioni di "),
                  ("best-ranked opportunities of ", "migliori opportunità di "))


def _i(lang: str) -> int:
    return 1 if lang == "it" else 0


def _finite(v) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _split(v) -> list[str]:
    """Codes or numbers stored as one ``"; "``-joined string (or a list) -> a list of strings."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return []
    if isinstance(v, (list, tuple)):
        return [str(x) for x in v]
    return [s for s in str(v).split("; ") if s]


def number(v: float, digits: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``12,345.6`` in English, ``12.345,6`` in Italian."""
    s = f"{v:{'+' if sign else ''},.{digits}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "it" else s


# --- names -------------------------------------------------------------------------------------

def names_in(store, lang: str) -> NameOf:
    """``name_of(code)``: an activity's name in ``lang`` (ATECO 2007 in Italian, the store's otherwise)."""
    return lambda code: activity_name(code, lang, store.activity_name(code))


@lru_cache(maxsize=8)
def _group_names(profile: str) -> Mapping[str, str]:
    from smartspec.errors import SmartspecError
    from smartspec.strategy.profiles import load_profile

    try:
        prof = load_profile(profile)
    except (SmartspecError, OSError):
        return {}
    return {g.name: g.name_it for g in prof.groups() if g.name_it}


def group_name(name: str, lang: str, profile: str | None) -> str:
    """An S3 ecosystem, specialisation area or industry of ``profile`` in ``lang`` (its ``name_it``);
    the derived groups of a region without a profile are translated too."""
    if lang != "it" or not name:
        return name
    for en, it in DERIVED_GROUPS:
        if name.startswith(en):
            return it + name[len(en):]
    return _group_names(str(profile)).get(name, name) if profile else name


def group_list(text: str, lang: str, profile: str | None, sep: str = "; ") -> str:
    """A ``sep``-joined list of group names (``"Nutrition; Sustainability"``) in ``lang``;
    items carrying a count (``"Nutrition (3)"``) keep it."""
    if lang != "it" or not text:
        return text
    out = []
    for item in str(text).split(sep):
        head, paren, tail = item.partition(" (")
        out.append(group_name(head, lang, profile) + (paren + tail if paren else ""))
    return sep.join(out)


def coded_list(text: str, known, name_of: NameOf, sep: str = " | ") -> str:
    """``"C21 Manufacture of ... (3.2) | C22 ..."`` (code, name, figure) with each name of a
    ``known`` code in ``name_of``'s language; other items are kept as they are."""
    out = []
    for item in str(text).split(sep):
        hit = re.fullmatch(r"(\S+) (.*) \(([^()]*)\)", item)
        out.append(f"{hit[1]} {name_of(hit[1])} ({hit[3]})" if hit and hit[1] in known else item)
    return sep.join(out)


# --- opportunities -----------------------------------------------------------------------------

def quadrant_words(quadrant: str, lang: str) -> str:
    return QUADRANT_WORDS.get(quadrant, quadrant) if lang == "it" else quadrant


def advice(quadrant: str, lang: str = "en") -> str:
    """What a quadrant means for policy (empty for an unknown quadrant)."""
    pair = ADVICE.get(quadrant)
    return pair[_i(lang)] if pair else ""


def supporting(codes, proximities, name_of: NameOf, lang: str = "en", sep: str = " | ") -> str:
    """``C28 Manufacture of machinery n.e.c. (proximity 0.52) | ...`` from the parallel lists of
    ``supporting_codes`` and ``supporting_proximity``."""
    word = translator(lang)("proximity").lower()
    return sep.join(f"{c} {name_of(c)} ({word} {number(float(w), 2, lang)})"
                    for c, w in zip(_split(codes), _split(proximities)))


def opportunity_reason(row: Mapping, *, year: int, region_name: str, value_name: str, name_of: NameOf,
                       lang: str = "en", profile: str | None = None) -> str:
    """Why an activity is an opportunity, in words, from one row of
    :func:`smartspec.strategy.diversification.opportunities` (or of the store's table).

    Uses ``activity, quadrant, n_supporting, supporting_codes, supporting_proximity, density,
    density_percentile, pci, rca, value, growth, growth_from, probability, predictor, ecosystems``.
    """
    it = lang == "it"
    t = translator(lang)
    q = str(row.get("quadrant_label") or row["quadrant"])
    act = row["activity"]
    n_sup = int(row.get("n_supporting") or 0)
    sup = supporting(row.get("supporting_codes"), row.get("supporting_proximity"), name_of, lang)
    dens, pct, pci, rca = (float(row[k]) for k in ("density", "density_percentile", "pci", "rca"))
    parts = [f"{act} {name_of(act)}: {quadrant_words(q, lang)} ({advice(q, lang)})."]
    if n_sup:
        parts.append(f"Si basa su {n_sup} punti di forza correlati di {region_name}: {sup}." if it else
                     f"Builds on {n_sup} related strengths of {region_name}: {sup}.")
    else:
        parts.append(f"Nessuna specializzazione di {region_name} è correlata." if it else
                     f"No specialisation of {region_name} is related to it.")
    if it:
        level = "più complessa dell'attività media" if pci >= 0 else "meno complessa dell'attività media"
        parts.append(f"Densità di correlazione {number(dens, 2, lang)} (la quota, pesata per la prossimità, delle "
                     f"attività correlate in cui {region_name} è specializzata; più alta che per il "
                     f"{100 * pct:.0f}% delle sue opzioni); complessità (PCI) {number(pci, 2, lang, True)} ({level}); "
                     f"RCA {number(rca, 2, lang)} nel {year} (specializzata da 1).")
    else:
        level = "more complex than the average activity" if pci >= 0 else "less complex than the average activity"
        parts.append(f"Relatedness density {dens:.2f} (the proximity-weighted share of related activities in "
                     f"which {region_name} is specialised; higher than for {100 * pct:.0f}% of its options); "
                     f"complexity (PCI) {pci:+.2f} ({level}); RCA {rca:.2f} in {year} (specialised from 1).")
    value, growth, since = row.get("value"), row.get("growth"), row.get("growth_from")
    if _finite(value) and float(value) > 0:
        unit = t(f"val_{value_name}")
        unit = value_name if unit == f"val_{value_name}" else unit
        size = f"{'Dimensione' if it else 'Size'}: {number(float(value), 0, lang)} {unit}"
        if _finite(growth) and _finite(since) and int(since) != int(year):
            size += f", {number(100 * float(growth), 0, lang, True)}% {'dal' if it else 'since'} {int(since)}"
        parts.append(size + ".")
    prob = row.get("probability")
    if _finite(prob):
        pred = str(row.get("predictor") or "")
        words = PREDICTOR_WORDS.get(pred, (pred, pred))[_i(lang)]
        parts.append(f"Probabilità stimata di specializzarsi nei prossimi anni: {number(100 * float(prob), 1, lang)}% "
                     f"({words})." if it else
                     f"Estimated probability of specialising in the next years: {100 * float(prob):.1f}% ({words}).")
    eco = row.get("ecosystems")
    if eco:
        parts.append(f"{'Ecosistema S3' if it else 'S3 ecosystem'}: {group_list(str(eco), lang, profile, ', ')}.")
    return " ".join(parts)


# --- the backtest's verdict ----------------------------------------------------------------------

#: The predictors of :data:`smartspec.strategy.forecast.model.LABELS`, in Italian.
PREDICTOR_LABELS_IT = {"model": "modello di ingresso (gradient boosting)", "logistic": "logistico (densità + RCA)",
                       "rca": "livello di RCA", "density": "densità di correlazione", "random": "casuale"}


def backtest_verdict(facts: Mapping, lang: str = "en") -> str:
    """Which predictor the opportunity scores show and why, from
    :func:`smartspec.strategy.forecast.backtest.verdict_facts` (empty facts: no sentence)."""
    from smartspec.strategy.forecast.model import LABELS

    if not facts:
        return ""
    it = lang == "it"
    label = (lambda k: PREDICTOR_LABELS_IT.get(k, k)) if it else (lambda k: LABELS.get(k, k))
    winner, strongest = str(facts["winner"]), str(facts["strongest_baseline"])
    ap = lambda v: number(float(v), 3, lang)  # noqa: E731
    if "validation_ap_model" not in facts:
        said = ("Nessuna transizione di validazione su cui scegliere un predittore: si mostra la densità di "
                "correlazione (lo standard della letteratura)." if it else
                "No validation transition to choose a predictor on: relatedness density (the field's standard) "
                "is shown.")
    else:
        model_ap, best_ap = ap(facts["validation_ap_model"]), ap(facts[f"validation_ap_{strongest}"])
        if winner == "model":
            said = (f"Il modello di ingresso batte il riferimento più forte ({label(strongest)}) sulla transizione di "
                    f"validazione (precisione media {model_ap} contro {best_ap}); i punteggi delle opportunità sono "
                    f"le sue probabilità." if it else
                    f"The entry model beats the strongest baseline ({label(strongest)}) on the validation transition "
                    f"(average precision {model_ap} vs {best_ap}); opportunity scores are its probabilities.")
        else:
            said = (f"Il modello di ingresso NON batte il riferimento più forte ({label(strongest)}) sulla "
                    f"transizione di validazione (precisione media {model_ap} contro {best_ap}); i punteggi delle "
                    f"opportunità mostrano invece {label(strongest)}." if it else
                    f"The entry model does NOT beat the strongest baseline ({label(strongest)}) on the validation "
                    f"transition (average precision {model_ap} vs {best_ap}); opportunity scores show "
                    f"{label(strongest)} instead.")
    test = (f" Sul periodo di test escluso {facts['test']}: " if it else
            f" On the held-out test period {facts['test']}: ") + f"{label(winner)} {ap(facts['test_ap_winner'])}"
    test += f", {label(strongest)} {ap(facts['test_ap_strongest'])}." if strongest != winner else "."
    return said + test


# --- transition paths --------------------------------------------------------------------------

def step_words(step: Mapping, year: int, lang: str = "en") -> str:
    """Where the region stands on one step of a path: ``RCA 1.20, strength`` / ``density 0.31, RCA 0.40, reachable``."""
    st = str(step["status"])
    it = lang == "it"
    word = STATUS_WORDS.get(st, st) if it else st
    dens, rca = ("densità" if it else "density"), "RCA"
    if st == "strength":
        return f"{rca} {number(float(step['rca']), 2, lang)}, {word}"
    if st == "no data":
        return f"{dens} {number(float(step['density']), 2, lang)}, {'nessun dato nel' if it else 'no data in'} {year}"
    return f"{dens} {number(float(step['density']), 2, lang)}, {rca} {number(float(step['rca']), 2, lang)}, {word}"


def path_route(steps, year: int, name_of: NameOf, target_label: str, lang: str = "en") -> str:
    """One path's route in words from its rows of :func:`smartspec.strategy.paths.transition_paths`
    (``activity, status, rca, density``, in step order); the target carries its group."""
    rows = list(steps.to_dict(orient="records")) if hasattr(steps, "to_dict") else list(steps)
    words = [f"{r['activity']} {name_of(r['activity'])} ({step_words(r, year, lang)})"
             + (f" [{target_label}]" if k == len(rows) - 1 else "") for k, r in enumerate(rows)]
    return " -> ".join(words)


def weakest_step(steps, step: int, name_of: NameOf, lang: str = "en") -> str:
    """The hardest move of a path in words, from its rows of
    :func:`smartspec.strategy.paths.transition_paths` and the ``weakest_step`` number of
    :func:`smartspec.strategy.paths.path_summary` (0: a path without a move)."""
    it = lang == "it"
    rows = {int(r["step"]): r for r in (steps.to_dict(orient="records") if hasattr(steps, "to_dict") else steps)}
    if int(step) == 0 or int(step) not in rows:
        return "(nessuno spostamento)" if it else "(no move)"
    r = rows[int(step)]
    st = str(r["status"])
    if st == "strength":
        where = (f"già un punto di forza (RCA {number(float(r['rca']), 2, lang)})" if it else
                 f"already a strength (RCA {float(r['rca']):.2f})")
    else:
        where = f"{'densità' if it else 'density'} {number(float(r['density']), 2, lang)} " \
                f"({STATUS_WORDS.get(st, st) if it else st})"
    return (f"{r['activity']} {name_of(r['activity'])}: "
            + (f"prossimità {number(float(r['proximity']), 2, lang)} al passo precedente, " if it else
               f"proximity {float(r['proximity']):.2f} to the previous step, ") + where)


def with_opportunity_texts(table, name_of: NameOf, lang: str = "en", profile: str | None = None):
    """``table`` (opportunities of one region, with their ``attrs``) with the sentence columns
    ``advice``, ``supporting`` and ``reason`` added in ``lang``, for output files and terminals."""
    meta = table.attrs
    rows = table.to_dict(orient="records")
    out = table.assign(
        advice=[advice(str(r["quadrant"]), lang) for r in rows],
        supporting=[supporting(r["supporting_codes"], r["supporting_proximity"], name_of, lang) for r in rows],
        reason=[opportunity_reason(r, year=meta["year"], region_name=meta["region_name"],
                                   value_name=meta.get("value_name") or "value", name_of=name_of, lang=lang,
                                   profile=profile) for r in rows])
    out.attrs = dict(meta)
    return out


# --- systems of competence -------------------------------------------------------------------

#: Strength and direction of a system of competence (strategy.competences), in Italian.
COMPETENCE_WORDS = {"strong": "forte", "partial": "parziale", "weak": "debole",
                    "growing": "in crescita", "shrinking": "in calo", "stable": "stabile"}


def competence_summary(row: Mapping, *, year: int, first_year: int, value_name: str, lang: str = "en") -> str:
    """A region's standing in one system of competence, from a row of
    :func:`smartspec.strategy.competences.region_competences` (``strength, specialised, size,
    employment_share, direction, trend_per_year, trend``)."""
    n, size = int(row["specialised"]), int(row["size"])
    share, slope, trend = float(row["employment_share"]), float(row["trend_per_year"]), float(row["trend"])
    if lang == "it":
        unit = translator(lang)(f"val_{value_name}") if value_name else ""
        unit = "del totale" if not value_name else ("delle " + unit if unit != f"val_{value_name}" else "di " + value_name)
        return (f"{COMPETENCE_WORDS[row['strength']].capitalize()}: specializzata in {n} delle sue {size} attività, "
                f"{number(100 * share, 1, lang)}% {unit} nel {year}, {COMPETENCE_WORDS[row['direction']]} "
                f"({number(slope, 2, lang, True)} punti all'anno; {number(trend, 1, lang, True)} dal {first_year})")
    return (f"{str(row['strength']).capitalize()}: specialised in {n} of its {size} activities, "
            f"{100 * share:.1f}% of {value_name or 'the total'} in {year}, {row['direction']} "
            f"({slope:+.2f} points a year; {trend:+.1f} since {first_year})")


# --- cross-sector niches -----------------------------------------------------------------------

def coefficient(x: float, lang: str = "en") -> str:
    """An input coefficient (euro per euro of output): three decimals, ``<0.001`` below."""
    x = float(x)
    return number(x, 3, lang) if x >= 0.001 else (("<" + number(0.001, 3, lang)) if x > 0 else "0")


def _top(share: float) -> int:
    """``top N%`` of a percentile (never 0%)."""
    return max(1, round(100 * (1 - float(share))))


def niche_reason(row: Mapping, *, region_name: str, io_source: str, name_of: NameOf, lang: str = "en") -> str:
    """Why two strengths of a region form a cross-sector niche, from one row of
    :func:`smartspec.strategy.niches.cross_sector_niches` (``io_source``: its ``attrs``)."""
    it = lang == "it"
    a, b = str(row["a"]), str(row["b"])
    n = lambda v, d=2: number(float(v), d, lang)  # noqa: E731
    if _finite(row.get("a_supplies_b")):
        c_ab, c_ba, top_io = coefficient(row["a_supplies_b"], lang), coefficient(row["b_supplies_a"], lang), \
            _top(row["io_percentile"])
        flow = (f"{a} fornisce {c_ab} per euro di produzione di {b} e {b} fornisce {c_ba} per euro di produzione "
                f"di {a} (tavola input-output nazionale; primo {top_io}% delle coppie tra settori)" if it else
                f"{a} supplies {c_ab} per euro of {b}'s output and {b} supplies {c_ba} per euro of {a}'s output "
                f"(national IO table; top {top_io}% of cross-section pairs)")
    else:
        flow = f"input-output: {io_source}" if it else f"input-output {io_source}"
    linked = str(row["linked_by"])
    if it:
        linked = {"both": "input-output e co-localizzazione", "co-location": "co-localizzazione",
                  "weak": "legame debole"}.get(linked, linked)
    elif linked == "both":
        linked = "input-output and co-location"
    parts = []
    for k, c in enumerate(_split(str(row.get("bridge_codes") or "").replace(", ", "; "))):
        up, down = _split(row["bridge_from"])[k], _split(row["bridge_to"])[k]
        buys, sold = (coefficient(_split(row[col])[k], lang) for col in ("bridge_buys", "bridge_sold"))
        dens, rca = (n(_split(row[col])[k]) for col in ("bridge_density", "bridge_rca"))
        top = _top(_split(row["bridge_density_percentile"])[k])
        parts.append(f"{c} {name_of(c)} compra {buys} da {up} per euro della sua produzione e {down} ne compra {sold} "
                     f"per euro della propria produzione (densità {dens}, primo {top}% delle non specializzazioni "
                     f"della regione; RCA {rca})" if it else
                     f"{c} {name_of(c)} buys {buys} from {up} per euro of its output and {down} buys {sold} from it "
                     f"per euro of {down}'s output (density {dens}, top {top}% of the region's non-specialisations; "
                     f"RCA {rca})")
    prox, top_prox = n(row["proximity"]), _top(row["proximity_percentile"])
    if it:
        return (f"{a} {name_of(a)} (RCA {n(row['a_rca'])}) e {b} {name_of(b)} (RCA {n(row['b_rca'])}) sono entrambe "
                f"punti di forza di {region_name} in settori diversi. Legate da {linked}: {flow}; le regioni "
                f"specializzate nell'una tendono a esserlo nell'altra (prossimità {prox}, primo {top_prox}%)."
                + (f" Attività ponte a portata: {'; '.join(parts)}." if parts else
                   " Nessuna attività non specializzata collega le loro filiere."))
    return (f"{a} {name_of(a)} (RCA {n(row['a_rca'])}) and {b} {name_of(b)} (RCA {n(row['b_rca'])}) are both strengths "
            f"of {region_name} in different sectors. Linked by {linked}: {flow}; regions specialised in one tend to "
            f"be in the other (proximity {prox}, top {top_prox}%)."
            + (f" Bridging activities within reach: {'; '.join(parts)}." if parts else
               " No unspecialised activity links their supply chains."))


def bridges(text: str, name_of: NameOf, lang: str = "en") -> str:
    """The ``bridges`` of :func:`smartspec.strategy.niches.cross_sector_niches`
    (``"C25 Name (C24->C25->C28, density 0.45); ..."``) with names and words in ``lang``.

    Read through the ``(route, density d)`` groups (names may hold ``;`` themselves); the
    bridging activity is the middle code of each route.
    """
    found = re.findall(r"\(([A-Z]\w*(?:->[A-Z]\w*){2}), density ([0-9.]+)\)", str(text))
    if not found:
        return text
    word = "densità" if lang == "it" else "density"
    return "; ".join(f"{route.split('->')[1]} {name_of(route.split('->')[1])} ({route}, {word} "
                     f"{number(float(d), 2, lang)})" for route, d in found)
