"""Systems of competence (Leiden communities) on the real SBS panel."""
import re

import pytest

from smartspec.errors import InputError, UnknownNameError
from smartspec.strategy.competences import competence_systems, ecosystem_overlap, region_competences
from smartspec.views.text import competence_summary


@pytest.fixture(scope="module")
def systems(sbs):
    return competence_systems(sbs)


def test_communities_partition_the_activities(sbs, systems):
    s = systems
    assert s.membership.index.equals(sbs.panel.activities) and s.membership.index.is_unique
    assert s.communities["size"].sum() == len(sbs.panel.activities)
    assert sorted(s.communities["community"]) == sorted(s.membership.unique())
    assert (s.communities["size"].diff().dropna() <= 0).all()  # numbered largest first
    assert 2 <= len(s.communities) <= 15
    for row in s.communities.itertuples():
        members = set(s.membership.index[s.membership == row.community])
        assert set(row.activities.split(", ")) == members
        assert set(row.core.split(", ")) <= members
    # horizontal: at least one system spans several NACE sections
    assert (s.communities["sections"].str.count(",") >= 2).any()


def test_stability_is_reported(systems):
    st = systems.stability
    for key in ("ari_across_seeds", "ari_across_resolutions", "nmi_across_seeds", "nmi_across_resolutions"):
        assert 0 < st[key] <= 1, key
    assert st["seeds"] == 10 and st["resolutions"] == [0.8, 1.0, 1.2]
    assert len(st["communities_per_resolution"]) == 3
    assert 0.3 < st["modularity"] < 1  # a clearly modular network
    # the backbone connects every activity (maximum spanning tree)
    assert set(systems.edges["source"]) | set(systems.edges["target"]) == set(systems.membership.index)


def test_seeded_and_reproducible(sbs, systems):
    from smartspec.strategy.context import analyse_panel

    other = analyse_panel(sbs.panel, profile=None)
    assert (competence_systems(other).membership == systems.membership).all()
    finer = competence_systems(sbs, resolution=2.0)
    assert len(finer.communities) >= len(systems.communities)
    with pytest.raises(InputError):
        competence_systems(sbs, resolution=0)


def test_fashion_is_one_system(systems):
    # textiles, clothing and leather are specialised together: one system of competence
    m = systems.membership
    assert m["C13"] == m["C14"] == m["C15"]


def test_lombardy_strength(sbs, systems):
    t = region_competences(sbs, "ITC4", systems=systems)
    i = sbs.panel.regions.get_loc("ITC4")
    assert t.attrs["year"] == 2014 and t.attrs["first_year"] == 2008 and t.attrs["years"] == list(range(2008, 2015))
    assert t["specialised"].sum() == int(sbs.at(2014).mcp[i].sum())
    assert set(t["strength"]) <= {"strong", "partial", "weak"}
    assert abs(t["employment_share"].sum() - 1) < 1e-9
    # shares of every year sum to 100%: the changes cancel out
    assert abs(t["trend"].sum()) < 1e-9 and abs(t["trend_per_year"].sum()) < 1e-9
    assert abs(t["employment_share_first"].sum() - 1) < 1e-9
    textiles = t[t["specialisations"].str.contains("C13")]
    assert len(textiles) == 1
    assert t["ecosystems"].str.contains("Advanced manufacturing").any()
    assert "summary" not in t and set(t["direction"]) <= {"growing", "shrinking", "stable"}
    for row in t.to_dict(orient="records"):
        en = competence_summary(row, year=2014, first_year=t.attrs["first_year"], value_name=t.attrs["value_name"])
        it = competence_summary(row, year=2014, first_year=t.attrs["first_year"], value_name=t.attrs["value_name"],
                                lang="it")
        assert en.startswith(f"{row['strength'].capitalize()}: specialised in {row['specialised']} of its ")
        assert f"{100 * row['employment_share']:.1f}% of persons employed in 2014, {row['direction']}" in en
        assert f"{100 * row['employment_share']:.1f}% delle persone occupate nel 2014".replace(".", ",") in it
        assert not re.search(r"specialised|persons|points|since|strong|partial|weak|growing|stable", it), it
    # the strongest system is the machinery one (Lombardy's manufacturing core)
    assert "C28" in t["specialisations"].iloc[0]


def test_ecosystem_overlap(sbs, systems):
    o = ecosystem_overlap(systems, sbs.profile)
    assert (o["overlap"] >= 1).all() and o["jaccard"].between(0, 1).all()
    for r in o.itertuples():
        members = set(systems.membership.index[systems.membership == r.community])
        eco = set(sbs.profile.group(r.ecosystem, "ecosystems").nace)
        assert set(r.shared.split(", ")) == members & eco
    # every ecosystem code present in the panel is in exactly one system
    codes = {c for g in sbs.profile.ecosystems.values() for c in g.nace if c in sbs.panel.activities}
    by_eco = o.groupby("ecosystem")["overlap"].sum()
    for g in sbs.profile.ecosystems.values():
        assert by_eco[g.name] == len([c for c in g.nace if c in codes])


def test_other_regions(sbs, systems):
    for region in ("ES51", "DE11"):
        t = region_competences(sbs, region, systems=systems)
        assert len(t) == len(systems.communities)
        i = sbs.panel.regions.get_loc(region)
        assert t["specialised"].sum() == int(sbs.at(t.attrs["year"]).mcp[i].sum())
        assert abs(t["trend"].sum()) < 1e-9
    with pytest.raises(UnknownNameError):
        region_competences(sbs, "Lombardi", systems=systems)


def test_cli_competences(sbs, data_dir, smartspec_cli):
    code, out = smartspec_cli("competences", "ITC4", "--data-dir", data_dir)
    assert code == 0, out
    assert "Systems of competence" in out and "adjusted Rand" in out and "NMI" in out
    assert "Lombardia (ITC4), 2014" in out and "points a year" in out
    code, out = smartspec_cli("competences", "DE11", "--resolution", "1.2", "--data-dir", data_dir)
    assert code == 0 and "Stuttgart" in out
    code, out = smartspec_cli("competences", "ITC4", "--resolution", "0", "--data-dir", data_dir)
    assert code == 2 and "--resolution" in out
    code, out = smartspec_cli("competences", "Lombardi", "--data-dir", data_dir)
    assert code == 2 and "unknown region" in out and "Traceback" not in out
