"""Variants of Algorithm 1 as plug-ins of the resource report: the registry and the one knob
catalogue (:mod:`~resource_estimates.variants.registry`, no plug-in imported there) and the
built-in plug-ins (:mod:`~resource_estimates.variants.diagonal`,
:mod:`~resource_estimates.variants.sparsified`), which import the registry and register
themselves when this package imports them below.

May import :mod:`resource_estimates.published`, :mod:`resource_estimates.logical` and ``bloqs``
(the plug-ins import their bloqs only when one is built, so reading the registry stays light);
costing, the error budget and the report build on it.
"""

from resource_estimates.variants import diagonal, sparsified  # noqa: F401  (built-in plug-ins)
from resource_estimates.variants.registry import (
    BASELINE_KNOBS,
    KNOB_SPECS,
    PLANNED_VARIANTS,
    VARIANTS,
    Knob,
    Variant,
    default_job_factor,
    default_summary,
    get_variant,
    knob_symbol,
    register_variant,
    unregister_variant,
    variant_names,
)

__all__ = [
    "BASELINE_KNOBS",
    "KNOB_SPECS",
    "Knob",
    "PLANNED_VARIANTS",
    "VARIANTS",
    "Variant",
    "default_job_factor",
    "default_summary",
    "get_variant",
    "knob_symbol",
    "register_variant",
    "unregister_variant",
    "variant_names",
]
