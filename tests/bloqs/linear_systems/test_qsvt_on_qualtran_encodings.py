"""QSVT on Qualtran's own block encodings (LinearCombination with a resource register, Unitary)
and on ours (WeightedSparseBlockEncoding): tensor contraction vs p(A/α).

The block of a Qualtran `BlockEncoding` is read with `ancilla` AND `resource` in |0⟩ (as
Qualtran's own LinearCombination tests do); QSVT must reflect about that whole signal space.
"""

import numpy as np
import pytest
from qualtran import BloqBuilder
from qualtran.bloqs.basic_gates import Identity, IntEffect, IntState, Ry, XGate, ZGate
from qualtran.bloqs.block_encoding import LinearCombination, Unitary
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.simulation.tensor import bloq_to_dense
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.linear_systems.inverse_polynomials import minimax_inverse_polynomial
from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.linear_systems.qsvt import QSVT, _qsvt_lcu
from bloqs.linear_systems.qsvt_linear_solver import QSVTLinearSolver
from bloqs.linear_systems.qsvt_solution_state import QSVTSolutionState
from tests.bloqs.example_checks import assert_example_counts_pass
from tests.bloqs.linear_systems.dense_block_encoding import FrozenBlockEncoding


def signal_block(bloq, full_flatten=True) -> np.ndarray:
    """⟨0|_{all but system} U |0⟩_{all but system} by tensor contraction: the bloq with every
    register but `system` started in `IntState(0)` and closed by `IntEffect(0)` (as Qualtran's own
    LinearCombination tests read the block). `full_flatten=False` keeps the projector phases (and
    frozen encodings) as single tensors: seconds instead of a minute."""
    bb = BloqBuilder()
    soqs = {
        r.name: bb.add_register(r.name, r.bitsize)
        if r.name == "system"
        else bb.add(IntState(0, r.bitsize))
        for r in bloq.signature
    }
    out = bb.add_d(bloq, **soqs)
    for r in bloq.signature:
        if r.name != "system":
            bb.add(IntEffect(0, r.bitsize), val=out[r.name])
    return bloq_to_dense(bb.finalize(system=out["system"]), full_flatten=full_flatten)


def _lcu():
    return LinearCombination((Unitary(Identity()), Unitary(ZGate())), (0.6, 0.3), lambd_bits=2)


@pytest.fixture(scope="module")
def lcu_poly():
    return minimax_inverse_polynomial(kappa=4.0, epsilon=1e-2)


def test_lcu_leaves_weight_outside_ancilla_zero_resource_zero():
    """Precondition that makes the next test bind: anc = 0 but resource ≠ 0 carries weight."""
    be = _lcu()
    assert be.resource_bitsize > 0
    r = 2**be.resource_bitsize
    u = be.tensor_contract().reshape(2, 2, r, 2, 2, r)
    np.testing.assert_allclose(u[:, 0, 0, :, 0, 0], np.diag([1.0, 0.25]), atol=1e-12)
    assert np.linalg.norm(u[:, 0, 1:, :, 0, 0]) > 0.4  # the ancilla-only block is not unitary-ish


def test_qsvt_on_linear_combination_is_p_of_block(lcu_poly):
    be = FrozenBlockEncoding(_lcu())  # the LCU's own unitary (contracted once), same registers
    qsvt = QSVT.from_chebyshev(be, lcu_poly.chebyshev_coefficients)
    got = signal_block(qsvt, full_flatten=False)
    want = np.diag(lcu_poly(np.array([1.0, 0.25])))
    np.testing.assert_allclose(got, want, atol=1e-9)
    # ... and p ≈ scale / x there: the solution direction is right (the bug gave fidelity 0.64)
    np.testing.assert_allclose(np.diag(got).real * [1.0, 0.25], lcu_poly.scale, rtol=2e-2)


def test_linear_solver_on_linear_combination():
    """The success flag tests ancilla AND resource: success branch = p(A/α)|y⟩, nothing else."""
    be = FrozenBlockEncoding(_lcu())
    lcu_poly = minimax_inverse_polynomial(kappa=4.0, epsilon=0.1)
    solver = QSVTLinearSolver.from_polynomial(be, Ry(1.1), lcu_poly)
    m, r = solver.qsvt.ancilla_bitsize, solver.qsvt.resource_bitsize
    psi = bloq_to_dense(solver, full_flatten=False)[:, 0].reshape(2, 2**m, 2**r, 2)
    y = np.array([np.cos(0.55), np.sin(0.55)])
    want = lcu_poly(np.array([1.0, 0.25])) * y
    np.testing.assert_allclose(psi[:, 0, 0, 1], want, atol=1e-9)  # signed amplitudes
    assert np.linalg.norm(psi[:, :, :, 1]) ** 2 == pytest.approx(np.sum(want**2), abs=1e-10)
    assert np.linalg.norm(psi[:, 0, 0, 0]) < 1e-10


