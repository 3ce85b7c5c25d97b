"""Generic CSV / Parquet / Excel tables: real files from the data directory, and every bad input."""
from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from smartspec.data.generic import read_table
from smartspec.errors import DataNotFoundError, InputError


# ------------------------------------------------------------------ real files
def test_real_trade_csv_gz(data_dir):
    p = read_table(data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz", region="country",
                   activity="product", value="value")
    assert p.shape == (1, 226, 785)
    assert p.report["rows_read"] == 124_336 and p.report["cells_kept"] == 124_336
    assert p.report["rows_without_region_or_activity"] == 0


def test_real_patents_csv_gz(data_dir):
    path = data_dir / "patents" / "patstat_country_tech35_year_inventor.csv.gz"
    p = read_table(path, region="country_iso_code", activity="tech", value="count", year="year")
    assert len(p.activities) == 35 and p.years[0] == 1906 and p.years[-1] == 2020
    raw = pd.read_csv(path, dtype={"country_iso_code": str}, keep_default_na=False)
    blank = raw["country_iso_code"].str.strip() == ""  # 414 empty and 113 blank codes
    no_country = int(blank.sum())
    assert p.report["rows_without_region_or_activity"] == no_country > 0  # counted, not silent
    kept = p.to_frame()["value"].sum()
    assert kept == pytest.approx(pd.to_numeric(raw.loc[~blank, "count"]).sum())


def test_real_regional_indicators_long(data_dir):
    path = data_dir / "regional_indicators" / "interreg_ce_tncoop_nuts2_indicators_long.csv.gz"
    p = read_table(path, region="nuts2", activity="indicator", value="value", year="year", allow_negative=True)
    assert "ITC4" in p.regions and len(p.regions) >= 81
    assert p.report["rows_read"] == 19_763
    assert p.report["cells_kept"] + p.report["rows_without_region_or_activity"] == 19_763


