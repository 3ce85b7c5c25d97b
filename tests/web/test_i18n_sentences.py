"""Sentences about partners and networks: structured in strategy, worded in English and Italian
by the views (issue 14, item 2)."""
from __future__ import annotations

import html
import re

import pytest

from smartspec.views.partners_text import network_note, with_partner_texts

#: English that must not be left in an Italian partner reason or network note.
ENGLISH_IN_SENTENCES = ("raises", "relatedness density", "specialisations", "lacks", "similarity", "overlap",
                        "persons", "Brings most", "Members", "cells are", "confidential", "NUTS 2 regions",
                        "activities only", "Manufacture of", "its own")


def _english_left(text: str) -> list[str]:
    return [w for w in ENGLISH_IN_SENTENCES if w in text]


@pytest.fixture()
def lang_client(server):
    """A client of its own: ``?lang=it`` sets a language cookie, which must not reach other tests."""
    import httpx

    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


def test_strategy_returns_partner_figures_not_sentences(sbs):
    """No sentence comes out of complementary_partners: codes, numbers and the region's name only."""
    from smartspec.strategy.partners import complementary_partners

    t = complementary_partners(sbs, "ITC4", ecosystem="Advanced manufacturing", top=10)
    assert not {"reason", "brings", "brings_in_ecosystem"} & set(t.columns)
    text_cols = [c for c in t.columns if not t[c].map(lambda v: isinstance(v, (int, float))).all()]
    assert set(text_cols) == {"region", "name", "country", "brings_codes", "brings_persons", "brings_share",
                              "brings_in_ecosystem_codes"}
    assert t["brings_codes"].str.fullmatch(r"[A-U]\d\d(; [A-U]\d\d)*").all()
    assert t["brings_in_ecosystem_codes"].str.fullmatch(r"([A-U]\d\d(; [A-U]\d\d)*)?").all()  # empty: ITC4 has them all
    for col in ("brings_persons", "brings_share"):
        assert t[col].map(lambda s: [float(x) for x in s.split("; ")]).map(len).eq(
            t["brings_codes"].str.count("; ") + 1).all()


def test_partner_reason_in_both_languages_says_the_same(sbs):
    """Lombardy's partners for C30: the English reason carries the row's figures as before; the
    Italian one the same figures with the decimal comma, ATECO names and no English."""
    from smartspec.data.labels import activity_name
    from smartspec.strategy.partners import complementary_partners

    t = complementary_partners(sbs, "ITC4", activity="C30", top=5)
    en = with_partner_texts(t, sbs.panel.activity_name, "en")
    it = with_partner_texts(t, lambda c: activity_name(c, "it", sbs.panel.activity_name(c)), "it")
    first, alone = en.iloc[0], t.attrs["density_alone"]
    assert first["reason"].startswith(
        f"{first['name']} ({first['region']}) raises ITC4's relatedness density in C30 Manufacture of other "
        f"transport equipment from {alone:.2f} to {first['density_with']:.2f} (+{first['gain']:.3f}) with "
        f"{first['n_brings']} specialisations ITC4 lacks; its own RCA in C30 Manufacture of other transport "
        f"equipment is {first['partner_rca']:.2f} ({first['target_persons']:,.0f} persons employed)")
    code = first["brings_codes"].split("; ")[0]
    persons = float(first["brings_persons"].split("; ")[0])
    assert f"{code} {sbs.panel.activity_name(code)} ({persons:,.0f} persons, " in first["brings"]
    for row in it.itertuples():
        assert row.reason.startswith(f"{row.name} ({row.region}) alza la densità di correlazione di ITC4 in C30 "
                                     "Fabbricazione di altri mezzi di trasporto da " + f"{alone:.2f}".replace(".", ","))
        assert f"{row.similarity:.2f}".replace(".", ",") in row.reason and "Apporta soprattutto: " in row.reason
        assert not _english_left(row.reason), (row.reason, _english_left(row.reason))
        assert " persone, " in row.brings


def test_network_note_in_both_languages(sbs):
    import warnings

    from smartspec.strategy.partners import network_benchmark

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        facts = network_benchmark(sbs, "Four Motors").members.attrs
    en, it = network_note(facts, "en"), network_note(facts, "it")
    assert en.startswith("Members defined at NUTS 1 (FRK, DE1) are the sums of their NUTS 2 regions")
    assert "DE1 E38" in en and "a cell counts only with at least 1,000 persons employed and 0.1%" in en
    assert it.startswith("I membri definiti al livello NUTS 1 (FRK, DE1) sono la somma delle loro regioni NUTS 2")
    assert "DE1 E38" in it and "almeno 1.000 persone occupate e 0,1%" in it
    assert f"{facts['hidden']} celle sono riservate o mancanti" in it
    assert not _english_left(it), _english_left(it)


