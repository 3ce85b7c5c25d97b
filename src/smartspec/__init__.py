"""smartspec: Smart Specialisation Strategy analytics for European regions."""
from __future__ import annotations

__version__ = "0.1.0"

from smartspec.data.panel import Panel  # noqa: E402

__all__ = ["Panel", "measures", "load_dataset", "__version__"]


def __getattr__(name):  # lazy imports keep `import smartspec` light
    if name == "measures":
        from smartspec.measures import measures

        return measures
    if name == "load_dataset":
        from smartspec.data.datasets import load_dataset

        return load_dataset
    raise AttributeError(name)
