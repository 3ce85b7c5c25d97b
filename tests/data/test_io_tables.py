"""Readers of input-output tables: WIOD national tables and Eurostat-style (iotables) tables."""
import numpy as np
import pytest

from smartspec.data.io_tables import IOTable, read_iotables, read_wiod_niot
from smartspec.errors import DataNotFoundError, InputError

WIOD = "io_tables/wiod2016_niot/{}_NIOT_nov16.csv.gz"


def test_wiod_numbers_with_thousands_separators(data_dir):
    t = read_wiod_niot(data_dir / WIOD.format("ITA"), 2000)
    assert isinstance(t, IOTable)
    # "2 715" and "14 167" in the file (spaces as thousands separators)
    assert t.flows.loc["A01", "A01"] == 2715 and t.flows.loc["A01", "C10-C12"] == 14167
    assert t.final_demand.loc["A01"].tolist() == [19409, 6, 4, 265, 104, 3075]
    assert t.output["A01"] == 43370
    assert {"VA", "GO"} <= set(t.primary_inputs.index)


@pytest.mark.parametrize("country", ["ITA", "DEU", "FRA", "ESP"])
def test_wiod_rows_add_up_to_output(data_dir, country):
    """Domestic intermediate use + domestic final demand = gross output (values are rounded to units)."""
    t = read_wiod_niot(data_dir / WIOD.format(country), 2014)
    assert t.flows.shape == (56, 56)
    gap = t.flows.sum(axis=1) + t.final_demand.sum(axis=1) - t.output
    assert gap.abs().max() <= 62  # at most one unit of rounding per column summed


def test_eurostat_style_uk_table(data_dir):
    t = read_iotables(data_dir / "io_tables/iotablesR_uk_2010_data.csv.gz")
    assert t.flows.shape == (127, 127) and t.output.shape == (127,)
    assert {"Compensation of employees", "Gross Operating Surplus"} <= set(t.primary_inputs.index)
    assert np.isfinite(t.flows.to_numpy()).all()


def test_missing_file(tmp_path):
    with pytest.raises((DataNotFoundError, InputError, FileNotFoundError)):
        read_wiod_niot(tmp_path / "nope.csv.gz")
