"""Interregional cooperation: complementary partners, structural peers, network benchmarking.

Complementarity (Balland and Boschma 2021)
    For region r, target activity p and candidate partner j, with presence matrix M and
    proximity :math:`\\phi`, the relatedness density of p for r alone and with j's
    specialisations added are

    .. math:: d_{rp} = \\frac{\\sum_a M_{ra} \\phi_{ap}}{\\sum_a \\phi_{ap}}, \\qquad
              d_{r+j,p} = \\frac{\\sum_a \\max(M_{ra}, M_{ja}) \\phi_{ap}}{\\sum_a \\phi_{ap}}

    and the complementarity is the gain :math:`d_{r+j,p} - d_{rp}` (0 for a partner with no
    specialisations, or one that holds nothing r lacks). For an S3 ecosystem the gain is
    averaged over its activities. It is shown beside the partner's own RCA in p and the
    *similarity* of r and j (cosine of their RCA vectors): similar regions have little to
    add, complementary ones hold the related capabilities r lacks.
Structural peers
    Regions most similar to r by specialisation profile (cosine of RCA vectors), and by a
    structural distance: the Euclidean distance between standardised regional variables
    (GDP per head in PPS, the employment shares of the broad sectors of the Labour Force
    Survey, diversity, ECI and, where available, the Regional Innovation Scoreboard index),
    averaged over the variables both regions have.
Network benchmarking
    Members of a network side by side. Members defined at NUTS 1 (Baden-Wuerttemberg DE1,
    Auvergne-Rhone-Alpes FRK) are built by summing their NUTS 2 regions, which replace them
    in the panel so that RCA, diversity and ECI are computed on comparable units.

References
----------
Balland, P.-A., Boschma, R. (2021). Complementary interregional linkages and Smart
Specialisation: an empirical study on European regions. Regional Studies 55(6), 1059-1070.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.data.panel import Panel
from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.context import Analysis, analyse_panel


def _cosine(R: np.ndarray, r: int) -> np.ndarray:
    norms = np.linalg.norm(R, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, R @ R[r] / (norms * norms[r]), 0.0)


def complementarity_gain(M: np.ndarray, phi: np.ndarray, r: int, targets: np.ndarray) -> np.ndarray:
    """Density gain of region ``r`` in ``targets`` when each region's specialisations are added.

    Returns an array (n_regions, len(targets)); row r itself is 0.
    """
    col = phi[:, targets]
    denom = col.sum(axis=0)
    lacking = (1.0 - M[r])[None, :] * M  # what each j holds that r lacks
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (lacking @ col) / denom, 0.0)


def all_complementarities(M: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Gain for every (region r, partner j, activity p): shape (n, n, n_activities).

    ``gain[r, j, p] = sum_a (1 - M[r, a]) M[j, a] phi[a, p] / sum_a phi[a, p]``, computed as
    one batched matrix product.
    """
    denom = phi.sum(axis=0)
    W = np.divide(phi, denom[None, :], out=np.zeros_like(phi), where=denom[None, :] > 0)
    lacking = (1.0 - M)[:, None, :] * M[None, :, :]
    return lacking @ W


def _density_proximity(m) -> np.ndarray:
    """The proximity as the density of these measures uses it (diagonal removed when the
    convention leaves the activity itself out), so that gains add to the densities shown."""
    phi = np.array(m.proximity, dtype=np.float64)
    if not m.options.get("density_includes_self", False):
        np.fill_diagonal(phi, 0.0)
    return phi


def _members(panel: Panel, codes: list[str]) -> list[str]:
    """Panel regions equal to or inside the given NUTS codes."""
    regions = panel.regions.astype(str)
    return [r for r in regions if any(r.startswith(c) for c in codes)]


def _targets(analysis: Analysis, activity: str | None, ecosystem: str | None) -> tuple[str, list[int]]:
    if (activity is None) == (ecosystem is None):
        raise InputError("give exactly one of activity= or ecosystem=", fix="e.g. --activity C30 or --ecosystem "
                         "'Advanced manufacturing'")
    acts = analysis.panel.activities
    if activity is not None:
        code = analysis.activity(activity)
        return f"{code} {analysis.panel.activity_name(code)}", [acts.get_loc(code)]
    if analysis.profile is None:
        raise InputError("ecosystems need a region profile", fix="pass profile='lombardy' or a profile file")
    try:
        group = analysis.profile.group(ecosystem, "ecosystems")
    except UnknownNameError:
        group = analysis.profile.group(ecosystem)
    codes = group.codes(acts)
    if not codes:
        raise InputError(f"ecosystem {group.name!r} has no activity in dataset {analysis.dataset}")
    return group.name, [acts.get_loc(c) for c in codes]


