"""Fixtures of the partners tests: the 2014 SBS panel analysed in reverse region order, the Four
Motors benchmark and the patents analysis (the SBS analysis ``sbs`` is in tests/conftest.py)."""
import warnings

import pytest

from smartspec.strategy.context import analyse, analyse_panel


@pytest.fixture(scope="session")
def sbs2014_reversed(sbs, data_dir):
    """The 2014 SBS panel with its regions in reverse order, analysed afresh."""
    p = sbs.panel
    panel = p.subset(regions=list(p.regions[::-1]), years=[2014])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse_panel(panel, profile="lombardy", data_dir=data_dir, dataset="eurostat-sbs reversed")


@pytest.fixture(scope="session")
def four_motors(sbs):
    from smartspec.strategy.partners import network_benchmark

    return network_benchmark(sbs, "Four Motors for Europe")


@pytest.fixture(scope="session")
def patents(data_dir):
    """Countries x 35 WIPO technology fields (no NUTS regions)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse("patents-wipo35", data_dir=data_dir)
