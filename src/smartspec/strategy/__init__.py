"""The S3 engine: what a region's strategy team asks.

:func:`analyse` computes the measures of a dataset once; the other functions take its result:
:func:`opportunities` (what to specialise in next, with reasons), :func:`backtest` (how well the
ranking predicts entries, out of time), :func:`transition_paths` (from traditional to emerging
industries), :func:`competence_systems` / :func:`region_competences` (communities of related
activities across sectors), :func:`cross_sector_niches`, :func:`complementary_partners`,
:func:`structural_peers` and :func:`network_benchmark` (interregional cooperation).
Region strategy profiles: :func:`load_profile`.
"""
from smartspec.strategy.competences import competence_systems, region_competences  # noqa: F401
from smartspec.strategy.context import Analysis, analyse, analyse_panel  # noqa: F401
from smartspec.strategy.forecast import backtest, entry_probabilities, precision_curves  # noqa: F401
from smartspec.strategy.niches import cross_sector_niches  # noqa: F401
from smartspec.strategy.opportunities import opportunities  # noqa: F401
from smartspec.strategy.partners import complementary_partners, network_benchmark, structural_peers  # noqa: F401
from smartspec.strategy.paths import path_summary, transition_paths  # noqa: F401
from smartspec.strategy.profiles import load_profile  # noqa: F401
from smartspec.strategy.specialisation import region_specialisations  # noqa: F401
