"""Competence profiles of the research and innovation organisations.

The profile of an organisation (a PIC of the registry, :mod:`smartspec.match.registry`) holds:

* its Horizon 2020 **programme parts** (participations per part, labels and themes in
  ``labels/h2020_programme_parts.csv``);
* the **ERC grants** it hosted (``cordis_erc/edu_erc_{advanced,consolidator,starting}.csv.gz``):
  the host institution's legal name is matched to the registry's names after normalisation
  (:func:`name_key`: case, accents, punctuation); a name held by several PICs goes to the PIC
  with the most participations;
* its **type** and its **role in the knowledge triangle** (:data:`TRIANGLE_ROLES`);
* for a firm, its **sector**: the NACE class of the top R&D investor whose name it bears
  (:mod:`smartspec.match.sectors`);
* its **terms**: four TF-IDF documents (scikit-learn, word 1-2 grams, sublinear tf, English
  stop words, :data:`DOCUMENTS`) scored apart: its name, its sector, the titles and abstracts
  of its ERC grants -- specific evidence of a competence -- and the themes of its programme
  parts, a programme-level prior only (every LEIT participant shares "additive manufacturing"
  with the themes of LEIT).

The participations file carries no project titles or objectives, so an organisation without an
ERC grant or a sector has only its name as specific evidence; a full CORDIS download
(``project.csv`` with ``objective``) would add those texts.

The fitted matrix is cached in ``<cache>/match/`` (see :func:`smartspec.config.cache_dir`),
keyed by the digests of the input files and of this module, so a warm load takes well under
a second.

References
----------
Salton, G. and Buckley, C. (1988). Term-weighting approaches in automatic text retrieval.
Information Processing & Management 24(5), 513-523.
Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python. JMLR 12, 2825-2830.
"""
from __future__ import annotations

import functools
import pickle
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartspec.config import cache_dir, resolve_data_dir
from smartspec.errors import InputWarning
from smartspec.match.registry import NO_PART, Registry, _path, load_registry, read_table

ERC_FILES = tuple(Path("cordis_erc") / f"edu_erc_{s}.csv.gz" for s in ("advanced", "consolidator", "starting"))
PARTS_LABEL_FILE = Path(__file__).resolve().parents[1] / "labels" / "h2020_programme_parts.csv"
#: Registry type -> role in the knowledge triangle (business, research, education) and the
#: public side of the triple helix.
TRIANGLE_ROLES = {"firm": "business", "university": "education", "research centre": "research",
                  "public": "public", "other": "other"}
#: Parameters of the TF-IDF model; part of the cache key.
TFIDF_PARAMS = dict(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2,
                    max_df=0.5, dtype=np.float32)
_VERSION = "4"


def name_key(names: pd.Series) -> pd.Series:
    """Organisation names reduced for matching: upper case, accents and punctuation removed,
    spaces collapsed (``Università degli Studi di Milano-Bicocca`` ->
    ``UNIVERSITA DEGLI STUDI DI MILANO BICOCCA``)."""
    plain = names.fillna("").astype(str).map(
        lambda s: unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode())
    return plain.str.upper().str.replace(r"[^A-Z0-9]+", " ", regex=True).str.strip()


def load_erc_grants(data_dir=None) -> pd.DataFrame:
    """The ERC grants of the three schemes.

    Returns
    -------
    DataFrame
        ``acronym, title, investigator, host, abstract, budget, start, year, scheme``
        (scheme: advanced / consolidator / starting); grants without a start date keep
        ``year`` NA.
    """
    frames = []
    for rel in ERC_FILES:
        path = _path(data_dir, rel)
        raw = read_table(path, ("project_acronym", "project", "institution", "details_project", "date_start_project"))
        start = pd.to_datetime(raw["date_start_project"], errors="coerce")
        frames.append(pd.DataFrame({
            "acronym": raw["project_acronym"], "title": raw["project"].fillna(""),
            "investigator": raw.get("main_researcher"), "host": raw["institution"].fillna(""),
            "abstract": raw["details_project"].fillna(""),
            "budget": pd.to_numeric(raw.get("budget_project"), errors="coerce"),
            "start": start, "year": start.dt.year.astype("Int64"),
            "scheme": rel.name.split("_")[2].split(".")[0]}))
    return pd.concat(frames, ignore_index=True)


