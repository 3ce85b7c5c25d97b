import warnings

import pytest

from smartspec.strategy.context import analyse


@pytest.fixture(scope="session")
def sbs(data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse("eurostat-sbs", data_dir=data_dir)
