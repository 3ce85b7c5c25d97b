"""Matchmaking: which organisations can take on a challenge, and a triple-helix consortium.

A challenge is free text in English or Italian (Italian S3 terms are translated with the
glossary ``labels/s3_glossary_it_en.csv``), a NACE activity code (``C30``, ``C25.6``), the
name of an S3 ecosystem of the region profile (its activity names become the text), or an
opportunity of the region's strategy (:func:`opportunity_challenge`). The challenge is turned
into the TF-IDF space of the competence profiles (:mod:`smartspec.match.profiles`).

Organisations whose **specific evidence** (name, sector, ERC grants) covers at least
:data:`MIN_COVERAGE` of the challenge (:func:`~smartspec.match.profiles.coverage`) rank first;
the others follow as programme-level matches: the themes of a programme part say what the
programme funds, not what a participant can do. Within each group ``score = (specific +
PROGRAMME_WEIGHT x programme) x log(2 + experience)`` (:func:`~smartspec.match.profiles.relevance`),
experience being the participations in the programme parts whose themes share a term with
the challenge plus the ERC grants hosted. Cosine alone favours the shortest profiles (a firm
with one project whose whole profile is on-topic), which no analyst would put before the
region's universities.

Each ranked organisation carries its evidence, as data (the words are in
:mod:`smartspec.views.matchmaking`):

* ``evidence`` (``specific`` or ``programme only``) and ``coverage``;
* ``name_terms``, ``sector_terms`` (with ``sector`` and ``rd_investor``), ``erc_terms`` -- the
  challenge terms that weigh most in each specific document (``shared_terms``: all of them);
* ``programme_experience`` -- its participations in the programme parts whose themes share
  terms with the challenge;
* ``links_to_region`` -- H2020 projects it shares with organisations of the region;
* ``partner_basis``, ``partner_gain``, ``partner_activities`` -- for an organisation of a
  partner region, why that region was chosen (:func:`partner_regions`: complementarity of its
  capabilities in the challenge's activities, :func:`smartspec.strategy.partners.complementary_partners`;
  membership of the interregional network with ``network``).

References
----------
Etzkowitz, H. and Leydesdorff, L. (2000). The dynamics of innovation: from National Systems and
"Mode 2" to a Triple Helix of university-industry-government relations. Research Policy 29(2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.errors import InputError, NoMatchError, UnknownNameError
from smartspec.match.glossary import translate_italian
from smartspec.match.profiles import PROGRAMME_WEIGHT, Profiles, coverage, load_profiles, programme_part_labels, relevance
from smartspec.match.registry import TYPES

NACE_FILE = Path(__file__).resolve().parents[1] / "labels" / "nace_r2.csv"
_NACE_CODE = re.compile(r"^[A-U](\d{2}(\.\d{1,2})?)?$", re.IGNORECASE)
#: Types of the two sides of the triple helix a consortium must hold.
BUSINESS_TYPES = ("firm",)
KNOWLEDGE_TYPES = ("university", "research centre")
#: A region's opportunities that can be a challenge (``--opportunity``): its first ten.
OPPORTUNITY_TOP = 10
#: Activities a free-text challenge is matched to (for its partner regions), and the lowest
#: cosine with a division's words that counts.
TEXT_ACTIVITIES = 2
ACTIVITY_FLOOR = 0.1
#: Lowest share of the challenge (:func:`smartspec.match.profiles.coverage`) that the specific
#: evidence (name, sector, ERC grants) must cover to count: below it one common word of a name
#: ("components", "electric") would count as a competence.
MIN_COVERAGE = 0.2


@dataclass
class Challenge:
    """A challenge as understood: the ``text`` matched, its ``kind`` (text / activity /
    ecosystem / opportunity), the ``activity`` or ``ecosystem`` it names, ``translated``
    glossary pairs and, for an opportunity of the strategy, its ``opportunity`` (region, rank,
    score, activity name)."""

    original: str
    text: str
    kind: str
    activity: str | None = None
    ecosystem: str | None = None
    translated: tuple = ()
    opportunity: dict | None = None


def parse_challenge(challenge: str, *, profile: str | None = "lombardy", data_dir=None) -> Challenge:
    """Understand a challenge: NACE code, S3 ecosystem name, or free text (EN or IT).

    Raises
    ------
    InputError
        An empty or blank challenge.
    """
    raw = "" if challenge is None else str(challenge).strip()
    if not raw:
        raise InputError("the challenge is empty", where="challenge",
                         fix='describe it in words, e.g. "additive manufacturing for aerospace components", '
                             "or give a NACE code (C30) or an S3 ecosystem name")
    if _NACE_CODE.match(raw):
        nace = pd.read_csv(NACE_FILE, dtype=str)
        hit = nace[nace["code"].str.upper() == raw.upper()]
        if len(hit):
            code = hit["code"].iloc[0]
            names = nace.loc[nace["code"].str.startswith(code), "name"]
            return Challenge(raw, " ".join(names), "activity", activity=code)
    eco = _ecosystem(raw, profile, data_dir)
    if eco is not None:
        return eco
    text, used = translate_italian(raw)
    return Challenge(raw, text, "text", translated=tuple(used))


def _ecosystem(raw: str, profile: str | None, data_dir) -> Challenge | None:
    if profile is None:
        return None
    from smartspec.data.names import normalise_name
    from smartspec.strategy.profiles import load_profile

    prof = load_profile(profile, data_dir=data_dir) if isinstance(profile, str) else profile
    for group in prof.ecosystems.values():
        if normalise_name(raw) in {normalise_name(group.name), normalise_name(group.key), normalise_name(group.name_it)}:
            nace = pd.read_csv(NACE_FILE, dtype=str).set_index("code")["name"]
            names = [nace.get(c, "") for c in group.nace]
            return Challenge(raw, " ".join([group.name, group.description, *names]), "ecosystem",
                             ecosystem=group.name)
    return None


def _regions_of(profiles: Profiles, region: str) -> str:
    code = str(region).strip().upper()
    valid = profiles.organisations["nuts2"].dropna().unique()
    if code not in set(valid):
        raise UnknownNameError("region", str(region), sorted(valid), where="region (NUTS 2 code of the organisations)")
    return code


def _types(types) -> list[str] | None:
    if not types:
        return None
    out = []
    for t in ([types] if isinstance(types, str) else types):
        name = TYPES.get(str(t).strip().upper(), str(t).strip().lower())
        if name not in TYPES.values():
            raise UnknownNameError("organisation type", str(t), list(TYPES.values()), where="type")
        out.append(name)
    return out


def text_activities(text: str, vectorizer, *, top: int = TEXT_ACTIVITIES, floor: float = ACTIVITY_FLOOR) -> list[str]:
    """The NACE divisions a free-text challenge is about: the ``top`` divisions whose words
    (:func:`smartspec.match.sectors.activity_documents`: a division's title or one of its
    classes) are most similar to the text in the profiles' TF-IDF space, with a cosine of at
    least ``floor``."""
    from smartspec.match.sectors import activity_documents

    docs = activity_documents()
    sim = np.asarray((vectorizer.transform(docs.tolist()) @ vectorizer.transform([text]).T).todense()).ravel()
    best = pd.Series(sim, index=docs.index).groupby(level=0).max().sort_values(ascending=False, kind="stable")
    return list(best[best >= floor].index[:top])


def partner_regions(region: str, challenge: Challenge, *, network: str | None = None, top: int = 5,
                    vectorizer=None, data_dir=None) -> pd.DataFrame:
    """The partner regions used for a challenge.

    For an activity, ecosystem or opportunity challenge: the ``top`` regions most
    complementary to ``region`` for it (``complementary_partners`` on the default dataset).
    For free text: the regions most complementary for the activities the text is about
    (:func:`text_activities`, with ``vectorizer``), taken turn by turn from each activity's
    ranking. With
    ``network``, or for a text that names no activity: the members of the network (default
    Four Motors for Europe).

    Returns
    -------
    DataFrame
        ``region, basis`` (``complementarity`` or ``network <name>``), ``gain`` and
        ``activities`` (the activities a region complements ``region`` in).
    """
    from smartspec.config import DEFAULT_DATASET
    from smartspec.strategy.partners import complementary_partners
    from smartspec.strategy.partners._common import DEFAULT_NETWORK, network_members

    if network is None:
        if challenge.kind in ("activity", "ecosystem", "opportunity"):
            wanted = [(challenge.activity, challenge.ecosystem)]
        else:
            wanted = [(code, None) for code in (text_activities(challenge.text, vectorizer) if vectorizer is not None else [])]
        found = []
        for activity, ecosystem in wanted:
            try:
                cp = complementary_partners(DEFAULT_DATASET, region, activity=activity, ecosystem=ecosystem, top=top,
                                            data_dir=data_dir)
            except UnknownNameError:
                if challenge.kind != "text":
                    raise
                continue  # a division outside the dataset (local or confidential): try the next one
            found.append(pd.DataFrame({"region": cp["region"].astype(str), "gain": cp["gain"],
                                       "activity": activity or ecosystem, "_rank": np.arange(len(cp)),
                                       "_order": len(found)}))
        if found:
            both = pd.concat(found, ignore_index=True)
            activities = both.groupby("region")["activity"].agg(lambda a: list(dict.fromkeys(a)))
            # turn by turn: the best partner for the activity the text is most about, then the
            # best for the next one... (gains of different activities are not comparable)
            best = both.sort_values(["_rank", "_order"], kind="stable").drop_duplicates("region").head(top)
            return pd.DataFrame({"region": best["region"].to_numpy(), "basis": "complementarity",
                                 "gain": best["gain"].to_numpy(), "activities": best["region"].map(activities).to_numpy()})
    name, members = network_members(None, network or DEFAULT_NETWORK, data_dir=data_dir)
    return pd.DataFrame({"region": [m for m in members if m != region], "basis": f"network {name}", "gain": np.nan,
                         "activities": None})


def opportunity_challenge(region: str, activity: str | None = None, *, table: pd.DataFrame | None = None,
                          top: int = OPPORTUNITY_TOP, data_dir=None) -> Challenge:
    """An opportunity of the region's strategy as a challenge: "who can do this".

    Parameters
    ----------
    region : str
        NUTS 2 code.
    activity : str, optional
        One of the region's ``top`` opportunities (its code); default: the first.
    table : DataFrame, optional
        The region's opportunities (:func:`smartspec.strategy.diversification.opportunities`,
        or the results store's ``opportunities`` rows of the region); computed on the default
        dataset when not given.

    Raises
    ------
    UnknownNameError
        ``activity`` is not among the region's ``top`` opportunities (the valid codes listed).
    NoMatchError
        The region has no opportunities.
    """
    code = str(region).strip().upper()
    if table is None:
        from smartspec.config import DEFAULT_DATASET
        from smartspec.strategy.context import analyse
        from smartspec.strategy.diversification import opportunities

        table = opportunities(analyse(DEFAULT_DATASET, data_dir=data_dir), code)
    ranked = table.sort_values("rank", kind="stable").head(top)
    if ranked.empty:
        raise NoMatchError(f"{code} has no diversification opportunities", where="opportunity",
                           fix="choose a region with data (smartspec opportunities REGION)")
    if activity is None:
        row = ranked.iloc[0]
    else:
        hit = ranked[ranked["activity"].str.upper() == str(activity).strip().upper()]
        if hit.empty:
            raise UnknownNameError("opportunity", str(activity), list(ranked["activity"]),
                                   where=f"activity (one of the top {top} opportunities of {code})")
        row = hit.iloc[0]
    ch = parse_challenge(str(row["activity"]), profile=None)
    return Challenge(ch.original, ch.text, "opportunity", activity=ch.activity,
                     opportunity={"region": code, "rank": int(row["rank"]), "score": float(row["score"]),
                                  "activity": str(row["activity"]), "name": str(row["name"])})


def _links(registry, region: str | None) -> pd.Series:
    """Projects each organisation shares with organisations of ``region`` (other PICs)."""
    if region is None or registry is None:
        return pd.Series(dtype=int)
    p = registry.participations[["project_id", "org_id", "nuts2"]]
    local = p[p["nuts2"] == region]
    pairs = p.merge(local[["project_id", "org_id"]].rename(columns={"org_id": "_local"}), on="project_id")
    pairs = pairs[pairs["org_id"] != pairs["_local"]]
    return pairs.drop_duplicates(["org_id", "project_id"]).groupby("org_id").size()


def match(challenge: str, region: str | None = None, partners: bool = False, types=None, country: str | None = None,
          network: str | None = None, k: int = 20, *, profiles: Profiles | None = None, registry=None,
          profile: str | None = "lombardy", data_dir=None) -> pd.DataFrame:
    """Rank the organisations that can take on a challenge.

    Parameters
    ----------
    challenge : str or Challenge
        Free text (English or Italian), a NACE code or an S3 ecosystem name; or a parsed
        challenge (:func:`opportunity_challenge`).
    region : str, optional
        NUTS 2 code: only its organisations (and, with ``partners``, those of its partner regions).
    partners : bool
        Add the organisations of the partner regions (:func:`partner_regions`).
    types : str or list of str, optional
        firm, university, research centre, public, other (or the CORDIS codes PRC, HES, ...).
    country : str, optional
        Only organisations of this country code (``IT``, ``DE``).
    network : str, optional
        With ``partners``: take the partner regions from this network.
    k : int
        Number of organisations.

    Returns
    -------
    DataFrame
        ``rank, org_id, name, type, role, country, nuts2, score, relevance, in_region, shared_terms,
        programme_experience, links_to_region, partner_basis, partner_gain, n_projects, n_erc``; ``attrs``
        holds the parsed challenge and the partner regions.

    Raises
    ------
    InputError
        Empty challenge, no term of the challenge in the profiles' vocabulary, k < 1.
    UnknownNameError
        Unknown region or type.
    """
    if int(k) < 1:
        raise InputError(f"k must be at least 1, got {k}", where="k")
    ch = challenge if isinstance(challenge, Challenge) else parse_challenge(challenge, profile=profile, data_dir=data_dir)
    P = profiles or load_profiles(data_dir, registry)
    q = P.vectorizer.transform([ch.text])
    if q.nnz == 0:
        raise NoMatchError(f"no term of the challenge {challenge!r} occurs in the competence profiles", where="challenge",
                         fix="use more common technical words (in English or Italian), a NACE code or an ecosystem name")
    orgs = P.organisations
    keep = np.ones(len(orgs), dtype=bool)
    region_code = _regions_of(P, region) if region else None
    wanted = _types(types)
    prt = pd.DataFrame(columns=["region", "basis", "gain", "activities"])
    if region_code:
        regions = {region_code}
        if partners:
            prt = partner_regions(region_code, ch, network=network, vectorizer=P.vectorizer, data_dir=data_dir)
            regions |= set(prt["region"])
        # a network member may be a NUTS 1 region (Baden-Wuerttemberg DE1): its NUTS 2 belong to it
        nuts2 = orgs["nuts2"].fillna("")
        keep &= nuts2.str[:3].isin(regions).to_numpy() | nuts2.isin(regions).to_numpy()
    if wanted:
        keep &= orgs["type"].isin(wanted).to_numpy()
    if country:
        keep &= (orgs["country"].fillna("") == str(country).strip().upper()).to_numpy()
    themes = programme_part_labels().set_index("code")
    part_terms = P.vectorizer.transform((themes["label"] + " " + themes["themes"]).tolist())
    relevant = [c for c, hit in zip(themes.index, np.asarray((part_terms @ q.T).todense()).ravel() > 0)
                if c in P.parts.columns and hit]
    specific, programme = (m.ravel() for m in relevance(q, P.documents))
    # relevance times experience: a one-project SME whose short profile is all on-topic must not
    # outrank a university with hundreds of projects in the same parts and grants on the topic;
    # log(2 + ...) keeps a firm with a matching sector but no matching programme part
    experience = P.parts[relevant].to_numpy().sum(axis=1) + orgs["n_erc"].to_numpy()
    scores = (specific + PROGRAMME_WEIGHT * programme) * np.log(2 + experience)
    scores[~keep] = -1
    # specific evidence first: the themes of a programme part say what the programme funds,
    # not what this organisation can do, so a generic participant never outranks a specific one
    covered = coverage(q, P.documents)
    has_specific = (covered >= MIN_COVERAGE) & keep
    idx = np.lexsort((-scores, ~has_specific))[:int(k)]
    idx = idx[scores[idx] > 0]
    evidence = {d: _shared_terms(P.documents[d][idx], q, P.terms) for d in ("name", "sector", "grants")}
    experience = [{c: int(P.parts.iloc[i][c]) for c in relevant if P.parts.iloc[i][c] > 0} for i in idx]
    links = _links(registry if registry is not None else _registry(data_dir) if region_code else None, region_code)
    basis = {r: b for r, b in zip(prt["region"], prt["basis"])}
    gains = {r: g for r, g in zip(prt["region"], prt["gain"])}
    in_activities = {r: a for r, a in zip(prt["region"], prt["activities"])}
    chosen = orgs.iloc[idx]
    out = pd.DataFrame({
        "rank": np.arange(1, len(idx) + 1), "org_id": chosen["org_id"].to_numpy(), "name": chosen["name"].to_numpy(),
        "type": chosen["type"].to_numpy(), "role": chosen["role"].to_numpy(), "country": chosen["country"].to_numpy(),
        "nuts2": chosen["nuts2"].to_numpy(), "score": scores[idx].round(4),
        "relevance": specific[idx].round(4), "programme_relevance": programme[idx].round(4),
        "evidence": np.where(has_specific[idx], "specific", "programme only"), "coverage": covered[idx].round(3),
        "in_region": (chosen["nuts2"] == region_code).fillna(False).to_numpy() if region_code else False,
        "shared_terms": [list(dict.fromkeys(n + s + g)) for n, s, g in zip(*evidence.values())],
        "name_terms": evidence["name"], "sector_terms": evidence["sector"], "erc_terms": evidence["grants"],
        "sector": chosen["sector"].to_numpy(), "rd_investor": chosen["rd_investor"].to_numpy(),
        "sector_method": chosen["sector_method"].to_numpy(), "programme_experience": experience,
        "links_to_region": chosen["org_id"].map(links).fillna(0).astype(int).to_numpy(),
        "partner_basis": [None if n == region_code else basis.get(n, basis.get(str(n)[:3])) for n in chosen["nuts2"]],
        "partner_gain": [gains.get(n, np.nan) for n in chosen["nuts2"]],
        "partner_activities": [in_activities.get(n) for n in chosen["nuts2"]],
        "n_projects": chosen["n_projects"].to_numpy(), "n_erc": chosen["n_erc"].to_numpy()})
    out.attrs.update(challenge=ch.__dict__, region=region_code, partner_regions=prt.to_dict(orient="records"))
    return out


def _shared_terms(rows, q, terms, n: int = 5) -> list[list[str]]:
    """The ``n`` challenge terms weighing most in each of ``rows`` (TF-IDF rows of one kind of
    evidence); an empty list where the document shares no term."""
    contrib = rows.multiply(q).tocsr()
    out = []
    for i in range(contrib.shape[0]):
        r = contrib.getrow(i)
        out.append(list(terms[r.indices[np.argsort(-r.data)[:n]]]))
    return out


def _registry(data_dir):
    from smartspec.match.registry import load_registry

    return load_registry(data_dir)


def suggest_consortium(challenge: str, region: str, *, size: int = 6, network: str | None = None,
                       profiles: Profiles | None = None, registry=None, profile: str | None = "lombardy",
                       data_dir=None) -> dict:
    """A triple-helix consortium for a challenge.

    The team holds at least one firm, one university or research centre, one organisation of
    ``region`` and one of a partner region (:func:`partner_regions`); the remaining places, up
    to ``size``, go to the best-ranked organisations with specific evidence, one company per
    group of the R&D investors (a team may be smaller than ``size`` when few have any). Members are chosen greedily from the ranking of
    :func:`match` (with ``partners=True``): each rule is met by its best candidate first.

    Returns
    -------
    dict
        ``members`` (the :func:`match` rows, plus ``fills``: the rules the member meets),
        ``links`` (``org_a, org_b, shared_projects`` among members), ``rules`` (rule -> met).

    Raises
    ------
    InputError
        No candidate meets one of the rules (the rule is named).
    """
    if size < 4:
        raise InputError(f"a triple-helix consortium needs at least 4 members, got size={size}", where="size")
    reg = registry if registry is not None else _registry(data_dir)
    ranked = match(challenge, region=region, partners=True, network=network, k=500, profiles=profiles,
                   registry=reg, profile=profile, data_dir=data_dir)
    rules = {"firm": ranked["type"].isin(BUSINESS_TYPES),
             "university or research centre": ranked["type"].isin(KNOWLEDGE_TYPES),
             "in the region": ranked["in_region"].astype(bool),
             "in a partner region": ~ranked["in_region"].astype(bool) & ranked["partner_basis"].notna()}
    chosen: list[int] = []
    for rule, ok in rules.items():
        if not ok.any():
            raise NoMatchError(f"no organisation matching the challenge meets the rule '{rule}'", where="consortium",
                               fix="broaden the challenge or choose a network of partner regions with --network")
        if not chosen or not ok.iloc[chosen].any():
            chosen.append(int(np.flatnonzero(ok.to_numpy() & ~ranked.index.isin(chosen))[0]))
    # the other places go to specific evidence only: a programme-level match fills a rule when
    # nobody with specific evidence does, never a free place (the team is then smaller)
    groups = ranked["rd_investor"]
    for i in np.flatnonzero((ranked["evidence"] == "specific").to_numpy()):
        if len(chosen) >= size:
            break
        # one company of a group is enough (Safran SA and Safran Aircraft Engines are one partner)
        same_group = isinstance(groups.iloc[i], str) and (groups.iloc[chosen] == groups.iloc[i]).any()
        if i not in chosen and not same_group:
            chosen.append(int(i))
    members = ranked.iloc[sorted(chosen)].copy()
    members["fills"] = [[r for r, ok in rules.items() if ok.iloc[i]] for i in sorted(chosen)]
    p = reg.participations[["project_id", "org_id"]]
    p = p[p["org_id"].isin(members["org_id"])].drop_duplicates()
    pairs = p.merge(p, on="project_id")
    pairs = pairs[pairs["org_id_x"] < pairs["org_id_y"]]
    links = (pairs.groupby(["org_id_x", "org_id_y"]).size().rename("shared_projects").reset_index()
             .rename(columns={"org_id_x": "org_a", "org_id_y": "org_b"})
             .sort_values("shared_projects", ascending=False, kind="stable").reset_index(drop=True))
    return {"members": members.reset_index(drop=True), "links": links,
            "rules": {r: bool(ok.iloc[sorted(chosen)].any()) for r, ok in rules.items()},
            "challenge": ranked.attrs["challenge"], "partner_regions": ranked.attrs["partner_regions"]}