def match_hosts(grants: pd.DataFrame, organisations: pd.DataFrame) -> pd.Series:
    """The PIC of each grant's host institution, NA where no registry name matches.

    Parameters
    ----------
    grants : DataFrame
        :func:`load_erc_grants`.
    organisations : DataFrame
        The registry's organisations (``org_id, name, short_name, n_participations``).

    Returns
    -------
    Series
        Aligned with ``grants``.
    """
    keyed = organisations.assign(_key=name_key(organisations["name"])).query("_key != ''")
    keyed = keyed.sort_values(["_key", "n_participations"], ascending=[True, False]).drop_duplicates("_key")
    return name_key(grants["host"]).map(keyed.set_index("_key")["org_id"]).astype("string")


def programme_part_labels() -> pd.DataFrame:
    """Label (English, Italian) and themes of each H2020 programme part code (``code, label, label_it, themes``)."""
    return pd.read_csv(PARTS_LABEL_FILE, dtype=str)


def part_counts(registry: Registry) -> pd.DataFrame:
    """Participations of each organisation by programme part (organisations x parts)."""
    p = registry.participations
    p = p[p["programme_part"] != NO_PART]
    return pd.crosstab(p["org_id"], p["programme_part"]).reindex(registry.organisations["org_id"], fill_value=0)


#: The four documents of a profile, each scored apart: the first three are specific evidence of
#: a competence, ``programme`` (the themes of its programme parts) only a programme-level prior.
DOCUMENTS = ("name", "sector", "grants", "programme")
#: Weight of the programme-level match beside the specific evidence (see :func:`relevance`).
PROGRAMME_WEIGHT = 0.25


def profile_documents(organisations: pd.DataFrame, counts: pd.DataFrame, grants: pd.DataFrame,
                      sectors: pd.Series | None = None) -> pd.DataFrame:
    """The text documents of each organisation.

    Parameters
    ----------
    organisations, counts, grants
        The registry's organisations, :func:`part_counts` (aligned), the ERC grants with an
        ``org_id`` column.
    sectors : Series, optional
        :func:`smartspec.match.sectors.sector_documents` (aligned with ``organisations``).

    Returns
    -------
    DataFrame
        One row per row of ``organisations``: ``name`` (name and short name), ``sector`` (the
        words of its NACE class, for firms matched to a top R&D investor), ``grants`` (titles
        and abstracts of the ERC grants it hosted) and ``programme`` (label and themes of each
        programme part it took part in, once per part).
    """
    themes = programme_part_labels().set_index("code")
    part_text = (themes["label"] + " " + themes["themes"]).reindex(counts.columns).fillna("").to_numpy()
    # one mention per part the organisation took part in (sublinear tf would flatten repeats anyway)
    has = counts.to_numpy() > 0
    part_docs = np.asarray([" ".join(part_text[row]) for row in has], dtype=object)
    g = grants[grants["org_id"].notna()]
    grant_docs = (g["title"] + ". " + g["abstract"]).groupby(g["org_id"]).agg(" ".join)
    from smartspec.match.glossary import english_terms

    names = organisations["name"].fillna("") + " " + organisations["short_name"].fillna("")
    # "Centre de Regulació Genòmica" also says "genomics", "Ricerche Aerospaziali" "aerospace"
    names = (names + " " + english_terms(names)).to_numpy()
    sector = np.full(len(organisations), "", dtype=object) if sectors is None else sectors.fillna("").to_numpy()
    return pd.DataFrame({"name": names, "sector": sector,
                         "grants": organisations["org_id"].map(grant_docs).fillna("").to_numpy(),
                         "programme": part_docs}, index=organisations.index)


def grant_centroids(vectorizer, grants: pd.DataFrame, org_ids: pd.Series) -> sp.csr_matrix:
    """The L2-normalised mean of the TF-IDF vectors of each organisation's grants.

    A centroid of unit vectors weighs each grant alike, where one document of all the abstracts
    would let the longest abstracts dominate; on the ERC check (:mod:`smartspec.match.text_check`)
    it lifts recall@20 from 0.50 to 0.54.

    Returns
    -------
    scipy.sparse.csr_matrix
        One row per ``org_ids`` (a zero row for an organisation without grants).
    """
    from sklearn.preprocessing import normalize

    g = grants[grants["org_id"].notna()]
    position = pd.Series(np.arange(len(org_ids)), index=pd.Index(org_ids))
    rows = position.reindex(g["org_id"]).to_numpy()
    ok = ~np.isnan(rows)
    G = vectorizer.transform((g["title"] + ". " + g["abstract"])[ok].tolist())
    A = sp.csr_matrix((np.ones(ok.sum()), (rows[ok].astype(int), np.arange(ok.sum()))), shape=(len(org_ids), G.shape[0]))
    return normalize(A @ G).tocsr()


