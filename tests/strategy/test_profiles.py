"""Region strategy profiles: the shipped Lombardy profile and validation of user files."""
import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.profiles import available_profiles, load_profile


def test_lombardy_profile(data_dir):
    p = load_profile("lombardy", data_dir=data_dir)
    assert p.region == "ITC4" and "lombardy" in available_profiles()
    assert len(p.ecosystems) == 8 and len(p.specialisation_areas) == 7
    assert {g.key for g in p.traditional.values()} == {"mechanics", "chemicals-pharma", "fashion", "furniture",
                                                       "agro-food"}
    assert {"advanced-manufacturing", "energy", "aerospace", "life-sciences", "digital"} == {
        g.key for g in p.emerging.values()}
    assert p.group("fashion").nace == ("C13", "C14", "C15")
    assert p.group("Moda").key == "fashion"  # Italian names work too
    assert "Advanced manufacturing" in p.ecosystems_of("C28")
    assert sorted(p.network("Four Motors")) == ["DE1", "ES51", "FRK", "ITC4"]
    assert "NL41" in p.network("Vanguard Initiative")


def test_unknown_group_and_network(data_dir):
    p = load_profile("lombardy", data_dir=data_dir)
    with pytest.raises(UnknownNameError) as e:
        p.group("fashon")
    assert "fashion" in e.value.suggestions
    with pytest.raises(UnknownNameError):
        p.network("Five Motors")
    with pytest.raises(UnknownNameError):
        load_profile("lombardia")


def test_bad_profile_files(tmp_path, data_dir):
    bad = tmp_path / "x.toml"
    bad.write_text('[region]\ncode = "ITC4"\n[[ecosystems]]\nkey = "a"\nname = "A"\nnace = ["C99"]\n')
    with pytest.raises(UnknownNameError, match="C99") as e:
        load_profile(bad, data_dir=data_dir)
    assert "ecosystems" in str(e.value)
    bad.write_text('[region]\ncode = "ITC4"\n[[traditional]]\nkey = "a"\nnace = ["C13"]\n')
    with pytest.raises(InputError, match="'name'"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text("[region\n")
    with pytest.raises(InputError, match="TOML"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text('[other]\nx = 1\n')
    with pytest.raises(InputError, match="region"):
        load_profile(bad, data_dir=data_dir)


def test_profile_matches_the_official_lists(data_dir):
    """Every ecosystem, specialisation area and cluster of the official list is in the profile."""
    import pandas as pd

    p = load_profile("lombardy", data_dir=data_dir)
    official = pd.read_csv(data_dir / "s3_networks" / "lombardy_s3_areas_and_clusters.csv")
    eco = official.loc[official["item_type"] == "Innovation Ecosystem", "item"]
    assert set(eco) == set(p.ecosystems)
    areas = official.loc[official["item_type"] == "Specialisation Area", "item"]
    assert {p.group(a, "specialisation_areas").name for a in areas} == set(p.specialisation_areas)
    clusters = official.loc[official["item_type"].str.startswith("Regional technology cluster"), "item"]
    assert {p.group(c, "clusters").name_it for c in clusters} == {g.name_it for g in p.clusters.values()}
    assert len(p.clusters) == len(clusters) == 10


def test_every_group_is_explained(data_dir):
    p = load_profile("lombardy", data_dir=data_dir)
    for g in p.groups():
        assert g.nace and g.name_it and len(g.description) > 20, g.key
        assert len(set(g.nace)) == len(g.nace), g.key
    # keys win over names: "aerospace" is the emerging industry, not the 2014 area named Aerospace
    assert p.group("aerospace").kind == "emerging"
    assert p.group("Aerospace", "specialisation_areas").key == "aerospace-2014"
    assert p.group("Chimica verde").kind == "clusters"
    assert set(p.ecosystems_of("C28")) == {"Advanced manufacturing"}
    assert p.ecosystems_of("C99") == []


def test_more_bad_profile_files(tmp_path, data_dir):
    bad = tmp_path / "y.toml"
    head = '[region]\ncode = "ITC4"\n'
    bad.write_text(head + '[[emerging]]\nkey = "a"\nname = "A"\nnace = ["C13"]\nnaec = ["C14"]\n')
    with pytest.raises(InputError, match="naec") as e:
        load_profile(bad, data_dir=data_dir)
    assert "y.toml" in str(e.value) and "emerging" in str(e.value)
    bad.write_text(head + '[[emerging]]\nkey = "a"\nname = "A"\nnace = "C13"\n')
    with pytest.raises(InputError, match="list of codes"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text(head + '[[emerging]]\nkey = "a"\nname = "A"\nnace = ["C13"]\n[[emerging]]\nkey = "a"\n'
                   'name = "B"\nnace = ["C14"]\n')
    with pytest.raises(InputError, match="duplicate key"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text(head + '[[emerging]]\nkey = "a"\nname = "A"\nnace = ["C13"]\nwipo = ["W36"]\n')
    with pytest.raises(UnknownNameError, match="W36"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text(head + '[[ecosystem]]\nkey = "a"\nname = "A"\nnace = ["C13"]\n')
    with pytest.raises(InputError, match="ecosystem"):
        load_profile(bad, data_dir=data_dir)
    bad.write_text(head + '[networks]\nfile = "s3_networks/interregional_networks.csv"\ninclude = ["Five Motors"]\n')
    with pytest.raises(UnknownNameError, match="Five Motors"):
        load_profile(bad, data_dir=data_dir)
    with pytest.raises(InputError, match="not found"):
        load_profile(tmp_path / "missing.toml", data_dir=data_dir)
    # a minimal valid profile of another region, members listed inline
    bad.write_text('[region]\ncode = "DE11"\nname = "Stuttgart"\n[[emerging]]\nkey = "ev"\nname = "E-mobility"\n'
                   'nace = ["C29", "C27"]\n[networks.members]\n"Test" = ["DE11", "ITC4"]\n')
    p = load_profile(bad, data_dir=data_dir)
    assert p.region == "DE11" and p.group("ev").nace == ("C29", "C27") and p.network("Test") == ["DE11", "ITC4"]
