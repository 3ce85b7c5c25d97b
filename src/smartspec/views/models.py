"""Response models of the REST API (pydantic); the OpenAPI schema is generated from them."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """A 4xx answer: what was wrong and how to fix it."""

    error: str = Field(description="Error class, e.g. UnknownNameError")
    problem: str
    where: Optional[str] = None
    fix: Optional[str] = None
    kind: Optional[str] = Field(None, description="What kind of name was unknown (region, activity, ...)")
    name: Optional[str] = None
    suggestions: list[str] = Field(default_factory=list, description="Closest valid names")


class SectionStatus(BaseModel):
    available: bool
    reason: str = ""


class StoreInfo(BaseModel):
    dataset: str
    value_name: str
    source: str
    year: Optional[int]
    first_year: Optional[int]
    region: Optional[str] = Field(None, description="Region of the strategy profile (default ITC4)")
    region_name: Optional[str]
    n_regions: int
    n_activities: int
    sections: dict[str, SectionStatus]
    built_at: str


class RegionHit(BaseModel):
    region: str
    name: str
    matched_name: str = Field(description="The name (in any language the data has) that matched the query")
    country: str
    eci: Optional[float]
    diversity: Optional[float]


class MapData(BaseModel):
    metric: str
    label: str
    activity: Optional[str] = None
    activity_name: Optional[str] = None
    regions: list[str]
    names: list[str]
    values: list[Optional[float]]


class Table(BaseModel):
    """A table section: available or not (with the reason), its columns and rows."""

    available: bool
    note: str = ""
    columns: list[str] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)


class Specialisation(BaseModel):
    rank: int
    activity: str
    name: str
    value: Optional[float]
    share: Optional[float]
    rca: Optional[float]
    rca_first: Optional[float]
    pci: Optional[float]


class Opportunity(BaseModel):
    activity: str
    name: str
    density: Optional[float]
    pci: Optional[float]
    rca: Optional[float]
    quadrant: str = Field(description="high_high, low_high, high_low or low_low (relatedness_complexity)")
    supporting: str = Field("", description="The region's strengths that support this activity")
    rank: Optional[int] = None
    probability: Optional[float] = Field(None, description="Estimated probability of specialising within 3 years")
    predictor: str = ""
    ecosystems: str = ""
    advice: str = ""
    reason: str = Field("", description="Why it is an opportunity, in words")
    score: Optional[float] = Field(None, description="Approach-weighted percentiles of feasibility and desirability "
                                                     "(docs/opportunities.md); the ranking")
    feasibility: Optional[float] = Field(None, description="Percentile of the entry probability among the candidates")
    desirability: Optional[float] = Field(None, description="Weighted percentiles of PCI, COG, wage, growth, fit")
    cog: Optional[float] = Field(None, description="Complexity outlook gain of the region from this activity")
    wage: Optional[float] = Field(None, description="EU wages and salaries per person employed (euro, SBS V13320/V16110)")
    activity_growth: Optional[float] = Field(None, description="EU employment growth of the activity")
    ecosystem_fit: Optional[float] = Field(None, description="1 if in one of the region's own S3 ecosystems")


class RegionView(BaseModel):
    region: str
    name: str
    country: str
    year: Optional[int]
    first_year: Optional[int]
    value_name: str
    total: Optional[float]
    eci: Optional[float]
    eci_rank: Optional[int]
    n_ranked: int
    eci_orientation: str = Field("", description="How ECI/PCI are oriented: 'gdp' (positive Spearman with GDP per "
                                                 "head, PPS) or 'diversity' (docs/methods.md)")
    diversity: Optional[float] = Field(description="Activities with RCA >= 1, local ones included (the diversity "
                                                   "of the complexity measures)")
    n_specialised: Optional[int] = Field(None, description="Specialisations as `smartspec profile` counts them: "
                                                          "traded activities with RCA >= 1 and mass")
    local_strengths: list[str] = Field([], description="Local activities with RCA >= 1 (code and name): serving "
                                                      "the region's own demand, listed apart from the strengths")
    is_profile_region: bool
    specialisations: list[Specialisation]
    opportunities: list[Opportunity]
    opportunities_note: str = ""
    density_threshold: Optional[float] = None
    pci_threshold: Optional[float] = None
    competences: Table
    paths: Table
    niches: Table
    partners: Table
    ri: Table = Field(default_factory=lambda: Table(available=False))  # the R&I lens (H2020 programme parts)


class RelatedActivity(BaseModel):
    activity: str
    name: str
    proximity: float
    pci: Optional[float]


class EnteredRegion(BaseModel):
    region: str
    name: str
    rca_first: Optional[float]
    rca: Optional[float]


class ActivityDetail(BaseModel):
    activity: str
    name: str
    pci: Optional[float]
    pci_rank: Optional[int]
    n_ranked: int
    ubiquity: Optional[float]
    ecosystems: str
    year: Optional[int]
    first_year: Optional[int]
    map: MapData
    related: list[RelatedActivity]
    entered: list[EnteredRegion]
    top_regions: list[EnteredRegion]


class SpaceNode(BaseModel):
    activity: str
    name: str
    x: float
    y: float
    pci: Optional[float]
    group: str
    value: Optional[float] = Field(None, description="RCA of the chosen region (presence colouring)")


class SpaceEdge(BaseModel):
    source: str
    target: str
    proximity: float


class Space(BaseModel):
    color: str
    region: Optional[str]
    region_name: Optional[str]
    groups: list[str]
    nodes: list[SpaceNode]
    edges: list[SpaceEdge]
    available: bool = True
    note: str = ""


class Heatmap(BaseModel):
    """RCA of the network's members (rows) in the activities any of them is specialised in (columns)."""

    regions: list[str]
    region_names: list[str]
    activities: list[str]
    activity_names: list[str]
    z: list[list[Optional[float]]]


class Compare(BaseModel):
    network: str
    networks: list[str]
    members: list[str]
    member_names: list[str]
    regions: list[str] = Field(default_factory=list, description="NUTS 2 regions of the data standing for the members")
    members_table: Table = Field(description="Each member's size, complexity and strongest specialisations")
    heatmap: Heatmap
    table: Table = Field(description="Network benchmarking from smartspec.strategy.partners")
    charts: Table


class Backtest(BaseModel):
    design: dict[str, Any] = Field(default_factory=dict, description="Test and training transitions, winner")
    table: Table
    curves: Table


class TableInfo(BaseModel):
    name: str
    rows: int
    csv: str
    parquet: str
