"""Matchmaking and the consortium on the real data: Lombardy, English and Italian challenges."""
from __future__ import annotations

import pandas as pd
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.match.matchmaking import match, opportunity_challenge, parse_challenge, suggest_consortium, translate_italian
from smartspec.match.profiles import load_profiles
from smartspec.views.matchmaking import with_reasons

CHALLENGE_EN = "additive manufacturing for aerospace components"
CHALLENGE_IT = "manifattura additiva per componenti aerospaziali"


@pytest.fixture(scope="module")
def profiles(registry, data_dir):
    return load_profiles(data_dir, registry)


def test_lombardy_challenge_ranks_lombard_organisations_with_reasons(profiles, registry):
    got = with_reasons(match(CHALLENGE_EN, region="ITC4", profiles=profiles, registry=registry))
    assert len(got) == 20 and (got["nuts2"] == "ITC4").all()
    assert "POLITECNICO DI MILANO" in set(got["name"].head(3))
    assert got["score"].is_monotonic_decreasing
    assert (got["reasons"].map(len) >= 2).all()
    polimi = got.set_index("name").loc["POLITECNICO DI MILANO"]
    assert polimi["links_to_region"] > 50 and polimi["programme_experience"]["SC4"] > 10
    assert polimi["evidence"] == "specific" and "additive manufacturing" in polimi["erc_terms"]
    assert got["rank"].iloc[0] == 1 and got["name"].iloc[0] == "POLITECNICO DI MILANO"


def test_specific_evidence_ranks_first_and_programme_themes_are_no_shared_terms(profiles, registry):
    got = with_reasons(match(CHALLENGE_EN, region="ITC4", partners=True, k=30, profiles=profiles, registry=registry))
    tier = (got["evidence"] == "specific").to_numpy()
    assert tier[:3].all() and not (tier[1:] & ~tier[:-1]).any()       # specific ones first, then the rest
    assert (got.loc[tier, "coverage"] >= 0.2).all() and (got.loc[~tier, "coverage"] < 0.2).all()
    # aerospace firms of the partner regions come with their sector, read from the scoreboard
    safran = got[got["name"] == "SAFRAN AIRCRAFT ENGINES"].iloc[0]
    assert safran["sector"] == "Manufacture of air and spacecraft and related machinery"
    assert any(r.startswith("sector: manufacture of air and spacecraft") and "JRC R&D investors: SAFRAN group" in r
               for r in safran["reasons"])
    for _, row in got[~tier].iterrows():
        assert any("programme-level match only" in r for r in row["reasons"])
        assert not any(r.startswith("its name") or r.startswith("sector:") for r in row["reasons"]) or row["coverage"] > 0
    assert not got.head(10)["name"].str.startswith("EURESCOM").any()


def test_free_text_partners_are_complementary_regions_for_its_activities(profiles, registry):
    got = match(CHALLENGE_EN, region="ITC4", partners=True, k=50, profiles=profiles, registry=registry)
    prt = pd.DataFrame(got.attrs["partner_regions"])
    assert (prt["basis"] == "complementarity").all() and len(prt) >= 3
    assert all(set(a) <= {"C30", "C26"} and a for a in prt["activities"])   # aerospace and electronic components
    outside = with_reasons(got[~got["in_region"]].assign(region="ITC4"))
    assert outside["reasons"].map(lambda rs: any("complements ITC4 in C" in r for r in rs)).all()


def test_opportunity_of_the_strategy_as_a_challenge(profiles, registry):
    from smartspec.config import DEFAULT_DATASET
    from smartspec.strategy.context import analyse
    from smartspec.strategy.diversification import opportunities

    table = opportunities(analyse(DEFAULT_DATASET), "ITC4")
    first = opportunity_challenge("ITC4", table=table)
    assert first.kind == "opportunity" and first.opportunity["rank"] == 1 and first.activity == table["activity"].iloc[0]
    c30 = opportunity_challenge("ITC4", "c30", table=table)
    got = match(c30, region="ITC4", partners=True, k=10, profiles=profiles, registry=registry)
    assert got.attrs["challenge"]["opportunity"]["activity"] == "C30" and len(got) == 10
    assert {p["basis"] for p in got.attrs["partner_regions"]} == {"complementarity"}
    with pytest.raises(UnknownNameError) as exc:
        opportunity_challenge("ITC4", "A01", table=table)
    assert "J62" in str(exc.value) and exc.value.fix


def test_italian_challenge_overlaps_the_english_one(profiles, registry):
    en = match(CHALLENGE_EN, region="ITC4", profiles=profiles, registry=registry)
    it = match(CHALLENGE_IT, region="ITC4", profiles=profiles, registry=registry)
    assert len(set(en["org_id"]) & set(it["org_id"])) >= 15
    assert ("manifattura additiva", "additive manufacturing") in it.attrs["challenge"]["translated"]
    words = with_reasons(it, "it")["reasons"].iloc[0]
    assert any(w.startswith("grant ERC") for w in words) and any(w.startswith("programma:") for w in words)


def test_translation_prefers_longer_terms():
    text, used = translate_italian("Stampa 3D e manifattura additiva")
    assert "3d printing" in text and "additive manufacturing" in text
    assert used[0][0] in ("manifattura additiva", "stampa 3d")


def test_filters_type_and_country(profiles, registry):
    firms = match(CHALLENGE_EN, types="firm", country="DE", k=10, profiles=profiles, registry=registry)
    assert (firms["type"] == "firm").all() and (firms["country"] == "DE").all() and len(firms) == 10


def test_activity_code_challenge():
    ch = parse_challenge("C30")
    assert ch.kind == "activity" and ch.activity == "C30" and "transport equipment" in ch.text.lower()


def test_consortium_rules_hold(profiles, registry):
    c = suggest_consortium(CHALLENGE_EN, "ITC4", profiles=profiles, registry=registry)
    m = c["members"]
    assert all(c["rules"].values())
    assert (m["type"] == "firm").any()
    assert m["type"].isin(["university", "research centre"]).any()
    assert (m["nuts2"] == "ITC4").any()
    assert (m["in_region"] == False).any() and m.loc[~m["in_region"], "partner_basis"].notna().all()  # noqa: E712
    # links: recomputed from the participations
    p = registry.participations
    a, b = c["links"].iloc[0][["org_a", "org_b"]]
    shared = set(p.loc[p["org_id"] == a, "project_id"]) & set(p.loc[p["org_id"] == b, "project_id"])
    assert c["links"].iloc[0]["shared_projects"] == len(shared) > 0


@pytest.mark.parametrize("challenge, region, types, error, words", [
    ("   ", None, None, InputError, "empty"),
    ("", None, None, InputError, "empty"),
    ("qwzxv blorptak", None, None, InputError, "no term"),
    (CHALLENGE_EN, "XX99", None, UnknownNameError, "unknown region"),
    (CHALLENGE_EN, None, "banana", UnknownNameError, "unknown organisation type"),
])
def test_bad_inputs(profiles, registry, challenge, region, types, error, words):
    with pytest.raises(error) as exc:
        match(challenge, region=region, types=types, profiles=profiles, registry=registry)
    assert words in str(exc.value) and exc.value.fix
