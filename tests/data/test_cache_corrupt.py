"""Issue 13, defect 5: a damaged cache entry (Parquet frame, panel .npz, header.json, result) is
discarded with a warning and recomputed, never a traceback on every later run."""
from __future__ import annotations

import pandas as pd
import pytest

from smartspec.data import cache
from smartspec.data.generic import read_table
from smartspec.errors import InputWarning


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture()
def table(data_dir, tmp_path):
    """A real table: the first 3,000 rows of the world trade file."""
    df = pd.read_csv(data_dir / "trade" / "world_trade_avg_1998_to_2000.csv.gz", nrows=3000, dtype=str)
    path = tmp_path / "trade.csv"
    df.to_csv(path, index=False)
    return path


def _panel(path):
    return cache.cached_panel("trade-test", [path], lambda: read_table(path, region="country", activity="product"))


@pytest.mark.parametrize("damage", ["truncate-npz", "bad-json", "no-header"])
def test_a_damaged_panel_entry_is_discarded_and_rebuilt(own_cache, table, damage):
    first = _panel(table)
    (entry,) = (own_cache / "panels").iterdir()
    if damage == "truncate-npz":
        raw = (entry / "arrays.npz").read_bytes()
        (entry / "arrays.npz").write_bytes(raw[: len(raw) // 3])
    elif damage == "bad-json":
        (entry / "header.json").write_text('{"name": ')
    else:
        (entry / "header.json").unlink()
    with pytest.warns(InputWarning, match="damaged.*discarded and is being recomputed"):
        again = _panel(table)
    assert cache.panel_digest(again) == cache.panel_digest(first)
    assert cache.panel_digest(_panel(table)) == cache.panel_digest(first)  # the entry is whole again


def test_a_damaged_frame_and_result_entry_are_rebuilt(own_cache, table, data_dir):
    build = lambda: pd.read_csv(table)  # noqa: E731
    first = cache.cached_frame("trade-frame", [table], build)
    result = cache.cached_result("trade-result", {"k": 1}, data_dir, build)
    for entry in [*(own_cache / "frames").iterdir(), *(own_cache / "results").iterdir()]:
        entry.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.warns(InputWarning, match="damaged"):
        again = cache.cached_frame("trade-frame", [table], build)
    with pytest.warns(InputWarning, match="damaged"):
        result_again = cache.cached_result("trade-result", {"k": 1}, data_dir, build)
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(result_again, result)
    assert len(first) == 3000
