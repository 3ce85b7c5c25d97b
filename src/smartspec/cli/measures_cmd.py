"""CLI commands: measures_cmd (filled in by its topic)."""
from smartspec.cli.app import app  # noqa: F401
