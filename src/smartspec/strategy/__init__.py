"""The S3 engine: what a region's strategy team asks.

:func:`analyse` computes the measures of a dataset once; the other functions take its result:

* :func:`opportunities` (what to specialise in next, with reasons) and
  :func:`supporting_strengths`;
* :func:`backtest`, :func:`precision_curves`, :func:`entry_probabilities`,
  :func:`select_model` (how well the ranking predicts entries, out of time, and the model
  behind the opportunity scores);
* :func:`transition_paths` / :func:`path_summary` (from traditional to emerging industries);
* :func:`competence_systems` / :func:`region_competences` / :func:`ecosystem_overlap`
  (communities of related activities across sectors);
* :func:`cross_sector_niches` (supply chains of different sectors joined);
* :func:`complementary_partners`, :func:`best_partners`, :func:`structural_peers` and
  :func:`network_benchmark` (interregional cooperation);
* :func:`region_specialisations` (a region's areas of excellence).

Region strategy profiles: :func:`load_profile` (:class:`RegionProfile`, :class:`ActivityGroup`).

Where each concept lives:

* the analysis object (measures of every year, the profile, ``memo``, the year rule):
  :mod:`smartspec.strategy.context`; region strategy profiles: :mod:`smartspec.strategy.profiles`;
* a region's specialisations (location quotient, mass, trend): :mod:`smartspec.strategy.specialisation`,
  with the mass floors in :mod:`smartspec.strategy.mass`;
* diversification opportunities (quadrants, strategic approaches, scores):
  :mod:`smartspec.strategy.diversification`;
* the entry forecast and its backtest: the package :mod:`smartspec.strategy.forecast`
  (``features``, ``model``, ``backtest``, ``entry``);
* transition paths: :mod:`smartspec.strategy.paths`; systems of competence:
  :mod:`smartspec.strategy.competences`; cross-sector niches: :mod:`smartspec.strategy.niches`;
* partners, peers and networks: the package :mod:`smartspec.strategy.partners`
  (``complementarity``, ``peers``, ``networks``);
* monitoring (indicators, composite, targets): the package :mod:`smartspec.strategy.monitoring`.
"""
from smartspec.strategy.competences import competence_systems, ecosystem_overlap, region_competences
from smartspec.strategy.context import Analysis, analyse, analyse_panel
from smartspec.strategy.forecast import (
    backtest, entry_probabilities, precision_curves, region_adjacency, select_model,
)
from smartspec.strategy.niches import cross_sector_niches
from smartspec.strategy.diversification import opportunities, quadrant_name, supporting_strengths
from smartspec.strategy.partners import best_partners, complementary_partners, network_benchmark, structural_peers
from smartspec.strategy.paths import path_summary, transition_paths
from smartspec.strategy.profiles import ActivityGroup, RegionProfile, available_profiles, load_profile
from smartspec.strategy.specialisation import region_specialisations

__all__ = [
    "ActivityGroup", "Analysis", "RegionProfile", "analyse", "analyse_panel", "available_profiles", "backtest",
    "best_partners", "competence_systems", "complementary_partners", "cross_sector_niches", "ecosystem_overlap",
    "entry_probabilities", "load_profile", "network_benchmark", "opportunities", "path_summary", "precision_curves",
    "quadrant_name", "region_adjacency", "region_competences", "region_specialisations", "select_model",
    "structural_peers", "supporting_strengths", "transition_paths",
]
