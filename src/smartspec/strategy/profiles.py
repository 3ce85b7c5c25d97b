"""Region strategy profiles: a region's S3 vocabulary, read from a TOML file.

A profile (see ``src/smartspec/profiles/lombardy.toml`` and docs/profiles.md) lists the
region's S3 priority areas (``ecosystems`` and ``specialisation_areas``), the ``traditional``
and ``emerging`` industries its strategy names, each mapped to NACE Rev.2 divisions and WIPO
technology fields, and the interregional ``networks`` it belongs to.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE, resolve_data_dir
from smartspec.data.labels import nace_labels, wipo_labels
from smartspec.data.names import normalise_name
from smartspec.errors import InputError, UnknownNameError

GROUP_KINDS = ("ecosystems", "specialisation_areas", "traditional", "emerging", "clusters")
#: Keys a group table may hold (key, name and nace are required).
GROUP_KEYS = {"key", "name", "name_it", "framework", "nace", "wipo", "note", "description", "source"}


@dataclass(frozen=True)
class ActivityGroup:
    """A named set of activities: an S3 ecosystem, a specialisation area, an industry or a cluster.

    Attributes
    ----------
    key : str            short name for the command line (``fashion``)
    name : str           English name; ``name_it`` the Italian (or regional-language) one
    kind : str           one of :data:`GROUP_KINDS`
    nace : tuple of str  NACE Rev.2 divisions (``C13``)
    wipo : tuple of str  WIPO technology fields (``W28``)
    framework : str      the programme it comes from (``Lombardy S3 2021-2027``)
    note : str           the mapping's judgement calls
    description : str    what it is, in plain words
    """

    key: str
    name: str
    kind: str
    nace: tuple[str, ...]
    wipo: tuple[str, ...] = ()
    name_it: str = ""
    framework: str = ""
    note: str = ""
    description: str = ""

    def codes(self, activities) -> list[str]:
        """The group's codes present in ``activities`` (NACE or WIPO, whichever matches)."""
        present = set(map(str, activities))
        return [c for c in (*self.nace, *self.wipo) if c in present]


@dataclass
class RegionProfile:
    """A region's strategic vocabulary (see module docstring).

    Attributes
    ----------
    region : str                 NUTS 2021 code (``ITC4``); ``name`` / ``name_en`` its names
    ecosystems, specialisation_areas, traditional, emerging, clusters : dict[str, ActivityGroup]
        keyed by the group's name (``clusters``: the region's technology clusters, optional)
    networks : dict[str, list[str]]   network name -> member NUTS codes
    network_aliases : dict[str, str]  short name -> network name
    source : str                 the file the profile was read from
    targets : list[dict]         monitoring targets (``[[targets]]``, see docs/profiles.md)
    """

    region: str
    name: str
    name_en: str
    ecosystems: dict[str, ActivityGroup]
    specialisation_areas: dict[str, ActivityGroup]
    traditional: dict[str, ActivityGroup]
    emerging: dict[str, ActivityGroup]
    networks: dict[str, list[str]] = field(default_factory=dict)
    network_aliases: dict[str, str] = field(default_factory=dict)
    default_dataset: str = DEFAULT_DATASET
    source: str = ""
    clusters: dict[str, ActivityGroup] = field(default_factory=dict)
    #: the ``[[targets]]`` tables as written (checked by smartspec.strategy.monitoring.targets)
    targets: list[dict] = field(default_factory=list)

    def groups(self, kind: str | None = None) -> list[ActivityGroup]:
        kinds = GROUP_KINDS if kind is None else (kind,)
        return [g for k in kinds for g in getattr(self, k).values()]

    def group(self, name: str, kind: str | None = None) -> ActivityGroup:
        """Find a group by key, else by English or Italian name (case- and accent-insensitive).

        Parameters
        ----------
        name : str
            ``fashion``, ``Fashion``, ``Moda``, ``aerospace`` ...
        kind : str, optional
            Restrict to one of :data:`GROUP_KINDS`. Without it, keys are matched before
            names across kinds, and kinds in the order of :data:`GROUP_KINDS`.

        Raises
        ------
        UnknownNameError
            With the closest keys and names as suggestions.
        """
        wanted = normalise_name(name)
        candidates = self.groups(kind)
        # keys first (they are unique per kind and meant for the command line), then names
        for fields in (("key",), ("name", "name_it")):
            for g in candidates:
                if wanted in (normalise_name(getattr(g, f)) for f in fields):
                    return g
        raise UnknownNameError("group" if kind is None else kind.rstrip("s"), name,
                               sorted({g.key for g in candidates} | {g.name for g in candidates}))

    def ecosystems_of(self, activity: str) -> list[str]:
        """Names of the S3 ecosystems (2021-2027) an activity code belongs to."""
        return [g.name for g in self.ecosystems.values() if activity in g.nace or activity in g.wipo]

    def network(self, name: str) -> list[str]:
        """Member NUTS codes of a network, by its name or alias."""
        key = self.network_aliases.get(name, name)
        for n, members in self.networks.items():
            if normalise_name(n) == normalise_name(key):
                return members
        raise UnknownNameError("network", name, [*self.networks, *self.network_aliases])

    def network_name(self, name: str) -> str:
        key = self.network_aliases.get(name, name)
        for n in self.networks:
            if normalise_name(n) == normalise_name(key):
                return n
        raise UnknownNameError("network", name, [*self.networks, *self.network_aliases])

    def ecosystem_table(self) -> pd.DataFrame:
        """One row per (group, activity code): kind, key, name, code."""
        rows = [{"kind": g.kind, "key": g.key, "group": g.name, "group_it": g.name_it, "code": c}
                for g in self.groups() for c in (*g.nace, *g.wipo)]
        return pd.DataFrame(rows)


