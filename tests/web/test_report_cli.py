"""The region report (HTML and PDF) and the build/serve/report commands."""
from __future__ import annotations

import inspect
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from smartspec.cli.app import app

SMARTSPEC = str(__import__("pathlib").Path(sys.executable).parent / "smartspec")


def test_html_report_is_self_contained(store_path, tmp_path):
    from smartspec.report import write_report

    out = write_report("Lombardy", tmp_path / "r.html", fmt="html", store_path=store_path)
    html = out.read_text()
    assert "Lombardia" in html and "<svg" in html
    assert html.count("<svg") >= 3  # specialisations, map, and opportunities or partners
    # no external resource: no script, stylesheet or image fetched from elsewhere
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert "<script" not in html
    assert "Manufacture of textiles" in html
    # every map clips to its own height (ids are global to the page)
    clips = re.findall(r'<clipPath id="([^"]+)"', html)
    assert len(clips) >= 2 and len(set(clips)) == len(clips)
    assert "partner rank (1 = best, darkest)" in html


def test_summary_gives_each_target_a_line_with_its_two_closest_strengths(store_path, tmp_path):
    """The first page's summary once ran the five targets and their five supporting strengths
    each into one paragraph (Stuttgart: 28 lines)."""
    from smartspec.report import write_report

    html = write_report("DE11", tmp_path / "r.html", store_path=store_path).read_text()
    targets = re.search(r'<ul class="targets">(.*?)</ul>', html, re.S)
    assert targets, "no list of targets in the summary"
    items = re.findall(r"<li>(.*?)</li>", targets.group(1), re.S)
    assert len(items) == 5
    for item in items:
        assert "supported by" in item and 1 <= item.count("(proximity") <= 2, item


def test_pdf_report_is_printed_by_chromium(store_path, tmp_path):
    from smartspec.report.render import find_chromium
    from smartspec.report import write_report

    if find_chromium() is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium missing in CI")
        pytest.skip("chromium is not installed")
    out = write_report("ITC4", tmp_path / "r.pdf", fmt="pdf", store_path=store_path)
    data = out.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2


def test_report_command_and_bad_input(store_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "lombardy.html"
    r = runner.invoke(app, ["report", "ITC4", "--format", "html", "-o", str(out), "--store", str(store_path)])
    assert r.exit_code == 0, r.output
    assert out.exists() and "wrote" in r.output
    r = subprocess.run([SMARTSPEC, "report", "ITC4", "--format", "docx",
                        "--store", str(store_path)], capture_output=True, text=True)
    assert r.returncode == 2 and "--format" in r.stderr
    r = subprocess.run([SMARTSPEC, "report", "Atlantis", "--store", str(store_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unknown region 'Atlantis'" in r.stderr
    # Mayotte is in the panel, but Eurostat reports nothing for it: no empty report is written
    empty = tmp_path / "mayotte.html"
    r = subprocess.run([SMARTSPEC, "report", "FRY5", "-o", str(empty), "--store", str(store_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Mayotte (FRY5) has no value" in r.stderr and not empty.exists()


@pytest.mark.parametrize("fmt, output, expected", [
    (None, None, "html"), (None, "r.pdf", "pdf"), (None, "R.PDF", "pdf"), (None, "r.htm", "html"),
    (None, "report", "html"), ("PDF", "r.pdf", "pdf"), ("html", "r.html", "html"), ("pdf", "r.txt", "pdf"),
])
def test_document_format_from_the_option_or_the_suffix(fmt, output, expected):
    from smartspec.report.render import document_format

    assert document_format(fmt, output) == expected


@pytest.mark.parametrize("fmt, output, message", [
    ("html", "r.pdf", "--format html but the output file 'r.pdf' ends in .pdf"),
    ("pdf", "r.HTML", "--format pdf but the output file 'r.HTML' ends in .html"),
    (None, "r.docx", "cannot tell the document format from the suffix '.docx'"),
    ("docx", None, "unknown document format 'docx'"),
])
def test_document_format_refuses_a_file_name_it_would_contradict(fmt, output, message):
    from smartspec.errors import InputError
    from smartspec.report.render import document_format

    with pytest.raises(InputError, match=re.escape(message)):
        document_format(fmt, output)


def test_report_and_evidence_take_the_format_from_the_file_name(store_path, tmp_path):
    """``-o r.pdf`` without ``--format`` prints a PDF (it used to write HTML into r.pdf); a
    contradiction exits 2 before anything is written."""
    from smartspec.report.render import find_chromium

    r = subprocess.run([SMARTSPEC, "report", "ITC4", "--format", "html", "-o", str(tmp_path / "r.pdf"),
                        "--store", str(store_path)], capture_output=True, text=True)
    assert r.returncode == 2 and "ends in .pdf" in r.stderr and not (tmp_path / "r.pdf").exists()
    r = subprocess.run([SMARTSPEC, "evidence", "ITC4", "-o", str(tmp_path / "e.docx"), "--store", str(store_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "suffix '.docx'" in r.stderr and not (tmp_path / "e.docx").exists()
    if find_chromium() is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium missing in CI")
        pytest.skip("chromium is not installed")
    out = tmp_path / "stuttgart.pdf"
    r = CliRunner().invoke(app, ["report", "DE11", "-o", str(out), "--store", str(store_path)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:5] == b"%PDF-"


def test_report_of_a_region_outside_the_profile_networks(store_path, tmp_path):
    from smartspec.report import write_report

    html = write_report("PL51", tmp_path / "pl51.html", fmt="html", store_path=store_path).read_text()
    assert "Dolnośląskie" in html or "Dolnoslaskie" in html
    # its partners are in the store (a map of them is drawn), and paths derived from its own data
    assert html.count("<svg") >= 4 and "best-ranked opportunities of PL51" in html
    assert "Fashion" not in html


def test_serve_binds_loopback_by_default():
    from smartspec.cli.web_cmds import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_store_manifest_names_every_section(store):
    man = store.manifest
    assert man["dataset"] == "eurostat-sbs" and man["year"] == 2014 and man["region"] == "ITC4"
    for sec in ("measures", "geo", "layout", "opportunities", "paths", "niches", "competences", "partners",
                "compare", "backtest"):
        assert sec in man["sections"]
        if not man["sections"][sec]["available"]:
            assert man["sections"][sec]["reason"]
    assert man["sections"]["measures"]["available"] and man["sections"]["geo"]["available"]


def test_serve_prints_the_address_and_answers(store_path):
    import httpx

    from tests.web.conftest import _free_port

    port = _free_port()
    proc = subprocess.Popen([SMARTSPEC, "serve", "--port", str(port), "--store", str(store_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = ""
        for _ in range(20):
            line = proc.stdout.readline()
            if "running" in line:
                break
        assert f"http://127.0.0.1:{port}/" in line
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/info", timeout=2)
                break
            except httpx.HTTPError:
                import time

                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["dataset"] == "eurostat-sbs"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_on_a_busy_port_fails_clearly(server, store_path):
    port = server.rsplit(":", 1)[1]
    r = subprocess.run([SMARTSPEC, "serve", "--port", port, "--store", str(store_path)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "cannot listen" in r.stderr and "--port" in r.stderr
