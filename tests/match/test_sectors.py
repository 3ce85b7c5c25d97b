"""Firms matched to the JRC-OECD top R&D investors: coverage, a hand-checked sample, the words."""
from __future__ import annotations

import pandas as pd
import pytest

from smartspec.match.sectors import (activity_documents, class_labels, company_key, load_rd_investors,
                                     match_rd_investors)

#: Checked by hand against the registry names, the scoreboard and the firms' own descriptions.
HAND_CHECKED = {
    "LEONARDO - FINMECCANICA SPA": ("LEONARDO", "3030", "group"),     # aerospace, defence (Rome)
    "DAIMLER AG": ("DAIMLER", "2910", "name"),                        # motor vehicles (Stuttgart)
    "ROBERT BOSCH GMBH": ("ROBERT BOSCH", "2824", "name"),            # the scoreboard says power tools
    "TELECOM ITALIA SPA": ("TELECOM ITALIA", "6190", "name"),
    "BAYER AKTIENGESELLSCHAFT": ("BAYER", "2120", "name"),            # pharmaceuticals
    "SAFRAN AIRCRAFT ENGINES": ("SAFRAN", "3030", "group"),
    "ALMIRALL SA": ("ALMIRALL", "2120", "name"),                      # pharmaceuticals (Barcelona)
}


@pytest.fixture(scope="module")
def matches(registry, data_dir):
    return match_rd_investors(registry.organisations, load_rd_investors(data_dir)), load_rd_investors(data_dir)


def test_investors_read_one_row_per_company(data_dir):
    inv = load_rd_investors(data_dir)
    raw = pd.read_csv(data_dir / "firms" / "jrc_oecd_top_rd_investors_panel_2015_2018.csv")
    assert len(inv) == raw["company_id"].nunique() == 2000
    assert inv.set_index("company")["nace"].get("LEONARDO") == "3030"
    assert "UK" in set(inv["country"]) and "GB" not in set(inv["country"])   # CORDIS country codes


def test_hand_checked_sample_and_coverage(matches, registry):
    m, inv = matches
    named = m.merge(registry.organisations[["org_id", "name", "country", "type"]], on="org_id")
    got = named.set_index("name")
    for name, (company, nace, method) in HAND_CHECKED.items():
        assert (got.loc[name, "company"], got.loc[name, "nace"], got.loc[name, "method"]) == (company, nace, method), name
    assert (named["type"] == "firm").all()
    # the country must agree: the investor's country is the firm's
    by_company = inv.set_index("company_id")["country"]
    assert (named["company_id"].map(by_company) == named["country"]).all()
    assert 150 <= m["company_id"].nunique() <= 200 and 200 <= len(m) <= 300   # 169 investors, 247 firms


def test_company_key_drops_legal_forms():
    got = company_key(pd.Series(["Leonardo S.p.A.", "ROBERT BOSCH GMBH", "Enel Società per azioni"]))
    assert list(got) == ["LEONARDO", "ROBERT BOSCH", "ENEL"]


def test_every_class_has_a_title_and_aerospace_has_its_themes(data_dir):
    labels = class_labels().set_index("code")
    inv = load_rd_investors(data_dir)
    assert set(inv["nace"]) <= set(labels.index) and (labels["name"] != "").all()
    assert "aerospace" in labels.loc["3030", "themes"] and labels.loc["3030", "division"] == "Manufacture of other transport equipment"
    docs = activity_documents()
    assert "aerospace" in " ".join(docs.loc["C30"]) and "manufacturing" not in docs.loc["C32"].iloc[0].lower()
