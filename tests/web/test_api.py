"""The REST API and pages through a real uvicorn server on loopback (real data, real store)."""
from __future__ import annotations

import gzip
import io
import re

import pandas as pd
import numpy as np
import pytest

PAGES = ["/", "/region/ITC4", "/activity/C13", "/space", "/space?color=ecosystem", "/compare", "/backtest",
         "/downloads", "/?metric=rca&activity=C28", "/?metric=diversity", "/search?q=Lomb"]
ENDPOINTS = ["/api/info", "/api/regions?q=Lombardia", "/api/map", "/api/map?metric=rca&activity=C13",
             "/api/region/ITC4", "/api/activity/C13", "/api/space", "/api/space?color=ecosystem&region=DE11",
             "/api/compare", "/api/backtest", "/api/tables", "/api/geojson", "/api/openapi.json"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_with_html_and_security_headers(client, path):
    r = client.get(path, follow_redirects=True)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "http" not in csp
    # every script and stylesheet comes from this server
    for url in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert not url.startswith(("http://", "https://", "//")), url


def _required_fields(openapi: dict, path: str) -> list[str]:
    """The required properties of the JSON an endpoint declares in the OpenAPI schema."""
    route = path.split("?")[0]
    for template, item in openapi["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), route):
            schema = item["get"]["responses"]["200"]["content"].get("application/json", {}).get("schema", {})
            schema = schema.get("items", schema)
            if "$ref" in schema:
                schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            return schema.get("required", [])
    raise AssertionError(f"{route} is not in the OpenAPI schema")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_endpoints_answer_json(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    data = r.json()
    assert data, f"{path} answered an empty body"
    required = _required_fields(client.get("/api/openapi.json").json(), path) if "openapi" not in path else ["paths"]
    for item in data if isinstance(data, list) else [data]:
        missing = [f for f in required if f not in item]
        assert not missing, f"{path}: fields {missing} declared required but missing"


def test_region_search_in_several_languages(client):
    for q in ("Lombardia", "lombardy", "ITC4", "lomb"):
        hits = client.get("/api/regions", params={"q": q}).json()
        assert hits and hits[0]["region"] == "ITC4", (q, hits[:3])
    # a German region by its German name and by its English exonym
    assert client.get("/api/regions", params={"q": "Oberbayern"}).json()[0]["region"] == "DE21"
    assert client.get("/search", params={"q": "Lombardy"}).headers["location"] == "/region/ITC4"


def test_region_profile_of_lombardy(client, store):
    p = client.get("/api/region/ITC4").json()
    assert p["name"] == "Lombardia" and p["is_profile_region"]
    spec = {s["activity"]: s for s in p["specialisations"]}
    # Lombardy's textile specialisation is the strongest in persons employed (2014)
    assert p["specialisations"][0]["activity"] == "C13" and spec["C13"]["rca"] > 2.5
    assert all(s["rca"] >= 1 for s in p["specialisations"][:15])
    assert p["eci_rank"] is not None and 1 <= p["eci_rank"] <= p["n_ranked"]
    # a region can be named in any language the data has
    assert client.get("/api/region/Lombardia").json()["region"] == "ITC4"


def test_lombardy_answers_the_four_questions(client):
    """What are we strong in, what next and why, how do traditional industries get there, with whom."""
    p = client.get("/api/region/ITC4").json()
    opps = p["opportunities"]
    assert len(opps) > 20 and all(o["rca"] < 1 for o in opps)
    assert {o["quadrant"] for o in opps} == {"high_high", "low_high", "high_low", "low_low"}
    assert [o["rank"] for o in opps[:5]] == [1, 2, 3, 4, 5]
    assert all(o["supporting"] and o["reason"] for o in opps[:10])
    assert p["density_threshold"] is not None and p["pci_threshold"] is not None
    paths = p["paths"]
    assert paths["available"], paths["note"]
    assert {r["from"] for r in paths["rows"]} == {"Mechanics", "Chemicals and pharma", "Fashion", "Furniture",
                                                  "Agro-food"}
    assert all(0 <= r["feasibility"] <= 1 and r["route"] for r in paths["rows"])
    for section in ("niches", "competences", "partners"):
        assert p[section]["available"] and p[section]["rows"], (section, p[section]["note"])
    partners = p["partners"]["rows"]
    assert all(r["partner"] != "ITC4" for r in partners)
    assert partners[0]["targets_helped"] >= partners[-1]["targets_helped"]
    assert all(r["holds"] >= 1000 for r in partners)  # every partner holds what it brings, in persons


def test_profile_sections_of_other_regions(client):
    # Stuttgart is a Four Motors region: its niches and partners are in the store too
    de = client.get("/api/region/DE11").json()
    assert de["niches"]["rows"] and de["partners"]["rows"] and de["opportunities"]
    # every region on its own terms: Stuttgart's paths start in its own largest specialisations
    de_paths = de["paths"]["rows"]
    assert de_paths and all(r["from"] == "largest specialisations of DE11" for r in de_paths)
    assert not any("Fashion" in (r["from"] or "") for r in de_paths)
    # a region outside the profile's networks gets every section, paths derived from its data
    pl = client.get("/api/region/PL51").json()
    assert pl["opportunities"] and pl["competences"]["rows"] and pl["niches"]["rows"]
    assert pl["partners"]["rows"] and all(r["partner"] != "PL51" and r["targets"] for r in pl["partners"]["rows"])
    assert pl["paths"]["rows"] and pl["paths"]["rows"][0]["to"] == "best-ranked opportunities of PL51"
    # a region the source reports nothing for: empty sections, no misleading note
    yt = client.get("/api/region/FRY5").json()
    assert yt["opportunities"] == [] and yt["partners"]["rows"] == [] and yt["partners"]["note"] != "only_profile_region"


def test_compare_four_motors_and_backtest(client):
    c = client.get("/api/compare").json()
    assert c["network"] == "Four Motors for Europe"
    assert set(c["members"]) == {"FRK", "DE1", "ES51", "ITC4"}
    assert {r["member"] for r in c["table"]["rows"]} == {"FRK", "DE1", "ES51", "ITC4"}
    assert c["heatmap"]["regions"] and len(c["heatmap"]["z"]) == len(c["heatmap"]["regions"])
    # Baden-Wuerttemberg's E38 is confidential: unknown (null) in the heatmap, never 0, and said
    h = c["heatmap"]
    assert "DE1 E38" in c["table"]["note"]
    import re
    hidden = re.findall(r"\b(FRK|DE1|ES51|ITC4) ([A-U]\d\d)\b", c["table"]["note"])
    shown = [(mem, act) for mem, act in hidden if mem in h["regions"] and act in h["activities"]]
    assert shown  # e.g. FRK B08
    assert all(h["z"][h["regions"].index(mem)][h["activities"].index(act)] is None for mem, act in shown)
    assert "n/a" in client.get("/compare").text
    assert c["charts"]["rows"] and c["charts"]["rows"][0]["gain"] >= c["charts"]["rows"][-1]["gain"]
    assert client.get("/api/compare", params={"network": "vanguard"}).json()["network"].startswith("Vanguard")
    r = client.get("/api/compare", params={"network": "Five Motors"})
    assert r.status_code == 404 and r.json()["kind"] == "network"
    b = client.get("/api/backtest").json()
    assert b["design"]["test"] and b["table"]["available"]
    assert {r["predictor"] for r in b["table"]["rows"]} >= {"model", "density"}
    assert b["curves"]["rows"] and all(0 <= r["precision"] <= 1 for r in b["curves"]["rows"])


def test_activity_detail(client):
    a = client.get("/api/activity/C13").json()
    assert a["name"] == "Manufacture of textiles"
    assert a["related"] and all(0 < r["proximity"] <= 1 for r in a["related"])
    assert "ITC4" in {r["region"] for r in a["top_regions"]}
    for e in a["entered"]:
        assert e["rca"] >= 1 and e["rca_first"] < 1
    # Dorset and Somerset (711, 2,301, 388, 2,864 persons in 2011-2014) are too small to judge
    assert a["entered"] and "UKK2" not in {e["region"] for e in a["entered"]}
    assert len(a["map"]["regions"]) == len(a["map"]["values"]) > 200


def test_confidential_cells_are_not_entries(client, store):
    """PL51's B08 (quarrying) was confidential in 2009 and specialised before and after: not an
    'entry', and its 2009 RCA is unknown, not 0."""
    rca = store.table("rca")
    cell = rca[(rca["region"] == "PL51") & (rca["activity"] == "B08")].iloc[0]
    assert cell["rca"] > 1 and np.isnan(cell["rca_first"]) and not cell["entered"]
    entered = rca[rca["entered"]]
    assert entered["rca_first"].notna().all() and (entered["rca_first"] < 1).all()
    spec = {s["activity"]: s for s in client.get("/api/region/PL51").json()["specialisations"]}
    assert spec["B08"]["rca_first"] is None and spec["B08"]["rca"] > 1


def test_unknown_names_give_404_with_closest_names(client):
    r = client.get("/api/region/Lombardi")
    assert r.status_code == 404
    body = r.json()
    assert body["kind"] == "region" and "Lombardia" in body["suggestions"]
    r = client.get("/api/activity/C133")
    assert r.status_code == 404 and "C13" in r.json()["suggestions"]
    r = client.get("/api/map", params={"metric": "rca", "activity": "textile"})
    assert r.status_code == 404 and r.json()["kind"] == "activity"
    r = client.get("/api/download/regionz")
    assert r.status_code == 404 and "regions" in r.json()["suggestions"]
    # pages answer a browser with an HTML page naming the suggestions
    r = client.get("/region/Lombardi", headers={"accept": "text/html"})
    assert r.status_code == 404 and "Lombardia" in r.text


@pytest.mark.parametrize("path", ["/api/map?metric=gdp", "/api/regions", "/api/regions?q=a&limit=0",
                                  "/api/space?color=blue", "/api/download/regions?format=xlsx"])
def test_bad_parameters_give_422_json(client, path):
    r = client.get(path)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2f..%2fpyproject.toml",
                                  "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", "/static//etc/passwd",
                                  "/static/..%5capp.py", "/vendor/../app.py"])
def test_no_file_outside_the_static_folder(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404)
    assert "def create_app" not in r.text and "root:" not in r.text and "[project]" not in r.text


def test_static_files_and_plotly_are_served_locally(client):
    r = client.get("/static/app.js")
    assert r.status_code == 200 and "Plotly.newPlot" in r.text
    r = client.get("/vendor/plotly.min.js", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/javascript")
    assert "plotly.js" in r.text[:2000]


def test_home_page_transfer_is_under_3_mb(client):
    """HTML + CSS + scripts + GeoJSON, compressed as a browser receives them."""
    total = 0
    home = client.get("/", headers={"accept-encoding": "gzip"})
    total += int(home.headers.get("content-length", len(home.content)))
    for path in ("/static/style.css", "/static/app.js", "/vendor/plotly.min.js", "/api/geojson"):
        with client.stream("GET", path, headers={"accept-encoding": "gzip"}) as r:
            raw = b"".join(r.iter_raw())
        assert r.status_code == 200
        total += len(raw)
    assert total < 3 * 1024 * 1024, total


def test_language_switch_by_query_and_cookie(client, server):
    import httpx

    with httpx.Client(base_url=server) as c:
        r = c.get("/?lang=it")
        assert "Cerca una regione" in r.text and 'lang="it"' in r.text
        assert c.cookies.get("lang") == "it"
        assert "Spazio delle attività" in c.get("/region/ITC4").text  # cookie keeps Italian
        assert "Find a region" in c.get("/?lang=en").text


def test_downloads_every_table_as_csv_and_parquet(client, store):
    tables = client.get("/api/tables").json()
    names = {t["name"] for t in tables}
    assert {"regions", "activities", "rca", "proximity", "layout"} <= names
    for t in tables:
        csv = client.get(t["csv"])
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert len(pd.read_csv(io.BytesIO(csv.content))) == t["rows"] == len(store.table(t["name"]))
        pq = client.get(t["parquet"])
        assert pq.status_code == 200
        assert len(pd.read_parquet(io.BytesIO(pq.content))) == t["rows"]


def test_geojson_is_simplified_nuts2(client):
    r = client.get("/api/geojson", headers={"accept-encoding": "gzip"})
    gj = r.json()
    ids = {f["id"] for f in gj["features"]}
    assert "ITC4" in ids and len(ids) > 300
    with client.stream("GET", "/api/geojson", headers={"accept-encoding": "gzip"}) as s:
        assert len(b"".join(s.iter_raw())) < 600_000


def test_space_layout_is_precomputed_and_complete(client, store):
    s = client.get("/api/space", params={"region": "ITC4"}).json()
    assert len(s["nodes"]) == len(store.activities)
    spec = {n["activity"] for n in s["nodes"] if n["group"] == "specialised"}
    assert "C13" in spec and all(n["value"] >= 1 for n in s["nodes"] if n["group"] == "specialised")
    assert len(s["edges"]) >= len(s["nodes"]) - 1  # at least a spanning tree


def test_menu_never_highlights_another_region(client):
    """`/region/DE11` must not highlight "Lombardia" in the menu; `/region/ITC4` does."""
    import re

    def active_region_link(html):
        return re.search(r'<a href="/region/ITC4" class="active">', html)

    assert active_region_link(client.get("/region/ITC4").text)
    assert not active_region_link(client.get("/region/DE11").text)
