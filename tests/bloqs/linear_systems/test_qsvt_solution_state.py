"""QSVTSolutionState: simulated vs p(block)|b⟩; the controlled version (off = identity)."""

import numpy as np
import pytest
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.linear_systems.qsvt_solution_state import (
    QSVTSolutionState,
    _example_parts,
    _qsvt_solution_state,
)
from bloqs.ntk.sparsified_ntk import implemented_block
from qntk_compile.classical.discretised_reference import loaded_state
from qntk_compile.simulation.runner import simulate_bloq


@pytest.fixture(scope="module")
def bloq():
    return _qsvt_solution_state.make()


def _expected(bloq):
    _, be, _ = _example_parts()
    y = loaded_state([1.0, -1.0, 1.0, 1.0], 4)
    return qsvt_matrix_function(bloq.phases, implemented_block(be)).real @ y


@pytest.mark.parametrize("controlled", [False, True])
def test_decomposition_and_counts(bloq, controlled):
    b = bloq.controlled() if controlled else bloq
    assert_valid_bloq_decomposition(b)
    assert_equivalent_bloq_counts(b, [ignore_split_join, ignore_alloc_free])


def test_success_branch_is_the_polynomial_of_the_block(bloq):
    res = simulate_bloq(bloq, return_state=True)
    probs = res.marginal("index", "qlsa_ancilla")[:, 0]
    np.testing.assert_allclose(probs, _expected(bloq) ** 2, atol=1e-5)
    assert res.ancilla_leak < 1e-6


@pytest.mark.parametrize("ctrl", [0, 1])
def test_controlled_version(bloq, ctrl):
    res = simulate_bloq(bloq.controlled(), initial={"ctrl": ctrl})
    probs = res.marginal("ctrl", "index", "qlsa_ancilla")[ctrl]
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)
    if ctrl == 0:  # identity: index and qlsa_ancilla stay |0>
        assert probs[0, 0] == pytest.approx(1.0, abs=1e-5)
    else:
        np.testing.assert_allclose(probs[:, 0], _expected(bloq) ** 2, atol=1e-5)


def test_one_controlled_block_encoding_call(bloq):
    cg = bloq.controlled().build_call_graph(None)
    cbe = bloq.block_encoding.controlled()
    assert cg[cbe] == 1
    assert cg[bloq.block_encoding] + cg[bloq.block_encoding.adjoint()] == bloq.degree - 1


def test_bad_prepare():
    _, be, _ = _example_parts()
    from qualtran.bloqs.basic_gates import Hadamard

    with pytest.raises(ValueError, match="single register"):
        QSVTSolutionState(be, Hadamard(), (0.1,))


@pytest.mark.parametrize("controlled", [False, True])
def test_symbolic_degree_cost_equals_concrete_at_three_degrees(controlled):
    import sympy
    from qualtran.resource_counting import QECGatesCost, get_cost_value
    from qualtran.symbolics import Shaped

    from bloqs.linear_systems.qsvt_solution_state import _qsvt_solution_state_symb

    symb = _qsvt_solution_state_symb.make()
    symb = symb.controlled() if controlled else symb
    cost = get_cost_value(symb, QECGatesCost())
    d = sympy.Symbol("d", positive=True, integer=True)
    _, be, label = _example_parts()
    rng = np.random.default_rng(1)
    for degree in (3, 5, 9):
        bloq = QSVTSolutionState(be, label, tuple(rng.uniform(0.1, 1.0, degree)))
        bloq = bloq.controlled() if controlled else bloq
        concrete = get_cost_value(bloq, QECGatesCost())
        for field in ("and_bloq", "cswap", "rotation"):
            value = sympy.sympify(getattr(cost, field)).subs(d, degree)
            assert int(value) == getattr(concrete, field), field
    assert get_cost_value(QSVTSolutionState(be, label, Shaped((7,))), QECGatesCost())