@pytest.mark.slow
def test_qsvt_on_gate_level_linear_combination():
    """End to end on the LCU's gate-level decomposition (degree 3, ~15 s)."""
    be = _lcu()
    phases = (0.4, -0.7, 0.4)
    got = signal_block(QSVT(be, phases))
    np.testing.assert_allclose(got, qsvt_matrix_function(phases, np.diag([1.0, 0.25])), atol=1e-9)


def test_example_with_resource_register_counts_and_decomposes():
    bloq = _qsvt_lcu.make()
    assert bloq.resource_bitsize == 6
    assert bloq.projector_phase(0.1).ancilla_bitsize == 1 + 6  # ancilla + resource
    assert_example_counts_pass(_qsvt_lcu)
    assert_valid_bloq_decomposition(bloq)


def test_wrapper_passes_the_resource_register():
    """A bloq built around QSVT must wire `resource` (it used to be missing from examples)."""
    solver = QSVTLinearSolver.from_polynomial(
        _lcu(), Ry(0.3), minimax_inverse_polynomial(kappa=4.0, epsilon=0.1)
    )
    assert "resource" in [reg.name for reg in solver.signature]
    assert_valid_bloq_decomposition(solver)
    assert_equivalent_bloq_counts(solver, generalizer=ignore_split_join)


def test_solution_state_refuses_resource_register_in_one_line():
    with pytest.raises(ValueError, match="resource register") as err:
        QSVTSolutionState(_lcu(), _PrepIndex(), (0.1,))
    assert "\n" not in str(err.value)


def _PrepIndex():
    from bloqs.ntk.diagonal_ntk import LabelState
    from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader

    return LabelState(VectorAmplitudeLoader.from_vector([1.0, -1.0], amplitude_bits=3))


@pytest.mark.parametrize("resource_bits", [0, 1])
def test_qsvt_on_unitary(resource_bits):
    """Unitary(Ry(θ)), one ancilla bit (and an idle resource bit): block Ry(θ), not Hermitian."""
    be = Unitary(Ry(0.8), ancilla_bitsize=1, resource_bitsize=resource_bits)
    phases = (0.4, -0.7, 1.1, -0.7, 0.4)
    got = signal_block(QSVT(be, phases))
    np.testing.assert_allclose(got, qsvt_matrix_function(phases, Ry(0.8).tensor_contract()), 1e-10)


def test_qsvt_on_unitary_x_inverts_x():
    be = Unitary(XGate(), ancilla_bitsize=1)  # X is its own inverse: p(X) = p(1)·X for odd p
    poly = minimax_inverse_polynomial(kappa=2.0, epsilon=1e-3)
    got = signal_block(QSVT.from_chebyshev(be, poly.chebyshev_coefficients))
    np.testing.assert_allclose(got, poly(1.0) * np.array([[0, 1], [1, 0]]), atol=1e-9)


@pytest.mark.slow
def test_qsvt_on_weighted_sparse_block_encoding():
    """Ours (no resource register, 4 ancilla bits, And gates inside): ~20 s."""
    from bloqs.block_encoding.weighted_sparse_block_encoding import (
        WeightedSparseBlockEncoding,
        example_matrix,
    )
    from bloqs.ntk.sparsified_ntk import implemented_block

    matrix, oracle = example_matrix()
    be = WeightedSparseBlockEncoding.from_matrix(matrix, oracle, entry_bitsize=6)
    block = implemented_block(be)
    kappa = 1.0 / np.abs(np.linalg.eigvalsh(block)).min()
    poly = minimax_inverse_polynomial(kappa=kappa, epsilon=0.1)
    qsvt = QSVT.from_chebyshev(be, poly.chebyshev_coefficients)
    got = signal_block(qsvt)
    w, v = np.linalg.eigh(block)
    np.testing.assert_allclose(got, (v * poly(w)) @ v.T, atol=1e-9)
