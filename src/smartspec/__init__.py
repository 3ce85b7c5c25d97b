"""smartspec: Smart Specialisation Strategy analytics for European regions."""
from __future__ import annotations

__version__ = "0.1.0"

from smartspec.data.panel import Panel  # noqa: E402
from smartspec.measures import measures  # noqa: E402  (the function shadows its module's name on purpose)

__all__ = ["Panel", "measures", "load_dataset", "__version__"]


def __getattr__(name):  # lazy import keeps `import smartspec` light
    if name == "load_dataset":
        from smartspec.data.datasets import load_dataset

        return load_dataset
    raise AttributeError(name)
