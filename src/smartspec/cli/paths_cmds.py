"""CLI commands: paths, competences, niches."""
from smartspec.cli.app import app  # noqa: F401
