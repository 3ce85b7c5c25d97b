"""Downloaded tables replace the bundled files in the datasets: `data update` from a real HTTP
server on 127.0.0.1 (the fixture of test_update), then `load_dataset`, `gdp_per_head` and the
`smartspec datasets` command read the download; a broken download leaves the previous one in use."""
from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pytest

from smartspec.config import resolve_data_dir, updates_dir
from smartspec.data import update
from smartspec.data.cache import cache_key
from smartspec.data.datasets import dataset_file, gdp_per_head, load_dataset
from smartspec.errors import DataNotFoundError

from test_ingest_cli import run
from test_update import server  # noqa: F401  (the loopback HTTP server fixture)

SBS_KEY = "C13,V16110,ITC4\t"  # persons employed in textiles, Lombardy; columns 2015, 2014, ...


@lru_cache(maxsize=None)
def sbs_copy(value_2014: int) -> bytes:
    """The bundled SBS file with Lombardy's textiles in 2014 set to ``value_2014``, gzipped;
    only the rows the dataset reads (persons employed, NUTS 2, NACE divisions), to keep the
    test fast."""
    text = gzip.decompress((resolve_data_dir() / "eurostat_regional" / "ki2017_sbs_r_nuts06_r2.tsv.gz").read_bytes())
    lines = text.decode().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        nace, indicator, geo = line.split("\t", 1)[0].split(",")
        if indicator != "V16110" or len(geo) != 4 or len(nace) != 3:
            continue
        if line.startswith(SBS_KEY):
            cells = line.split("\t")
            assert cells[2].strip() == "48148"  # the published 2014 value
            cells[2] = f"{value_2014} "
            line = "\t".join(cells)
        out.append(line)
    return gzip.compress(("\n".join(out) + "\n").encode(), mtime=0)


def _itc4_textiles(panel, year):
    return panel.dense(year)[panel.regions.get_loc("ITC4"), panel.activities.get_loc("C13")]


@pytest.fixture()
def updates(tmp_path, monkeypatch):
    """An empty user updates folder (what `data update` writes to by default)."""
    folder = tmp_path / "updates"
    monkeypatch.setenv("SMARTSPEC_UPDATES", str(folder))
    return folder


def test_default_destination_is_the_user_folder_not_the_data_dir(monkeypatch, tmp_path, data_dir):
    monkeypatch.delenv("SMARTSPEC_UPDATES")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SMARTSPEC_DATA", str(data_dir))
    assert update.destination() == tmp_path / "xdg" / "smartspec" / "eurostat_regional" == updates_dir()
    assert data_dir not in update.destination().parents
    monkeypatch.setenv("SMARTSPEC_UPDATES", str(tmp_path / "u"))
    assert update.destination() == tmp_path / "u"
    assert update.destination(tmp_path / "d") == tmp_path / "d"  # --dest
    (tmp_path / "mine").mkdir()
    assert update.destination(data_dir=tmp_path / "mine") == (tmp_path / "mine" / "eurostat_regional").resolve()


def test_update_then_sbs_reads_the_download(server, updates, tmp_path, data_dir):  # noqa: F811
    url, _ = server
    site = tmp_path / "site"
    assert dataset_file("eurostat-sbs", data_dir).kind == "bundled"

    (site / "sbs_r_nuts06_r2.tsv.gz").write_bytes(sbs_copy(12345))
    [res] = update.update_tables(["sbs_r_nuts06_r2"], base_url=url)  # no --dest: the updates folder
    assert res.path == updates / "sbs_r_nuts06_r2.tsv.gz" and not res.replaced
    f = dataset_file("eurostat-sbs", data_dir)
    assert (f.kind, f.path, f.table) == ("updated", res.path.resolve(), "sbs_r_nuts06_r2")
    assert f.released == "2025-10-14" and f.label.endswith("(Eurostat's table of 2025-10-14)")
    p = load_dataset("eurostat-sbs", data_dir)
    assert _itc4_textiles(p, 2014) == 12345  # the changed value (bundled: 48,148)
    assert _itc4_textiles(p, 2013) == 49756  # the rest is the real data
    assert p.report["data_file"]["path"] == str(res.path.resolve()) and p.report["data_file"]["kind"] == "updated"
    assert "sbs_r_nuts06_r2" in p.source and "downloaded" in p.source
    assert p.report["nuts_recoding"]["counts"]["unknown"] == 0
    first_key = cache_key("eurostat-sbs", [res.path])

    # a newer download: new bytes, new cache key, the new value is read
    (site / "sbs_r_nuts06_r2.tsv.gz").write_bytes(sbs_copy(23456))
    [res2] = update.update_tables(["sbs_r_nuts06_r2"], base_url=url)
    assert res2.replaced and cache_key("eurostat-sbs", [res2.path]) != first_key
    assert _itc4_textiles(load_dataset("eurostat-sbs", data_dir), 2014) == 23456

    # a broken download: the previous download stays in use
    good = hashlib.sha1(res2.path.read_bytes()).hexdigest()
    (site / "sbs_r_nuts06_r2.tsv.gz").write_bytes(sbs_copy(34567)[:50_000])
    with pytest.raises(update.UpdateError, match="gzip"):
        update.update_tables(["sbs_r_nuts06_r2"], base_url=url)
    assert hashlib.sha1(res2.path.read_bytes()).hexdigest() == good
    assert dataset_file("eurostat-sbs", data_dir).path == res2.path.resolve()
    assert _itc4_textiles(load_dataset("eurostat-sbs", data_dir), 2014) == 23456


