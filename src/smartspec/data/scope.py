"""Traded and local activities: which NACE Rev.2 divisions compete beyond their region.

A *traded* activity sells to customers outside the region and so concentrates in the places
with an advantage for it (manufacturing, mining, most information and business services,
finance, tourism accommodation); a *local* activity serves local demand and is spread like the
population (retail, restaurants, construction, real estate, personal and building services).
Specialising in a local activity says little about a region's capabilities, and a strategy
cannot target one: its size follows the region's income and population. Complexity,
diversification opportunities, the targets of transition paths, the bridges of niches and what
partners bring are therefore computed on traded activities by default (``scope="traded"``);
``scope="all"`` restores every activity.

The classification (``labels/nace_scope.csv``) maps each NACE Rev.2 division to the benchmark
cluster definitions of Delgado, Porter and Stern (2016) -- traded clusters are those whose
employment is concentrated across regions, local clusters those whose employment follows
population -- and, for services DPS leave ambiguous, to the geographic-concentration test of
Jensen and Kletzer (2005). DPS classify six-digit NAICS industries; a NACE division that mixes
traded and local parts is classified by the part that holds most of its employment, and the
file says so in the ``note`` of every such judgement call (rows whose note begins
"Judgement:").

Activities outside NACE (WIPO technology fields, SITC products, user codes) are traded by
definition here: technologies and exported products compete beyond the region.

References
----------
Delgado, M., Porter, M. E., Stern, S. (2016). Defining clusters of related industries.
*Journal of Economic Geography*, 16(1), 1-38.
Jensen, J. B., Kletzer, L. G. (2005). Tradable services: understanding the scope and impact of
services offshoring. *Brookings Trade Forum*, 75-133.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from smartspec.errors import InputError

#: The values ``scope=`` accepts everywhere: traded activities only (the default), or all.
SCOPES = ("traded", "all")
DEFAULT_SCOPE = "traded"


@lru_cache(maxsize=None)
def scope_table() -> pd.DataFrame:
    """The classification, indexed by NACE division ``code``: ``scope`` (traded/local),
    ``basis`` (DPS2016 or JK2005) and ``note`` (the reason; judgement calls say so)."""
    with resources.files("smartspec").joinpath("labels/nace_scope.csv").open() as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


def check_scope(scope: str) -> str:
    """``scope`` itself if it is one of :data:`SCOPES`, else an :class:`InputError`."""
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}", where="scope",
                         fix="use 'traded' (activities competing beyond the region, the default) or 'all'")
    return scope


@lru_cache(maxsize=None)
def _section_scope() -> pd.Series:
    """``local`` for a NACE section whose divisions are all local, else ``traded`` (computed once:
    the strategy functions ask for every region)."""
    table = scope_table()["scope"]
    return table.groupby(table.index.str[0]).agg(lambda s: "local" if (s == "local").all() else "traded")


def activity_scope(codes) -> pd.Series:
    """``traded`` or ``local`` for each activity code, indexed by code.

    Parameters
    ----------
    codes : sequence of str
        NACE Rev.2 division codes (``C13``) or section letters; any other code (a WIPO field, an
        SITC product) is ``traded``.

    Returns
    -------
    pandas.Series
        Named ``scope``. A section is ``local`` only when all its divisions are local.
    """
    codes = pd.Index([str(c) for c in codes], name="activity")
    # two look-ups of the whole index (a section letter only matches a one-letter code): no
    # Python function per code, which cost ~12 ms on 600 codes
    by_division = scope_table()["scope"].reindex(codes).to_numpy(dtype=object)
    by_section = _section_scope().reindex(codes).to_numpy(dtype=object)
    scope = np.where(pd.isna(by_division), by_section, by_division)
    return pd.Series(np.where(pd.isna(scope), "traded", scope), index=codes, dtype=object, name="scope")


def traded_mask(codes, scope: str = DEFAULT_SCOPE) -> np.ndarray:
    """Boolean mask of the activities ``scope`` keeps: the traded ones for ``"traded"``, every
    one for ``"all"``."""
    check_scope(scope)
    if scope == "all":
        return np.ones(len(codes), dtype=bool)
    return (activity_scope(codes) == "traded").to_numpy()
