"""The package version, in a leaf module: the modules that key caches and stores on it import
it from here, not from the package root (which would tie them to the package's own imports).
It matches ``version`` in pyproject.toml."""
__version__ = "0.1.0"