def test_real_parquet_and_excel_roundtrip(data_dir, tmp_path):
    df = pd.read_csv(data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz", dtype={"product": str}).head(500)
    df.to_parquet(tmp_path / "t.parquet")
    df.to_excel(tmp_path / "t.xlsx", index=False, sheet_name="exports")
    a = read_table(tmp_path / "t.parquet", region="country", activity="product")
    b = read_table(tmp_path / "t.xlsx", region="country", activity="product", sheet="exports")
    assert a.shape == b.shape and np.allclose(a.dense(), b.dense())
    assert a.to_frame()["value"].sum() == pytest.approx(df["value"].sum())


# ------------------------------------------------------------------ shapes
def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_wide_matrix(tmp_path):
    path = _write(tmp_path, "wide.csv", "region,C13,C14,C20\nITC4,10,5,\nDE11,1,0,3\n")
    p = read_table(path, wide=True)
    assert list(p.regions) == ["DE11", "ITC4"] and list(p.activities) == ["C13", "C14", "C20"]
    assert p.frame().loc["ITC4", "C13"] == 10
    assert p.report["missing_values"] == 1 and p.missing[0].sum() == 1  # empty cell: missing, not 0


def test_semicolon_sniffed_and_missing_tokens(tmp_path):
    path = _write(tmp_path, "semi.csv", "r;a;v;y\nITC4;C13;1;2014\nITC4;C14;:;2014\n;C15;3;2014\n")
    p = read_table(path, region="r", activity="a", value="v", year="y")
    assert p.years == [2014] and p.report["missing_values"] == 1
    assert p.report["rows_without_region_or_activity"] == 1
    assert p.report["lines_without_region_or_activity"] == ["line 4"]


# ------------------------------------------------------------------ bad input
def test_missing_file(tmp_path):
    with pytest.raises(DataNotFoundError):
        read_table(tmp_path / "nope.csv")


def test_misnamed_column_suggests(tmp_path):
    path = _write(tmp_path, "t.csv", "regio,activity,value\nITC4,C13,1\n")
    with pytest.raises(InputError) as e:
        read_table(path)
    msg = e.value.message
    assert "t.csv" in msg and "'region' not found" in msg and "regio" in msg and "--region" in msg


def test_missing_columns_suggest_the_file_s_own(data_dir):
    """The fix names this file's columns for each role, and the suggestion works."""
    path = data_dir / "patents" / "patstat_country_tech35_year_inventor.csv.gz"
    with pytest.raises(InputError) as err:
        read_table(path)
    hint = "--region country_iso_code --activity tech --value count --year year"
    assert hint in err.value.fix  # not "country_name" for the value, though it starts like "count"
    panel = read_table(path, region="country_iso_code", activity="tech", value="count", year="year")
    assert len(panel.activities) == 35
    with pytest.raises(InputError) as err:
        read_table(data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz")
    assert err.value.fix.endswith("perhaps --region country --activity product")


def test_non_numeric_value_line(tmp_path):
    path = _write(tmp_path, "t.csv", "region,activity,value\nITC4,C13,1\nITC4,C14,12a\n")
    with pytest.raises(InputError) as e:
        read_table(path)
    assert "line 3" in e.value.message and "'12a'" in e.value.message and "t.csv" in e.value.message


def test_negative_value(tmp_path):
    path = _write(tmp_path, "t.csv", "region,activity,value\nITC4,C13,1\nITC4,C14,-4\n")
    with pytest.raises(InputError) as e:
        read_table(path)
    assert "line 3" in e.value.message and "negative" in e.value.message
    p = read_table(path, allow_negative=True)
    assert p.frame().loc["ITC4", "C14"] == -4


def test_duplicates_error_or_sum(tmp_path):
    path = _write(tmp_path, "t.csv", "region,activity,value\nITC4,C13,1\nITC4,C14,2\nITC4,C13,3\n")
    with pytest.raises(InputError) as e:
        read_table(path)
    assert "line 2 and line 4" in e.value.message and "sum" in e.value.fix
    p = read_table(path, duplicates="sum")
    assert p.frame().loc["ITC4", "C13"] == 4 and p.report["duplicates_summed"] == 1


def test_empty_files(tmp_path):
    for name, text in (("empty.csv", ""), ("blank.csv", "\n\n"), ("header.csv", "region,activity,value\n")):
        with pytest.raises(InputError) as e:
            read_table(_write(tmp_path, name, text))
        assert name in e.value.message and ("empty" in e.value.message or "no data rows" in e.value.message)


def test_wrong_delimiter(tmp_path):
    path = _write(tmp_path, "t.csv", "region;activity;value\nITC4;C13;1\n")
    with pytest.raises(InputError) as e:
        read_table(path, delimiter=",")
    assert "semicolon" in e.value.message and "line 1" in e.value.message and "t.csv" in e.value.message


def test_bad_year(tmp_path):
    path = _write(tmp_path, "t.csv", "region,activity,value,year\nITC4,C13,1,2014\nITC4,C13,1,20x5\n")
    with pytest.raises(InputError) as e:
        read_table(path, year="year")
    assert "line 3" in e.value.message and "year" in e.value.message


def test_unknown_nuts_codes(tmp_path, data_dir, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_DATA", str(data_dir))
    path = _write(tmp_path, "t.csv", "region,activity,value\nITC4,C13,1\nITC9,C13,1\n")
    with pytest.raises(InputError) as e:
        read_table(path, nuts_version=2021)
    assert "line 3" in e.value.message and "ITC9" in e.value.message and "NUTS 2021" in e.value.message
    path2 = _write(tmp_path, "ok.csv", "region,activity,value\nITC4,C13,1\n")
    assert read_table(path2, nuts_version=2021).regions.tolist() == ["ITC4"]


def test_truncated_gzip(tmp_path, data_dir):
    raw = (data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz").read_bytes()
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as e:
        read_table(path, region="country", activity="product")
    assert "truncated" in e.value.message and "cut.csv.gz" in e.value.message


def test_gzip_ok(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"region,activity,value\nITC4,C13,1\n"))
    assert read_table(path).frame().loc["ITC4", "C13"] == 1


def test_wide_non_numeric_names_column(tmp_path):
    path = _write(tmp_path, "w.csv", "region,C13,C14\nITC4,1,abc\n")
    with pytest.raises(InputError) as e:
        read_table(path, wide=True)
    assert "line 2" in e.value.message and "'C14'" in e.value.message
