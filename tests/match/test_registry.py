"""The organisation registry on the real H2020 files: nothing dropped, Lombard actors in ITC4,
bad CORDIS files rejected with the file, line and column named."""
from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.match import registry as reg

#: PICs of the 2017 file and the NUTS 3 they are in (Milano ITC4C, Pavia ITC48, Brescia ITC47).
LOMBARD = {"999879881": "ITC4C",  # Politecnico di Milano
           "999995796": "ITC4C",  # Universita degli Studi di Milano
           "999923531": "ITC4C",  # Milano-Bicocca
           "999893752": "ITC48",  # Pavia
           "999893946": "ITC47",  # Brescia
           "999838850": "ITC4C"}  # Bocconi


def test_every_participation_and_pic_is_kept(registry, data_dir):
    raw = pd.read_csv(data_dir / reg.PARTICIPATIONS_FILE, dtype=str)
    orgs, parts = registry.organisations, registry.participations
    assert len(parts) == len(raw) == 144_726
    assert orgs["org_id"].is_unique and set(orgs["org_id"]) == set(raw["pic"]) and len(orgs) == 35_871
    assert parts["project_id"].nunique() == 31_451
    # participations of placed organisations carry the organisation's NUTS 2
    placed = orgs.set_index("org_id")["nuts2"].dropna()
    assert (parts.loc[parts["org_id"].isin(placed.index), "nuts2"].notna()).all()


def test_coverage_adds_up_to_the_totals(registry):
    cov = registry.coverage()
    assert cov["organisations"].sum() == len(registry.organisations)
    assert cov["participations"].sum() == len(registry.participations)
    assert set(cov["placement"]) == set(reg.PLACEMENTS)
    unplaced = cov[cov["placement"] == "unplaced"]
    assert set(unplaced["unplaced_reason"]) == set(reg.UNPLACED_REASONS)
    orgs = registry.organisations
    # every unplaced organisation has a reason, no placed one has
    assert orgs.loc[orgs["placement"] == "unplaced", "unplaced_reason"].notna().all()
    assert orgs.loc[orgs["placement"] != "unplaced", "unplaced_reason"].isna().all()
    # the PICs absent from the 2017 file (README: 16,281 of 35,871 matched) have no address
    no_addr = int(cov.loc[cov["unplaced_reason"] == "no_address", "organisations"].iloc[0])
    assert 35_871 - 16_281 - 100 <= no_addr <= 35_871 - 16_281
    addressed = orgs[orgs["unplaced_reason"].fillna("") != "no_address"]
    assert (addressed["placement"] != "unplaced").mean() > 0.83  # measured 0.847


def test_lombard_universities_are_in_itc4(registry):
    orgs = registry.organisations.set_index("org_id")
    for pic, nuts3 in LOMBARD.items():
        row = orgs.loc[pic]
        assert row["nuts3"] == nuts3 and row["nuts2"] == "ITC4", (pic, row["name"])
        assert row["type"] == "university" and row["placement"] == "city_lau"
        assert row["placement_confidence"] >= 0.85
    lombard = orgs[orgs["nuts2"] == "ITC4"]
    assert 300 <= len(lombard) <= 500
    assert set(lombard["country"]) == {"IT"}


def test_placement_codes_are_nuts_2021(registry, data_dir):
    from smartspec.data.nuts import region_table

    valid = set(region_table(2021, data_dir).index)
    orgs = registry.organisations
    assert set(orgs["nuts2"].dropna()) <= valid
    assert set(orgs["nuts3"].dropna()) <= valid
    # the CORDIS nutsCode of the Horizon Europe sample wins: Wageningen University is NL221
    wur = orgs.set_index("org_id").loc["999981634"]
    assert wur["placement"] == "cordis_nuts" and wur["nuts3"] == "NL221" and wur["placement_confidence"] == 1.0


