"""The research and innovation (R&I) lens of a region: its Horizon 2020 participations and EC
funding by programme part, measured with the same functions as the employment lens.

The matrix is NUTS 2 region x H2020 programme part (``ERC``, ``MSCA``, ``LEIT``, ``SC1``-``SC7``,
``Innovation in SMEs``...), built from the participations of the organisations placed in a
region by :mod:`smartspec.match.registry`; participations of unplaced organisations and of
projects without a programme part are left out of the matrix and counted in ``summary``.

* ``rca`` -- :func:`smartspec.metrics.rca` of the participation counts (and ``rca_funding`` of
  the EC contribution): a region's share of its participations in a part over Europe's share;
* ``diversity`` -- the number of parts the region is specialised in (RCA >= 1 and at least
  :data:`MIN_PARTICIPATIONS` participations); ``entropy`` -- :func:`smartspec.metrics.entropy`
  of the participation shares;
* ``density`` -- :func:`smartspec.metrics.density` of the region's specialisations around each
  part, with :func:`smartspec.metrics.proximity` (minimum conditional probability) between parts
  computed over all regions.

References
----------
Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. The Manchester
School, 33(2), 99-123.
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). The product space conditions
the development of nations. Science, 317, 482-487.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartspec import metrics
from smartspec.errors import UnknownNameError
from smartspec.match.registry import NO_PART, Registry, load_registry

#: Leading organisations listed per type.
LEADERS_PER_TYPE = 5
#: A region counts as specialised in a part only with at least this many participations: the
#: ARF part has 13 projects in all, and 2 Lombard participations give it an RCA of 2.9.
MIN_PARTICIPATIONS = 5


@dataclass
class RILens:
    """The R&I lens of one region.

    Attributes
    ----------
    region : str
        NUTS 2 code.
    profile : DataFrame
        One row per programme part: ``programme_part, participations, ec_contribution,
        share`` (of the region's participations), ``rca``, ``rca_funding``, ``specialised``
        (rca >= 1 and at least :data:`MIN_PARTICIPATIONS` participations), ``density``; sorted by RCA, highest first.
    summary : dict
        ``region, n_organisations, n_participations, n_projects, ec_contribution, diversity,
        entropy, participations_outside_matrix`` (projects without a programme part), and
        ``rank_participations`` (the region's rank among the NUTS 2 regions by participations).
    leaders : DataFrame
        The leading organisations by type (at most :data:`LEADERS_PER_TYPE` per type, by EC
        contribution): ``type, org_id, name, nuts3, n_projects, ec_contribution``.
    """

    region: str
    profile: pd.DataFrame
    summary: dict
    leaders: pd.DataFrame


def ri_matrices(registry: Registry) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region x programme part matrices of participations (counts) and EC contribution (euro).

    Rows are the NUTS 2 regions holding at least one placed participation, columns the
    programme parts (``unassigned`` excluded).
    """
    p = registry.participations
    p = p[p["nuts2"].notna() & (p["programme_part"] != NO_PART)]
    counts = pd.crosstab(p["nuts2"], p["programme_part"])
    funding = p.pivot_table(index="nuts2", columns="programme_part", values="ec_contribution", aggfunc="sum",
                            fill_value=0.0).reindex(index=counts.index, columns=counts.columns, fill_value=0.0)
    return counts.astype(float), funding.astype(float)


def ri_table(registry: Registry) -> pd.DataFrame:
    """The R&I lens of every region as one long table (the results store keeps it).

    Returns
    -------
    DataFrame
        ``region, programme_part, participations, ec_contribution, rca, rca_funding``, one row
        per region and part with at least one participation.
    """
    counts, funding = ri_matrices(registry)
    R, RF = metrics.rca(counts.to_numpy()), metrics.rca(funding.to_numpy())
    long = pd.DataFrame({
        "region": np.repeat(counts.index.to_numpy(), counts.shape[1]),
        "programme_part": np.tile(counts.columns.to_numpy(), counts.shape[0]),
        "participations": counts.to_numpy().ravel().astype(int), "ec_contribution": funding.to_numpy().ravel(),
        "rca": R.ravel(), "rca_funding": RF.ravel()})
    long = long[long["participations"] > 0]
    return long.sort_values(["region", "rca"], ascending=[True, False], kind="stable").reset_index(drop=True)


def ri_lens(region: str, registry: Registry | None = None, data_dir=None) -> RILens:
    """The R&I lens of NUTS 2 region ``region``.

    Parameters
    ----------
    region : str
        A NUTS 2021 NUTS 2 code (``ITC4``).
    registry : Registry, optional
        Defaults to :func:`~smartspec.match.registry.load_registry`.

    Returns
    -------
    RILens

    Raises
    ------
    UnknownNameError
        The region holds no placed H2020 participation (or is no NUTS 2 code).
    """
    reg = registry if registry is not None else load_registry(data_dir)
    counts, funding = ri_matrices(reg)
    code = str(region).strip().upper()
    if code not in counts.index:
        raise UnknownNameError("region", code, list(counts.index), where="R&I lens (NUTS 2 regions with H2020 participations)")
    X, F = counts.to_numpy(), funding.to_numpy()
    r = counts.index.get_loc(code)
    R = metrics.rca(X)
    M = (R >= 1).astype(float)
    phi = metrics.proximity(M, "min_cp")
    dens = metrics.density(M, phi)
    profile = pd.DataFrame({
        "programme_part": counts.columns.astype(str), "participations": X[r].astype(int),
        "ec_contribution": F[r], "share": X[r] / max(X[r].sum(), 1), "rca": R[r],
        "rca_funding": metrics.rca(F)[r], "specialised": (R[r] >= 1) & (X[r] >= MIN_PARTICIPATIONS), "density": dens[r],
    }).sort_values(["rca", "participations"], ascending=False, ignore_index=True)
    parts = reg.participations[reg.participations["nuts2"] == code]
    orgs = reg.organisations[reg.organisations["nuts2"] == code]
    totals = counts.sum(axis=1)
    summary = {
        "region": code, "n_organisations": int(len(orgs)), "n_participations": int(len(parts)),
        "n_projects": int(parts["project_id"].nunique()), "ec_contribution": float(parts["ec_contribution"].sum()),
        "diversity": int(profile["specialised"].sum()), "entropy": float(metrics.entropy(X)[r]),
        "participations_outside_matrix": int((parts["programme_part"] == NO_PART).sum()),
        "rank_participations": int((totals > totals[code]).sum() + 1), "n_regions": int(len(totals)),
    }
    leaders = (orgs.sort_values("ec_contribution", ascending=False)
               .groupby("type", sort=True).head(LEADERS_PER_TYPE)
               [["type", "org_id", "name", "nuts3", "n_projects", "ec_contribution"]]
               .sort_values(["type", "ec_contribution"], ascending=[True, False], ignore_index=True))
    return RILens(code, profile, summary, leaders)
