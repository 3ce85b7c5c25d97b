"""Competence profiles on the real CORDIS and ERC files."""
from __future__ import annotations

import gzip
import math

import numpy as np
import pandas as pd
import pytest

from smartspec.match.profiles import TRIANGLE_ROLES, fit_tfidf, load_profiles, name_key


@pytest.fixture(scope="module")
def profiles(registry, data_dir):
    return load_profiles(data_dir, registry)


def test_every_organisation_has_a_profile(profiles, registry):
    orgs = profiles.organisations
    assert len(orgs) == len(registry.organisations) == 35871
    assert profiles.matrix.shape[0] == 35871
    assert set(profiles.documents) == {"name", "sector", "grants", "programme"}
    assert all(m.shape[0] == 35871 for m in profiles.documents.values())
    assert set(orgs["role"]) <= set(TRIANGLE_ROLES.values())
    assert (orgs.loc[orgs["type"] == "university", "role"] == "education").all()
    # every participation is counted once in the programme-part table, except the unassigned ones
    parts = registry.participations
    assert profiles.parts.to_numpy().sum() == (parts["programme_part"] != "unassigned").sum()


def test_erc_hosts_matched_and_counted(profiles, data_dir):
    grants = profiles.grants
    assert len(grants) == 3986
    assert grants["org_id"].notna().sum() >= 3400          # 3,489 matched by name
    # independent count from the raw files: grants hosted by Politecnico di Milano
    n = 0
    for scheme in ("advanced", "consolidator", "starting"):
        with gzip.open(data_dir / "cordis_erc" / f"edu_erc_{scheme}.csv.gz", "rt") as fh:
            n += int((pd.read_csv(fh)["institution"].str.upper() == "POLITECNICO DI MILANO").sum())
    polimi = profiles.organisations.set_index("org_id").loc["999879881"]
    assert polimi["n_erc"] == n == 22
    assert polimi["role"] == "education" and "LEIT" in polimi["main_parts"]
    row = int(np.flatnonzero(profiles.organisations["org_id"] == "999879881")[0])
    terms = profiles.top_terms(row, 5)
    weights = profiles.matrix[row, [profiles.vectorizer.vocabulary_[t] for t in terms]].toarray().ravel()
    assert len(terms) == 5 and (np.diff(weights) <= 0).all() and weights[-1] > 0


def test_name_key_folds_case_accents_and_punctuation():
    got = name_key(pd.Series(["Università degli Studi di Milano-Bicocca", None]))
    assert list(got) == ["UNIVERSITA DEGLI STUDI DI MILANO BICOCCA", ""]


def test_tfidf_weights_match_the_formula():
    docs = ["additive manufacturing of aerospace parts", "aerospace engines", "food packaging",
            "additive manufacturing", "packaging of food for export"]
    vec, X = fit_tfidf(docs)
    vocab = vec.vocabulary_
    # smooth idf: ln((1 + n) / (1 + df)) + 1; sublinear tf 1 + ln(tf); rows L2-normalised
    idf = {t: math.log((1 + 5) / (1 + sum(t in d for d in docs))) + 1 for t in ("aerospace", "additive")}
    row = X[0].toarray().ravel()
    assert row[vocab["aerospace"]] / row[vocab["additive"]] == pytest.approx(idf["aerospace"] / idf["additive"], rel=1e-5)
    assert np.linalg.norm(row) == pytest.approx(1.0, rel=1e-5)


def test_warm_load_reads_the_cache(profiles, data_dir, registry):
    again = load_profiles(data_dir, registry)
    assert again is not profiles and (again.matrix != profiles.matrix).nnz == 0


def test_programme_themes_are_not_in_the_specific_documents(profiles):
    """Every LEIT participant shares 'additive manufacturing' with LEIT's themes; that must be
    in the programme document only, never in the name, sector or grant evidence."""
    col = profiles.vectorizer.vocabulary_["additive manufacturing"]
    org = profiles.organisations
    eurescom = int(np.flatnonzero(org["name"].str.startswith("EURESCOM").fillna(False).to_numpy())[0])
    assert profiles.documents["programme"][eurescom, col] > 0
    assert all(profiles.documents[d][eurescom, col] == 0 for d in ("name", "sector", "grants"))
