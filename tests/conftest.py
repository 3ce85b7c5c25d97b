"""Shared fixtures: the real data directory and a per-session cache."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartspec.config import resolve_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (../shared/data in a checkout, or $SMARTSPEC_DATA)."""
    return resolve_data_dir()


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Keep the parsed-data cache of the test run in one place shared by all tests.

    ``SMARTSPEC_TEST_CACHE`` lets repeated local runs reuse it; by default it is fresh per run
    so the tests exercise the parsers.
    """
    cache = os.environ.get("SMARTSPEC_TEST_CACHE") or str(tmp_path_factory.getbasetemp().parent / "smartspec-cache")
    os.environ["SMARTSPEC_CACHE"] = cache
    Path(cache).mkdir(parents=True, exist_ok=True)
    yield


@pytest.fixture(scope="session", autouse=True)
def _no_user_updates(tmp_path_factory):
    """Point the updates folder of `smartspec data update` at an empty folder, so tables the
    user downloaded (~/.local/share/smartspec) never replace the bundled files in the tests.
    Tests that exercise downloads set ``SMARTSPEC_UPDATES`` themselves."""
    os.environ["SMARTSPEC_UPDATES"] = str(tmp_path_factory.mktemp("no-updates"))
    yield
