"""Tests of the sparsity maps ν (pseudorandom and circulant)."""

import math

import numpy as np
import pytest

from qntk_compile.data.sparsity import (
    CirculantPattern,
    PseudorandomPattern,
    default_sparsity,
    symmetric_offsets,
)


def _check_rowcolumn_oracle(pat):
    table = pat.nu_table()
    assert table.shape == (pat.n, pat.s)
    for j in range(pat.n):
        # injective in l (a permutation of slots, as a RowColumnOracle must be)
        assert len(set(table[j])) == pat.s
        structural = [table[j, l] for l in range(pat.s) if pat.is_structural(j, l)]
        assert sorted(structural) == list(pat.columns(j))
        assert j in pat.columns(j)
    m = pat.mask()
    assert np.array_equal(m, m.T) and np.all(np.diag(m))
    assert pat.max_nonzeros == m.sum(axis=1).max() <= pat.s


@pytest.mark.parametrize("n, s", [(8, 3), (16, 5), (16, 4), (64, 13), (2, 2), (1, 1)])
def test_circulant(n, s):
    pat = CirculantPattern.from_sparsity(n, s)
    _check_rowcolumn_oracle(pat)
    assert pat.s == s and np.all(pat.mask().sum(axis=1) == s)  # exactly s per row
    for j in range(n):
        for l in range(s):
            assert pat.nu(j, l) == (j + pat.offsets[l]) % n


def test_symmetric_offsets():
    assert symmetric_offsets(16, 5) == (0, 1, 15, 2, 14)
    assert symmetric_offsets(16, 4) == (0, 1, 15, 8)
    with pytest.raises(ValueError, match="even n"):
        symmetric_offsets(15, 4)
    with pytest.raises(ValueError, match="exceeds"):
        symmetric_offsets(4, 5)


def test_circulant_custom_offsets_and_validation():
    pat = CirculantPattern(16, (0, 3, 13, 5, 11))
    _check_rowcolumn_oracle(pat)
    with pytest.raises(ValueError, match="negation"):
        CirculantPattern(16, (0, 3))
    with pytest.raises(ValueError, match="contain 0"):
        CirculantPattern(16, (1, 15))
    with pytest.raises(ValueError, match="distinct"):
        CirculantPattern(16, (0, 1, 17, 15))
    with pytest.raises(ValueError, match="j="):
        pat.nu(16, 0)
    with pytest.raises(ValueError, match="l="):
        pat.nu(0, 5)


@pytest.mark.parametrize("n", [16, 64, 256])
def test_pseudorandom_pattern(n):
    s = default_sparsity(n)
    pat = PseudorandomPattern.from_seed(n, s, seed=5)
    _check_rowcolumn_oracle(pat)
    # deterministic given the seed, different for another seed
    assert pat == PseudorandomPattern.from_seed(n, s, seed=5)
    assert pat.rows != PseudorandomPattern.from_seed(n, s, seed=6).rows
    # ~2 ln n off-diagonal entries on average before capping; the cap holds
    offdiag = pat.mask().sum() - n
    assert 0.4 * 2 * math.log(n) * n < offdiag <= (s - 1) * n
    assert pat.max_nonzeros <= s


def test_pseudorandom_uncapped_mean_degree_matches_binomial_rate():
    n = 512
    pat = PseudorandomPattern.from_seed(n, s=n, seed=1)
    mean_off = (pat.mask().sum() - n) / n
    # each row draws Binomial(n, 2 ln n / n); keeping j<k and reflecting gives ≈ 2 ln n per row
    assert mean_off == pytest.approx(2 * math.log(n), rel=0.1)


def test_cross_class_zeroing_and_threshold():
    n = 32
    labels = np.array([1.0, -1.0] * 16)
    pat = PseudorandomPattern.from_seed(n, 9, seed=2, labels=labels)
    _check_rowcolumn_oracle(pat)
    m = pat.mask()
    jj, kk = np.nonzero(m)
    assert np.all(labels[jj] == labels[kk])
    rng = np.random.default_rng(0)
    vals = rng.standard_normal((n, n))
    vals = (vals + vals.T) / 2
    base = PseudorandomPattern.from_seed(n, 9, seed=2)
    thr = base.thresholded(vals, 50.0)
    _check_rowcolumn_oracle(thr)
    assert thr.mask().sum() < base.mask().sum()
    assert np.all(thr.mask() <= base.mask())
    assert base.thresholded(vals, 0.0).mask().sum() == base.mask().sum()


def test_pseudorandom_validation():
    with pytest.raises(ValueError, match="sparsity"):
        PseudorandomPattern.from_seed(8, 0)
    with pytest.raises(ValueError, match="exceeds"):
        PseudorandomPattern.from_seed(8, 9)
    with pytest.raises(ValueError, match="pattern_seed"):
        PseudorandomPattern.from_seed(8, 3, seed=-1)
    with pytest.raises(ValueError, match="labels"):
        PseudorandomPattern.from_seed(8, 3, labels=[1, -1])
    with pytest.raises(ValueError, match="symmetric"):
        PseudorandomPattern(n=3, s=3, rows=((0, 1), (1,), (2,)))
    with pytest.raises(ValueError, match="diagonal"):
        PseudorandomPattern(n=2, s=2, rows=((1,), (0, 1)))
    pat = PseudorandomPattern.from_seed(8, 3)
    with pytest.raises(ValueError, match="percentile"):
        pat.thresholded(np.zeros((8, 8)), 120)
    with pytest.raises(ValueError, match="values"):
        pat.thresholded(np.zeros((4, 4)), 50)
