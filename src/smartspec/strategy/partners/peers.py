"""Structural peers: regions most similar by specialisation profile or by structure (Navarro et
al. 2014). See :mod:`smartspec.strategy.partners` for the method."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from smartspec.config import DEFAULT_PROFILE
from smartspec.data.networks import innovation_index
from smartspec.errors import InputError
from smartspec.strategy.context import Analysis
from smartspec.strategy.partners._common import _year, as_analysis
from smartspec.strategy.partners.complementarity import _cosine_rows

#: Blocks of the structural distance: block -> variables (LFS shares are added as ``share_*``).
STRUCTURAL_BLOCKS = {
    "income": ["gdp_per_head_pps"],
    "size": ["log_employment"],
    "employment structure": ["share_*"],
    "economic complexity": ["diversity", "eci"],
    "innovation": ["innovation_index"],
}


def structural_peers(data, region: str, *, year: int | None = None, top: int = 10,
                     exclude_own_country: bool = False, by: str = "profile", profile: str | None = DEFAULT_PROFILE,
                     data_dir=None) -> pd.DataFrame:
    """Regions most similar to ``region``: by specialisation profile or by structure.

    Parameters
    ----------
    data : Analysis, Panel or str
    region : str
        NUTS code or name.
    year : int, optional
        Default: the region's last year with data.
    top : int
        Number of peers.
    exclude_own_country : bool
        Leave out the region's own country.
    by : {"profile", "structure"}
        Rank by cosine similarity of RCA vectors (largest first) or by structural distance
        (smallest first); both are shown either way.

    Returns
    -------
    DataFrame
        ``rank, region, name, country, similarity, distance, blocks`` (how many blocks the
        distance uses), ``closest_on`` / ``farthest_on`` (the variables where the peer is
        nearest to / farthest from the region, in standard deviations), then the raw values
        of every structural variable. The region itself is never a peer. ``attrs``: region,
        region_name, year, by, variables, blocks, region_values.

    References
    ----------
    Navarro et al. (2014), see the module docstring.
    """
    if by not in ("profile", "structure"):
        raise InputError(f"unknown ranking {by!r}", where="structural_peers(by=...)",
                         fix="use 'profile' (cosine of RCA vectors) or 'structure' (structural distance)")
    if int(top) < 1:
        raise InputError(f"top must be at least 1, got {top}", where="structural_peers(top=...)")
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    p = a.panel
    code = a.region(region)
    last = _year(a, code, year)
    m = a.at(last)
    r = p.regions.get_loc(code)
    sim = _cosine_rows(m.rca, np.array([r]))[0]
    variables = structural_variables(a, last)
    distance, blocks, Z = structural_distance(variables, code)
    dz = (Z - Z.loc[code]).abs()
    countries = p.region_meta["country"].astype(str)
    keep = (m.values.sum(axis=1) > 0) & (p.regions != code)
    if exclude_own_country:
        keep &= (countries != countries.iloc[r]).to_numpy()
    out = pd.DataFrame({
        "region": p.regions, "name": p.region_meta["name"].astype(str).to_numpy(), "country": countries.to_numpy(),
        "similarity": sim, "distance": distance.reindex(p.regions).to_numpy(),
        "blocks": blocks.reindex(p.regions).fillna(0).astype(int).to_numpy(),
    })
    out = pd.concat([out.reset_index(drop=True), variables.reindex(p.regions).reset_index(drop=True)], axis=1)[keep]
    out = (out.sort_values(["similarity", "region"], ascending=[False, True], kind="stable") if by == "profile"
           else out.sort_values(["distance", "region"], ascending=True, kind="stable", na_position="last"))
    out = out.head(int(top)).reset_index(drop=True)
    near = dz.reindex(out["region"])
    out["closest_on"] = [_extremes(row, True) for _, row in near.iterrows()]
    out["farthest_on"] = [_extremes(row, False) for _, row in near.iterrows()]
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(region=code, region_name=p.region_name(code), year=last, by=by,
                     variables=list(variables.columns), blocks=_blocks(variables.columns),
                     region_values=variables.loc[code].to_dict())
    return out


def _extremes(row: pd.Series, nearest: bool, n: int = 2) -> str:
    row = row.dropna()
    row = row.sort_values(ascending=nearest, kind="stable").head(n)
    return "; ".join(f"{k} ({v:.1f} sd)" for k, v in row.items())


def _blocks(columns) -> dict[str, list[str]]:
    out = {}
    for block, pats in STRUCTURAL_BLOCKS.items():
        cols = [c for c in columns for pat in pats
                if (c.startswith(pat[:-1]) if pat.endswith("*") else c == pat)]
        if cols:
            out[block] = cols
    return out


def structural_distance(variables: pd.DataFrame, region: str) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Block-averaged distance of every region from ``region`` on standardised variables.

    Parameters
    ----------
    variables : DataFrame
        Regions x variables (NaN where unknown), e.g. :func:`structural_variables`.
    region : str
        The reference region (a row of ``variables``).

    Returns
    -------
    distance : Series      square root of the mean, over the blocks both regions have, of the
                           mean squared z-score difference within the block
    blocks : Series        number of blocks used per region
    Z : DataFrame          the z-scores (population standard deviation)
    """
    std = variables.std(ddof=0).replace(0, np.nan)
    Z = (variables - variables.mean()) / std
    sq = (Z - Z.loc[region]) ** 2
    per_block = pd.DataFrame({b: sq[cols].mean(axis=1) for b, cols in _blocks(variables.columns).items()})
    blocks = per_block.notna().sum(axis=1)
    distance = np.sqrt(per_block.mean(axis=1))
    return distance, blocks, Z


