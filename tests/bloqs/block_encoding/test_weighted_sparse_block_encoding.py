"""WeightedSparseBlockEncoding: α·⟨0|U|0⟩ = A (signed), unitarity where it is used, κ_eff, costs."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.block_encoding import BlockEncoding
from qualtran.bloqs.block_encoding.sparse_matrix import SymmetricBandedRowColumnOracle
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
from bloqs.block_encoding.weighted_diffusion import WeightedSlotDiffusion
from bloqs.block_encoding.weighted_sparse_block_encoding import (
    WeightedSparseBlockEncoding,
    _weighted_sparse_block_encoding,
    _weighted_sparse_block_encoding_symb,
    block_encoding_condition,
    example_matrix,
    uniform_sparse_block_encoding,
)
from tests.bloqs.block_encoding.cost_checks import toffoli_like
from tests.bloqs.block_encoding.simulate import block_of
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


def test_block_is_a_over_alpha_and_u_is_unitary_where_used():
    """Full U by tensor contraction (4 × 4 signed matrix, circulant pattern, s = 3)."""
    a, _ = example_matrix()
    be = _weighted_sparse_block_encoding.make()
    assert isinstance(be, BlockEncoding)
    assert be.alpha == pytest.approx(1.0 + 2 * 0.25)  # d + (s − 1)·o
    u = be.decompose_bloq().flatten().tensor_contract()
    anc0 = np.arange(4) * 2**4  # system i (2 bits) then ancilla (4 bits) = 0
    block = u[np.ix_(anc0, anc0)]
    assert np.allclose(block.imag, 0)
    assert np.max(np.abs(be.alpha * block.real - a)) <= be.epsilon
    assert np.max(np.abs(be.alpha * block.real - a)) < 0.01
    assert np.all(np.sign(block.real[a < 0]) == -1)  # negative entries included
    # isometric on ancilla-0 inputs, co-isometric on ancilla-0 outputs (so U† after U, and U
    # after U†, act unitarily on every state a QSVT produces), and a contraction overall
    np.testing.assert_allclose(u[:, anc0].conj().T @ u[:, anc0], np.eye(4), atol=1e-9)
    np.testing.assert_allclose(u[anc0, :] @ u[anc0, :].conj().T, np.eye(4), atol=1e-9)
    assert np.linalg.norm(u, 2) <= 1 + 1e-9
    # κ_eff measured on the block itself equals α/λ_min(A)
    cond = block_encoding_condition(a, 3)
    sv = np.linalg.svd(block.real, compute_uv=False)
    assert 1 / sv[-1] == pytest.approx(cond.kappa_eff_weighted, rel=0.02)


def test_uniform_diffusion_comparison():
    """Qualtran's SparseMatrix on the same pattern and signed entries: block A/(s·a_max)."""
    a, oracle = example_matrix()
    sparse, a_max = uniform_sparse_block_encoding(a, oracle, entry_bitsize=6)
    block = block_of(sparse)
    assert np.max(np.abs(3 * a_max * block.real - a)) < 0.02
    cond = block_encoding_condition(a, 3)
    assert cond.alpha_uniform == pytest.approx(3 * a_max)
    assert cond.kappa_eff_uniform == pytest.approx(cond.alpha_uniform / cond.lambda_min)
    sv = np.linalg.svd(block.real, compute_uv=False)
    assert 1 / sv[-1] == pytest.approx(cond.kappa_eff_uniform, rel=0.02)
    assert cond.kappa_eff_weighted < cond.kappa_eff_uniform


def test_adjoint_encodes_the_transpose():
    """U† (what a QSVT applies between projector phases) decomposes and has block Aᵀ/α = A/α."""
    a, _ = example_matrix()
    be = _weighted_sparse_block_encoding.make()
    block = block_of(be.adjoint())
    assert np.max(np.abs(be.alpha * block.real - a.T)) <= be.epsilon
    assert np.allclose(block.imag, 0)


def test_condition_numbers_side_by_side():
    """K̃ = K11 (I + E): κ_eff(weighted) ≤ (1 + γ)/(1 − γ), γ = (s − 1) e_max; uniform ≈ s·κ."""
    rng = np.random.default_rng(7)
    n, s, k11 = 16, 5, 3.0
    oracle = CirculantBandRowColumnOracle(4, s)
    e = np.zeros((n, n))
    for j in range(n):
        for l in range(1, s):
            c = oracle.nu(j, l)
            e[j, c] = e[c, j] = rng.uniform(-0.05, 0.05)
    k_tilde = k11 * (np.eye(n) + e)
    cond = block_encoding_condition(k_tilde, s)
    e_max = np.max(np.abs(e))
    gamma = (s - 1) * e_max
    assert cond.gamma == pytest.approx(gamma)
    assert cond.alpha_weighted == pytest.approx(k11 * (1 + gamma))
    assert cond.kappa_eff_weighted <= (1 + gamma) / (1 - gamma) + 1e-12
    assert cond.kappa_eff_bound == pytest.approx((1 + gamma) / (1 - gamma))
    assert cond.kappa_eff_uniform == pytest.approx(s * k11 / cond.lambda_min)
    assert cond.kappa <= cond.kappa_eff_weighted < cond.kappa_eff_uniform
    be = WeightedSparseBlockEncoding.from_matrix(k_tilde, oracle, entry_bitsize=8)
    assert be.alpha == pytest.approx(cond.alpha_weighted)


