"""Eurostat bulk TSV and SDMX-CSV readers on the real files and on broken copies."""
import gzip

import numpy as np
import pandas as pd
import pytest

from smartspec.data.eurostat import parse_bulk_tsv, parse_sdmx_csv, read_eurostat
from smartspec.errors import InputError

SBS = "eurostat_regional/ki2017_sbs_r_nuts06_r2.tsv.gz"


@pytest.fixture(scope="module")
def sbs(data_dir):
    return read_eurostat(data_dir / SBS)


def test_sbs_shape_and_columns(sbs):
    assert list(sbs.columns) == ["nace_r2", "indic_sb", "geo", "time", "year", "value", "flag"]
    # 195,227 rows x 8 years, nothing dropped
    assert len(sbs) == 195_227 * 8
    assert set(sbs["year"].dropna().unique()) == set(range(2008, 2016))


def test_sbs_known_cells(sbs):
    at = sbs[(sbs.nace_r2 == "B") & (sbs.indic_sb == "V11210") & (sbs.geo == "AT")].set_index("year")["value"]
    assert at[2015] == 708 and at[2008] == 665


def test_missing_is_nan_not_zero_and_flags_kept(sbs):
    conf = sbs[sbs["flag"].str.contains("c")]
    assert len(conf) > 90_000
    # confidential cells without a number are missing, never zero
    assert conf["value"].isna().mean() > 0.9
    assert (sbs.loc[sbs["value"].isna(), "value"] != 0).all()
    lombardy_b06 = sbs[(sbs.geo == "ITC4") & (sbs.nace_r2 == "B06") & (sbs.indic_sb == "V16110")]
    assert lombardy_b06["value"].isna().all()


def test_number_with_flag_letters():
    text = "unit,geo\\time\t2015 \t2014 \nTHS,AT1\t5.2 u\t4.0 bu\nTHS,AT2\t: c\t:\n"
    df = parse_bulk_tsv(text)
    assert df["value"].tolist()[:2] == [5.2, 4.0]
    assert df["flag"].tolist() == ["u", "bu", "c", ""]
    assert np.isnan(df["value"].iloc[2]) and np.isnan(df["value"].iloc[3])
    assert df["year"].tolist() == [2015, 2014, 2015, 2014]


def test_lfs_real_file(data_dir):
    df = read_eurostat(data_dir / "eurostat_regional/hack2017_lfst_r_lfe2en2.tsv.gz")
    assert {"unit", "nace_r2", "age", "geo"} <= set(df.columns)
    assert (df["flag"].str.contains("u")).sum() > 0


def test_sdmx_csv_round_trip():
    text = (
        "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:X(1.0),01/01/24,A,C13,ITC4,2021,1234,\n"
        "ESTAT:X(1.0),01/01/24,A,C13,ITC1,2021,,c\n"
        "ESTAT:X(1.0),01/01/24,A,C14,ITC4,2021,99.5,p\n"
    )
    df = parse_sdmx_csv(text)
    assert list(df.columns) == ["nace_r2", "geo", "time", "year", "value", "flag"]
    assert df["value"].iloc[0] == 1234 and np.isnan(df["value"].iloc[1])
    assert df["flag"].tolist() == ["", "c", "p"]


def test_bad_cell_names_line_and_column(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("unit,geo\\time\t2015 \t2014 \nTHS,AT1\t5.2\t4.0\nTHS,AT2\tabc\t1\n")
    with pytest.raises(InputError) as e:
        read_eurostat(path)
    msg = str(e.value)
    assert "bad.tsv" in msg and "line 3" in msg and "'2015'" in msg and "abc" in msg


def test_truncated_gzip(tmp_path, data_dir):
    raw = (data_dir / "eurostat_regional/hack2017_nama_10r_2gdp.tsv.gz").read_bytes()
    path = tmp_path / "cut.tsv.gz"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="truncated or corrupt"):
        read_eurostat(path)


def test_empty_and_wrong_delimiter(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_eurostat(empty)
    comma = tmp_path / "comma.tsv"
    comma.write_text("unit,geo\\time,2015,2014\nTHS,AT1,5,4\n")
    with pytest.raises(InputError, match="comma-separated"):
        read_eurostat(comma)


def test_gzip_of_sdmx_detected(tmp_path):
    text = "DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE\nX,A,AT,2020,1.5\n"
    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    df = read_eurostat(path)
    assert df["value"].tolist() == [1.5] and df["year"].tolist() == [2020]
