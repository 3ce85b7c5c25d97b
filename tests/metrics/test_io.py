"""Input-output: multipliers against the ONS-published UK 2010 figures, readers on real tables."""
import numpy as np
import pandas as pd
import pytest

from smartspec.data.io_tables import read_iotables, read_wiod_niot
from smartspec.errors import InputError, UnknownNameError
from smartspec.metrics.io import (
    allocation_coefficients, backward_linkages, effects, forward_linkages, input_multipliers, leontief_inverse,
    output_multipliers, technical_coefficients,
)

IO = "io_tables"


@pytest.fixture(scope="module")
def uk(data_dir):
    table = read_iotables(data_dir / IO / "iotablesR_uk_2010_data.csv.gz")
    L = leontief_inverse(technical_coefficients(table.flows, table.output))
    published = pd.read_csv(data_dir / IO / "iotablesR_uk_test_results.csv.gz").set_index("uk_row_label")
    names = table.labels.reindex(table.sectors).to_numpy()
    return table, L, published, names


def _check(values, names, published, column):
    ours = pd.Series(values, index=names).reindex(published.index)
    ref = published[column]
    ok = ref.notna() & np.isfinite(ref) & ours.notna()
    assert ok.sum() >= 120
    np.testing.assert_allclose(ours[ok], ref[ok], rtol=1e-6)


def test_uk_output_multipliers_match_ons(uk):
    table, L, published, names = uk
    assert table.flows.shape == (127, 127)
    _check(output_multipliers(L), names, published, "Output multiplier")


def test_uk_gva_and_employment_cost_match_ons(uk):
    table, L, published, names = uk
    x = table.output.to_numpy()
    comp = table.primary_inputs.loc["Compensation of employees"].to_numpy()
    gva = table.primary_inputs.loc[["Compensation of employees", "Gross Operating Surplus",
                                    "Taxes less subsidies on production"]].sum().to_numpy()
    _check(input_multipliers(L, gva / x), names, published, "GVA multiplier")
    _check(effects(L, gva / x), names, published, "GVA effects")
    _check(effects(L, comp / x), names, published, "Employment cost effects")
    _check(input_multipliers(L, comp / x), names, published, "Employment cost multiplier")


def test_linkages_are_normalised(uk):
    table, L, _, _ = uk
    assert backward_linkages(L).mean() == pytest.approx(1.0)
    assert forward_linkages(table.flows.to_numpy(), table.output.to_numpy()).mean() == pytest.approx(1.0)


def test_wiod_italy(data_dir):
    t = read_wiod_niot(data_dir / IO / "wiod2016_niot/ITA_NIOT_nov16.csv.gz", 2014)
    assert t.flows.shape == (56, 56) and list(t.final_demand.columns) == ["CONS_h", "CONS_np", "CONS_g", "GFCF",
                                                                         "INVEN", "EXP"]
    A = technical_coefficients(t.flows, t.output)
    assert (A.sum(axis=0)[t.output.to_numpy() > 0] < 1).all()
    assert t.labels["C13-C15"].startswith("Manufacture of textiles")
    total = read_wiod_niot(data_dir / IO / "wiod2016_niot/ITA_NIOT_nov16.csv.gz", 2014, use="total")
    assert (total.flows.to_numpy() >= t.flows.to_numpy()).all()
    with pytest.raises(UnknownNameError):
        read_wiod_niot(data_dir / IO / "wiod2016_niot/ITA_NIOT_nov16.csv.gz", 1999)


@pytest.mark.parametrize("name,n", [("iotablesR_HU_IOT_2020.csv.gz", 65), ("iotablesR_cz_io.csv.gz", 61),
                                    ("iotablesR_sk_io.csv.gz", 104), ("iotablesR_netherlands_2000.csv.gz", 6),
                                    ("iotablesR_germany_1995.csv.gz", None)])
def test_eurostat_style_tables(data_dir, name, n):
    t = read_iotables(data_dir / IO / name)
    if n:
        assert t.flows.shape == (n, n)
    assert (t.flows.to_numpy() >= 0).mean() > 0.99 and t.output.sum() > 0


def test_a_table_that_is_not_square_is_refused_clearly(data_dir):
    """Employment by industry (one row of values, no sector rows) is no input-output table."""
    with pytest.raises(InputError, match="symmetric"):
        read_iotables(data_dir / IO / "iotablesR_emp_cz.csv.gz")


def test_bad_io_inputs(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="unrecognised"):
        read_iotables(p)
    with pytest.raises(InputError, match="square"):
        technical_coefficients(np.ones((2, 3)), [1, 1])
    for coefficients in (technical_coefficients, allocation_coefficients):
        with pytest.raises(InputError, match="output has 3 values for 2 sectors"):
            coefficients(np.ones((2, 2)), [1, 1, 1])
    with pytest.raises(InputError, match="coefficients have 1 values for 2 sectors"):
        effects(np.eye(2), [1])
    with pytest.raises(InputError, match="singular"):
        leontief_inverse(np.eye(2))