def test_lfs_and_gdp_read_downloads(server, updates, tmp_path, data_dir):  # noqa: F811
    url, _ = server
    site = tmp_path / "site"
    text = gzip.decompress((site / "nama_10r_2gdp.tsv.gz").read_bytes()).decode()
    line = next(x for x in text.splitlines() if x.startswith("PPS_HAB,ITC4\t"))
    assert line.split("\t")[1].strip() == "34700"  # 2014
    (site / "nama_10r_2gdp.tsv.gz").write_bytes(gzip.compress(text.replace(line, line.replace("34700", "99999", 1)).encode()))
    assert gdp_per_head(["ITC4"], 2014, data_dir).iloc[0] == 34700
    update.update_tables(["nama_10r_2gdp", "lfst_r_lfe2en2"], base_url=url)
    g = gdp_per_head(["ITC4", "ITC1"], 2014, data_dir)
    assert g["ITC4"] == 99999 and g["ITC1"] > 0
    assert g.attrs["data_file"] == {**g.attrs["data_file"], "kind": "updated",
                                    "path": str((updates / "nama_10r_2gdp.tsv.gz").resolve())}
    # the LFS download has the bundled bytes: the parsed panel is shared through the cache,
    # but the panel names the file it was read from
    p = load_dataset("eurostat-lfs", data_dir)
    assert p.report["data_file"]["path"] == str((updates / "lfst_r_lfe2en2.tsv.gz").resolve())
    assert "downloaded" in p.source and "ITC4" in p.regions


def test_cli_update_then_datasets_names_the_file(server, tmp_path, data_dir):  # noqa: F811
    url, _ = server
    (tmp_path / "site" / "sbs_r_nuts06_r2.tsv.gz").write_bytes(sbs_copy(12345))
    updates = tmp_path / "my-updates"
    env = {"SMARTSPEC_UPDATES": str(updates), "SMARTSPEC_EUROSTAT_URL": url}
    r = run("data", "update", "--table", "sbs_r_nuts06_r2", env=env)
    assert r.returncode == 0, r.stderr
    assert (updates / "sbs_r_nuts06_r2.tsv.gz").exists() and "the datasets now read these files" in r.stdout
    r = run("datasets", env=env)
    assert r.returncode == 0, r.stderr
    path = str((updates / "sbs_r_nuts06_r2.tsv.gz").resolve())
    sbs_line = next(x for x in r.stdout.splitlines() if x.strip().startswith("eurostat-sbs:"))
    assert "updated" in sbs_line and path in sbs_line
    assert "updated 20" in r.stdout.split("files read")[0]  # the table's file column
    lfs_line = next(x for x in r.stdout.splitlines() if x.strip().startswith("eurostat-lfs:"))
    assert "bundled" in lfs_line and "hack2017_lfst_r_lfe2en2.tsv.gz" in lfs_line
    # a download elsewhere (--dest) is not read, and the command says so
    r = run("data", "update", "--table", "sbs_r_nuts06_r2", "--dest", tmp_path / "other", env=env)
    assert r.returncode == 0 and "do not look in" in r.stdout and "SMARTSPEC_UPDATES=" in r.stdout


def test_choice_between_download_folders(updates, tmp_path, data_dir):
    """Downloads in the updates folder and in <data dir>/eurostat_regional: the newest wins;
    without any, the bundled file; without the bundled file either, a clear error."""
    bundled = (data_dir / "eurostat_regional" / "hack2017_nama_10r_2gdp.tsv.gz").read_bytes()
    root = tmp_path / "data"
    (root / "eurostat_regional").mkdir(parents=True)
    with pytest.raises(DataNotFoundError) as e:
        dataset_file("gdp_per_head", root)
    assert "smartspec data update --table nama_10r_2gdp" in str(e.value)
    in_root = root / "eurostat_regional" / "nama_10r_2gdp.tsv.gz"
    in_updates = updates / "nama_10r_2gdp.tsv.gz"
    in_root.write_bytes(bundled)
    assert dataset_file("gdp_per_head", root).path == in_root.resolve()
    assert gdp_per_head(["ITC4"], 2014, root).iloc[0] == 34700  # read from the download only
    updates.mkdir()
    in_updates.write_bytes(bundled)
    os.utime(in_root, (1_600_000_000, 1_600_000_000))
    os.utime(in_updates, (1_700_000_000, 1_700_000_000))
    assert dataset_file("gdp_per_head", root).path == in_updates.resolve()
    os.utime(in_root, (1_800_000_000, 1_800_000_000))
    f = dataset_file("gdp_per_head", root)
    assert f.path == in_root.resolve() and f.kind == "updated" and f.modified.startswith("2027")
    assert dataset_file("trade-1998-2000", data_dir).kind == "bundled"  # no Eurostat table
    assert Path(dataset_file("eurostat-sbs", data_dir).path).name == "ki2017_sbs_r_nuts06_r2.tsv.gz"
