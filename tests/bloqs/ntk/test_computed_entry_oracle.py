"""ComputedKernelEntryOracle: tensor contraction on n = 2, d = 2 vs the ideal rotation; costs."""

import numpy as np
import pytest
import sympy
from qualtran import BloqBuilder
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.ntk.computed_entry_oracle import (
    ComputedKernelEntryOracle,
    _computed_kernel_entry_oracle,
    _computed_kernel_entry_oracle_symb,
)
from qntk_compile.classical.discretised_reference import ae_phase_distribution, loaded_state

TABLE = (0, 1, 3, 1)  # m = 2, b = 2


def _unitary(oracle):
    bb = BloqBuilder()
    regs = {r.name: bb.add_register(r.name, int(r.total_bits())) for r in oracle.signature}
    out = bb.add_d(oracle, **regs)
    return bb.finalize(**out).flatten().tensor_contract()


def _flag_amplitudes(oracle):
    """⟨f, scratch 0, i, j| O |0, scratch 0, i, j⟩ for f = 0, 1 (2 × 2 × 2 array [f, i, j])."""
    u = _unitary(oracle)
    s = int(oracle.scratch_bits)
    u = u.reshape(2, 2, 2, 2**s, 2, 2, 2, 2**s)  # out (q, i, j, scratch), in (q, i, j, scratch)
    return np.array(
        [[[u[f, i, j, 0, 0, i, j, 0] for j in range(2)] for i in range(2)] for f in (0, 1)]
    )


def test_grid_case_is_the_ideal_rotation():
    # x_0 = e_0, x_1 = e_1: overlaps 1 and 0 are on the AE grid (m = 2), so the oracle is exactly
    # the rotation by the discretised kernel angle: diag angle 0 (entry 1), off-diag angle 1.
    oracle = _computed_kernel_entry_oracle.make()
    amp = _flag_amplitudes(oracle)
    angle = np.array([[0, 1], [1, 0]])
    np.testing.assert_allclose(amp[0], np.cos(np.pi * angle / 4), atol=1e-6)
    np.testing.assert_allclose(amp[1], np.sin(np.pi * angle / 4), atol=1e-6)


def test_off_grid_case_is_the_ae_average():
    X = np.array([[1.0, 0.0], [0.6, 0.8]])
    oracle = ComputedKernelEntryOracle.from_data(X, TABLE, 3, 2, 1, 2)
    amp = _flag_amplitudes(oracle)
    rows = np.array([loaded_state(x, 3) for x in X])
    cos_y = np.cos(np.pi * np.array(TABLE) / 4)
    for i in range(2):
        for j in range(2):
            pmf = ae_phase_distribution((1 - rows[i] @ rows[j]) / 2, 2)
            assert amp[0, i, j] == pytest.approx(pmf @ cos_y, abs=1e-6)


def test_controlled_is_identity_when_off():
    oracle = _computed_kernel_entry_oracle.make()
    cu = _unitary(oracle.controlled())
    dim = cu.shape[0] // 2
    np.testing.assert_allclose(cu[:dim, :dim], np.eye(dim), atol=1e-6)
    np.testing.assert_allclose(cu[dim:, dim:], _unitary(oracle), atol=1e-6)


@pytest.mark.parametrize("controlled", [False, True])
def test_decomposition_and_counts(controlled):
    oracle = _computed_kernel_entry_oracle.make()
    oracle = oracle.controlled() if controlled else oracle
    assert_valid_bloq_decomposition(oracle)
    assert_equivalent_bloq_counts(oracle, [ignore_split_join, ignore_alloc_free])


def test_symbolic_cost_equals_concrete_at_three_sizes():
    symb = _computed_kernel_entry_oracle_symb.make()
    cost = get_cost_value(symb, QECGatesCost())
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    for vals in [(4, 2, 3, 2, 3), (8, 4, 4, 2, 4), (16, 2, 3, 3, 3)]:
        concrete = get_cost_value(
            ComputedKernelEntryOracle.from_sizes(*vals[:4], 3, vals[4]), QECGatesCost()
        )
        sub = dict(zip((n, d, ba, m, b), vals, strict=True))
        assert int(sympy.sympify(cost.and_bloq).subs(sub)) == concrete.and_bloq
        assert int(sympy.sympify(cost.cswap).subs(sub)) == concrete.cswap
        # (rotations: concrete angles that are multiples of π/4 become T/Clifford gates)


def test_index_names_checked():
    from bloqs.ntk.kernel_entry import KernelEntry

    entry = KernelEntry.from_sizes(4, 2, 3, 2, 1, 3)  # indices named j, k
    with pytest.raises(ValueError, match="index registers"):
        ComputedKernelEntryOracle(entry)


def test_weighted_block_encoding_with_the_computed_oracle():
    # The block encoding takes the computed oracle in place of the table one (its scratch joins
    # the ancilla): n = 2, s = 2, on-grid data, entry 1 on the diagonal, cos(π/4) off it.
    from bloqs.block_encoding.stored_pattern_oracle import StoredPatternRowColumnOracle
    from bloqs.block_encoding.weighted_sparse_block_encoding import WeightedSparseBlockEncoding
    from tests.bloqs.block_encoding.simulate import block_of

    entry = _computed_kernel_entry_oracle.make()
    nu = StoredPatternRowColumnOracle.from_columns([(0, 1), (1, 0)])
    be = WeightedSparseBlockEncoding(nu, entry, 1.0, 0.5)
    assert be.ancilla_bitsize == 1 + 2 + entry.scratch_bits
    off = 0.5 * np.cos(np.pi / 4)
    np.testing.assert_allclose(
        block_of(be).real, np.array([[1, off], [off, 1]]) / be.alpha, atol=1e-6
    )
