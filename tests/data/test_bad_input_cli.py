"""Issue 13, defects 2, 3, 6 and 7: bad input through the real CLI entry point (``smartspec.cli.main``,
the function the console script runs), in-process so each case costs milliseconds.

Every case asserts the exit status and the words of the message: the file, the line and the fix.
"""
from __future__ import annotations

import gzip
import sys

import pandas as pd
import pytest

from smartspec.cli import main
from smartspec.data.generic import read_table
from smartspec.errors import InputError, InputWarning

from test_update import server  # noqa: F401  (the loopback HTTP server fixture)


@pytest.fixture()
def cli(capsys, monkeypatch):
    """Run ``smartspec ARGS...``; returns (exit status, stdout, stderr with whitespace collapsed)."""
    def run(*args):
        monkeypatch.setattr(sys, "argv", ["smartspec", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, " ".join(out.out.split()), " ".join(out.err.split())
    return run


def _csv(tmp_path, name, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


# ----------------------------------------------------------------------------- defect 2: encodings
def test_utf8_file_with_one_latin1_byte_is_an_error_naming_the_line(cli, tmp_path):
    path = _csv(tmp_path, "mixed.csv", b"region,activity,value\nDE11,Caf\xc3\xa9,1\nK\xf6ln,Caf\xc3\xa9,2\n")
    code, _, err = cli("ingest", path)
    assert code == 2 and "mixed.csv" in err and "line 3, byte 2 (0xF6)" in err and "not valid UTF-8" in err
    assert "Traceback" not in err
    # nothing is re-decoded silently, and the library says the same
    with pytest.raises(InputError, match="line 3"):
        read_table(path)


def test_latin1_file_needs_its_encoding_named(cli, tmp_path):
    path = _csv(tmp_path, "latin.csv", b"region,activity,value\nK\xf6ln,Caf\xe9,2\nK\xf6ln,C13,1\n")
    code, _, err = cli("ingest", path)
    assert code == 2 and "line 2" in err and "--encoding latin-1" in err
    code, out, _ = cli("ingest", path, "--encoding", "latin-1")
    assert code == 0 and "encoding latin-1" in out
    panel = read_table(path, encoding="latin-1")
    assert list(panel.regions) == ["Köln"] and list(panel.activities) == ["C13", "Café"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_bom_files_are_read_in_their_encoding(cli, tmp_path, codec):
    path = _csv(tmp_path, "u.csv", "region,activity,value\nKöln,C13,1\nKöln,C14,2\n".encode(codec))
    code, out, err = cli("ingest", path)
    assert code == 0, err
    assert "regions 1" in out and "activities 2" in out
    assert list(read_table(path).regions) == ["Köln"]


# ----------------------------------------------------------------------------- defect 3: key cells
def test_excel_NA_None_nan_are_names_and_every_row_is_used(cli, tmp_path):
    regions = ["NA", "None", "nan", "DE11", "ITC4"]
    rows = [{"region": r, "activity": f"C{a}", "value": 1 + i + a}
            for i, r in enumerate(regions) for a in range(10, 20)]
    path = tmp_path / "keys.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False)
    out = tmp_path / "m.csv"
    code, _, err = cli("measures", path, "-o", out)
    assert code == 0, err
    got = pd.read_csv(out, keep_default_na=False)
    assert len(got) == len(rows) == 50
    assert sorted(got["region"].unique()) == sorted(regions)


def test_rows_without_a_key_are_counted_and_named(cli, tmp_path):
    path = _csv(tmp_path, "gap.csv", "region,activity,value\nITC4,C13,1\n,C13,2\nITC4,,3\nDE11,C13,4\n")
    with pytest.warns(InputWarning, match=r"2 row\(s\) left out .*line 3, line 4"):
        panel = read_table(path)
    assert panel.report["rows_without_region_or_activity"] == 2
    code, _, err = cli("measures", path)
    assert code == 0 and "note:" in err and "2 row(s) left out" in err and "line 3, line 4" in err


# ----------------------------------------------------------------------------- defect 6: tracebacks
def test_rich_markup_in_messages_is_printed_literally(cli, tmp_path):
    path = _csv(tmp_path, "h.csv", "reg[/x],activity,value\nITC4,C13,1\n")
    code, _, err = cli("ingest", path)
    assert code == 2 and "'reg[/x]'" in err and "MarkupError" not in err
    path = _csv(tmp_path, "v.csv", "region,activity,value\nITC4,C13,[red]x[/red]\n")
    code, _, err = cli("ingest", path)
    assert code == 2 and "'[red]x[/red]' is not a number" in err
    code, _, err = cli("ingest", tmp_path / "[/x].csv")
    assert code == 2 and "[/x].csv" in err and "file not found" in err


@pytest.mark.parametrize("values,expected", [
    (["1", "inf"], "'inf' is not a finite number"),
    (["1", "1e309"], "'1e309' is not a finite number"),
    (["1e308"] * 4, "add up to inf, too large for the measures"),
])
def test_measures_on_infinite_or_overflowing_values(cli, tmp_path, values, expected):
    cells = [("ITC4", "C13"), ("ITC4", "C14"), ("DE11", "C13"), ("DE11", "C14")]
    vals = (values * 4)[:4] if len(values) == 4 else ["1", "2", "3", values[1]]
    path = _csv(tmp_path, "big.csv", "region,activity,value\n" + "".join(f"{r},{a},{v}\n" for (r, a), v in zip(cells, vals)))
    code, _, err = cli("measures", path)
    assert code == 2 and expected in err and "Traceback" not in err
    if len(values) == 2:
        assert "line 5" in err


def test_measures_library_names_the_bad_cells():
    from smartspec.measure_table import measures

    df = pd.DataFrame({"region": ["a", "a", "b", "b"], "activity": ["x", "y", "x", "y"],
                       "value": [1.0, float("inf"), -2.0, 1.0]})
    with pytest.raises(InputError, match=r"not finite.*\(a, y\) = inf"):
        measures(df)
    with pytest.raises(InputError, match=r"negative.*\(b, x\) = -2"):
        measures(df.assign(value=[1.0, 1.0, -2.0, 1.0]))


HEADER_ONLY = "nace_r2,indic_sb,geo\\time\t2015\t2014\n"


def test_header_only_eurostat_tsv_in_ingest(cli, tmp_path):
    path = _csv(tmp_path, "h.tsv", HEADER_ONLY)
    code, _, err = cli("ingest", path)
    assert code == 2 and "h.tsv" in err and "header but no data rows" in err


def test_header_only_eurostat_tsv_in_data_update(cli, server, tmp_path):  # noqa: F811
    url, _ = server
    (tmp_path / "site" / "sbs_r_nuts2021.tsv.gz").write_bytes(gzip.compress(HEADER_ONLY.encode()))
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sbs_r_nuts2021.tsv.gz").write_bytes(b"previous")
    code, _, err = cli("data", "update", "--table", "sbs_r_nuts2021", "--dest", dest, "--base-url", url)
    assert code == 2 and "header but no data rows" in err and "previous file was kept" in err
    assert (dest / "sbs_r_nuts2021.tsv.gz").read_bytes() == b"previous"


def test_wide_on_a_long_table_says_it_is_long(cli, tmp_path):
    path = _csv(tmp_path, "long.csv", "region,activity,value\nITC4,C13,1\nITC4,C14,2\nDE11,C13,3\n")
    code, _, err = cli("ingest", path, "--wide")
    assert code == 2 and "looks like a long table" in err and "drop --wide" in err
    assert "Traceback" not in err and "value_name" not in err


# ----------------------------------------------------------------------------- defect 7: misleading
def test_a_directory_is_called_a_directory(cli, tmp_path):
    code, _, err = cli("ingest", tmp_path)
    assert code == 2 and "is a directory" in err and "gzip" not in err


def test_a_fake_xlsx_is_named_as_text(cli, tmp_path):
    path = _csv(tmp_path, "fake.xlsx", "region,activity,value\nITC4,C13,1\n")
    code, _, err = cli("ingest", path)
    assert code == 2 and "not an Excel workbook" in err and "looks like a CSV" in err and "sheet None" not in err


def test_a_workbook_whose_first_sheet_is_a_readme_points_to_the_data_sheet(cli, tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"About": ["Employment by region", "Source: Eurostat"]}).to_excel(xl, sheet_name="README", index=False)
        pd.DataFrame({"region": ["ITC4", "DE11"], "activity": ["C13", "C13"], "value": [1, 2]}).to_excel(
            xl, sheet_name="data", index=False)
    code, _, err = cli("ingest", path)
    assert code == 2 and "--sheet 'data'" in err and "sheet 'README'" in err
    code, out, _ = cli("ingest", path, "--sheet", "data")
    assert code == 0 and "regions 2" in out
    code, _, err = cli("ingest", path, "--sheet", "nope")
    assert code == 2 and "no sheet 'nope'" in err and "['README', 'data']" in err


@pytest.mark.parametrize("name,text,where", [
    ("e.tsv", HEADER_ONLY + "C13,V16110,ITC4\t1e309\t3\n", "line 2, column '2015'"),
    ("e.csv", "DATAFLOW,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nESTAT:X,A,C13,ITC4,2015,12,\n"
              "ESTAT:X,A,C13,DE11,2015,inf,\n", "line 3, column 'OBS_VALUE'"),
])
def test_infinite_eurostat_values_are_errors(cli, tmp_path, name, text, where):
    code, _, err = cli("ingest", _csv(tmp_path, name, text))
    assert code == 2 and where in err and "not a finite number" in err


def test_negative_eurostat_values_are_counted_with_their_indicator(cli, tmp_path):
    path = _csv(tmp_path, "e.tsv", HEADER_ONLY + "C13,V16110,ITC4\t-5\t3\nC13,V16110,DE11\t4\t3\n")
    code, out, _ = cli("ingest", path)
    assert code == 0 and "negative values 1 (in V16110)" in out
