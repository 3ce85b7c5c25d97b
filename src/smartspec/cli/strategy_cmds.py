"""CLI commands: strategy_cmds (filled in by its topic)."""
from smartspec.cli.app import app  # noqa: F401
