"""One normaliser and one resolver (data.names): what a user types resolves the same way in
the library, the results store, the web and the command line."""
from __future__ import annotations

import pandas as pd
import pytest

from smartspec.data.names import NameIndex, german_variant, match_names, normalise_name
from smartspec.errors import UnknownNameError


@pytest.mark.parametrize("text, key", [
    ("Baden-Württemberg", "badenwurttemberg"), ("Straße", "strasse"), ("Weser-Ems", "weserems"),
    ("Αττική", "attiki"), ("Aττική", "attiki"), ("Северозападен", "severozapaden"), ("Łódzkie", "lodzkie"),
    ("Île-de-France", "iledefrance"), ("???", ""), ("@", ""), ("  ", ""),
])
def test_normalise_name(text, key):
    assert normalise_name(text) == key


def test_german_variant_spells_out_umlauts():
    assert german_variant("Baden-Württemberg") == normalise_name("Baden-Wuerttemberg")


def test_empty_key_never_matches():
    index = NameIndex("region", pd.DataFrame({"code": ["BG31", "ITC4"], "name": ["Северозападен", "Lombardia"]}))
    for query in ["???", "@", "", " - "]:
        assert index.find(query) is None
        with pytest.raises(UnknownNameError):
            index.resolve(query)
    assert match_names(index.names, "???").empty
    assert index.resolve("severozapaden") == "BG31" and index.resolve("itc4") == "ITC4"


@pytest.mark.parametrize("query, code", [
    ("ITC4", "ITC4"), ("itc4", "ITC4"), ("Lombardia", "ITC4"), ("Lombardy", "ITC4"), ("Αττική", "EL30"),
    ("Attiki", "EL30"), ("Северозападен", "BG31"), ("Cataluña", "ES51"), ("Catalonia", "ES51"), ("Stuttgart", "DE11"),
])
def test_panel_and_store_resolve_alike(sbs, store, query, code):
    assert sbs.region(query) == code
    assert store.resolve_region(query) == code


@pytest.mark.parametrize("query", ["???", "@", "Atlantis"])
def test_unknown_regions_are_unknown_everywhere(sbs, store, query):
    with pytest.raises(UnknownNameError):
        sbs.region(query)
    with pytest.raises(UnknownNameError):
        store.resolve_region(query)


def test_api_and_search_page_never_answer_another_region(client):
    assert client.get("/api/region/%40").status_code == 404
    assert client.get("/api/region/???").status_code == 404
    r = client.get("/api/region/Αττική")
    assert r.status_code == 200 and r.json()["region"] == "EL30"
    r = client.get("/search", params={"q": "Αττική"}, headers={"accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/region/EL30"
    r = client.get("/search", params={"q": "@"}, headers={"accept": "text/html"})
    assert r.status_code == 200 and "BG31" not in r.headers.get("location", "")


def test_report_on_a_nameless_query_fails(store_path, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    smartspec = str(Path(sys.executable).parent / "smartspec")
    r = subprocess.run([smartspec, "report", "???", "-o", str(tmp_path / "q.html"), "--store", str(store_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unknown region '???'" in r.stderr
    assert not (tmp_path / "q.html").exists()