def test_italian_region_api_and_page_give_partner_reasons_in_italian(lang_client):
    """The partners of ITC4 carry, in the API and as the row's tooltip, why they are partners."""
    it = lang_client.get("/api/region/ITC4?lang=it").json()["partners"]["rows"]
    en = lang_client.get("/api/region/ITC4?lang=en").json()["partners"]["rows"]
    assert it and all(r["reason"] for r in it) and [r["partner"] for r in it] == [r["partner"] for r in en]
    for r_it, r_en in zip(it, en):
        assert "raises ITC4's relatedness density" in r_en["reason"] and "Brings most:" in r_en["reason"]
        assert "alza la densità di correlazione di ITC4" in r_it["reason"], r_it["reason"]
        assert not _english_left(r_it["reason"]), (r_it["reason"], _english_left(r_it["reason"]))
    page = html.unescape(lang_client.get("/region/ITC4?lang=it").text)
    titles = re.findall(r'<tr title="([^"]*alza la densità[^"]*)"', page)
    assert len(titles) == min(len(it), 30)


def test_italian_compare_page_and_api_say_the_network_note_in_italian(lang_client):
    it = lang_client.get("/api/compare?lang=it").json()["table"]["note"]
    en = lang_client.get("/api/compare?lang=en").json()["table"]["note"]
    assert en.startswith("Members defined at NUTS 1") and "DE1 E38" in en
    assert it.startswith("I membri definiti al livello NUTS 1") and "DE1 E38" in it
    assert not _english_left(it), _english_left(it)
    page = html.unescape(lang_client.get("/compare?lang=it").text)
    assert it in page and "Members defined at NUTS 1" not in page


#: English that must not be left in an Italian note of the monitoring dashboard.
ENGLISH_IN_NOTES = ("no value", "median of", "national figure", "not covered", "confidential", "division(s)",
                    "no population", "own country", "other NUTS", "region of")


def test_monitoring_notes_are_kinds_in_strategy_and_words_in_both_languages(lang_client):
    """Lombardy's dashboard: the API gives each cell's note in the language asked; the English
    notes say what they said when the strategy wrote them, the Italian ones have no English."""
    en = lang_client.get("/api/region/ITC4/monitor").json()["dashboard"]
    it = lang_client.get("/api/region/ITC4/monitor?lang=it").json()["dashboard"]
    assert len(en) == len(it) and {r["note_kind"] for r in en} >= {"", "country_median", "not_covered", "gap"}
    for e, i in zip(en, it):
        assert e["note_kind"] == i["note_kind"] and bool(e["note"]) == bool(e["note_kind"])
        if e["note_kind"] == "country_median":
            assert e["note"] == f"median of {int(e['n_regions'])} other NUTS 2 regions of IT"
            assert i["note"] == f"mediana di {int(e['n_regions'])} altre regioni NUTS 2 del paese IT"
        if e["note_kind"] == "not_covered":
            assert e["note"] == "not covered by the source" and i["note"] == "non coperta dalla fonte"
        if e["note_kind"] in ("gap", "gap_cells", "no_value"):
            assert e["note"].startswith(f"no value in {e['year']}") and i["note"].startswith(f"nessun valore nel {e['year']}")
        assert not [w for w in ENGLISH_IN_NOTES if w in i["note"]], i["note"]
    fr = [i for i in it if i["indicator"] == "h2020_funding" and i["unit"] == "FRK2"]
    assert fr and all("nessuna popolazione per la regione" in i["note"] for i in fr)
    page = html.unescape(lang_client.get("/region/ITC4/monitor?lang=it").text)
    assert "non coperta dalla fonte" in page and "not covered by the source" not in page


def test_italian_partners_and_network_note_in_chromium(page, server, artifacts):
    """As an Italian analyst sees them: the partners of Lombardy (the reason is the row's tooltip)
    and the Four Motors note on the compare page (screenshots in test-artifacts/)."""
    page.goto(f"{server}/region/ITC4?lang=it")
    rows = page.locator("#partners tbody tr")
    assert rows.count() >= 5
    title = rows.first.get_attribute("title")
    assert title.startswith(rows.first.locator("td").nth(2).inner_text().strip())
    assert "alza la densità di correlazione di ITC4" in title and not _english_left(title), title
    page.locator("#partners").screenshot(path=str(artifacts / "region-ITC4-partners-it.png"))
    page.goto(f"{server}/compare?lang=it")
    note = page.locator("p.help", has_text="I membri definiti").first
    assert "DE1 E38" in note.inner_text()
    page.screenshot(path=str(artifacts / "compare-it.png"), full_page=False)
    assert not page.problems, page.problems
