"""Every interface label used by the templates has an English and an Italian text."""
from __future__ import annotations

import re
from pathlib import Path

from smartspec.views.i18n import LABELS, translator

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "smartspec" / "web" / "templates"


def test_every_label_of_the_templates_is_translated():
    used = set()
    for f in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"t\('([a-z_]+)'\)", f.read_text()))
    used |= {f"q_{q}" for q in ("high_high", "low_high", "high_low", "low_low")}
    assert len(used) > 60
    missing = sorted(k for k in used if k not in LABELS)
    assert not missing, missing
    for k in used:
        en, it = LABELS[k]
        assert en and it, k
    differs = [k for k in used if LABELS[k][0] != LABELS[k][1]]
    assert len(differs) > 0.9 * len(used)  # only acronyms (ECI, RCA) and loan words stay the same


def test_translator_falls_back_to_english_for_unknown_languages():
    assert translator("it")("search_region") == "Cerca una regione"
    assert translator("fr")("search_region") == "Find a region"


def test_italian_region_page_translates_the_store_vocabulary(client):
    """Defect 12 (part): the employment unit and the competence strengths are Italian on ?lang=it
    (the opportunity reason sentences still come in English from strategy: not yet templated)."""
    it = client.get("/region/ITC4?lang=it").text
    en = client.get("/region/ITC4?lang=en").text
    assert '<span class="l">persone occupate</span>' in it
    assert '<span class="l">persons employed</span>' in en
    assert re.search(r">(forte|parziale|debole)<", it) and not re.search(r">(strong|partial|weak)<", it)
