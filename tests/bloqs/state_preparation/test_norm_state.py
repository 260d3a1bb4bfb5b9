import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import (
    assert_equivalent_bloq_counts,
    assert_equivalent_bloq_example_counts,
    assert_valid_bloq_decomposition,
)

from bloqs.state_preparation.kp_tree import kp_tree_angles, quantized_tree_state
from bloqs.state_preparation.norm_state import (
    NormStatePreparation,
    _norm_state_preparation,
    _norm_state_preparation_symb,
)
from tests.bloqs.state_preparation.sim_utils import simulate_bloq

GEN = [ignore_split_join, ignore_alloc_free]


def _norm_state(X):
    norms = np.linalg.norm(X, axis=1)
    return norms / np.linalg.norm(norms)


@pytest.mark.parametrize("n, d", [(4, 3), (8, 2)])
def test_prepares_norm_state(n, d):
    X = np.random.default_rng(n).normal(size=(n, d)) * np.arange(1, n + 1)[:, None]
    X[1] = 0.0  # a padding row gets amplitude 0
    want = _norm_state(X)
    infid = {}
    for b in [3, 6, 10]:
        bloq = NormStatePreparation.from_matrix(X, b)
        assert_valid_bloq_decomposition(bloq)
        assert_equivalent_bloq_counts(bloq, generalizer=GEN)
        psi, leftover, _ = simulate_bloq(bloq)
        assert leftover < 1e-9
        exact = quantized_tree_state(kp_tree_angles(want, b), b)
        assert abs(np.vdot(exact, psi)) ** 2 > 1 - 1e-9
        assert abs(psi[1]) < 1e-12
        infid[b] = 1 - abs(np.vdot(want, psi)) ** 2
    print(f"\nNormStatePreparation n={n}: infidelity per amplitude_bits", infid)
    assert infid[10] < 1e-4


def test_controlled():
    X = np.array([[1.0, 2.0], [0.5, 0.0], [0.1, 0.1], [3.0, -1.0]])
    bloq = NormStatePreparation.from_matrix(X, 5)
    ctrl = bloq.controlled()
    assert isinstance(ctrl, NormStatePreparation) and ctrl.is_controlled
    U = ctrl.tensor_contract()
    np.testing.assert_allclose(U[:4, :4], np.eye(4), atol=1e-12)
    np.testing.assert_allclose(U[4:, 4:], bloq.tensor_contract(), atol=1e-12)
    psi, leftover, _ = simulate_bloq(ctrl, basis={"ctrl": 1})
    assert leftover < 1e-9 and abs(np.vdot(_norm_state(X), psi[4:])) ** 2 > 0.99


def test_symbolic_costs_equal_concrete():
    ns, bs = sympy.symbols("n b", positive=True, integer=True)
    symb = _norm_state_preparation_symb()
    gs, qs = get_cost_value(symb, QECGatesCost()), get_cost_value(symb, QubitCount())
    for n, b in [(4, 12), (8, 12), (16, 13)]:
        X = np.random.default_rng(n).normal(size=(n, 2))
        conc = NormStatePreparation.from_matrix(X, b)
        gc = get_cost_value(conc, QECGatesCost())
        assert sympy.sympify(gs.and_bloq).subs({ns: n, bs: b}) == gc.and_bloq
        assert sympy.sympify(qs).subs({ns: n, bs: b}) == get_cost_value(conc, QubitCount())


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros((4, 2)), "all zeros"),
        (np.array([[np.inf, 0.0], [1.0, 1.0]]), "non-finite"),
        (np.ones((3, 2)), "power of two"),
        (np.ones(4), "2D"),
    ],
)
def test_bad_input(X, match):
    with pytest.raises(ValueError, match=match):
        NormStatePreparation.from_matrix(X, 4)


def test_bad_angle_table_direct_construction():
    with pytest.raises(ValueError, match="must lie in"):
        NormStatePreparation(4, 3, "qrom", ((9,), (1, 1)))
    with pytest.raises(ValueError, match="2\\*\\*l words"):
        NormStatePreparation(4, 3, "qrom", ((1,), (1,)))
    assert NormStatePreparation(4, 3, "qrom", ((7,), (0, 1))).n == 4


def test_example():
    ex = _norm_state_preparation()
    psi, _, _ = simulate_bloq(ex)
    assert abs(psi[1]) < 1e-12


def test_bloq_example_counts_pass_qualtran_check():
    assert_equivalent_bloq_example_counts(_norm_state_preparation)
