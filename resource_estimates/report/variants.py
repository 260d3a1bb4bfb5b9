"""The variant registry of the report (defined in :mod:`resource_estimates.variants`, which the
command line reads without importing Qualtran)."""

from resource_estimates.variants import (
    KNOB_SPECS,
    VARIANTS,
    Knob,
    Variant,
    get_variant,
    knob_symbol,
    register_variant,
    unregister_variant,
)

__all__ = [
    "KNOB_SPECS",
    "VARIANTS",
    "Knob",
    "Variant",
    "get_variant",
    "knob_symbol",
    "register_variant",
    "unregister_variant",
]
