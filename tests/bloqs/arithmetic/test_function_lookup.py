import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.symbolics import Shaped
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.arithmetic.function_lookup import (
    FunctionLookup,
    _function_lookup,
    _function_lookup_symb,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


@pytest.mark.parametrize("in_bits,out_bits", [(1, 1), (2, 3), (3, 2), (4, 4)])
def test_lookup_flattened_classical_all_inputs(in_bits, out_bits):
    rng = np.random.default_rng(10 * in_bits + out_bits)
    table = rng.integers(0, 2**out_bits, size=2**in_bits)
    bloq = FunctionLookup(table, in_bits, out_bits)
    flat = bloq.decompose_bloq().flatten()
    for x in range(2**in_bits):
        for z in (0, 2**out_bits - 1):
            x_out, y_out = flat.call_classically(x=x, y=z)
            assert x_out == x
            assert y_out == z ^ int(table[x])
            assert bloq.call_classically(x=x, y=z) == (x, z ^ int(table[x]))


def test_lookup_tensor_is_the_permutation():
    table = [3, 0, 2, 2]
    bloq = FunctionLookup(table, 2, 2)
    u = bloq.tensor_contract()
    expected = np.zeros((16, 16))
    for x in range(4):
        for z in range(4):
            expected[(x << 2) | (z ^ table[x]), (x << 2) | z] = 1
    np.testing.assert_allclose(u, expected, atol=1e-8)


def test_lookup_is_self_inverse():
    bloq = _function_lookup.make()
    assert bloq.adjoint() is bloq
    for x in range(8):
        x1, y1 = bloq.call_classically(x=x, y=0)
        assert bloq.call_classically(x=x1, y=y1) == (x, 0)


@pytest.mark.parametrize("bloq", [_function_lookup.make(), FunctionLookup([1, 0], 1, 1)])
def test_lookup_decomposition_and_counts(bloq):
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, ignore_split_join)


def test_lookup_symbolic_cost_equals_concrete():
    m, b = sympy.symbols("m b", positive=True, integer=True)
    symb = get_cost_value(FunctionLookup.from_sizes(m, b), QECGatesCost())
    assert symb.and_bloq == 2**m - 2
    for mv, bv in [(2, 3), (3, 1), (4, 5), (6, 2)]:
        table = np.arange(2**mv) % 2**bv
        conc = get_cost_value(FunctionLookup(table, mv, bv), QECGatesCost())
        assert conc.and_bloq == symb.and_bloq.subs({m: mv, b: bv}) == 2**mv - 2
        assert conc.toffoli == conc.cswap == conc.rotation == 0
        sizes = get_cost_value(FunctionLookup.from_sizes(mv, bv), QECGatesCost())
        assert sizes.and_bloq == conc.and_bloq


def test_lookup_concrete_cost_is_bounded_by_sizes_only():
    # Qualtran costs a concrete QROM by its unary-iteration circuit, pruning equal-data branches
    rng = np.random.default_rng(5)
    for m in (2, 3, 4):
        bound = get_cost_value(FunctionLookup.from_sizes(m, 3), QECGatesCost()).and_bloq
        for _ in range(5):
            table = rng.integers(0, 8, size=2**m)
            assert get_cost_value(FunctionLookup(table, m, 3), QECGatesCost()).and_bloq <= bound
        const = FunctionLookup([5] * 2**m, m, 3)
        assert get_cost_value(const, QECGatesCost()).and_bloq == 0


def test_lookup_examples_and_sizes_only():
    assert isinstance(_function_lookup_symb.make().table, Shaped)
    with pytest.raises(NotImplementedError):
        FunctionLookup.from_sizes(2, 2).call_classically(x=0, y=0)


@pytest.mark.parametrize(
    "args",
    [
        ([0, 1, 2], 2, 2),  # wrong length
        ([0, 1, 2, 4], 2, 2),  # out of range
        ([0, -1, 2, 3], 2, 2),  # negative
        ([0, 1.5, 2, 3], 2, 2),  # not an integer
        ([0, np.nan, 2, 3], 2, 2),  # non-finite
        ([[0, 1], [2, 3]], 2, 2),  # not 1-D
        ([0, 1, 2, 3], 0, 2),  # bad size
        ([0, 1, 2, 3], 2, 0),
    ],
)
def test_lookup_bad_input(args):
    with pytest.raises(ValueError):
        FunctionLookup(*args)


@pytest.mark.parametrize("name", ["_function_lookup"])
def test_bloq_examples_counts_pass(name):
    import bloqs.arithmetic.function_lookup as module

    assert_example_counts_pass(getattr(module, name))


@pytest.mark.parametrize("name", ["_function_lookup_symb"])
def test_symbolic_examples_cost(name):
    import bloqs.arithmetic.function_lookup as module

    assert_symbolic_example_cost_is_symbolic(getattr(module, name))
