"""CLI commands: datasets, profile, run (the README's main job)."""
from smartspec.cli.app import app  # noqa: F401
