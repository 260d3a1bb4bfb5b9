"""WeightedSparseBlockEncoding simulated: the paper's pattern on a real K̃ (n = 4), 8 × 8 signed."""

import numpy as np
import pytest

from bloqs.block_encoding.circulant_oracle import CirculantBandRowColumnOracle
from bloqs.block_encoding.stored_pattern_oracle import (
    StoredPatternRowColumnOracle,
    complete_symmetric_pattern,
)
from bloqs.block_encoding.weighted_sparse_block_encoding import (
    WeightedSparseBlockEncoding,
    block_encoding_condition,
)
from qntk_compile.classical.reference import padded_sparsified_kernel_matrix, sparsity_pattern
from qntk_compile.data.problem import Problem
from tests.bloqs.block_encoding.simulate import block_of


def _ntk_k_tilde(n: int = 4, depth: int = 2):
    """K̃ (normalised, K11 = 1) of a small problem with large, signed-free off-diagonals."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 4)) + np.array([2.0, 0, 0, 0])  # correlated rows: large K_ij
    y = np.array([1.0, -1.0] * (n // 2))
    problem = Problem.from_arrays(X, y, rng.normal(size=4), depth=depth, sparsity=3)
    pattern = sparsity_pattern(problem, kind="pseudorandom")
    return padded_sparsified_kernel_matrix(problem, pattern), pattern


def test_real_ntk_on_the_papers_pattern():
    k_tilde, pattern = _ntk_k_tilde()
    columns = complete_symmetric_pattern(pattern.column_lists(), pattern.s)
    oracle = StoredPatternRowColumnOracle.from_columns(columns)
    be = WeightedSparseBlockEncoding.from_matrix(k_tilde, oracle, entry_bitsize=6)
    block = block_of(be).real
    assert np.max(np.abs(be.alpha * block - k_tilde)) <= be.epsilon
    cond = block_encoding_condition(k_tilde, pattern.s)
    assert be.alpha == pytest.approx(cond.alpha_weighted)
    assert 1 / np.linalg.svd(block, compute_uv=False)[-1] == pytest.approx(
        cond.kappa_eff_weighted, rel=0.05
    )
    assert np.count_nonzero(k_tilde - np.diag(np.diag(k_tilde))) > 0  # off-diagonals present


def test_signed_8x8():
    rng = np.random.default_rng(11)
    oracle = CirculantBandRowColumnOracle(3, 3)
    a = np.eye(8)
    for j in range(8):
        a[j, (j + 1) % 8] = a[(j + 1) % 8, j] = rng.uniform(-0.3, 0.3)
    be = WeightedSparseBlockEncoding.from_matrix(a, oracle, entry_bitsize=6)
    block = block_of(be).real
    assert np.max(np.abs(be.alpha * block - a)) <= be.epsilon
    assert np.all(np.sign(block[a < -0.05]) == -1)
