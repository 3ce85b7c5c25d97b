"""Errors smartspec raises for bad input.

Every error a user can cause names *where* (file, line, column or field), *what* is wrong and
*what to do*. The CLI prints the message and exits with status 2; the web API turns it into a
4xx JSON body. Nothing in the package prints a traceback for bad input.
"""
from __future__ import annotations

from difflib import get_close_matches
from typing import Iterable


class SmartspecError(Exception):
    """Base class of every error caused by the user's input or environment."""

    def __init__(self, problem: str, *, where: str | None = None, fix: str | None = None):
        self.problem = problem
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        parts.append(self.problem)
        if self.fix:
            parts.append(f"\n  fix: {self.fix}")
        return "".join(parts)

    def to_dict(self) -> dict:
        return {"error": type(self).__name__, "problem": self.problem, "where": self.where, "fix": self.fix}


class DataNotFoundError(SmartspecError):
    """A data directory or a file in it cannot be found."""


class InputError(SmartspecError, ValueError):
    """A file or table does not have the expected shape or content."""


class NoMatchError(InputError):
    """The input is well formed but nothing answers it (a challenge whose terms no profile holds).

    The CLI exits with status 2 as for any bad input; the web API answers 404 (nothing found),
    not 422, since the request itself was valid.
    """


class InputWarning(UserWarning):
    """Something in the input was left out or read in a way the user should know about (rows
    without a key, a corrupt cache entry discarded); the CLI prints it as a note."""


class UnknownNameError(SmartspecError, KeyError):
    """A region, activity, dataset, ecosystem or network name that does not exist.

    ``suggestions`` holds the closest valid names.
    """

    def __init__(self, kind: str, name: str, valid: Iterable[str], *, where: str | None = None):
        valid = [str(v) for v in valid]
        self.kind = kind
        self.name = name
        self.suggestions = closest(name, valid)
        distinct = list(dict.fromkeys(valid))
        if self.suggestions:
            hint = f"did you mean {', '.join(self.suggestions)}? (closest valid names)"
        elif len(distinct) <= 12:
            hint = f"valid {kind} names: {', '.join(distinct)}"
        else:
            hint = f"{len(distinct)} valid names exist" + (f"; {_FINDERS[kind]}" if kind in _FINDERS else "")
        super().__init__(f"unknown {kind} {name!r}", where=where, fix=hint)

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return self.message

    def to_dict(self) -> dict:
        d = super().to_dict()
        d.update(kind=self.kind, name=self.name, suggestions=self.suggestions)
        return d


#: Where a user finds the valid names of a kind, when none is close to what was asked.
_FINDERS = {
    "region": "search them by code or name with `smartspec regions QUERY` (web: /api/regions?q=QUERY)",
    "activity": "search them by code or name with `smartspec activities QUERY`",
    "dataset": "list them with `smartspec datasets`",
}


def closest(name: str, valid: list[str], n: int = 5) -> list[str]:
    """Return up to ``n`` names of ``valid`` closest to ``name`` (case-insensitive)."""
    lowered = {v.lower(): v for v in valid}
    matches = get_close_matches(str(name).lower(), list(lowered), n=n, cutoff=0.5)
    prefix = [v for v in valid if v.lower().startswith(str(name).lower()[:2])] if not matches else []
    return [lowered[m] for m in matches] or prefix[:n]
