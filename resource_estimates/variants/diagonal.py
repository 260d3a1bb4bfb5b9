"""The diagonal NTK (Algorithm 1, lines 7–12) as a costing variant of the report.

Its bloq is ``bloqs.ntk.diagonal_ntk.DiagonalNTK.from_sizes`` (sizes only, any n), its steps come
from ``bloqs.ntk.diagonal_ntk.diagonal_step_classifier`` with the generic walker, its knobs are
``amplitude_bits``, ``phase_bits``, ``median_copies``, ``kernel_bits`` (the last two symbolic in
the formulas), its readout overlap is ⟨k*|y⟩ and its job factor the default one (readout shots ×
post-selection runs). Registered by :mod:`resource_estimates.variants.registry`; the bloqs are
imported only when one is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from resource_estimates.variants.registry import Variant, register_variant

if TYPE_CHECKING:  # pragma: no cover
    from qualtran import Bloq

__all__ = ["DIAGONAL"]


def _build_diagonal(**sizes) -> Bloq:
    from bloqs.ntk.diagonal_ntk import DiagonalNTK

    return DiagonalNTK.from_sizes(**sizes)


def _diagonal_classifier(bloq: Bloq):
    from bloqs.ntk.diagonal_ntk import diagonal_step_classifier

    return diagonal_step_classifier(bloq)


DIAGONAL = Variant(
    name="diagonal",
    build=_build_diagonal,
    knob_names=("amplitude_bits", "phase_bits", "median_copies", "kernel_bits"),
    classifier=_diagonal_classifier,
    # amplitude_bits and phase_bits stay concrete: with concrete angles Qualtran compiles
    # some rotations (Ry of the tree, the inverse QFT's phases) to T/Clifford gates, with
    # symbolic ones it counts them as rotations, so those formulas would not equal the
    # concrete counts (the Toffoli counts would).
    symbolic_knobs=("median_copies", "kernel_bits"),
    description=(
        "Algorithm 1 lines 7-12 (DiagonalNTK): PrepareTestKernel (amplitude estimation of the "
        "Hadamard-test overlap x*.x_i, coherent median, kernel lookup, arccos rotation) and "
        "the Hadamard-test readout against the label state; one coherent run = one readout "
        "shot with post-selection on the kernel flag."
    ),
    readout="diagonal",
    error_components=(
        "loader",
        "amplitude_estimation",
        "median",
        "kernel_table",
        "rotation_synthesis",
        "readout",
        "surface_code",
    ),
)

register_variant(DIAGONAL)
