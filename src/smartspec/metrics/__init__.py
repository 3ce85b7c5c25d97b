"""Pure functions on region x activity matrices: specialisation, relatedness, complexity,
structure and input-output. They know nothing of files or the web; formulas, references and
the differences with other tools are in docs/methods.md.

Where each measure lives: RCA / location quotient and presence in
:mod:`smartspec.metrics.specialisation`; proximity and relatedness density in
:mod:`smartspec.metrics.relatedness`; ECI/PCI, fitness, COI/COG in
:mod:`smartspec.metrics.complexity`; Krugman index, entropy and related variety in
:mod:`smartspec.metrics.structure`; input-output coefficients, Leontief inverse, multipliers
and linkages in :mod:`smartspec.metrics.io`."""
from smartspec.metrics.complexity import (  # noqa: F401
    Complexity, ComplexityWarning, complexity, fitness_complexity, method_of_reflections, outlook_and_gain, trim,
)
from smartspec.metrics.relatedness import density, knn_proximity, proximity  # noqa: F401
from smartspec.metrics.specialisation import continuous_rca, presence, rca, rpop  # noqa: F401
from smartspec.metrics.structure import entropy, krugman_index, related_unrelated_variety  # noqa: F401
from smartspec.metrics import io  # noqa: F401
from smartspec.metrics.io import (  # noqa: F401
    allocation_coefficients, backward_linkages, effects, forward_linkages, input_multipliers, leontief_inverse,
    output_multipliers, technical_coefficients,
)

__all__ = [
    "rca", "rpop", "presence", "continuous_rca",
    "proximity", "knn_proximity", "density",
    "complexity", "Complexity", "ComplexityWarning", "trim", "method_of_reflections", "fitness_complexity",
    "outlook_and_gain",
    "krugman_index", "entropy", "related_unrelated_variety",
    "technical_coefficients", "allocation_coefficients", "leontief_inverse", "output_multipliers", "effects",
    "input_multipliers", "backward_linkages", "forward_linkages", "io",
]
