"""Real matrices shared by the metrics tests."""
import numpy as np
import pandas as pd
import pytest

from smartspec.data.datasets import load_dataset


@pytest.fixture(scope="session")
def trade_frame(data_dir) -> pd.DataFrame:
    """Exports by country x SITC product, 1998-2000 (226 x 785), as the anchors take it."""
    df = pd.read_csv(data_dir / "trade/world_trade_avg_1998_to_2000.csv.gz", dtype={"product": str})
    df["year"] = 2000
    return df


@pytest.fixture(scope="session")
def sbs_frame(data_dir) -> pd.DataFrame:
    """Persons employed by NUTS 2 region x NACE division in 2014, regions with data only."""
    panel = load_dataset("eurostat-sbs", data_dir)
    df = panel.to_frame()
    df = df[df["year"] == 2014]
    return df[df.groupby("region")["value"].transform("sum") > 0].reset_index(drop=True)


@pytest.fixture(scope="session")
def trade_presence(trade_frame) -> np.ndarray:
    from smartspec.metrics import presence, rca

    X = trade_frame.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    return presence(rca(X.to_numpy()))
