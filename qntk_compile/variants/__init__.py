"""Variants of Algorithm 1 as plug-ins of the simulation: the registry
(:mod:`~qntk_compile.variants.registry`, no plug-in imported there) and the built-in plug-ins
(:mod:`~qntk_compile.variants.diagonal`, :mod:`~qntk_compile.variants.sparsified`), which import
the registry and register themselves when this package imports them below.

May import :mod:`qntk_compile.assembly`, :mod:`qntk_compile.simulation`,
:mod:`qntk_compile.classical`, :mod:`qntk_compile.data` and ``resource_estimates``; only the jobs
and the CLI build on it. A third-party variant registers a :class:`SimulationVariant` with
:func:`register_simulation_variant` the same way.
"""

from qntk_compile.variants import diagonal, sparsified  # noqa: F401  (the built-in plug-ins)
from qntk_compile.variants.registry import (
    SIMULATION_VARIANTS,
    SimulationVariant,
    get_simulation_variant,
    register_simulation_variant,
    unregister_simulation_variant,
)

__all__ = [
    "SIMULATION_VARIANTS",
    "SimulationVariant",
    "get_simulation_variant",
    "register_simulation_variant",
    "unregister_simulation_variant",
]
