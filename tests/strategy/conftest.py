"""Shared session fixtures of the strategy tests (strategy-A and strategy-B): the SBS panel,
its analysis (measures of every year, the Lombardy profile) and the profile itself, each
computed once per test session."""
import warnings

import pytest

from smartspec.strategy.context import analyse


@pytest.fixture(scope="session")
def sbs(data_dir):
    """The analysis of ``eurostat-sbs`` (NUTS 2 x NACE divisions, 2008-2015) with the Lombardy profile."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse("eurostat-sbs", data_dir=data_dir)


@pytest.fixture(scope="session")
def sbs_panel(sbs):
    """The SBS Panel itself (persons employed)."""
    return sbs.panel


@pytest.fixture(scope="session")
def sbs_2014(sbs):
    """The measures of 2014, the last well-covered SBS year (a :class:`smartspec.measures.Measures`)."""
    return sbs.at(2014)


@pytest.fixture(scope="session")
def lombardy_profile(data_dir):
    from smartspec.strategy.profiles import load_profile

    return load_profile("lombardy", data_dir=data_dir)


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
