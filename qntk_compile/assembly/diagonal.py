"""Problem -> ``DiagonalNTK`` bloq: from data (simulable) or from sizes only (costing, any n).

:func:`build_diagonal_ntk` turns a validated :class:`~qntk_compile.data.problem.Problem` into the
gate-level ``bloqs.ntk.diagonal_ntk.DiagonalNTK`` of Algorithm 1 (lines 1–12):

* the row loader over the padded training matrix ``X`` (``n_padded × d_padded`` unit rows) and
  the test-point loader, both Kerenidis–Prakash trees with ``amplitude_bits``-bit angles;
* the phase → angle table of :func:`qntk_compile.kernel.table.kernel_angle_table` for the
  problem's depth ``L`` and ``k_max = k̂(1 − δ̂)`` (the classical work that makes the depth free);
* the label loader of the padded labels ``y`` (``±1``, ``0`` on padding rows);
* ``phase_bits``, ``median_copies``, ``kernel_bits`` from the problem's knobs.

:func:`build_diagonal_ntk_from_sizes` builds the same class from sizes only (ints or sympy
symbols), for costing at any ``n`` without enumerating it.

The registers of the result (see ``DiagonalNTK``): ``index`` (log2 n_padded), ``flag`` (kernel
success), ``scratch`` (the AE registers that should return to |0>), ``ancilla`` (readout).
"""

from __future__ import annotations

from qualtran.symbolics import SymbolicInt

from bloqs.ntk.diagonal_ntk import DiagonalNTK
from qntk_compile.data.problem import DEFAULT_KNOBS, Problem
from qntk_compile.kernel.ntk import ntk_value
from qntk_compile.kernel.table import kernel_angle_table

__all__ = [
    "MEASURED_REGISTERS",
    "SCRATCH_EXCLUDED",
    "angle_table_for",
    "build_diagonal_ntk",
    "build_diagonal_ntk_from_sizes",
]

#: Registers of ``DiagonalNTK`` that are measured (readout ancilla and kernel success flag).
MEASURED_REGISTERS = ("ancilla", "flag")
#: Registers that are not scratch (everything else should end in |0>).
SCRATCH_EXCLUDED = ("ancilla", "flag", "index")


def angle_table_for(problem: Problem):
    """The phase → angle-integer table of ``problem`` (``2^phase_bits`` integers)."""
    k_max = float(ntk_value(1.0 - problem.delta_hat, problem.depth))
    return kernel_angle_table(problem.depth, k_max, problem.phase_bits, problem.kernel_bits)


def build_diagonal_ntk(
    problem: Problem, *, data_access: str = "qrom", amplification_rounds: int = 0
) -> DiagonalNTK:
    """The concrete ``DiagonalNTK`` for ``problem`` (padded data, the problem's knobs).

    Args:
        problem: a :class:`~qntk_compile.data.problem.Problem`.
        data_access: ``"qrom"``, ``"select_swap"`` or ``"bucket_brigade"`` for the loaders.
        amplification_rounds: 0 (post-selected readout) or Grover rounds on the kernel flag.
    """
    return DiagonalNTK.from_data(
        problem.X,
        problem.y,
        problem.x_test,
        angle_table_for(problem),
        amplitude_bits=problem.amplitude_bits,
        phase_bits=problem.phase_bits,
        median_copies=problem.median_copies,
        kernel_bits=problem.kernel_bits,
        data_access=data_access,
        amplification_rounds=amplification_rounds,
    )


def build_diagonal_ntk_from_sizes(
    n: SymbolicInt,
    d: SymbolicInt,
    amplitude_bits: SymbolicInt = DEFAULT_KNOBS["amplitude_bits"],
    phase_bits: SymbolicInt = DEFAULT_KNOBS["phase_bits"],
    median_copies: SymbolicInt = DEFAULT_KNOBS["median_copies"],
    kernel_bits: SymbolicInt = DEFAULT_KNOBS["kernel_bits"],
    *,
    data_access: str = "qrom",
    amplification_rounds: SymbolicInt = 0,
) -> DiagonalNTK:
    """A sizes-only ``DiagonalNTK`` (ints or sympy symbols) for costing; never enumerates ``n``.

    ``n`` and ``d`` are the padded sizes (powers of two when integers). Defaults are the
    :data:`qntk_compile.data.problem.DEFAULT_KNOBS`.
    """
    return DiagonalNTK.from_sizes(
        n,
        d,
        amplitude_bits,
        phase_bits,
        median_copies,
        kernel_bits,
        data_access=data_access,
        amplification_rounds=amplification_rounds,
    )
