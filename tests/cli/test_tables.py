"""Terminal tables (issue 13, defect 10): readable at 80 and 120 columns, ``--wide`` in full.

Each command runs in this process on the real SBS analysis (cached by the ``sbs`` fixture),
once with ``--wide`` (the reference: every cell in full) and at each width. A table row must
be one line that fits the width, and every word printed must be a whole word of the full
output (a word cut at its end carries an ellipsis and is dropped from the check only when the
part before it is a whole word): "relatednes" + "s" or "Emilia-R" + "omagna" fail.
"""
from __future__ import annotations

import importlib
import re
import sys

import pytest

cli_app = importlib.import_module("smartspec.cli.app")  # the module: `smartspec.cli.app` is also the Typer app

PUNCT = ",;:()"
COMMANDS = [("opportunities", "ITC4"), ("peers", "ITC4"), ("peers", "DE11"), ("profile", "ES51"),
            ("partners", "ITC4", "--activity", "C29"), ("network", "Four Motors for Europe")]


def render(monkeypatch, capsys, width: int | None, *args: str) -> str:
    from smartspec.cli import main

    monkeypatch.setattr(cli_app.console, "width", width or 160)
    monkeypatch.setitem(cli_app.WIDE, "on", False)
    argv = ["smartspec", *(["--wide"] if width is None else []), *args]
    monkeypatch.setattr(sys, "argv", argv)
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    return capsys.readouterr().out


def table_rows(out: str) -> list[str]:
    """The body lines of every table (between a header rule and the blank line after)."""
    rows, inside = [], False
    for line in out.splitlines():
        if re.fullmatch(r"\s*[─━]+\s*", line):
            inside = True
        elif inside and not line.strip():
            inside = False
        elif inside:
            rows.append(line)
    return rows




@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_tables_fit_80_and_120_columns(args, sbs, monkeypatch, capsys):
    wide = render(monkeypatch, capsys, None, *args)
    words = {w.rstrip("\u2026").strip(PUNCT).lower() for w in wide.split()}
    wide_rows = table_rows(wide)
    assert wide_rows, wide[:2000]
    for width in (80, 120):
        out = render(monkeypatch, capsys, width, *args)
        rows = table_rows(out)
        # one line per row: the same number of body lines as in full
        assert len(rows) == len(wide_rows), (width, out[:3000])
        for line in rows:
            assert len(line.rstrip()) <= width, (width, line)
            for word in line.split():
                stem = word.rstrip("\u2026").strip(PUNCT).lower()  # "Chemicals" from "Manufacture of chemicals"
                assert stem == "" or stem in words, (width, word, line)
        if max(len(r.rstrip()) for r in wide_rows) > width:  # it had to give: said, not hidden
            assert "\u2026" in out or "not shown at this width" in out, (width, out[:3000])


def test_shorten_cuts_between_words():
    assert cli_app.shorten("Manufacture of other transport equipment", 20) == "Other transport\u2026"
    assert cli_app.shorten("Manufacture of chemicals and chemical products", 31) == "Chemicals and chemical products"
    assert cli_app.shorten("Wholesale trade, except of motor vehicles and motorcycles", 24) == "Wholesale trade"
    assert cli_app.shorten("Activities of head offices; management consultancy activities", 30) == "Activities of head offices"
    assert cli_app.shorten("Manufacture of textiles", 30) == "Manufacture of textiles"  # it fits: untouched
    assert cli_app.shorten("Construction of buildings", 14) == "Construction\u2026"
    assert cli_app.shorten("Air transport", 13) == "Air transport"
