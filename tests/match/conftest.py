"""Fixtures of the organisation registry: built once per test run from the real CORDIS files."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def registry(data_dir):
    from smartspec.match.registry import load_registry

    return load_registry(data_dir)
