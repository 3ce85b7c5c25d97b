"""Readers of input-output tables: WIOD national tables and Eurostat-style (iotables) tables."""
import numpy as np
import pytest

from smartspec.data.io_tables import IOTable, read_io_table, read_iotables, read_wiod_niot
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


@pytest.mark.parametrize("name,n,output_total", [
    ("iotablesR_croatia_2010_1700.csv.gz", 65, None),  # CPA_A01 product rows x A01 columns
    ("iotablesR_BEL2020ttl.csv", 50, None),             # OECD-style TTL_01 rows x D01 columns
])
def test_product_rows_and_industry_columns_are_paired(data_dir, name, n, output_total):
    t = read_io_table(data_dir / "io_tables" / name)
    assert t.flows.shape == (n, n) and list(t.flows.index) == list(t.flows.columns)
    assert (t.output > 0).mean() > 0.9 and t.final_demand.shape[0] == n
    from smartspec.metrics.io import technical_coefficients

    A = technical_coefficients(t.flows.to_numpy(), t.output.to_numpy())
    assert np.median(A.sum(axis=0)) < 1


def test_belgian_table_row_totals(data_dir):
    """Belgium's total-use table: intermediate plus final use (imports negative) is output."""
    t = read_io_table(data_dir / "io_tables" / "iotablesR_BEL2020ttl.csv")
    use = t.flows.sum(axis=1) + t.final_demand.sum(axis=1)
    assert ((use - t.output).abs() <= 1.0 + 0.01 * t.output.abs()).mean() > 0.95
    assert t.flows.loc["TTL_01", "TTL_01"] == pytest.approx(914.2)


def test_final_demand_aggregates_are_left_out_and_reported(data_dir):
    t = read_io_table(data_dir / "io_tables" / "iotablesR_HU_IOT_2020.csv.gz")
    assert {"P3", "P5", "P5M", "P6"}.isdisjoint(t.final_demand.columns)
    assert {"P3_S13", "P3_S14", "P51G", "P52", "P53", "P6_B0"} <= set(t.final_demand.columns)
    assert any(n.startswith("final demand column P5M left out: it is the sum of P52 + P53") for n in t.notes)
    # with the totals left out, intermediate plus final use adds up to output again
    use = t.flows.sum(axis=1) + t.final_demand.sum(axis=1)
    assert ((use - t.output).abs() <= 1e-3 * t.output.abs().clip(lower=1)).mean() > 0.9
    # nested and joined totals: P52_P53 = P52 + P53, P6_S21 = P6_S2111 + P6_S2112
    hr = read_io_table(data_dir / "io_tables" / "iotablesR_croatia_2010_1700.csv.gz")
    assert {"P52_P53", "P6_S21", "P6", "P5", "P3"}.isdisjoint(hr.final_demand.columns)
    assert {"P52", "P53", "P6_S2111", "P6_S2112", "P6_S22"} <= set(hr.final_demand.columns)
    uk = read_io_table(data_dir / "io_tables" / "iotablesR_uk_2010_data.csv.gz")
    assert uk.notes == [] and uk.final_demand.shape[1] == 9
