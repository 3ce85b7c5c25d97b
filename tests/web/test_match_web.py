"""The /match page and /api/match through a real uvicorn server."""
from __future__ import annotations

import httpx
import pytest

CHALLENGE = "additive manufacturing for aerospace components"


def test_api_match_ranks_lombard_organisations(server):
    r = httpx.get(f"{server}/api/match", params={"q": CHALLENGE, "region": "ITC4", "k": 10}, timeout=120)
    assert r.status_code == 200, r.text
    orgs = r.json()["organisations"]
    assert len(orgs) == 10 and all(o["nuts2"] == "ITC4" and len(o["reasons"]) >= 2 for o in orgs)
    assert "POLITECNICO DI MILANO" in [o["name"] for o in orgs[:3]]
    it = httpx.get(f"{server}/api/match", params={"q": "manifattura additiva per componenti aerospaziali",
                                                   "region": "ITC4", "k": 10, "lang": "it"}, timeout=120).json()
    assert len({o["org_id"] for o in orgs} & {o["org_id"] for o in it["organisations"]}) >= 8
    assert it["organisations"][0]["reasons"][0].startswith("grant ERC")


def test_api_match_consortium(server):
    c = httpx.get(f"{server}/api/match", params={"q": CHALLENGE, "region": "ITC4", "consortium": "true"}, timeout=120).json()
    assert all(c["rules"].values()) and c["links"][0]["name_a"]


def test_api_match_bad_inputs(server):
    # NEL and the information separators are white space to Python but not to every regex dialect
    for params, status, words in [({"q": "   "}, 422, "is blank"), ({"q": "\x85"}, 422, "is blank"),
                                  ({"q": "\x1c\x1f "}, 422, "is blank"), ({"q": ""}, 422, "at least 1 character"), ({"q": "qwzxv blorptak"}, 404, "no term"),
                                  ({"q": CHALLENGE, "region": "XX99"}, 404, "unknown region"),
                                  ({"q": CHALLENGE, "type": "banana"}, 422, "type")]:
        r = httpx.get(f"{server}/api/match", params=params, timeout=60)
        assert r.status_code == status and words in r.text, (params, r.status_code, r.text)
    blank = httpx.get(f"{server}/api/match", params={"q": "   "}, timeout=60).json()["detail"][0]
    assert blank["loc"] == ["query", "q"] and "in words" in blank["fix"] and "[^" not in blank["msg"]
    assert "/api/match" in httpx.get(f"{server}/api/openapi.json", timeout=30).json()["paths"]


def test_match_page_en_it(server):
    en = httpx.get(f"{server}/match", params={"q": CHALLENGE, "region": "ITC4"}, headers={"accept": "text/html"}, timeout=120)
    assert en.status_code == 200 and "POLITECNICO DI MILANO" in en.text and 'href="/match"' in en.text
    it = httpx.get(f"{server}/match", params={"q": CHALLENGE, "region": "ITC4", "lang": "it"},
                   headers={"accept": "text/html"}, timeout=120)
    assert "Chi può affrontare questa sfida?" in it.text and "grant ERC" in it.text
    empty = httpx.get(f"{server}/match", headers={"accept": "text/html"}, timeout=60)
    assert empty.status_code == 200 and "match-list" not in empty.text


@pytest.mark.browser
def test_match_page_in_chromium(page, server, artifacts):
    page.goto(server + "/match?q=manifattura+additiva+per+componenti+aerospaziali&region=ITC4&consortium=true&lang=it")
    page.wait_for_selector("#match-list li", timeout=120000)
    assert page.locator("#match-list > li").count() >= 4
    assert "Chi può farlo" in page.locator("nav").inner_text()
    page.screenshot(path=str(artifacts / "match-ITC4-it.png"), full_page=True)
    assert not page.problems, page.problems


def test_api_match_opportunity_of_the_strategy(server):
    region = httpx.get(f"{server}/region/ITC4", headers={"accept": "text/html"}, timeout=120).text
    assert "/match?opportunity=ITC4&amp;activity=" in region          # "who can do this" on the opportunity rows
    r = httpx.get(f"{server}/api/match/opportunity", params={"region": "ITC4", "activity": "C30", "partners": "true", "k": 5},
                  timeout=300)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["challenge"]["kind"] == "opportunity" and body["challenge"]["opportunity"]["activity"] == "C30"
    assert body["region"] == "ITC4" and len(body["organisations"]) == 5
    assert {p["basis"] for p in body["partner_regions"]} == {"complementarity"}
    for params, status, words in [({"region": "ITC4", "activity": "A01"}, 404, "unknown opportunity 'A01'"),
                                  ({"region": "ZZ99"}, 404, "unknown region 'ZZ99'")]:
        bad = httpx.get(f"{server}/api/match/opportunity", params=params, timeout=120)
        assert bad.status_code == status and words in bad.json()["problem"], (params, bad.status_code, bad.text)
    assert httpx.get(f"{server}/api/match/opportunity", timeout=60).status_code == 422   # the region is required
    page = httpx.get(f"{server}/match", params={"opportunity": "ITC4", "activity": "C30"}, headers={"accept": "text/html"},
                     timeout=300)
    assert page.status_code == 200 and "match-list" in page.text