def document_matrices(vectorizer, docs: pd.DataFrame, grants: pd.DataFrame, org_ids: pd.Series) -> dict:
    """The L2-normalised TF-IDF rows of each document of :data:`DOCUMENTS` (``grants``: the
    :func:`grant_centroids`), keyed by document name."""
    out = {d: vectorizer.transform(docs[d].tolist()).tocsr() for d in DOCUMENTS if d != "grants"}
    out["grants"] = grant_centroids(vectorizer, grants, org_ids)
    return out


def relevance(Q, matrices: dict) -> tuple[np.ndarray, np.ndarray]:
    """How well each profile answers each query, split by the kind of evidence.

    Parameters
    ----------
    Q : sparse matrix
        TF-IDF rows of the queries (L2-normalised).
    matrices : dict
        :func:`document_matrices`.

    Returns
    -------
    (ndarray, ndarray)
        ``specific``: the sum of the cosines with the name, sector and grants documents;
        ``programme``: the cosine with the programme document. Both queries x organisations.
        The relevance of matchmaking is ``specific + PROGRAMME_WEIGHT * programme``.
    """
    def cos(name):
        return np.asarray((Q @ matrices[name].T).todense())

    return cos("name") + cos("sector") + cos("grants"), cos("programme")


def coverage(q, matrices: dict) -> np.ndarray:
    """The share of a challenge that an organisation's specific evidence covers.

    The sum of the squared TF-IDF weights (an L2-normalised row: they sum to 1) of the
    challenge terms found in the name, sector or ERC grants documents. One common word of a
    name covers little of "battery cells for electric vehicles"; grants on batteries cover most.

    Returns
    -------
    ndarray
        One value in [0, 1] per organisation.
    """
    J, w2 = q.indices, q.data.astype(float) ** 2
    found = sum((matrices[d][:, J] != 0).astype(np.int8) for d in DOCUMENTS if d != "programme")
    return np.asarray((found > 0).astype(float) @ w2).ravel()


@dataclass
class Profiles:
    """Competence profiles of every organisation of the registry.

    Attributes
    ----------
    organisations : DataFrame
        The registry's organisations plus ``role`` (knowledge triangle), ``n_erc`` (ERC grants
        hosted), ``main_parts`` (the three programme parts with most participations) and, for
        firms matched to a top R&D investor (:mod:`smartspec.match.sectors`), ``sector_code``
        (NACE class), ``sector`` (its title), ``rd_investor`` (the investor's name) and
        ``sector_method`` (``name`` or ``group``).
    parts : DataFrame
        Participations by programme part (rows aligned with ``organisations``).
    matrix : scipy.sparse.csr_matrix
        L2-normalised TF-IDF rows of the whole profile (all documents), aligned with
        ``organisations``.
    documents : dict
        :func:`document_matrices`: one matrix per kind of evidence, scored apart by
        :func:`relevance` so that the themes of a programme part never count as evidence of a
        specific competence.
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted model (its ``transform`` turns a challenge into the same space).
    grants : DataFrame
        :func:`load_erc_grants` plus ``org_id`` (the matched host).
    sector_coverage : dict
        :func:`smartspec.match.sectors.coverage` of the investor match.
    """

    organisations: pd.DataFrame
    parts: pd.DataFrame
    matrix: sp.csr_matrix
    documents: dict
    vectorizer: object
    grants: pd.DataFrame
    sector_coverage: dict

    @functools.cached_property
    def terms(self) -> np.ndarray:
        """The vocabulary in column order (built once: scikit-learn sorts the whole vocabulary
        each time it is asked, ~0.1-0.3 s)."""
        return self.vectorizer.get_feature_names_out()

    def top_terms(self, row: int, n: int = 10) -> list[str]:
        """The ``n`` terms of highest TF-IDF weight in the profile at position ``row``."""
        r = self.matrix.getrow(row)
        order = np.argsort(-r.data)[:n]
        return list(self.terms[r.indices[order]])


