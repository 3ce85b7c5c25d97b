"""Systems of competence (Leiden communities) on the real SBS panel."""
from smartspec.strategy.competences import competence_systems, region_competences


def test_communities_partition_the_activities(sbs):
    s = competence_systems(sbs)
    assert set(s.membership.index) == set(sbs.panel.activities)
    assert s.communities["size"].sum() == len(sbs.panel.activities)
    assert 2 <= len(s.communities) <= 15
    # horizontal: at least one system spans several NACE sections
    assert (s.communities["sections"].str.count(",") >= 2).any()
    assert 0 < s.stability["ari_across_seeds"] <= 1 and 0 < s.stability["ari_across_resolutions"] <= 1


def test_seeded_and_reproducible(sbs):
    from smartspec.strategy.context import analyse_panel

    other = analyse_panel(sbs.panel, profile=None)
    assert (competence_systems(other).membership == competence_systems(sbs).membership).all()


def test_lombardy_strength(sbs):
    t = region_competences(sbs, "ITC4")
    assert t["specialised"].sum() == int(sbs.at(2014).mcp[sbs.panel.regions.get_loc("ITC4")].sum())
    assert set(t["strength"]) <= {"strong", "partial", "weak"}
    assert abs(t["employment_share"].sum() - 1) < 1e-9
    textiles = t[t["specialisations"].str.contains("C13")]
    assert len(textiles) == 1
    assert t["ecosystems"].str.contains("Advanced manufacturing").any()