def available_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("smartspec").joinpath("profiles").iterdir()
                  if p.name.endswith(".toml"))


def load_profile(name_or_path: str | os.PathLike = DEFAULT_PROFILE, data_dir=None) -> RegionProfile:
    """Load a region profile by name (a file shipped in ``smartspec/profiles``) or path.

    Parameters
    ----------
    name_or_path : str or path
        ``"lombardy"`` or the path of a TOML file in the same format.
    data_dir : path, optional
        Data directory for the networks file the profile names.
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise InputError("profile file not found", where=str(path), fix="check the path")
        text, where = path.read_text(encoding="utf-8"), str(path)
    else:
        if str(name_or_path) not in available_profiles():
            raise UnknownNameError("profile", str(name_or_path), available_profiles())
        res = resources.files("smartspec").joinpath(f"profiles/{name_or_path}.toml")
        text, where = res.read_text(encoding="utf-8"), f"profiles/{name_or_path}.toml"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", where=where, fix="fix the syntax at that line") from None
    return _build(raw, where, data_dir)


def _build(raw: dict, where: str, data_dir) -> RegionProfile:
    region = raw.get("region")
    if not isinstance(region, dict) or "code" not in region:
        raise InputError("missing [region] table with a 'code' key", where=where, fix="add [region] code = \"ITC4\"")
    valid_nace = set(nace_labels().index)
    valid_wipo = set(wipo_labels().index)
    unknown = sorted(set(raw) - {"region", "networks", "targets", *GROUP_KINDS})
    if unknown:
        raise InputError(f"unknown table {unknown[0]!r}", where=where,
                         fix=f"tables are [region], [networks], [[targets]] and [[{']], [['.join(GROUP_KINDS)}]]")
    groups: dict[str, dict[str, ActivityGroup]] = {}
    for kind in GROUP_KINDS:
        groups[kind] = {}
        items = raw.get(kind, [])
        if not isinstance(items, list):
            raise InputError(f"{kind!r} must be an array of tables", where=where, fix=f"write [[{kind}]] (double brackets)")
        seen: set[str] = set()
        for i, item in enumerate(items):
            loc = f"{where}: [[{kind}]] #{i + 1}" + (f" ({item['key']})" if "key" in item else "")
            for key in ("key", "name", "nace"):
                if key not in item:
                    raise InputError(f"missing key {key!r}", where=loc, fix=f"every [[{kind}]] needs key, name and nace")
            extra = sorted(set(item) - GROUP_KEYS)
            if extra:
                raise InputError(f"unknown key {extra[0]!r}", where=loc, fix=f"keys are {', '.join(sorted(GROUP_KEYS))}")
            for key in ("nace", "wipo"):
                if key in item and not (isinstance(item[key], list) and all(isinstance(c, str) for c in item[key])):
                    raise InputError(f"{key!r} must be a list of codes", where=loc, fix=f'{key} = ["C13", "C14"]')
            if item["key"] in seen:
                raise InputError(f"duplicate key {item['key']!r}", where=loc, fix=f"give every [[{kind}]] its own key")
            seen.add(item["key"])
            bad = [c for c in item["nace"] if c not in valid_nace]
            if bad:
                raise UnknownNameError("NACE code", bad[0], sorted(valid_nace), where=loc)
            bad = [c for c in item.get("wipo", []) if c not in valid_wipo]
            if bad:
                raise UnknownNameError("WIPO field", bad[0], sorted(valid_wipo), where=loc)
            g = ActivityGroup(key=item["key"], name=item["name"], kind=kind, nace=tuple(item["nace"]),
                              wipo=tuple(item.get("wipo", [])), name_it=item.get("name_it", ""),
                              framework=item.get("framework", ""), note=item.get("note", ""),
                              description=item.get("description", ""))
            groups[kind][g.name] = g
    nets = raw.get("networks", {})
    networks: dict[str, list[str]] = {}
    for name, members in nets.get("members", {}).items():
        networks[name] = list(members)
    if "file" in nets:
        path = resolve_data_dir(data_dir) / nets["file"]
        if not path.exists():
            raise InputError(f"networks file {nets['file']!r} not found in the data directory", where=where,
                             fix="point --data-dir to the data directory, or list members under [networks.members]")
        table = pd.read_csv(path, dtype=str)
        for col in ("network", "nuts_code_2021_helper_assigned"):
            if col not in table:
                raise InputError(f"missing column {col!r}", where=str(path))
        include = nets.get("include", sorted(table["network"].unique()))
        for name in include:
            rows = table[table["network"] == name]
            if rows.empty:
                raise UnknownNameError("network", name, sorted(table["network"].unique()), where=str(path))
            codes = [c.strip() for cell in rows["nuts_code_2021_helper_assigned"] for c in cell.split(";")]
            networks[name] = list(dict.fromkeys(codes))
    return RegionProfile(
        region=region["code"], name=region.get("name", region["code"]), name_en=region.get("name_en", ""),
        ecosystems=groups["ecosystems"], specialisation_areas=groups["specialisation_areas"],
        traditional=groups["traditional"], emerging=groups["emerging"], networks=networks,
        network_aliases=dict(nets.get("aliases", {})), default_dataset=region.get("default_dataset", DEFAULT_DATASET),
        source=where, clusters=groups["clusters"], targets=list(raw.get("targets", [])),
    )