def fit_tfidf(documents) -> tuple[object, sp.csr_matrix]:
    """TF-IDF model (:data:`TFIDF_PARAMS`) fitted on ``documents``; returns (vectorizer, matrix)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**TFIDF_PARAMS)
    return vec, vec.fit_transform(list(documents)).tocsr()


def vocabulary_corpus(docs: pd.DataFrame, grants: pd.DataFrame) -> list[str]:
    """The texts the TF-IDF vocabulary and idf are fitted on: each name, each sector, each ERC
    grant and each programme part's themes **once**.

    Fitting on whole profiles would repeat a programme part's themes in every participant's
    document, so that "additive manufacturing" (a LEIT theme) would look common and a generic
    word of a few names ("components") rare: the weights would reward the wrong evidence.
    """
    themes = programme_part_labels()
    texts = [docs["name"], docs.loc[docs["sector"] != "", "sector"].drop_duplicates(),
             (grants["title"] + ". " + grants["abstract"]), themes["label"] + " " + themes["themes"]]
    return pd.concat(texts, ignore_index=True).tolist()


def build_profiles(registry: Registry, grants: pd.DataFrame, investors: pd.DataFrame) -> Profiles:
    """Build the profiles of every organisation of ``registry`` from ``grants`` and the top R&D
    ``investors`` (:func:`smartspec.match.sectors.load_rd_investors`), without cache."""
    from smartspec.match.sectors import class_labels, coverage, match_rd_investors, sector_documents

    orgs = registry.organisations.reset_index(drop=True)
    grants = grants.assign(org_id=match_hosts(grants, orgs))
    counts = part_counts(registry)
    labels = counts.columns.to_numpy()
    top = np.argsort(-counts.to_numpy(), axis=1, kind="stable")[:, :3]
    C = counts.to_numpy()
    main = [";".join(labels[j] for j in row if C[i, j] > 0) for i, row in enumerate(top)]
    firms = match_rd_investors(orgs, investors).set_index("org_id")
    titles = class_labels().set_index("code")["name"]
    orgs = orgs.assign(role=orgs["type"].map(TRIANGLE_ROLES).fillna("other"),
                       n_erc=orgs["org_id"].map(grants["org_id"].value_counts()).fillna(0).astype(int),
                       main_parts=main, sector_code=orgs["org_id"].map(firms["nace"]),
                       sector=orgs["org_id"].map(firms["nace"].map(titles)),
                       rd_investor=orgs["org_id"].map(firms["company"]),
                       sector_method=orgs["org_id"].map(firms["method"]))
    docs = profile_documents(orgs, counts, grants, sector_documents(firms.reset_index(), orgs["org_id"]))
    vec, _ = fit_tfidf(vocabulary_corpus(docs, grants))
    X = vec.transform((docs["name"] + " " + docs["sector"] + " " + docs["programme"] + " " + docs["grants"]).tolist()).tocsr()
    return Profiles(orgs, counts.reset_index(drop=True), X, document_matrices(vec, docs, grants, orgs["org_id"]),
                    vec, grants, coverage(firms, investors, orgs))


def load_profiles(data_dir=None, registry: Registry | None = None) -> Profiles:
    """:func:`build_profiles` on the data directory, cached under ``<cache>/match/``.

    The key is the digest of the input files (participations, programme parts, organisations,
    ERC grants), of the label file, of this module and of :data:`TFIDF_PARAMS`; a corrupt
    entry is rebuilt with an :class:`~smartspec.errors.InputWarning`.
    """
    from smartspec.data.cache import cache_key
    from smartspec.match.registry import _input_files

    from smartspec.match import glossary, sectors

    data_dir = resolve_data_dir(data_dir)
    # the name documents carry the glossary's English terms: a new glossary rebuilds the profiles
    files = [*_input_files(data_dir), *(_path(data_dir, f) for f in ERC_FILES), _path(data_dir, sectors.RD_INVESTORS_FILE),
             PARTS_LABEL_FILE, sectors.CLASS_LABELS_FILE, sectors.DIVISION_LABELS_FILE, glossary.GLOSSARY_FILE,
             Path(sectors.__file__), Path(glossary.__file__), Path(__file__)]
    key = cache_key("match-profiles", files, {"tfidf": repr(sorted(TFIDF_PARAMS.items())), "v": _VERSION})
    entry = cache_dir() / "match" / f"{key}.pickle"
    if entry.exists():
        try:
            with entry.open("rb") as fh:
                return pickle.load(fh)
        except Exception as exc:  # a truncated or foreign file: rebuild it
            warnings.warn(f"discarded the corrupt cache entry {entry} ({exc})", InputWarning, stacklevel=2)
    profiles = build_profiles(registry or load_registry(data_dir), load_erc_grants(data_dir),
                              sectors.load_rd_investors(data_dir))
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(profiles, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(entry)
    return profiles
