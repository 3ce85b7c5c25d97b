"""The external validity of smartspec's complexity measures on the real SBS data.

Run: ``.venv/bin/python docs/validate_complexity.py`` (about a minute). Prints the validity
table of docs/methods.md as Markdown: for ECI and fitness, on traded activities (the default)
and on every activity, the Spearman correlation across NUTS 2 regions with GDP per head in PPS
(Eurostat nama_10r_2gdp) and with the Regional Innovation Scoreboard 2019 index (RIS, edition
with 2018-2019 data, ``regional_indicators``, 81 Central European regions); and for PCI and
product complexity (fitness), the Spearman correlation across NACE divisions with the EU wages
and salaries per person employed of the activity (SBS V13320 / V16110).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from smartspec.config import resolve_data_dir
from smartspec.data.datasets import gdp_per_head, sbs_activity_wages
from smartspec.strategy.context import analyse

YEAR = 2014


def ris(data_dir) -> pd.Series:
    """The Regional Innovation Scoreboard index of the earliest edition in the file, by NUTS 2."""
    df = pd.read_csv(data_dir / "regional_indicators" / "interreg_ce_tncoop_nuts2_indicators_long.csv.gz")
    df = df[df["indicator"] == "25a_RIS"]
    first = df["year"].min()
    return df[df["year"] == first].set_index("nuts2")["value"].rename(f"RIS {first}")


def rho(x: pd.Series, y: pd.Series) -> tuple[float, int]:
    both = pd.concat([x, y], axis=1).dropna()
    return float(spearmanr(both.iloc[:, 0], both.iloc[:, 1]).statistic), len(both)


def table() -> pd.DataFrame:
    data_dir = resolve_data_dir()
    innovation = ris(data_dir)
    wages = sbs_activity_wages(data_dir)
    wages = wages[wages["year"] == YEAR].set_index("activity")["wage_per_person"]
    rows = []
    for scope in ("traded", "all"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = analyse("eurostat-sbs", profile=None, scope=scope)
        m = a.at(YEAR)
        gdp = gdp_per_head(m.regions, YEAR, data_dir)
        gdp.index = m.regions
        for name, regional, activity in (("ECI", m.eci, m.pci), ("fitness", np.log(m.fitness), m.product_complexity)):
            r = pd.Series(regional, index=m.regions)
            q = pd.Series(activity, index=m.activities)
            g, ng = rho(r, gdp)
            i, ni = rho(r, innovation)
            w, nw = rho(q, wages)
            ranked = r.dropna().rank(ascending=False, method="min")
            rows.append({"measure": name, "scope": scope, "rho GDP per head (PPS)": round(g, 2), "regions (GDP)": ng,
                         f"rho {innovation.name}": round(i, 2), "regions (RIS)": ni,
                         "rho activity measure vs EU wage per person": round(w, 2), "activities": nw,
                         "Lombardy rank": f"{int(ranked['ITC4'])} / {len(ranked)}"})
    return pd.DataFrame(rows)


def markdown(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(table()))
