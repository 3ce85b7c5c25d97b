"""CLI commands: ingest, data update."""
from smartspec.cli.app import app  # noqa: F401
