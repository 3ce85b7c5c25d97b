"""The monitoring dashboard: a region's indicators by pillar over time, against its peers.

Peers (:func:`peer_table`) are, in this order:

- the region's closest *structural peers* (:func:`smartspec.strategy.partners.structural_peers`,
  ``by="structure"``: the block-averaged distance on income, size, employment structure,
  complexity and innovation of Navarro et al. 2014);
- the other members of the profile's network (Four Motors for Europe by default), each as the
  NUTS 2 regions of the panel it covers (Baden-Wuerttemberg DE1 is DE11-DE14);
- the *country*: for a regional indicator, the median over the other NUTS 2 regions of the
  region's country that have a value (the number is said); for a country-level indicator, the
  national figure itself.

:func:`dashboard` returns one row per indicator, breakdown, year and unit (region or peer).
A unit without a value has ``value`` NaN and a ``note_kind`` saying why (not covered by the source,
confidential divisions, no value that year): never a zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.strategy.monitoring.indicators import CATALOGUE, PILLARS

def peer_table(analysis, region: str, *, n_structural: int = 3, network: str | None = "Four Motors for Europe",
               year: int | None = None) -> pd.DataFrame:
    """The peers of ``region``: ``unit, name, role, group, order``.

    Parameters
    ----------
    analysis : Analysis
        The employment analysis the structural peers and the network come from.
    region : str
        NUTS 2 code or name.
    n_structural : int
        Number of structural peers (closest first).
    network : str or None
        Network of the profile whose other members are peers (None: none).

    Returns
    -------
    DataFrame
        ``unit`` is a NUTS 2 code, or the country code for the country row; ``group`` names the
        network (or ``"structure"`` / the country); the region itself comes first with role
        ``"region"``.
    """
    from smartspec.errors import UnknownNameError
    from smartspec.strategy.partners import network_members, structural_peers
    from smartspec.strategy.partners._common import _members

    p = analysis.panel
    code = analysis.region(region)
    name = _latin_names(analysis.data_dir)
    rows = [(code, name.get(code, p.region_name(code)), "region", "")]
    sp = structural_peers(analysis, code, by="structure", top=n_structural, year=year)
    rows += [(r, name.get(r, n), "structural peer", "structure") for r, n in zip(sp["region"], sp["name"])]
    if network:
        try:
            net, members = network_members(analysis, network)
        except UnknownNameError:
            net, members = None, []
        if code in members or any(code.startswith(m) for m in members):
            for r in _members(p, [m for m in members if not code.startswith(m)]):
                if len(r) == 4 and r != code:
                    rows.append((r, name.get(r, p.region_name(r)), "network member", net))
    country = str(p.region_meta.at[code, "country"]) if "country" in p.region_meta else code[:2]
    rows.append((country, name.get(country, country), "country", country))
    out = pd.DataFrame(rows, columns=["unit", "name", "role", "group"]).drop_duplicates("unit", keep="first")
    out["order"] = np.arange(len(out))
    return out.reset_index(drop=True)


def _latin_names(data_dir) -> dict[str, str]:
    """NUTS 2021 names in Latin script (GISCO NAME_LATN), as the pages show them."""
    from smartspec.data import nuts

    t = nuts.region_table(2021, data_dir=data_dir)["name_latn"].dropna()
    return {str(k): str(v) for k, v in t.items() if str(v)}


def dashboard(observations: pd.DataFrame, gaps: pd.DataFrame, peers: pd.DataFrame,
              covered: dict[str, set] | None = None) -> pd.DataFrame:
    """The dashboard of the first unit of ``peers`` (its region) against the others.

    Parameters
    ----------
    observations, gaps : DataFrame
        From :func:`smartspec.strategy.monitoring.indicators.observations`.
    peers : DataFrame
        From :func:`peer_table` (first row: the region).
    covered : dict, optional
        indicator -> the regions its source covers at all (default: those with any value), to
        tell "not covered by the source" from "no value that year".

    Returns
    -------
    DataFrame
        ``pillar, indicator, breakdown, year, unit, name, role, group, value, n_regions,
        note_kind, missing`` (``n_regions``: how many regions a country median is over;
        ``note_kind`` one of :data:`NOTE_KINDS`, why a cell has the figure it has or none;
        ``missing`` the source's detail of a gap; the views word both), sorted by pillar, indicator,
        breakdown, year and peer order; every (indicator, breakdown, year) the region or a
        peer has a value for gets one row per unit.
    """
    region = peers["unit"].iloc[0]
    country = peers.loc[peers["role"] == "country", "unit"]
    country = country.iloc[0] if len(country) else region[:2]
    regional = CATALOGUE.set_index("key")["scope"]
    obs = observations
    units = list(peers["unit"])
    if covered is None:
        covered = obs.groupby("indicator")["region"].agg(lambda s: set(s)).to_dict()
    parts = []
    nuts_units = [u for u in units if u != country]
    reg = obs[obs["indicator"].map(regional).eq("region") & obs["region"].isin(nuts_units)]
    parts.append(reg.rename(columns={"region": "unit"}).assign(n_regions=np.nan))
    # country median over the other regions of the country
    same = obs[obs["indicator"].map(regional).eq("region") & obs["region"].str.startswith(country)
               & (obs["region"] != region) & (obs["region"].str.len() == 4)]
    med = same.groupby(["indicator", "breakdown", "year"])["value"].agg(["median", "size"]).reset_index()
    parts.append(pd.DataFrame({"indicator": med["indicator"], "breakdown": med["breakdown"], "year": med["year"],
                               "unit": country, "value": med["median"], "n_regions": med["size"].astype(float)}))
    # country-level indicators: the national figure, for the region's country and every peer's country
    nat = obs[obs["indicator"].map(regional).eq("country")]
    unit_country = {u: (u[:2] if len(u) == 4 else u) for u in units}
    for u in units:
        x = nat[nat["region"] == unit_country[u]]
        parts.append(x.rename(columns={"region": "unit"}).assign(unit=u, n_regions=np.nan))
    have = pd.concat(parts, ignore_index=True)
    have = have[have["value"].notna()]
    # one row per unit for every (indicator, breakdown, year) someone has
    keys = have[["indicator", "breakdown", "year"]].drop_duplicates()
    grid = keys.merge(peers[["unit", "name", "role", "group", "order"]], how="cross")
    out = grid.merge(have, on=["indicator", "breakdown", "year", "unit"], how="left")
    gap_note = _gap_notes(gaps, units)
    kinds = [_note_kind(r, covered, gap_note, regional) for r in out.itertuples(index=False)]
    out["note_kind"] = [k for k, _ in kinds]
    out["missing"] = [d for _, d in kinds]
    pillar = CATALOGUE.set_index("key")["pillar"]
    out.insert(0, "pillar", out["indicator"].map(pillar))
    p_order = {p: i for i, p in enumerate(PILLARS)}
    i_order = {k: i for i, k in enumerate(CATALOGUE["key"])}
    out = out.assign(_p=out["pillar"].map(p_order), _i=out["indicator"].map(i_order))
    out = out.sort_values(["_p", "_i", "breakdown", "year", "order"], kind="stable").drop(columns=["_p", "_i", "order"])
    return out[["pillar", "indicator", "breakdown", "year", "unit", "name", "role", "group", "value", "n_regions",
                "note_kind", "missing"]].reset_index(drop=True)


def _gap_notes(gaps: pd.DataFrame, units) -> dict:
    g = gaps[gaps["region"].isin(units)]
    return {(r.indicator, r.breakdown, r.region, int(r.year)): r.missing for r in g.itertuples(index=False)}


#: Why a cell has the figure it has, or none (``note_kind``); worded by
#: :func:`smartspec.views.monitoring_text.cell_note`.
NOTE_KINDS = ("", "country_median", "national_figure", "gap_cells", "gap", "no_regional_value", "no_national_figure",
              "not_covered", "no_value")


def _note_kind(r, covered, gap_note, regional) -> tuple[str, str]:
    """(note kind, the source's detail of a gap) for one dashboard cell."""
    if pd.notna(r.value):
        if r.role == "country" and regional.get(r.indicator) == "region":
            return "country_median", ""
        if regional.get(r.indicator) == "country":
            return "national_figure", ""
        return "", ""
    missing = gap_note.get((r.indicator, r.breakdown, r.unit, int(r.year)))
    if missing:
        # the SBS gaps name the cells (confidential or missing); the others say what is absent
        return ("gap_cells" if missing.startswith(("division", "all divisions")) else "gap"), missing
    if r.role == "country" and regional.get(r.indicator) == "region":
        return "no_regional_value", ""
    if regional.get(r.indicator) == "country":
        return "no_national_figure", ""
    if r.unit not in covered.get(r.indicator, set()):
        return "not_covered", ""
    return "no_value", ""


def latest(board: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and breakdown: the region's first and last year with a value, those
    values, and each unit's value in the region's last year (NaN with the note where absent).

    Parameters
    ----------
    board : DataFrame
        From :func:`dashboard`; with a ``note`` column (the notes worded by
        :func:`smartspec.views.monitoring_text.with_cell_notes`) the notes are those, otherwise
        the ``note_kind``.

    Returns
    -------
    DataFrame
        ``pillar, indicator, breakdown, first_year, first_value, year, value, region_note, peers``
        where ``peers`` is a list of ``(unit, name, role, value, note)`` tuples in peer order.
    """
    note = "note" if "note" in board else "note_kind"
    rows = []
    for (pillar, ind, brk), g in board.groupby(["pillar", "indicator", "breakdown"], sort=False):
        own = g[(g["role"] == "region") & g["value"].notna()]
        if own.empty:
            year = int(g["year"].max())
            first_year, first_value, value = np.nan, np.nan, np.nan
        else:
            year = int(own["year"].max())
            first_year, first_value = int(own["year"].min()), float(own.loc[own["year"].idxmin(), "value"])
            value = float(own.loc[own["year"].idxmax(), "value"])
        at = g[(g["year"] == year) & (g["role"] != "region")]
        rows.append({"pillar": pillar, "indicator": ind, "breakdown": brk, "first_year": first_year,
                     "first_value": first_value, "year": year, "value": value,
                     "region_note": "" if not own.empty else g[g["role"] == "region"][note].iloc[-1],
                     "peers": [(u, n, ro, v, no) for u, n, ro, v, no in
                               at[["unit", "name", "role", "value", note]].itertuples(index=False)]})
    return pd.DataFrame(rows)
