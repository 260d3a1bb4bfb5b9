"""ControlledUniformSuperposition: the unitary of Qualtran's PrepareUniformSuperposition(n,
cvs=(1,)), the prepared states, gate level (census == QECGatesCost), symbolic == concrete."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.state_preparation import PrepareUniformSuperposition
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.state_preparation.controlled_uniform_superposition import (
    ControlledUniformSuperposition,
    _controlled_uniform_superposition,
    _controlled_uniform_superposition_symb,
)
from qntk_compile.simulation.gate_census import flatten_for_simulation, gate_census
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 8, 12])
def test_prepared_state_and_same_unitary_as_qualtran(n):
    b = ControlledUniformSuperposition(n)
    u = b.tensor_contract()
    size = 1 << (n - 1).bit_length()
    # ctrl = 0: target stays |0>
    assert abs(u[0, 0]) == pytest.approx(1.0, abs=1e-9)
    # ctrl = 1: uniform over the first n states, one common phase
    col = u[size:, size]
    np.testing.assert_allclose(np.abs(col[:n]), 1 / np.sqrt(n), atol=1e-9)
    np.testing.assert_allclose(col[:n], col[0], atol=1e-9)
    np.testing.assert_allclose(col[n:], 0, atol=1e-9)
    ref = PrepareUniformSuperposition(n, cvs=(1,)).tensor_contract()
    np.testing.assert_allclose(u, ref, atol=1e-9)


@pytest.mark.parametrize("n", [2, 3, 5, 6])
def test_decomposition_call_graph_and_gate_level_census(n):
    b = ControlledUniformSuperposition(n)
    assert_valid_bloq_decomposition(b)
    assert_equivalent_bloq_counts(b, [ignore_split_join, ignore_alloc_free])
    census = gate_census(flatten_for_simulation(b))
    cost = get_cost_value(b, QECGatesCost())
    assert census.opaque == ()
    assert census.rotations == cost.rotation
    assert census.t == cost.t
    assert census.toffoli_like == cost.and_bloq + cost.toffoli + cost.cswap


def test_examples():
    assert_example_counts_pass(_controlled_uniform_superposition)
    assert_symbolic_example_cost_is_symbolic(_controlled_uniform_superposition_symb)


def test_symbolic_cost_equals_concrete_for_odd_n():
    # the symbolic form takes n = L (odd, K = 0), as Qualtran's PrepareUniformSuperposition
    symb = get_cost_value(_controlled_uniform_superposition_symb.make(), QECGatesCost())
    n = sympy.Symbol("n", positive=True, integer=True)
    for value in (3, 5, 7, 9):
        concrete = get_cost_value(ControlledUniformSuperposition(value), QECGatesCost())
        for field in ("and_bloq", "toffoli", "cswap", "t", "rotation", "measurement"):
            got = sympy.sympify(getattr(symb, field)).subs(n, value)
            assert got == getattr(concrete, field), (value, field)


@pytest.mark.parametrize("n", [1, 0, 2.5, True])
def test_bad_input_one_line_error(n):
    with pytest.raises(ValueError, match="n must be") as info:
        ControlledUniformSuperposition(n)
    assert "\n" not in str(info.value)
