"""Shared session fixtures of the strategy tests (strategy-A and strategy-B): the SBS panel,
its 2014 measures and the Lombardy profile, each computed once per test session (the SBS
analysis ``sbs`` is in tests/conftest.py); an in-process CLI runner."""

import pytest


@pytest.fixture(scope="session")
def sbs_panel(sbs):
    """The SBS Panel itself (persons employed)."""
    return sbs.panel


@pytest.fixture(scope="session")
def sbs_2014(sbs):
    """The measures of 2014, the last well-covered SBS year (a :class:`smartspec.measure_table.Measures`)."""
    return sbs.at(2014)


@pytest.fixture(scope="session")
def lombardy_profile(data_dir):
    from smartspec.strategy.profiles import load_profile

    return load_profile("lombardy", data_dir=data_dir)
