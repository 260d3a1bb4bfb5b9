import math

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.arithmetic.median import (
    CoherentMedian,
    _coherent_median,
    _coherent_median_symb,
    median_copies_for_failure,
    num_comparators,
    transposition_network,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)

GEN = [ignore_split_join, ignore_alloc_free]


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
def test_transposition_network_sorts_all_01_inputs(k):
    # 0-1 principle: a comparator network sorts every input iff it sorts every 0/1 input.
    pairs = transposition_network(k)
    assert len(pairs) == k * (k - 1) // 2 == num_comparators(k)
    for word in range(2**k):
        v = [(word >> i) & 1 for i in range(k)]
        for i, j in pairs:
            if v[i] > v[j]:
                v[i], v[j] = v[j], v[i]
        assert v == sorted(v)


@pytest.mark.parametrize("k,bitsize", [(1, 2), (3, 1), (3, 3), (5, 2), (7, 3), (9, 4)])
def test_median_decomposition_classical_random(k, bitsize):
    rng = np.random.default_rng(1000 * k + bitsize)
    bloq = CoherentMedian(k, bitsize)
    cbloq = bloq.decompose_bloq()
    adj = bloq.adjoint().decompose_bloq()
    for _ in range(8):
        vals = rng.integers(0, 2**bitsize, size=k)
        out_vals, med = cbloq.call_classically(values=vals.copy())
        np.testing.assert_array_equal(out_vals, vals)  # the sort is undone
        assert med == int(np.median(vals))
        # the adjoint consumes the median and returns the values untouched
        (back,) = adj.call_classically(values=vals.copy(), median=med)
        np.testing.assert_array_equal(back, vals)


def test_median_adjoint_rejects_wrong_median():
    adj = CoherentMedian(3, 2).adjoint()
    with pytest.raises(ValueError):
        adj.call_classically(values=np.array([0, 1, 2]), median=2)


def test_median_ties_and_extremes():
    cbloq = CoherentMedian(5, 2).decompose_bloq()
    for vals in ([3, 3, 3, 3, 3], [0, 0, 0, 3, 3], [3, 0, 3, 0, 0], [0, 1, 2, 3, 3]):
        _, med = cbloq.call_classically(values=np.array(vals))
        assert med == sorted(vals)[2]


@pytest.mark.parametrize("bloq", [CoherentMedian(3, 2), CoherentMedian(5, 3), CoherentMedian(1, 4)])
def test_median_decomposition_and_counts(bloq):
    assert_valid_bloq_decomposition(bloq)
    assert_valid_bloq_decomposition(bloq.adjoint())
    assert_equivalent_bloq_counts(bloq, GEN)
    assert_equivalent_bloq_counts(bloq.adjoint(), GEN)


def test_median_symbolic_cost_equals_concrete():
    k, b = sympy.symbols("k b", positive=True, integer=True)
    symb = get_cost_value(CoherentMedian(k, b), QECGatesCost())
    for kv, bv in [(3, 2), (5, 3), (7, 4), (9, 1)]:
        conc = get_cost_value(CoherentMedian(kv, bv), QECGatesCost())
        subs = {k: kv, b: bv}
        assert conc.and_bloq == symb.and_bloq.subs(subs) == kv * (kv - 1) * bv
        assert conc.cswap == symb.cswap.subs(subs) == kv * (kv - 1) * bv
        assert conc.toffoli == 0 and conc.rotation == 0
        # the adjoint costs the same
        assert get_cost_value(CoherentMedian(kv, bv).adjoint(), QECGatesCost()) == conc


def test_median_examples():
    assert isinstance(_coherent_median.make(), CoherentMedian)
    assert isinstance(_coherent_median_symb.make(), CoherentMedian)


@pytest.mark.parametrize(
    "kwargs",
    [dict(k=4, bitsize=2), dict(k=0, bitsize=2), dict(k=3, bitsize=0), dict(k=3.0, bitsize=2)],
)
def test_median_bad_input(kwargs):
    with pytest.raises(ValueError):
        CoherentMedian(**kwargs)


def test_median_copies_for_failure_lemma_iii3():
    a0 = 8 / math.pi**2
    for delta in [0.5, 0.1, 0.01, 1e-3, 1e-6]:
        k = median_copies_for_failure(delta)
        assert k % 2 == 1
        raw = math.ceil(math.log(1 / delta) / (2 * (a0 - 0.5) ** 2))
        assert k in (raw, raw + 1)
        # Hoeffding bound on the failure probability of the median is met
        assert math.exp(-2 * k * (a0 - 0.5) ** 2) <= delta
    assert median_copies_for_failure(0.01) == 25  # ceil(4.605/0.1931) = 24 -> 25
    assert median_copies_for_failure(0.9, alpha0=1.0) == 1


def test_median_copies_exact_binomial_failure_below_delta():
    # Independent check: the exact probability that at most half of k copies are good,
    # each good with probability alpha0, is below delta.
    a0 = 8 / math.pi**2
    for delta in [0.2, 0.05, 0.01]:
        k = median_copies_for_failure(delta)
        fail = sum(math.comb(k, j) * a0**j * (1 - a0) ** (k - j) for j in range(0, k // 2 + 1))
        assert fail <= delta


@pytest.mark.parametrize("args", [(0,), (1,), (-0.1,), (float("nan"),), (0.1, 0.5), (0.1, 1.2)])
def test_median_copies_bad_input(args):
    with pytest.raises(ValueError):
        median_copies_for_failure(*args)


@pytest.mark.parametrize("k,bitsize", [(3, 2), (5, 2)])
def test_median_flattened_gate_level_classical(k, bitsize):
    # Simulate the fully flattened circuit (And / CNOT / X / CSwap level), exhaustively for
    # (3, 2) and on random inputs for (5, 2).
    flat = CoherentMedian(k, bitsize).decompose_bloq().flatten()
    rng = np.random.default_rng(7)
    inputs = (
        [
            np.array([(w >> (bitsize * i)) % 2**bitsize for i in range(k)])
            for w in range(2 ** (k * bitsize))
        ]
        if k == 3
        else [rng.integers(0, 2**bitsize, size=k) for _ in range(20)]
    )
    for vals in inputs:
        out_vals, med = flat.call_classically(values=vals.copy())
        np.testing.assert_array_equal(out_vals, vals)
        assert med == int(np.median(vals))


@pytest.mark.parametrize("name", ["_coherent_median"])
def test_bloq_examples_counts_pass(name):
    import bloqs.arithmetic.median as module

    assert_example_counts_pass(getattr(module, name))


@pytest.mark.parametrize("name", ["_coherent_median_symb"])
def test_symbolic_examples_cost(name):
    import bloqs.arithmetic.median as module

    assert_symbolic_example_cost_is_symbolic(getattr(module, name))


def test_median_tensor_is_the_isometry():
    # quantum-level check (tensor contraction of the decomposition, comparison bits included)
    u = CoherentMedian(3, 1).tensor_contract()  # |v0 v1 v2> -> |v0 v1 v2>|median>
    expected = np.zeros((16, 8))
    for w in range(8):
        v = [(w >> 2) & 1, (w >> 1) & 1, w & 1]
        expected[(w << 1) | int(np.median(v)), w] = 1
    np.testing.assert_allclose(np.abs(u), expected, atol=1e-8)
    np.testing.assert_allclose(u, expected, atol=1e-8)  # no phases either