def complementary_partners(
    analysis: Analysis,
    region: str,
    activity: str | None = None,
    ecosystem: str | None = None,
    *,
    year: int | None = None,
    network: str | None = None,
    country: str | None = None,
    exclude_own_country: bool = False,
    top: int | None = 20,
    n_brings: int = 3,
) -> pd.DataFrame:
    """Regions whose capabilities complement the region's for an activity or an ecosystem.

    Returns
    -------
    DataFrame
        Best first: ``rank, region, name, country, gain, density_alone, density_with,
        partner_rca, partner_specialised, similarity, brings`` (the partner's specialisations
        related to the target that the region lacks), ``reason``.
    """
    code = analysis.region(region)
    last = analysis.last_year(code) if year is None else int(year)
    m = analysis.at(last)
    p = analysis.panel
    r = p.regions.get_loc(code)
    label, targets = _targets(analysis, activity, ecosystem)
    targets = np.asarray(targets)
    phi = _density_proximity(m)
    gain = complementarity_gain(m.mcp, phi, r, targets).mean(axis=1)
    alone = float(m.density[r, targets].mean())
    cand = (m.values.sum(axis=1) > 0)
    cand[r] = False
    countries = p.region_meta["country"].astype(str).to_numpy()
    if network is not None:
        if analysis.profile is None:
            raise InputError("network filters need a region profile")
        members = _members(p, analysis.profile.network(network))
        cand &= np.isin(p.regions.astype(str), members)
    if country is not None:
        if country.upper() not in set(countries):
            raise UnknownNameError("country", country, sorted(set(countries)))
        cand &= countries == country.upper()
    if exclude_own_country:
        cand &= countries != countries[r]
    idx = np.flatnonzero(cand)
    sim = _cosine(m.rca, r)
    lacking = (m.mcp[idx] > 0) & (m.mcp[r] == 0)[None, :]
    relevance = phi[:, targets].mean(axis=1)
    relevance[targets] = 0.0  # the target itself shows as partner_rca, not as something brought
    names = p.activity_meta["name"]
    acts = p.activities
    brings = []
    for row in lacking:  # one short list per partner region (not per region x activity)
        sel = np.flatnonzero(row)
        best = sel[np.argsort(-relevance[sel], kind="stable")[:n_brings]]
        brings.append("; ".join(f"{acts[b]} {names.iloc[b]}" for b in best if relevance[b] > 0))
    out = pd.DataFrame({
        "region": p.regions[idx], "name": p.region_meta["name"].to_numpy()[idx], "country": countries[idx],
        "gain": gain[idx], "density_alone": alone, "density_with": alone + gain[idx],
        "partner_rca": m.rca[np.ix_(idx, targets)].mean(axis=1),
        "partner_specialised": (m.mcp[np.ix_(idx, targets)] > 0).mean(axis=1),
        "similarity": sim[idx], "brings": brings,
    })
    out = out.sort_values(["gain", "partner_rca"], ascending=False, kind="stable", ignore_index=True)
    if top:
        out = out.head(top)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["reason"] = [
        f"{row.name} ({row.region}) raises {code}'s relatedness density in {label} from {alone:.2f} to "
        f"{row.density_with:.2f} (+{row.gain:.3f}); its own RCA there is {row.partner_rca:.2f}; similarity of the "
        f"two structures {row.similarity:.2f}. It brings: {row.brings or 'nothing related that ' + code + ' lacks'}."
        for row in out.itertuples()]
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, target=label,
                     targets=[acts[t] for t in targets], density_alone=alone, network=network)
    return out