def test_aliases_and_ambiguity(registry):
    orgs = registry.organisations
    rome = orgs[(orgs["country"] == "IT") & orgs["city"].str.upper().isin(["ROMA", "ROME"])]
    assert len(rome) > 150 and set(rome["nuts3"]) == {"ITI43"}
    munich = orgs[(orgs["country"] == "DE") & orgs["city"].str.upper().isin(["MUENCHEN", "MÜNCHEN", "MUNICH"])]
    assert len(munich) > 20 and set(munich["nuts3"]) == {"DE212"}
    # a name found in several NUTS 3 is resolved by population and says so
    amb = orgs[orgs["placement_note"].str.contains("most populous chosen", na=False)]
    assert len(amb) and (amb["placement_confidence"] <= 0.9).all()
    london = orgs[(orgs["country"] == "UK") & orgs["city"].str.upper().eq("LONDON")]
    assert len(london) > 300 and london["nuts2"].str.startswith("UKI").all()
    assert (london["placement_confidence"] < 0.3).all()  # one borough of 33 chosen: said, not hidden


def test_recode_to_2021(data_dir):
    out = reg.recode_to_2021(pd.Series(["ITC4C", "ITD55", "UKI11", "XX999", None]), data_dir)
    assert out["nuts3"].iloc[0] == "ITC4C" and out["nuts2"].iloc[0] == "ITC4"
    assert out["nuts3"].iloc[1] == "ITH55" and out["nuts2"].iloc[1] == "ITH5"   # Bologna, NUTS 2010 code
    assert pd.isna(out["nuts3"].iloc[2]) and out["nuts2"].iloc[2] == "UKI3"     # Inner London West split
    assert out.iloc[3].isna().all() and out.iloc[4].isna().all()


def test_repair_mis_encoded_text():
    s = pd.Series(["Bernhard J√∂ckel", "CERDANYOLA DEL VALL√àS", "Ã‰cole", "plain", None])
    assert reg.repair_text(s).tolist()[:4] == ["Bernhard Jöckel", "CERDANYOLA DEL VALLÈS", "École", "plain"]


def test_unknown_organisation_raises(registry):
    with pytest.raises(UnknownNameError, match="unknown organisation '123'"):
        registry.organisation("123")


SAMPLE = "cordis_he_samples/voteveto2_organization_df_100.csv"


def test_cordis_loader_reads_the_official_schema(data_dir):
    df = reg.load_cordis_organisations(data_dir / SAMPLE)
    assert len(df) == 100 and df["nuts_code"].notna().sum() > 80
    assert df.loc[df["org_id"] == "999981634", "nuts_code"].iloc[0] == "NL221"


def test_renamed_column_is_named(tmp_path, data_dir):
    text = (data_dir / SAMPLE).read_text(encoding="utf-8").replace("organisationID", "organisationId", 1)
    bad = tmp_path / "organization.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        reg.load_cordis_organisations(bad)
    msg = exc.value.message
    assert "column 'organisationID' is missing" in msg and str(bad) in msg and "organisationId" in exc.value.fix


def test_mis_encoded_bytes_name_the_line(tmp_path, data_dir):
    lines = (data_dir / SAMPLE).read_bytes().split(b"\n")
    lines[6] = lines[6].replace(b",", b",Caf\xe9 ", 1)  # Latin-1 byte on line 7
    bad = tmp_path / "organization.csv.gz"
    with gzip.open(bad, "wb") as fh:
        fh.write(b"\n".join(lines))
    with pytest.raises(InputError) as exc:
        reg.load_cordis_organisations(bad)
    assert f"{bad}, line 7" == exc.value.where and "0xe9" in exc.value.problem and "UTF-8" in exc.value.fix


def test_bad_participation_value_names_line_and_column(tmp_path, data_dir):
    d = tmp_path / "data"
    (d / "cordis").mkdir(parents=True)
    src = data_dir / reg.PARTICIPATIONS_FILE
    rows = gzip.decompress(src.read_bytes()).split(b"\n")[:50]
    rows[3] = rows[3].replace(b",PRC,", b",XYZ,", 1).replace(b",HES,", b",XYZ,", 1).replace(b",REC,", b",XYZ,", 1)
    with gzip.open(d / reg.PARTICIPATIONS_FILE, "wb") as fh:
        fh.write(b"\n".join(rows))
    shutil.copy(data_dir / reg.PROGRAMME_PARTS_FILE, d / reg.PROGRAMME_PARTS_FILE)
    with pytest.raises(InputError) as exc:
        reg._build_participations(d / reg.PARTICIPATIONS_FILE, d / reg.PROGRAMME_PARTS_FILE)
    assert exc.value.where.endswith("line 4, column type") and "'XYZ'" in exc.value.problem