def structural_variables(data, year: int, *, profile: str | None = DEFAULT_PROFILE, data_dir=None) -> pd.DataFrame:
    """Regional variables of the structural distance, indexed by region (NaN where unknown).

    Columns (see the module docstring for sources): ``gdp_per_head_pps``, ``log_employment``,
    ``share_<LFS sector>`` (employment shares), ``diversity``, ``eci``, ``innovation_index``.
    Regional sources are only read for NUTS panels; a country panel gets the panel variables.
    """
    a = as_analysis(data, profile=profile, data_dir=data_dir)
    return a.memo(("structural_variables", int(year)), lambda: _structural_variables(a, int(year)))


def _structural_variables(a: Analysis, year: int) -> pd.DataFrame:
    """:func:`structural_variables` computed."""
    p = a.panel
    m = a.at(year)
    total = m.values.sum(axis=1)
    out = pd.DataFrame({"log_employment": np.log(np.where(total > 0, total, np.nan)),
                        "diversity": m.diversity.astype(float), "eci": m.eci}, index=p.regions)
    if p.region_meta["level"].notna().mean() >= 0.5:
        from smartspec.data.datasets import load_dataset
        from smartspec.data.orientation import gdp_references

        out.insert(0, "gdp_per_head_pps", gdp_references(p, a.data_dir)[year])  # cached, as ECI's orientation
        try:
            lfs = load_dataset("eurostat-lfs", a.data_dir)
            ly = max(y for y in lfs.years if y <= max(year, lfs.years[0]))
            shares = lfs.frame(ly)
            shares = shares.div(shares.sum(axis=1).replace(0, np.nan), axis=0)
            shares.columns = [f"share_{c}" for c in shares.columns]
            out = out.join(shares.reindex(p.regions))
        except Exception as exc:  # noqa: BLE001 - the LFS file is optional for this measure
            warnings.warn(f"employment structure left out of the structural distance: {exc}", stacklevel=2)
        ris = innovation_index(a.data_dir)
        if ris is not None:
            out["innovation_index"] = ris.reindex(p.regions).to_numpy()
    return out.loc[:, out.notna().sum() >= 2]