def structural_peers(analysis: Analysis, region: str, *, year: int | None = None, top: int = 10,
                     exclude_own_country: bool = False, by: str = "profile") -> pd.DataFrame:
    """Regions most similar to ``region`` (see module docstring).

    Parameters
    ----------
    by : {"profile", "structure"}
        Rank by cosine similarity of RCA vectors, or by structural distance (smallest first).

    Returns
    -------
    DataFrame: ``rank, region, name, country, similarity, distance, variables`` (how many
    standardised variables the distance uses), and the variables' values.
    """
    if by not in ("profile", "structure"):
        raise InputError(f"unknown ranking {by!r}", fix="use 'profile' or 'structure'")
    code = analysis.region(region)
    last = analysis.last_year(code) if year is None else int(year)
    m = analysis.at(last)
    p = analysis.panel
    r = p.regions.get_loc(code)
    sim = _cosine(m.rca, r)
    variables = structural_variables(analysis, last)
    Z = (variables - variables.mean()) / variables.std(ddof=0)
    diff = (Z - Z.loc[code]) ** 2
    counts = diff.notna().sum(axis=1)
    distance = np.sqrt(diff.sum(axis=1, min_count=1) / counts.replace(0, np.nan))
    countries = p.region_meta["country"].astype(str)
    keep = (m.values.sum(axis=1) > 0) & (p.regions != code)
    if exclude_own_country:
        keep &= (countries != countries.iloc[r]).to_numpy()
    out = pd.DataFrame({
        "region": p.regions, "name": p.region_meta["name"].to_numpy(), "country": countries.to_numpy(),
        "similarity": sim, "distance": distance.reindex(p.regions).to_numpy(),
        "variables": counts.reindex(p.regions).fillna(0).astype(int).to_numpy(),
    })
    out = pd.concat([out.reset_index(drop=True), variables.reindex(p.regions).reset_index(drop=True)], axis=1)[keep]
    out = (out.sort_values("similarity", ascending=False, kind="stable") if by == "profile"
           else out.sort_values("distance", ascending=True, kind="stable", na_position="last"))
    out = out.head(top).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, by=by,
                     variables=list(variables.columns))
    return out


def structural_variables(analysis: Analysis, year: int) -> pd.DataFrame:
    """Regional variables for the structural distance, indexed by region (NaN where unknown)."""
    key = ("structural_variables", year)
    if key in analysis._cache:
        return analysis._cache[key]
    p = analysis.panel
    m = analysis.at(year)
    out = pd.DataFrame({"diversity": m.diversity, "eci": m.eci}, index=p.regions)
    if p.region_meta["level"].notna().mean() >= 0.5:
        from smartspec.data.datasets import gdp_per_head, load_dataset

        out["gdp_per_head_pps"] = gdp_per_head(p.regions, year, analysis.data_dir).to_numpy()
        try:
            lfs = load_dataset("eurostat-lfs", analysis.data_dir)
            ly = min(year, lfs.years[-1])
            shares = lfs.frame(ly)
            shares = shares.div(shares.sum(axis=1).replace(0, np.nan), axis=0)
            shares.columns = [f"share_{c}" for c in shares.columns]
            out = out.join(shares.reindex(p.regions))
        except Exception as exc:  # the LFS file is optional for this measure
            warnings.warn(f"employment structure left out of the structural distance: {exc}")
        ris = _innovation_index(analysis, year)
        if ris is not None:
            out["innovation_index"] = ris.reindex(p.regions).to_numpy()
    analysis._cache[key] = out
    return out


def _innovation_index(analysis: Analysis, year: int) -> pd.Series | None:
    from smartspec.config import resolve_data_dir

    path = resolve_data_dir(analysis.data_dir) / "regional_indicators" / "interreg_ce_tncoop_nuts2_indicators_long.csv.gz"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    cols = {c.lower(): c for c in df.columns}
    ind = cols.get("indicator") or cols.get("indicator_code")
    geo = next((cols[c] for c in cols if c in ("nuts_code", "nuts2", "geo", "nuts_id", "code")), None)
    val = cols.get("value")
    yr = cols.get("year")
    if not all([ind, geo, val, yr]):
        return None
    ris = df[df[ind].astype(str).str.contains("RIS|innovation scoreboard", case=False, regex=True)]
    if ris.empty:
        return None
    ris = ris.assign(_y=pd.to_numeric(ris[yr], errors="coerce")).dropna(subset=["_y"])
    first = ris.sort_values("_y").groupby(geo)[val].first()  # earliest edition (closest to the panel years)
    return pd.to_numeric(first, errors="coerce")


@dataclass
class NetworkBenchmark:
    """Result of :func:`network_benchmark`.

    Attributes
    ----------
    members : DataFrame     one row per member: code, name, NUTS level, built from, size,
                            diversity, ECI, top specialisations
    shared : DataFrame      activities in which at least two members are specialised: RCA by member
    complementarity : DataFrame  long: from_member, to_member, ecosystem, gain (mean density gain
                            of the receiving member over the ecosystem's activities)
    rca : DataFrame         activity x member RCA
    """

    network: str
    year: int
    members: pd.DataFrame
    shared: pd.DataFrame
    complementarity: pd.DataFrame
    rca: pd.DataFrame


