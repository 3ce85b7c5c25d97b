"""Pure functions on region x activity matrices: specialisation, relatedness, complexity,
structure and input-output. They know nothing of files or the web."""
from smartspec.metrics.complexity import (  # noqa: F401
    Complexity, ComplexityWarning, complexity, fitness_complexity, method_of_reflections, outlook_and_gain, trim,
)
from smartspec.metrics.relatedness import density, knn_proximity, proximity  # noqa: F401
from smartspec.metrics.specialization import continuous_rca, presence, rca, rpop  # noqa: F401
from smartspec.metrics.structure import entropy, krugman_index, related_unrelated_variety  # noqa: F401
from smartspec.metrics import io  # noqa: F401
