"""The sparsified NTK (Algorithm 1, lines 13–20) for a Problem: the bloq and its reference.

:func:`build_sparsified_ntk` turns a :class:`~qntk_compile.data.problem.Problem` into the concrete
``SparsifiedNTK`` (table entry oracle of the padded K̃, the problem's ν pattern, minimax/CKS QSVT
at ``qlsa_epsilon``). :func:`discretised_sparsified_reference` predicts what its gate-level
simulation gives, exactly, from the same discretisation:

- the test-kernel branch as in :mod:`qntk_compile.classical.discretised_reference` (clean flag-0
  amplitudes ``c̄_i``, total flag-0 weight ``Q``);
- the label state ``|Y⟩`` loaded with the same rounding;
- the block the encoding implements (:func:`bloqs.ntk.sparsified_ntk.implemented_block`: the
  rounded arccos angles, the diffusion weights d/α and o/α) and the QSVT response of the phases
  on it (:func:`bloqs.linear_systems.qsp_phases.qsvt_matrix_function`): ``V = p(B)|Y⟩``;
- the readout ``p_readout = (Q + ‖V‖² + 2 Σ_i c̄_i V_i/√N) / (2 (Q + ‖V‖²))`` (post-selected on
  both flags zero), ``p_flags = Pr(both flags zero) = (Q + ‖V‖²)/2``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
from bloqs.block_encoding.stored_pattern_oracle import (
    StoredPatternRowColumnOracle,
    complete_symmetric_pattern,
)
from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.ntk.sparsified_ntk import SparsifiedNTK, implemented_block
from qntk_compile.assembly.diagonal import angle_table_for
from qntk_compile.classical import reference as R
from qntk_compile.classical.discretised_reference import reference_for_problem
from qntk_compile.data.problem import Problem

__all__ = [
    "nu_oracle_for",
    "build_sparsified_ntk",
    "SparsifiedReference",
    "discretised_sparsified_reference",
    "state_fidelity",
    "solver_spectrum",
]


def nu_oracle_for(problem: Problem):
    """The ν oracle of the problem's pattern: circulant band, or the pseudorandom pattern
    completed to exactly s symmetric columns a row (fillers are zero entries)."""
    pattern = R.sparsity_pattern(problem)
    k = problem.n_padded.bit_length() - 1
    if problem.sparsity_pattern == "circulant":
        return CirculantBandRowColumnOracle(k, pattern.s)
    cols = complete_symmetric_pattern(pattern.column_lists(), problem.sparsity)
    return StoredPatternRowColumnOracle.from_columns(cols)


def build_sparsified_ntk(
    problem: Problem, *, data_access: str = "qrom", qlsa_degree: int | None = None
) -> SparsifiedNTK:
    """The concrete ``SparsifiedNTK`` for ``problem`` (padded data, its knobs)."""
    return SparsifiedNTK.from_data(
        problem.X,
        problem.y,
        problem.x_test,
        angle_table_for(problem),
        R.padded_sparsified_kernel_matrix(problem),
        nu_oracle_for(problem),
        amplitude_bits=problem.amplitude_bits,
        phase_bits=problem.phase_bits,
        median_copies=problem.median_copies,
        kernel_bits=problem.kernel_bits,
        qlsa_epsilon=problem.qlsa_epsilon,
        data_access=data_access,
        qlsa_degree=qlsa_degree,
    )


def solver_spectrum(problem: Problem) -> dict[str, float]:
    """Smallest eigenvalues of the padded K̃ (``lambda_min``) and of the block the encoding
    implements at the problem's ``kernel_bits`` (``lambda_min_block``, K̃/α with rounded
    entries), and ``kappa_eff`` = 1/``lambda_min_block`` (``inf`` when it is not positive): what
    the QSVT inverts on [1/κ_eff, 1], known before the circuit is built."""
    from bloqs.block_encoding.weighted_sparse_block_encoding import WeightedSparseBlockEncoding

    kt = R.padded_sparsified_kernel_matrix(problem)
    be = WeightedSparseBlockEncoding.from_matrix(kt, nu_oracle_for(problem), problem.kernel_bits)
    lam_block = float(np.linalg.eigvalsh(implemented_block(be))[0])
    return {
        "lambda_min": float(np.linalg.eigvalsh(kt)[0]),
        "lambda_min_block": lam_block,
        "alpha": float(be.alpha),
        "kappa_eff": 1 / lam_block if lam_block > 0 else math.inf,
    }


@dataclass(frozen=True)
class SparsifiedReference:
    """What the gate-level ``SparsifiedNTK`` simulation should give, and the exact values.

    Attributes:
        p_readout: ``Pr(ancilla = 0 | flag = 0, qlsa_ancilla = 0)``.
        p_flags: ``Pr(flag = 0, qlsa_ancilla = 0)``.
        qlsa_success: ``‖p(B)|Y⟩‖²``, the QLSA success probability of the solver branch.
        sign: ``sign(p_readout − 1/2)``.
        sign_exact: sign of the exact sparsified-NTK prediction ``k*ᵀ K̃⁻¹ y``.
        fidelity: ``|⟨V/‖V‖ | K̃⁻¹Y/‖·‖⟩|²`` (solution state vs the exact solve of the
            implemented label state).
        kappa, kappa_eff, alpha: κ(K̃), 1/λ_min of the implemented block, α of the encoding.
        solution: the unnormalised ``V = p(B)|Y⟩``.
    """

    p_readout: float
    p_flags: float
    qlsa_success: float
    sign: int
    sign_exact: int
    fidelity: float
    kappa: float
    kappa_eff: float
    alpha: float
    solution: np.ndarray


def state_fidelity(u: np.ndarray, v: np.ndarray) -> float:
    """|⟨u|v⟩|² / (‖u‖² ‖v‖²) of two (unnormalised) vectors; 0 when either is zero."""
    nu, nv = float(np.vdot(u, u).real), float(np.vdot(v, v).real)
    if nu == 0 or nv == 0:
        return 0.0
    return float(abs(np.vdot(u, v)) ** 2 / (nu * nv))


def discretised_sparsified_reference(problem: Problem, bloq: SparsifiedNTK) -> SparsifiedReference:
    """The same-discretisation classical reference of ``bloq`` (built from ``problem``)."""
    kern = reference_for_problem(problem)
    be = bloq.solution.block_encoding
    block = implemented_block(be)
    label = kern.label_state
    v = qsvt_matrix_function(bloq.solution.phases, block).real @ label
    big_n = label.size
    big_q = float(np.sum(kern.kernel_square)) / big_n
    vv = float(v @ v)
    cross = float(kern.kernel_mean @ v) / math.sqrt(big_n)
    p_read = (big_q + vv + 2 * cross) / (2 * (big_q + vv))
    exact_v = np.linalg.solve(block, label)
    fid = state_fidelity(v, exact_v)
    exact = float(R.sparsified_prediction(problem))
    return SparsifiedReference(
        p_readout=float(p_read),
        p_flags=(big_q + vv) / 2,
        qlsa_success=vv,
        sign=int(np.sign(p_read - 0.5)),
        sign_exact=int(np.sign(exact)),
        fidelity=fid,
        kappa=float(bloq.kappa),
        kappa_eff=float(bloq.kappa_eff),
        alpha=float(be.alpha),
        solution=v,
    )