def aggregate_regions(panel: Panel, groups: dict[str, list[str]], names: dict[str, str] | None = None) -> Panel:
    """A panel where each group of regions is replaced by one region, their sum."""
    regions = list(panel.regions.astype(str))
    absorbed = {r for members in groups.values() for r in members}
    keep = [r for r in regions if r not in absorbed]
    new_codes = keep + list(groups)
    pos = {r: i for i, r in enumerate(regions)}
    rows, cols = [], []
    for k, r in enumerate(keep):
        rows.append(k)
        cols.append(pos[r])
    for g, (code, members) in enumerate(groups.items()):
        for r in members:
            rows.append(len(keep) + g)
            cols.append(pos[r])
    S = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(new_codes), len(regions)))
    mats = {y: S @ m for y, m in panel.matrices.items()}
    missing = {y: (S @ panel.missing[y].astype(float)) > 0 for y in panel.years}
    meta = panel.region_meta.reindex(keep)
    extra = pd.DataFrame({"name": [(names or {}).get(c, c) for c in groups],
                          "level": pd.array([len(c) - 2 for c in groups], dtype="Int64"),
                          "country": [c[:2] for c in groups]}, index=pd.Index(list(groups), name="region"))
    meta = pd.concat([meta, extra])
    return Panel(mats, pd.Index(new_codes), panel.activities, missing=missing, region_meta=meta,
                 activity_meta=panel.activity_meta, name=panel.name, value_name=panel.value_name, source=panel.source)


def network_benchmark(analysis: Analysis, network: str = "Four Motors for Europe", *, year: int | None = None,
                      n_top: int = 5) -> NetworkBenchmark:
    """Members of a network side by side (see module docstring)."""
    if analysis.profile is None:
        raise InputError("networks come from a region profile", fix="use profile='lombardy'")
    name = analysis.profile.network_name(network)
    codes = analysis.profile.network(network)
    p = analysis.panel
    groups, built_from, absent = {}, {}, []
    for c in codes:
        if c in p.regions:
            built_from[c] = c
            continue
        children = [r for r in _members(p, [c]) if r != c]
        if children:
            groups[c] = children
            built_from[c] = " + ".join(children)
        else:
            absent.append(c)
    if absent:
        warnings.warn(f"{name}: members {absent} have no data in {analysis.dataset}")
    from smartspec.data.nuts import region_table

    try:
        nuts_names = region_table(2021, data_dir=analysis.data_dir)["name"]
    except Exception:
        nuts_names = pd.Series(dtype=str)
    agg = aggregate_regions(p, groups, {c: str(nuts_names.get(c, c)) for c in groups}) if groups else p
    members = [c for c in codes if c in built_from]
    sub = analyse_panel(agg, profile=analysis.profile, data_dir=analysis.data_dir, dataset=analysis.dataset)
    last = min(sub.last_year(c) for c in members) if year is None else int(year)
    m = sub.at(last)
    idx = [agg.regions.get_loc(c) for c in members]
    acts = agg.activities
    names = agg.activity_meta["name"]
    rows = []
    for c, i in zip(members, idx):
        order = np.argsort(-m.rca[i], kind="stable")[:n_top]
        rows.append({
            "member": c, "name": agg.region_name(c), "nuts_level": len(c) - 2,
            "built_from": built_from[c], "size": m.values[i].sum(), "diversity": int(m.diversity[i]),
            "eci": m.eci[i], "top_specialisations": "; ".join(f"{acts[j]} {names.iloc[j]} ({m.rca[i, j]:.1f})"
                                                             for j in order),
        })
    member_table = pd.DataFrame(rows)
    rca = pd.DataFrame(m.rca[idx].T, index=acts, columns=members)
    spec = rca >= 1
    shared = rca[spec.sum(axis=1) >= 2].copy()
    shared.insert(0, "name", names.reindex(shared.index).to_numpy())
    shared.insert(1, "members_specialised", spec.sum(axis=1)[spec.sum(axis=1) >= 2].to_numpy())
    shared = shared.sort_values("members_specialised", ascending=False, kind="stable")
    gains = all_complementarities(m.mcp[idx], _density_proximity(m))  # (to, from, activity)
    comp = []
    for eco in analysis.profile.ecosystems.values():
        cols = [acts.get_loc(c) for c in eco.codes(acts)]
        if not cols:
            continue
        g = gains[:, :, cols].mean(axis=2)
        for a_i, to in enumerate(members):
            for b_i, frm in enumerate(members):
                if a_i != b_i:
                    comp.append({"from_member": frm, "to_member": to, "ecosystem": eco.name, "gain": g[a_i, b_i]})
    complementarity = pd.DataFrame(comp)
    note = (f"Members defined at NUTS 1 ({', '.join(groups)}) are the sums of their NUTS 2 regions; measures are "
            f"computed on the panel with those aggregates in place of their parts.") if groups else ""
    bench = NetworkBenchmark(name, last, member_table, shared, complementarity, rca)
    member_table.attrs.update(network=name, year=last, note=note, absent=absent)
    return bench
