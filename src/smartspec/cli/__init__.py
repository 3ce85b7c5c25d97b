"""The ``smartspec`` command line.

Each topic registers its commands on :data:`smartspec.cli.app.app` from its own module; this
module imports them all and turns :class:`smartspec.errors.SmartspecError` into a clear
message on stderr and exit status 2 (no traceback).
"""
from __future__ import annotations

import sys

from smartspec.cli.app import app, err_console
from smartspec.errors import SmartspecError

# Command modules register themselves on import (order = order in --help).
from smartspec.cli import data_cmds  # noqa: F401,E402
from smartspec.cli import ingest_cmds  # noqa: F401,E402
from smartspec.cli import measures_cmd  # noqa: F401,E402
from smartspec.cli import strategy_cmds  # noqa: F401,E402
from smartspec.cli import paths_cmds  # noqa: F401,E402
from smartspec.cli import partners_cmds  # noqa: F401,E402
from smartspec.cli import web_cmds  # noqa: F401,E402


def main() -> None:
    try:
        app(standalone_mode=False)
    except SmartspecError as exc:
        err_console.print(f"[bold red]error:[/bold red] {exc.message}", highlight=False)
        sys.exit(2)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and aborts
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
