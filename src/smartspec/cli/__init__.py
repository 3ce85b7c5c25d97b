"""The ``smartspec`` command line.

Each topic registers its commands on :data:`smartspec.cli.app.app` from its own module; this
module imports them all and turns :class:`smartspec.errors.SmartspecError` into a clear
message on stderr and exit status 2 (no traceback).

Where each part lives:

* the Typer app, table printing (``print_frame``), progress bars, ``save_output`` and
  ``call_command``: :mod:`smartspec.cli.app`;
* the shared options (``DatasetOpt``, ``YearOpt``, ``DataDirOpt`` ...) and
  ``analysis_command``, the one load -> call -> print -> save body: :mod:`smartspec.cli.options`;
* the commands, by topic: ``datasets``/``regions``/``activities``/``profile``/``run``
  (:mod:`~smartspec.cli.data_cmds`), ``ingest``/``data update``
  (:mod:`~smartspec.cli.ingest_cmds`), ``measures`` (:mod:`~smartspec.cli.measures_cmd`),
  ``opportunities``/``backtest`` (:mod:`~smartspec.cli.strategy_cmds`),
  ``paths``/``competences``/``niches`` (:mod:`~smartspec.cli.paths_cmds`),
  ``partners``/``peers``/``network`` (:mod:`~smartspec.cli.partners_cmds`), the organisation
  registry (:mod:`~smartspec.cli.orgs_cmds`, :mod:`~smartspec.cli.match_cmds`),
  ``build``/``serve``/``report`` (:mod:`~smartspec.cli.web_cmds`) and ``monitor``/``evidence``
  (:mod:`~smartspec.cli.monitor_cmds`).
"""
from __future__ import annotations

import sys
import warnings

from rich.markup import escape

from smartspec.cli.app import app, err_console
from smartspec.errors import InputWarning, SmartspecError

# Command modules register themselves on import (order = order in --help).
from smartspec.cli import data_cmds  # noqa: F401,E402
from smartspec.cli import ingest_cmds  # noqa: F401,E402
from smartspec.cli import measures_cmd  # noqa: F401,E402
from smartspec.cli import strategy_cmds  # noqa: F401,E402
from smartspec.cli import paths_cmds  # noqa: F401,E402
from smartspec.cli import partners_cmds  # noqa: F401,E402
from smartspec.cli import orgs_cmds  # noqa: F401,E402
from smartspec.cli import match_cmds  # noqa: F401,E402
from smartspec.cli import web_cmds  # noqa: F401,E402
from smartspec.cli import monitor_cmds  # noqa: F401,E402


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Input warnings (rows left out, a cache entry discarded) as one plain note, no source line."""
    if issubclass(category, InputWarning):
        err_console.print(f"[yellow]note:[/yellow] {escape(str(message))}", highlight=False, soft_wrap=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def main() -> None:
    warnings.showwarning = _show_warning
    try:
        app(standalone_mode=False)
    except SmartspecError as exc:
        # the message quotes the user's input (headers, paths, values): never read it as Rich markup
        err_console.print(f"[bold red]error:[/bold red] {escape(exc.message)}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except SystemExit:
        raise
    except Exception as exc:
        # Usage errors (bad option values, missing arguments) from click or the copy of click
        # that Typer vendors: print their message, no traceback.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code or 2)
        if type(exc).__name__ == "Abort":
            sys.exit(1)
        raise
