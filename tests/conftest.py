"""Shared fixtures: the real data directory, a per-session cache and the SBS analysis."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from smartspec.config import resolve_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (../shared/data in a checkout, or $SMARTSPEC_DATA)."""
    return resolve_data_dir()


@pytest.fixture(scope="session")
def sbs(data_dir):
    """The analysis of ``eurostat-sbs`` (NUTS 2 x NACE divisions, 2008-2015, measures of every
    year) with the Lombardy profile, shared by the strategy and partners tests."""
    from smartspec.strategy.context import analyse

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse("eurostat-sbs", data_dir=data_dir)


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


@pytest.fixture(autouse=True)
def _cli_tables_in_full(monkeypatch):
    """Commands run in this process print their tables in full, as into a file, whatever the
    terminal the suite runs in; tests of the terminal layout (tests/cli/test_tables.py) switch
    it off themselves."""
    import importlib

    cli_app = importlib.import_module("smartspec.cli.app")
    monkeypatch.setitem(cli_app.WIDE, "on", True)
    monkeypatch.setattr(cli_app.console, "width", 250)


@pytest.fixture
def smartspec_cli(monkeypatch, capsys):
    """Run ``smartspec ARGS...`` in-process (sharing the session's caches) through the real
    entry point; returns (exit code, stdout + stderr)."""
    import sys

    from smartspec.cli import main

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["smartspec", *map(str, args)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code or 0
        out = capsys.readouterr()
        return code, out.out + out.err

    return run