def test_registers_and_interface():
    be = _weighted_sparse_block_encoding.make()
    assert be.system_bitsize == 2 and be.ancilla_bitsize == 4 and be.resource_bitsize == 0
    assert [r.name for r in be.signature] == ["system", "ancilla"]
    assert be.signal_state.signature.n_qubits() == 4
    assert be.epsilon > 0


@pytest.mark.parametrize(
    "bloq",
    [_weighted_sparse_block_encoding.make(), _weighted_sparse_block_encoding.make().adjoint()],
)
def test_decomposition_and_call_graph(bloq):
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, [ignore_split_join, ignore_alloc_free])
    assert isinstance(bloq.adjoint(), WeightedSparseBlockEncoding)
    assert bloq.adjoint().adjoint() == bloq and bloq.adjoint().alpha == bloq.alpha


def test_symbolic_cost_equals_concrete():
    """From sizes (log2 n, s, b symbols) == the same sizes as integers, at 3 sizes, after
    removing Qualtran's controlled uniform superposition (its symbolic cost ignores the control,
    see docs/bloqs/weighted_slot_diffusion.md); that part is ≤ a few Toffolis, independent of n."""
    k, s, b = sympy.symbols("k s b", positive=True, integer=True)
    for pattern in ("stored", "circulant"):
        symb = WeightedSparseBlockEncoding.from_sizes(k, s, b, pattern=pattern)
        uniform = WeightedSlotDiffusion(s, k, 0.5)._parts[1]
        formula = toffoli_like(symb) - 2 * toffoli_like(uniform)
        for kv, sv, bv in [(3, 5, 4), (4, 7, 6), (6, 11, 8)]:
            conc = WeightedSparseBlockEncoding.from_sizes(kv, sv, bv, pattern=pattern)
            conc_uniform = WeightedSlotDiffusion(sv, kv, 0.5)._parts[1]
            expected = toffoli_like(conc) - 2 * toffoli_like(conc_uniform)
            assert formula.subs({k: kv, s: sv, b: bv}) == expected, (pattern, kv, sv)


def test_costing_at_large_n_is_fast():
    be = WeightedSparseBlockEncoding.from_sizes(40, 81, 12, off_diagonal_scale=1e-3)
    assert toffoli_like(be) > 2**80  # the n² table entry oracle at n = 2^40
    assert be.alpha == pytest.approx(1 + 80e-3)


def _bad(kind):
    a, oracle = example_matrix()
    if kind == "asymmetric":
        a[0, 1] += 0.1
    elif kind == "outside":
        a[0, 2] = a[2, 0] = 0.1
    elif kind == "nonfinite":
        a[1, 1] = np.nan
    elif kind == "zero diagonal":
        a = a - np.diag(np.diag(a))
    elif kind == "shape":
        a = a[:3, :3]
    elif kind == "slot 0":
        oracle = SymmetricBandedRowColumnOracle(2, bandsize=1)
    WeightedSparseBlockEncoding.from_matrix(a, oracle, entry_bitsize=4)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("asymmetric", "symmetric"),
        ("outside", "outside the sparsity pattern"),
        ("nonfinite", "finite"),
        ("zero diagonal", "diagonal"),
        ("shape", "n x n"),
        ("slot 0", "nu"),
    ],
)
def test_bad_input_one_line_error(kind, message):
    with pytest.raises(ValueError, match=message) as info:
        _bad(kind)
    assert "\n" not in str(info.value)


def test_bad_scales_and_condition_inputs():
    _, oracle = example_matrix()
    entry = _weighted_sparse_block_encoding.make().entry_oracle
    with pytest.raises(ValueError, match="diagonal_scale"):
        WeightedSparseBlockEncoding(oracle, entry, 0.0, 0.1)
    with pytest.raises(ValueError, match="off_diagonal_scale"):
        WeightedSparseBlockEncoding(oracle, entry, 1.0, -0.1)
    with pytest.raises(ValueError, match="positive definite"):
        block_encoding_condition(np.diag([1.0, -1.0]), 1)
    with pytest.raises(ValueError, match="num_nonzero"):
        block_encoding_condition(np.eye(2), 3)
    with pytest.raises(ValueError, match="pattern"):
        WeightedSparseBlockEncoding.from_sizes(3, 3, 4, pattern="banded")


def test_bloq_examples():
    assert_example_counts_pass(_weighted_sparse_block_encoding)
    assert_symbolic_example_cost_is_symbolic(_weighted_sparse_block_encoding_symb)


def test_weights_and_the_diagonal_only_case():
    a, oracle = example_matrix()
    be = WeightedSparseBlockEncoding.from_matrix(a, oracle, entry_bitsize=6)
    assert be.diffusion.diagonal_weight == pytest.approx(1.0 / 1.5)  # w0 = d/α
    diagonal = WeightedSparseBlockEncoding.from_matrix(np.diag([2.0, 1.0, -1.0, 0.5]), oracle, 6)
    assert diagonal.alpha == pytest.approx(2.0) and diagonal.off_diagonal_scale == 0
    assert diagonal.diffusion.diagonal_weight == pytest.approx(1.0)
    np.testing.assert_allclose(
        np.diag(np.asarray(diagonal.entry_oracle.entries)), [1.0, 0.5, -0.5, 0.25]
    )
