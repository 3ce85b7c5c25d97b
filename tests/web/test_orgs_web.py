"""Organisation pages and API through a real uvicorn server."""
from __future__ import annotations

import httpx


def test_api_orgs_search(server):
    r = httpx.get(f"{server}/api/orgs", params={"q": "politecnico di milano", "region": "ITC4"}, timeout=60)
    assert r.status_code == 200
    hits = r.json()
    assert hits[0]["org_id"] == "999879881" and hits[0]["nuts3"] == "ITC4C" and hits[0]["type"] == "university"
    unis = httpx.get(f"{server}/api/orgs", params={"region": "ITC4", "type": "university"}, timeout=60).json()
    assert {"999879881", "999995796", "999923531", "999893752", "999893946", "999838850"} <= {h["org_id"] for h in unis}
    assert all(h["nuts2"] == "ITC4" and h["type"] == "university" for h in unis)


def test_api_org_profile_and_unknown(server):
    p = httpx.get(f"{server}/api/org/999879881", timeout=300).json()
    assert p["organisation"]["name"] == "POLITECNICO DI MILANO" and p["organisation"]["placement"] == "city_lau"
    assert sum(m["participations"] for m in p["programme_mix"]) == p["organisation"]["n_participations"]
    assert p["partners"][0]["shared_projects"] >= p["partners"][-1]["shared_projects"] > 0
    r = httpx.get(f"{server}/api/org/123", timeout=30)
    assert r.status_code == 404 and r.json()["error"] == "UnknownNameError" and "orgs search" in r.json()["fix"]
    bad = httpx.get(f"{server}/api/orgs", params={"type": "banana"}, timeout=30)
    assert bad.status_code == 422 and "type" in bad.text


def test_api_ri_lens(server):
    r = httpx.get(f"{server}/api/region/ITC4/ri", timeout=60).json()
    assert r["region"] == "ITC4" and r["summary"]["n_organisations"] > 300
    leit = next(x for x in r["profile"] if x["programme_part"] == "LEIT")
    assert leit["rca"] > 1 and leit["specialised"] is True
    assert httpx.get(f"{server}/api/region/XX99/ri", timeout=30).status_code == 404


def test_org_pages_en_it(server):
    en = httpx.get(f"{server}/orgs", params={"q": "milano", "type": "university"}, headers={"accept": "text/html"},
                   timeout=300)
    assert en.status_code == 200 and "POLITECNICO DI MILANO" in en.text and "/org/999879881" in en.text
    it = httpx.get(f"{server}/org/999879881", params={"lang": "it"}, headers={"accept": "text/html"}, timeout=60)
    assert it.status_code == 200 and "Composizione per programma" in it.text and "università" in it.text
    missing = httpx.get(f"{server}/org/123", headers={"accept": "text/html"}, timeout=30)
    assert missing.status_code == 404


def test_api_region_network_and_org_network_card(server):
    net = httpx.get(f"{server}/api/region/ITC4/network", timeout=300).json()
    names = [b["name"] for b in net["brokers"][:8]]
    assert names[0] == "POLITECNICO DI MILANO" and "STMICROELECTRONICS SRL" in names
    assert net["graph"]["links"] == 796_670 and 0.42 < net["graph"]["modularity"] < 0.44
    assert net["by_country"][0]["links"] >= net["by_country"][1]["links"] > 0
    assert all(r["nuts2"] != "ITC4" for r in net["by_region"])
    card = httpx.get(f"{server}/api/org/999879881", timeout=60).json()["network"]
    assert card["betweenness_rank"] == next(b for b in net["brokers"] if b["org_id"] == "999879881")["betweenness_rank"]
    assert card["community_top"] and card["community_size"] >= len(card["community_top"])
    missing = httpx.get(f"{server}/api/region/XX99/network", timeout=30)
    assert missing.status_code == 404 and missing.json()["error"] == "UnknownNameError"
    assert "/api/region/{region}/network" in httpx.get(f"{server}/api/openapi.json", timeout=30).json()["paths"]


def test_network_on_the_pages_en_it(server):
    html = {"accept": "text/html"}
    org = httpx.get(f"{server}/org/999879881", params={"lang": "it"}, headers=html, timeout=60)
    assert org.status_code == 200 and "Rete di collaborazione" in org.text and 'id="net-rank"' in org.text
    region = httpx.get(f"{server}/orgs", params={"region": "ITC4"}, headers=html, timeout=60)
    assert region.status_code == 200 and 'id="brokers"' in region.text and "External links by country" in region.text
    assert region.text.index("POLITECNICO DI MILANO") < region.text.index('id="links-country"')
