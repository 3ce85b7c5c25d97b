"""Defaults, and where smartspec finds its data and keeps its cache.

The defaults every interface shares: :data:`DEFAULT_REGION` (Lombardy), :data:`DEFAULT_DATASET`
(Eurostat structural business statistics) and :data:`DEFAULT_PROFILE` (Lombardy's strategy
profile, ``profiles/lombardy.toml``).

The data directory is searched in this order (first that holds the known files wins):

1. the ``data_dir`` argument (``--data-dir`` on the command line);
2. the ``SMARTSPEC_DATA`` environment variable;
3. ``../shared/data`` next to the repository (the layout of a development checkout);
4. ``./data`` in the current working directory.

The cache directory is ``SMARTSPEC_CACHE`` if set, else ``$XDG_CACHE_HOME/smartspec``, else
``~/.cache/smartspec``.

Tables downloaded by ``smartspec data update`` go by default into the user's updates folder
(:func:`updates_dir`): ``SMARTSPEC_UPDATES`` if set, else
``$XDG_DATA_HOME/smartspec/eurostat_regional``, else ``~/.local/share/smartspec/eurostat_regional``;
never into the (possibly shared, read-only) data directory unless asked for.
"""
from __future__ import annotations

import os
from pathlib import Path

from smartspec.errors import DataNotFoundError

#: The region a command or page is about when none is given (NUTS 2 code of Lombardy).
DEFAULT_REGION = "ITC4"
#: The named dataset analysed by default (see ``smartspec datasets``).
DEFAULT_DATASET = "eurostat-sbs"
#: The region strategy profile loaded by default (``profiles/<name>.toml``).
DEFAULT_PROFILE = "lombardy"

#: A file whose presence marks a directory as a smartspec data directory.
MARKER = Path("eurostat_regional") / "ki2017_sbs_r_nuts06_r2.tsv.gz"

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir_candidates(data_dir: str | os.PathLike | None = None) -> list[tuple[str, Path]]:
    """The places searched for the data directory, in order, with where each came from."""
    candidates: list[tuple[str, Path]] = []
    if data_dir is not None:
        candidates.append(("--data-dir", Path(data_dir)))
    env = os.environ.get("SMARTSPEC_DATA")
    if env:
        candidates.append(("SMARTSPEC_DATA", Path(env)))
    candidates.append(("../shared/data next to the repository", REPO_ROOT.parent / "shared" / "data"))
    candidates.append(("./data", Path.cwd() / "data"))
    return candidates


def resolve_data_dir(data_dir: str | os.PathLike | None = None, *, require_marker: bool = True) -> Path:
    """Return the first data directory found, or raise :class:`DataNotFoundError`.

    An explicit ``data_dir`` that does not exist is an error of its own (it is never skipped
    silently in favour of a default).
    """
    if data_dir is not None and not Path(data_dir).is_dir():
        raise DataNotFoundError(
            f"the data directory {str(data_dir)!r} does not exist",
            where="--data-dir",
            fix="pass an existing directory that holds the smartspec data files",
        )
    searched = []
    for origin, path in data_dir_candidates(data_dir):
        searched.append(f"{path} ({origin})")
        if path.is_dir() and (not require_marker or (path / MARKER).exists() or origin == "--data-dir"):
            return path.resolve()
    raise DataNotFoundError(
        "no smartspec data directory found; searched:\n    " + "\n    ".join(searched),
        fix=(
            "pass --data-dir PATH, or set SMARTSPEC_DATA=PATH, to a directory laid out like "
            f"../shared/data (it must contain {MARKER})"
        ),
    )


def cache_dir() -> Path:
    """The user cache directory (created if missing)."""
    env = os.environ.get("SMARTSPEC_CACHE")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "smartspec"
    path.mkdir(parents=True, exist_ok=True)
    return path


def updates_dir() -> Path:
    """The folder ``smartspec data update`` writes to by default, and where the datasets look
    for downloaded tables: ``SMARTSPEC_UPDATES``, else ``$XDG_DATA_HOME/smartspec/eurostat_regional``,
    else ``~/.local/share/smartspec/eurostat_regional`` (not created here)."""
    env = os.environ.get("SMARTSPEC_UPDATES")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "smartspec" / "eurostat_regional"
