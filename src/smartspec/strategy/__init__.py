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
from importlib import import_module

#: Where each public name lives; imported on first use (PEP 562), so a command that needs one
#: function (``profile`` needs the specialisations only) does not load the forecast's scikit-learn
#: or the monitoring's scipy.stats.
_WHERE = {
    "ActivityGroup": "smartspec.strategy.profiles",
    "Analysis": "smartspec.strategy.context",
    "RegionProfile": "smartspec.strategy.profiles",
    "analyse": "smartspec.strategy.context",
    "analyse_panel": "smartspec.strategy.context",
    "available_profiles": "smartspec.strategy.profiles",
    "backtest": "smartspec.strategy.forecast",
    "best_partners": "smartspec.strategy.partners",
    "competence_systems": "smartspec.strategy.competences",
    "complementary_partners": "smartspec.strategy.partners",
    "cross_sector_niches": "smartspec.strategy.niches",
    "ecosystem_overlap": "smartspec.strategy.competences",
    "entry_probabilities": "smartspec.strategy.forecast",
    "load_profile": "smartspec.strategy.profiles",
    "network_benchmark": "smartspec.strategy.partners",
    "opportunities": "smartspec.strategy.diversification",
    "path_summary": "smartspec.strategy.paths",
    "precision_curves": "smartspec.strategy.forecast",
    "quadrant_name": "smartspec.strategy.diversification",
    "region_adjacency": "smartspec.strategy.forecast",
    "region_competences": "smartspec.strategy.competences",
    "region_specialisations": "smartspec.strategy.specialisation",
    "select_model": "smartspec.strategy.forecast",
    "structural_peers": "smartspec.strategy.partners",
    "supporting_strengths": "smartspec.strategy.diversification",
    "transition_paths": "smartspec.strategy.paths",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'smartspec.strategy' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_WHERE})
