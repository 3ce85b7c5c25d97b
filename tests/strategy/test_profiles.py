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
