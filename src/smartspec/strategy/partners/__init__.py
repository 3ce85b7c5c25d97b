"""Interregional cooperation: complementary partners, structural peers, network benchmarking.

Every public function takes the data as an :class:`~smartspec.strategy.context.Analysis`
(measures of every year, computed once), a :class:`~smartspec.data.panel.Panel` or the name
of a dataset (``"eurostat-sbs"``), and returns pandas frames.

Complementarity (Balland and Boschma 2021)
    With presence matrix :math:`M` (RCA >= 1) and proximity :math:`\\phi` (the one the
    relatedness density of the measures uses, diagonal left out), the relatedness density
    of activity p for region r alone and with partner j's specialisations added are

    .. math:: d_{rp} = \\frac{\\sum_a M_{ra} \\phi_{ap}}{\\sum_a \\phi_{ap}}, \\qquad
              d_{r+j,p} = \\frac{\\sum_a \\max(M_{ra}, M_{ja}) \\phi_{ap}}{\\sum_a \\phi_{ap}}

    and the complementarity of j for r in p is the gain

    .. math:: g_{rjp} = d_{r+j,p} - d_{rp} = \\sum_a (1 - M_{ra}) M_{ja} w_{ap},
              \\qquad w_{ap} = \\phi_{ap} / \\textstyle\\sum_{a'} \\phi_{a'p}.

    It is 0 for a partner with no specialisations or one that holds nothing r lacks, and it
    grows with every related activity j holds and r lacks. The terms of the sum say what each
    partner *brings*: the activities a with :math:`(1 - M_{ra}) M_{ja} = 1`, ordered by their
    weight :math:`w_{ap}` (their share of the gain). For all regions at once the gains are one
    matrix product, :math:`G_{r\\cdot p} = ((1 - M_r) \\odot M) W`, and for every region the
    batched product of shape (regions, partners, activities).

    **Ecosystems**: a target that is an S3 ecosystem of the profile (a set of NACE divisions)
    gets the *mean* over its activities of the density gain, of the density alone and with
    the partner, and of the partner's RCA; ``partner_specialised`` is the share of the
    ecosystem's activities the partner is specialised in; the weights of "brings" are averaged
    the same way. Activities of the ecosystem the partner holds and the region lacks are
    listed separately (``brings_in_ecosystem``).

    **Similarity is not complementarity**: beside the gain each partner shows the cosine
    similarity of the two RCA vectors and the Jaccard overlap of the two sets of
    specialisations. Similar regions have little to add; the most complementary partners are
    those that hold the related capabilities r lacks.
Structural peers
    Two rankings. *Specialisation profile*: the cosine similarity of the RCA vectors over all
    activities of the panel. *Structure* (as the S3 Platform's regional benchmarking, Navarro
    et al. 2014): every variable is standardised over the panel's regions (z-scores, regions
    with data), the variables are grouped in blocks, the squared differences of z-scores are
    averaged within a block, the blocks are averaged with equal weights (over the blocks both
    regions have) and the distance is the square root. Blocks and variables (see
    :data:`STRUCTURAL_BLOCKS` and :func:`structural_variables`):

    - *income*: GDP per head in PPS (Eurostat nama_10r_2gdp, the panel year or 2014);
    - *size*: log of persons employed in the panel (SBS business economy);
    - *employment structure*: the shares of the 10 broad sectors of the Labour Force Survey
      (Eurostat lfst_r_lfe2en2, age 15-64);
    - *economic complexity*: diversity (number of specialisations) and ECI of the panel year;
    - *innovation*: the Regional Innovation Scoreboard index (earliest edition, 2018; only the
      81 Central European regions of the Interreg CE indicator file, so it counts only when
      both regions have it).
Network benchmarking
    The members of a network (of the profile, or of ``s3_networks/interregional_networks.csv``)
    side by side: size, diversity, ECI, top specialisations, the specialisations they share,
    their strength in each S3 ecosystem of the profile, and the complementarity matrix (the
    density gain, averaged over an ecosystem's activities, that each member brings to each
    other member, with the activities it brings). Members are defined at different NUTS
    levels: a member defined at NUTS 1 (Baden-Wuerttemberg DE1, Auvergne-Rhone-Alpes FRK) is
    the sum of its NUTS 2 regions, which it *replaces* in the panel before RCA, proximity,
    diversity and ECI are computed, so that every unit is counted once and members are
    comparable; a member defined at NUTS 3 is measured by the NUTS 2 region containing it. The
    members table states the level each member is defined at and what it is built from.

References
----------
Balland, P.-A., Boschma, R. (2021). Complementary interregional linkages and Smart
Specialisation: an empirical study on European regions. Regional Studies 55(6), 1059-1070.
Hidalgo, C. A., Klinger, B., Barabasi, A.-L., Hausmann, R. (2007). The product space
conditions the development of nations. Science 317, 482-487 (density).
Navarro, M., Gibaja, J. J., Franco, S., Murciego, A., Gianelle, C., Hegyi, F. B., Kleibrink, A.
(2014). Regional benchmarking in the smart specialisation process: identification of
reference regions based on structural similarity. S3 Working Paper 03/2014, JRC.
"""
from smartspec.data.networks import INDICATORS_FILE, NETWORKS_FILE, RIS_INDICATOR, innovation_index
from smartspec.strategy.partners._common import DEFAULT_NETWORK, SEP, as_analysis, network_members
from smartspec.strategy.partners.complementarity import (
    RELATED_QUANTILE, all_complementarities, best_partners, complementarity_gain, complementary_partners,
    density_proximity, gain_weights, held_capabilities,
)
from smartspec.strategy.partners.networks import NetworkBenchmark, aggregate_regions, network_benchmark
from smartspec.strategy.partners.peers import (
    STRUCTURAL_BLOCKS, structural_distance, structural_peers, structural_variables,
)

__all__ = [
    "DEFAULT_NETWORK", "INDICATORS_FILE", "NETWORKS_FILE", "NetworkBenchmark", "RELATED_QUANTILE", "RIS_INDICATOR",
    "SEP", "STRUCTURAL_BLOCKS", "aggregate_regions", "all_complementarities", "as_analysis", "best_partners",
    "complementarity_gain", "complementary_partners", "density_proximity", "gain_weights", "held_capabilities",
    "innovation_index", "network_benchmark", "network_members", "structural_distance", "structural_peers",
    "structural_variables",
]
