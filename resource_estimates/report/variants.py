"""Costable variants of Algorithm 1 and their registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qualtran import Bloq

from resource_estimates.report.parameters import KNOBS


@dataclass(frozen=True)
class Variant:
    """A costable variant of Algorithm 1.

    Attributes:
        name: CLI name (``diagonal``, ``sparsified``).
        build: ``build(n=, d=, amplitude_bits=, phase_bits=, median_copies=, kernel_bits=,
            data_access=)`` → the bloq of one coherent run, from sizes only; must accept sympy
            symbols for ``n``, ``d`` and the knobs in ``symbolic_knobs``.
        steps: ``steps(bloq)`` → callee → Algorithm-1 step name (e.g. ``DiagonalNTK.steps()``).
        step_order: step names in report order.
        symbolic_knobs: knobs kept symbolic in the formulas (others fixed at their values).
        description: one line for reports.
        readout: which readout overlap the job needs (``diagonal`` or ``sparsified``).
    """

    name: str
    build: Callable[..., Bloq]
    steps: Callable[[Bloq], Any]
    step_order: tuple[str, ...] = ()
    symbolic_knobs: tuple[str, ...] = KNOBS
    description: str = ""
    readout: str = "diagonal"


VARIANTS: dict[str, Callable[[], Variant]] = {}


def register_variant(name: str, factory: Callable[[], Variant]) -> None:
    """Make a variant available to reports and the CLI (``factory`` imports lazily)."""
    VARIANTS[name] = factory


def get_variant(name: str) -> Variant:
    if name not in VARIANTS:
        known = ", ".join(sorted(VARIANTS)) or "none"
        raise ValueError(f"unknown variant {name!r}; available: {known}")
    return VARIANTS[name]()


def _diagonal_variant() -> Variant:
    from bloqs.ntk.diagonal_ntk import STEPS, DiagonalNTK

    return Variant(
        name="diagonal",
        build=lambda **sizes: DiagonalNTK.from_sizes(**sizes),
        steps=lambda bloq: bloq.step_counts(),
        step_order=tuple(STEPS),
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
    )


def _sparsified_variant() -> Variant:
    import importlib.util

    if importlib.util.find_spec("bloqs.ntk.sparsified_ntk") is None:
        raise ValueError("variant 'sparsified' is not available yet (bloqs.ntk.sparsified_ntk)")
    raise ValueError("variant 'sparsified' is not wired into reports yet")


register_variant("diagonal", _diagonal_variant)
register_variant("sparsified", _sparsified_variant)
