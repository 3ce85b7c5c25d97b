"""Issue 13, defect 4: the store is swapped atomically, builds are locked, stale build folders are
cleaned and a store whose manifest lists missing tables is neither current nor opened."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time

import pytest

from smartspec.errors import DataNotFoundError
from smartspec.store import Store, build_store, store_is_current
from smartspec.store.build import _swap, missing_tables


def _copy(src, dst):
    """A copy of a built store folder made of hard links (instant, same bytes)."""
    shutil.copytree(src, dst, copy_function=os.link)
    return dst


def test_the_store_is_a_link_and_a_swap_never_shows_a_partial_store(store_path, tmp_path):
    final = tmp_path / "store"
    first = _copy(store_path.resolve(), tmp_path / "building-0")
    _swap(first, final)
    assert final.is_symlink() and store_is_current(final)
    seen, stop = [], threading.Event()

    def reader():  # what Store() does on open: one folder, its manifest, every table it lists
        while not stop.is_set():
            try:
                folder = final.resolve()
                seen.append(not missing_tables(folder, json.loads((folder / "manifest.json").read_text())))
            except OSError:
                seen.append(False)

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(1, 15):
            _swap(_copy(final.resolve(), tmp_path / f"building-{i}"), final)
            time.sleep(0.05)  # a real build takes minutes; a reader never spans two swaps
    finally:
        stop.set()
        t.join()
    assert len(seen) > 50 and all(seen), f"{seen.count(False)} of {len(seen)} reads saw no complete store"
    # only the current version and the one before it are kept
    assert len(list(tmp_path.glob(".store.v-*"))) == 2
    assert Store(final).has("opportunities")


def test_a_store_with_missing_tables_is_not_current_and_not_opened(store_path, tmp_path):
    broken = _copy(store_path.resolve(), tmp_path / "broken")
    assert store_is_current(broken)
    (broken / "opportunities.parquet").unlink()
    assert not store_is_current(broken)  # `smartspec serve` and `report` rebuild it
    with pytest.raises(DataNotFoundError, match=r"incomplete: 1 table\(s\).*\(opportunities\)"):
        Store(broken)
    os.link(store_path.resolve() / "opportunities.parquet", broken / "opportunities.parquet")
    (broken / "regions.parquet").unlink()  # a hard link: never write through it into the session store
    (broken / "regions.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataNotFoundError, match="regions"):
        Store(broken)


def test_a_second_build_waits_for_the_lock_and_stale_folders_are_removed(store_path):
    stale = store_path.parent / f".{store_path.name}.building-999999"  # left by a killed build
    stale.mkdir(exist_ok=True)
    (stale / "manifest.json").write_text("{}")
    released = []
    with open(store_path.parent / f".{store_path.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # another build is running

        def release():
            time.sleep(1.0)
            released.append(time.monotonic())
            fcntl.flock(fh, fcntl.LOCK_UN)

        threading.Thread(target=release).start()
        t0 = time.monotonic()
        out = build_store(dataset="eurostat-sbs", region_profile="lombardy", path=store_path)
        done = time.monotonic()
    # it waited for the other build, then found the store it made current and did not rebuild
    assert released and done >= released[0] and done - t0 < 30
    assert out == store_path and store_is_current(store_path)
    assert not stale.exists()
