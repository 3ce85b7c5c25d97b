"""The monitoring page and API, `smartspec monitor` and the evidence pack (HTML and PDF)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from smartspec.cli.app import app
from smartspec.report.evidence import CRITERIA, load_declared, write_evidence
from smartspec.errors import InputError

SMARTSPEC = str(Path(sys.executable).parent / "smartspec")


def test_monitor_api_and_page(server):
    r = httpx.get(f"{server}/api/region/Lombardia/monitor", timeout=60)
    assert r.status_code == 200
    body = r.json()
    assert body["region"] == "ITC4"
    rows = body["dashboard"]
    pillars = {p: {x["indicator"] for x in rows if x["pillar"] == p} for p in ("enterprise", "research", "international")}
    assert min(len(v) for v in pillars.values()) >= 4
    assert {"h2020_funding", "h2020_funding_by_type", "erc_grants"} <= pillars["research"]
    assert {"h2020_foreign_links", "h2020_network_links", "complementary_reached"} <= pillars["international"]
    for p, keys in pillars.items():  # each indicator against at least three peers with a value
        with_peers = [k for k in keys if len({x["unit"] for x in rows if x["indicator"] == k and x["role"] != "region"
                                              and x["value"] is not None}) >= 3]
        assert len(with_peers) >= 4, p
    fr = [x for x in rows if x["indicator"] == "h2020_funding" and x["unit"] == "FRK2"]
    assert fr and all(x["value"] is None and "no population" in x["note"] for x in fr)
    ris = [x for x in rows if x["indicator"] == "ris" and x["unit"] == "ITC4" and x["year"] == 2025]
    assert ris[0]["value"] == pytest.approx(111.15, abs=0.01)
    es = [x for x in rows if x["indicator"] == "ris" and x["unit"] == "ES51"]
    assert es and all(x["value"] is None and x["note"] == "not covered by the source" for x in es)
    assert [a["n_regions"] for a in body["agreement"]] == [72] * 8
    assert body["targets"][0]["indicator"] == "neet" and body["targets"][0]["status"] == "reached"
    assert 1 <= body["composite"]["rank"] <= body["n_composite"] == 81
    html = httpx.get(f"{server}/region/ITC4/monitor", headers={"accept": "text/html"}, timeout=60).text
    for pid in ("pillar-enterprise", "pillar-research", "pillar-international", "composite", "targets"):
        assert f'id="{pid}"' in html
    assert "not covered by the source" in html and "Regional Innovation Scoreboard index" in html
    it = httpx.get(f"{server}/region/ITC4/monitor?lang=it", timeout=60).text
    assert "Monitoraggio per pilastro" in it and "Indice del Regional Innovation Scoreboard" in it
    assert "Grant ERC ospitati" in it and "EUR per abitante" in it and "membro della rete" in it
    assert "università" in it and "tutti i paesi esteri" in it
    assert "EUR per inhabitant" not in it and "network member" not in it
    # a region outside the profile: peers of its own, no targets
    de = httpx.get(f"{server}/api/region/DE11/monitor", timeout=60).json()
    assert de["targets"] == [] and {u["unit"] for u in de["units"]} >= {"DE11", "ITC4", "DE"}
    bad = httpx.get(f"{server}/api/region/Atlantis/monitor", timeout=60)
    assert bad.status_code == 404 and bad.json()["error"] == "UnknownNameError"
    assert httpx.get(f"{server}/region/lombardia/monitor", follow_redirects=False, timeout=60).status_code == 303
    assert 'href="/region/ITC4/monitor"' in httpx.get(f"{server}/region/ITC4", timeout=60).text


def test_monitor_command(store_path):
    r = CliRunner().invoke(app, ["monitor", "ITC4", "--store", str(store_path)])
    assert r.exit_code == 0, r.output
    for title in ("Pillar 1: Enterprise", "Pillar 2: Research", "Pillar 3: Internationalisation"):
        assert title in r.output
    assert "Spearman with the published RIS across 72 regions" in " ".join(r.output.split())  # prose wraps
    assert "neet" in r.output and "reached" in r.output
    r = CliRunner().invoke(app, ["monitor", "ITC4", "--indicator", "ris", "--store", str(store_path)])
    assert r.exit_code == 0 and "2025" in r.output and "ES51" in r.output and "not covered by the source" in r.output
    r = subprocess.run([SMARTSPEC, "monitor", "ITC4", "--indicator", "riss", "--store", str(store_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unknown indicator 'riss'" in r.stderr and "ris" in r.stderr


def _sections(html: str) -> list[str]:
    parts = html.split('<h2 id="criterion-')[1:]
    return [p.split("<h2")[0] for p in parts]


def test_evidence_html_has_each_criterion_computed_and_declared(store, tmp_path):
    out = write_evidence("ITC4", tmp_path / "e.html", store=store)
    html = out.read_text()
    secs = _sections(html)
    assert len(secs) == 7
    for i, (sec, title) in enumerate(zip(secs, CRITERIA), start=1):
        assert sec.startswith(f'{i}">{i}. {title}') and "<h3>Computed</h3>" in sec and "<h3>Declared</h3>" in sec
    assert "C28" in secs[0] and "Bottlenecks" in secs[0]                 # strengths and weak points
    assert "Regione Lombardia" in secs[1] and "s3.regione.lombardia.it" in secs[1]
    assert "Spearman" in secs[2] and "neet" in secs[2] and "backtest" in secs[2]
    assert "Fabbrica intelligente" in secs[3] and "Stakeholder meetings and their outcomes: not declared" in secs[3]
    assert "Regional Innovation Scoreboard index" in secs[4] and "R&amp;I lens" in secs[4]
    assert "POLITECNICO DI MILANO" in secs[4] and "Knowledge-triangle links" in secs[4]
    assert "ERC grants: 42 of the 3,986 grants" in secs[4] and "478 not in the H2020 organisation files" in secs[4]
    assert "Transition paths" in secs[5]
    assert "Complementary partner regions" in secs[6] and "Four Motors for Europe" in secs[6]
    assert "Foreign collaboration links" in secs[6] and "Complementary partner regions reached" in secs[6]
    assert "not available" not in secs[4] + secs[6]


def test_evidence_declared_file_errors(tmp_path):
    f = tmp_path / "d.toml"
    f.write_text('[[meetings]]\ndate = "2025-01-01"\ntitle = "Ecosystem table"\n')
    with pytest.raises(InputError, match=r"\[\[meetings\]\] #1: missing key 'source'"):
        load_declared(f, "ITC4")
    f.write_text('[region]\ncode = "DE11"\n')
    with pytest.raises(InputError, match="declares region 'DE11', not 'ITC4'"):
        load_declared(f, "ITC4")
    f.write_text('[[boards]]\nname = "x"\n')
    with pytest.raises(InputError, match="unknown table 'boards'"):
        load_declared(f, "ITC4")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_evidence_pdf_has_the_seven_sections(store_path, tmp_path):
    from smartspec.report.render import find_chromium

    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    out = tmp_path / "e.pdf"
    r = CliRunner().invoke(app, ["evidence", "ITC4", "--format", "pdf", "-o", str(out), "--store", str(store_path)])
    assert r.exit_code == 0, r.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for i, title in enumerate(CRITERIA, start=1):
        assert f"{i}. {title}" in flat, title
