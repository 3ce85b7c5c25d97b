"""What the partner functions share: the analysis of the data, targets, years, networks and
countries, and the labels of activity lists."""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.config import DEFAULT_PROFILE
from smartspec.data.names import NameIndex, normalise_name
from smartspec.data.panel import Panel
from smartspec.errors import InputError, UnknownNameError
from smartspec.data.networks import read_networks
from smartspec.strategy.context import Analysis, analyse, analyse_panel

DEFAULT_NETWORK = "Four Motors for Europe"
#: Separator of the activities listed in one cell (NACE names contain semicolons).
SEP = " | "

_PANEL_ANALYSES: dict[int, tuple[Panel, Analysis]] = {}


def as_analysis(data, *, profile=DEFAULT_PROFILE, data_dir=None) -> Analysis:
    """The :class:`Analysis` of ``data``: an Analysis (returned as is), a Panel or a dataset name.

    A Panel is analysed once per process (kept while the same object is alive in the cache).
    """
    if isinstance(data, Analysis):
        return data
    if isinstance(data, Panel):
        hit = _PANEL_ANALYSES.get(id(data))
        if hit is not None and hit[0] is data:
            return hit[1]
        a = analyse_panel(data, profile=profile, data_dir=data_dir)
        if len(_PANEL_ANALYSES) >= 4:
            _PANEL_ANALYSES.pop(next(iter(_PANEL_ANALYSES)))
        _PANEL_ANALYSES[id(data)] = (data, a)
        return a
    if isinstance(data, str):
        return analyse(data, data_dir=data_dir, profile=profile)
    raise InputError(f"cannot analyse a {type(data).__name__}",
                     fix="pass an Analysis (smartspec.strategy.analyse), a Panel or a dataset name such as 'eurostat-sbs'")


def network_members(data, network: str = DEFAULT_NETWORK, *, data_dir=None) -> tuple[str, list[str]]:
    """The full name and member NUTS codes of a network.

    Networks come from the profile of the analysis (its ``[networks]``), or from
    ``s3_networks/interregional_networks.csv`` when there is no profile. A name matches
    exactly, by alias, or as the unique network whose name starts with / contains it
    (``"Vanguard"``, ``"four motors"``); accents and case are ignored.

    Raises
    ------
    UnknownNameError
        No or several networks match; the error lists the closest names.
    """
    a = data if isinstance(data, Analysis) else None
    prof = a.profile if a is not None else None
    if prof is not None and prof.networks:
        nets, aliases = prof.networks, prof.network_aliases
    else:
        nets, aliases = read_networks(data_dir if a is None else a.data_dir), {}
    names = {**{n: n for n in nets}, **{al: target for al, target in aliases.items() if target in nets}}
    q = normalise_name(network)
    exact = [t for n, t in names.items() if normalise_name(n) == q]
    hits = exact or sorted({t for n, t in names.items() if q and normalise_name(n).startswith(q)}) or \
        sorted({t for n, t in names.items() if q and q in normalise_name(n)})
    if len(hits) != 1:
        err = UnknownNameError("network", network, list(names))
        full = list(dict.fromkeys(names[s] for s in err.suggestions if s in names)) or list(nets)
        err.suggestions = full  # aliases point to the network's full name
        err.fix = f"did you mean {', '.join(full)}? (valid networks and aliases: {', '.join(names)})"
        raise err
    return hits[0], list(nets[hits[0]])


def _nuts_regions(panel: Panel) -> list[str]:
    """The panel's region codes that are NUTS codes of level 1 or finer (others never nest)."""
    level = pd.to_numeric(panel.region_meta["level"], errors="coerce").to_numpy()
    return [str(r) for r, lv in zip(panel.regions, level) if lv >= 1 and len(str(r)) >= 3]


def _members(panel: Panel, codes: list[str]) -> list[str]:
    """Panel regions equal to the codes, or NUTS regions inside them or (for a finer code such
    as NUTS 3) containing them."""
    nuts = set(_nuts_regions(panel))
    return [str(r) for r in panel.regions
            if str(r) in codes or (str(r) in nuts and any(str(r).startswith(c) or c.startswith(str(r)) for c in codes))]


def _country_code(panel: Panel, country: str, data_dir) -> str:
    """A country code of the panel from a code (``DE``) or a name in any language (``Germany``,
    ``Deutschland``), through :class:`smartspec.data.names.NameIndex` and the NUTS tables."""
    countries = sorted(set(panel.region_meta["country"].astype(str)))
    index = NameIndex("country", pd.DataFrame({"code": countries, "name": countries}), countries)
    code = index.find(country)
    if code is None and normalise_name(country):
        from smartspec.data.nuts import lookup_region

        try:
            code = lookup_region(str(country), data_dir=data_dir, level=0)
        except UnknownNameError:
            code = None
    if code not in countries:
        raise UnknownNameError("country", country, countries, where="country filter")
    return code


def _targets(a: Analysis, activity: str | None, ecosystem: str | None):
    """(label, kind, target column indices, ecosystem group or None)."""
    if (activity is None) == (ecosystem is None):
        raise InputError("give exactly one of activity= or ecosystem=",
                         fix="e.g. --activity C30 or --ecosystem 'Advanced manufacturing'")
    acts = a.panel.activities
    if activity is not None:
        code = a.activity(activity)
        return f"{code} {a.panel.activity_name(code)}", "activity", [acts.get_loc(code)], None
    if a.profile is None:
        raise InputError("ecosystems need a region profile", fix="pass profile='lombardy' or a profile file")
    try:
        group = a.profile.group(ecosystem, "ecosystems")
    except UnknownNameError:
        try:
            group = a.profile.group(ecosystem)
        except UnknownNameError:
            raise UnknownNameError("ecosystem", ecosystem, sorted(g.name for g in a.profile.ecosystems.values()),
                                   where=f"profile {a.profile.name}") from None
    codes = group.codes(acts)
    if not codes:
        raise InputError(f"ecosystem {group.name!r} has no activity in dataset {a.dataset}",
                         fix="use a dataset with the ecosystem's NACE divisions or WIPO fields")
    return group.name, "ecosystem", [acts.get_loc(c) for c in codes], group


def _year(a: Analysis, code: str, year: int | None) -> int:
    """The region's last year with data, or ``year`` checked to exist and to hold the region."""
    y = a.year_of(code, year)  # an unknown year: UnknownNameError with the valid years
    if year is not None and a.at(y).values[a.panel.regions.get_loc(code)].sum() <= 0:
        have = [str(t) for t in a.years if a.measures[t].values[a.panel.regions.get_loc(code)].sum() > 0]
        raise InputError(f"{code} has no data in {year} in {a.dataset}", where="year",
                         fix=f"use one of the years with data for {code}: {', '.join(have)}")
    return y


def _top_labels(scores: np.ndarray, acts, names, n: int, fmt=None) -> list[str]:
    """For each row of ``scores`` (rows x activities; 0 = not eligible) the n best activities."""
    if scores.shape[0] == 0:
        return []
    order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    best = np.take_along_axis(scores, order, axis=1).tolist()
    labels = [f"{a} {nm}" for a, nm in zip(acts, names)]  # plain strings: indexing a pandas Index is slow
    return [SEP.join(labels[i] + (fmt.format(v) if fmt else "") for i, v in zip(idx, vals) if v > 0)
            for idx, vals in zip(order.tolist(), best)]
