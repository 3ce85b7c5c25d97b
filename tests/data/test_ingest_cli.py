"""`smartspec ingest` and `smartspec data update` through the installed console script."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_update import server  # noqa: F401  (the loopback HTTP server fixture)

SMARTSPEC = Path(sys.executable).with_name("smartspec")


def run(*args, env=None):
    e = dict(os.environ, COLUMNS="200", **(env or {}))
    return subprocess.run([str(SMARTSPEC), *map(str, args)], capture_output=True, text=True, env=e, timeout=120)


def test_ingest_eurostat_summary(data_dir):
    r = run("ingest", data_dir / "eurostat_regional" / "hack2017_lfst_r_lfe2en2.tsv.gz")
    assert r.returncode == 0, r.stderr
    assert "confidential cells" in r.stdout and "9333" in r.stdout and "2008-2015" in r.stdout
    assert "level 2: 341" in r.stdout and "low reliability" in r.stdout


def test_ingest_generic_and_bad_inputs(data_dir, tmp_path):
    ok = run("ingest", data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz", "--region", "country",
             "--activity", "product")
    assert ok.returncode == 0 and "124336" in ok.stdout and "785" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("region,activity,value\nITC4,C13,1\nITC4,C14,x\n")
    r = run("ingest", bad)
    assert r.returncode == 2 and "bad.csv" in r.stderr and "line 3" in r.stderr
    assert "Traceback" not in r.stderr
    dup = tmp_path / "dup.csv"
    dup.write_text("region,activity,value\nITC4,C13,1\nITC4,C13,2\n")
    assert run("ingest", dup).returncode == 2
    r = run("ingest", dup, "--sum-duplicates")
    assert r.returncode == 0 and "duplicates summed" in r.stdout
    r = run("ingest", tmp_path / "missing.csv")
    assert r.returncode == 2 and "missing.csv" in r.stderr


def test_data_update_cli(server, tmp_path):  # noqa: F811
    url, _ = server
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sbs_r_nuts2021.tsv.gz").write_bytes(b"previous")
    r = run("data", "update", "--table", "lfst_r_lfe2en2", "--dest", dest, env={"SMARTSPEC_EUROSTAT_URL": url})
    assert r.returncode == 0, r.stderr
    assert (dest / "lfst_r_lfe2en2.tsv.gz").stat().st_size > 100_000
    r = run("data", "update", "--table", "sbs_r_nuts2021", "--dest", dest, "--base-url", url)
    assert r.returncode == 2 and "sbs_r_nuts2021" in r.stderr and "gzip" in r.stderr
    assert (dest / "sbs_r_nuts2021.tsv.gz").read_bytes() == b"previous"
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name,sectors", [("wiod2016_niot/ITA_NIOT_nov16.csv.gz", "56"),
                                          ("iotablesR_cz_io.csv.gz", "61"),
                                          ("iotablesR_uk_2010_data.csv.gz", None)])
def test_ingest_input_output_tables(data_dir, name, sectors):
    r = run("ingest", data_dir / "io_tables" / name)
    assert r.returncode == 0, r.stderr
    assert "input-output table" in r.stdout and "total output" in r.stdout
    if sectors:
        assert re.search(rf"sectors\s+{sectors}\b", r.stdout)


def test_ingest_a_file_named_like_an_io_table_that_is_not_one(data_dir):
    r = run("ingest", data_dir / "io_tables" / "iotablesR_metadata.csv.gz")
    assert r.returncode == 2 and "--kind table" in r.stderr and "Traceback" not in r.stderr
