"""Files of interregional cooperation: networks of regions and the Regional Innovation Scoreboard.

* :func:`read_networks` reads ``s3_networks/interregional_networks.csv`` (network name and the
  NUTS 2021 codes of its members; one row per member, several codes per cell separated by ``;``);
* :func:`innovation_index` reads the Regional Innovation Scoreboard index (indicator
  ``25a_RIS``) from the Interreg Central Europe indicator file.
"""
from __future__ import annotations

import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.errors import DataNotFoundError

NETWORKS_FILE = "s3_networks/interregional_networks.csv"
INDICATORS_FILE = "regional_indicators/interreg_ce_tncoop_nuts2_indicators_long.csv.gz"
RIS_INDICATOR = "25a_RIS"


def read_networks(data_dir=None) -> dict[str, list[str]]:
    """Network name -> member NUTS codes (in file order, each once).

    Raises
    ------
    DataNotFoundError
        The file is not in the data directory.
    """
    path = resolve_data_dir(data_dir) / NETWORKS_FILE
    if not path.exists():
        raise DataNotFoundError(f"networks file {NETWORKS_FILE} not found", where=str(path.parent),
                                fix="point --data-dir to the shared data directory or use a region profile with networks")
    table = pd.read_csv(path, dtype=str)
    out: dict[str, list[str]] = {}
    for name, rows in table.groupby("network", sort=False):
        codes = [c.strip() for cell in rows["nuts_code_2021_helper_assigned"].dropna() for c in cell.split(";")]
        out[name] = list(dict.fromkeys(c for c in codes if c))
    return out


def innovation_index(data_dir=None, edition: int | None = None) -> pd.Series | None:
    """Regional Innovation Scoreboard index by NUTS 2 code (indicator ``25a_RIS`` of the
    Interreg Central Europe indicator file; 81 regions; earliest edition unless ``edition``).
    None when the file is absent."""
    from smartspec.data.cache import cache_key, cached_arrays

    path = resolve_data_dir(data_dir) / INDICATORS_FILE
    if not path.exists():
        return None

    def read() -> dict:
        df = pd.read_csv(path, dtype={"nuts2": str})
        rows = df[df["indicator"] == RIS_INDICATOR]
        return {"nuts2": rows["nuts2"].fillna("").to_numpy(dtype=str),
                "year": pd.to_numeric(rows["year"], errors="coerce").to_numpy(dtype=float),
                "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)}

    # the structural peers read it on every run: parsed once per file content, kept as arrays
    ris = pd.DataFrame(cached_arrays("ris", {"key": cache_key("ris", [path])}, read))
    ris = ris.dropna(subset=["year"])
    if ris.empty:
        return None
    y = int(ris["year"].min()) if edition is None else int(edition)
    out = ris.loc[ris["year"] == y].set_index("nuts2")["value"]
    out.name = f"RIS {y}"
    return out
