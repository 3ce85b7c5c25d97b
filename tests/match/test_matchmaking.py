"""Matchmaking and the consortium on the real data: Lombardy, English and Italian challenges."""
from __future__ import annotations

import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.match.matchmaking import match, parse_challenge, suggest_consortium, translate_italian
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
    assert all("additive manufacturing" in terms for terms in got["shared_terms"])
    polimi = got.set_index("name").loc["POLITECNICO DI MILANO"]
    assert polimi["links_to_region"] > 50 and polimi["programme_experience"]["SC4"] > 10


def test_italian_challenge_overlaps_the_english_one(profiles, registry):
    en = match(CHALLENGE_EN, region="ITC4", profiles=profiles, registry=registry)
    it = match(CHALLENGE_IT, region="ITC4", profiles=profiles, registry=registry)
    assert len(set(en["org_id"]) & set(it["org_id"])) >= 15
    assert ("manifattura additiva", "additive manufacturing") in it.attrs["challenge"]["translated"]
    words = with_reasons(it, "it")["reasons"].iloc[0]
    assert any("condivide" in w for w in words)


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
