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

from bloqs.state_preparation.angle_register_ry import (
    AngleRegisterRy,
    _angle_register_ry,
    _angle_register_ry_symb,
)

GEN = [ignore_split_join, ignore_alloc_free]


def _ry(t):
    return np.array([[np.cos(t / 2), -np.sin(t / 2)], [np.sin(t / 2), np.cos(t / 2)]])


@pytest.mark.parametrize("b", [1, 2, 3])
@pytest.mark.parametrize("rng_", [2 * np.pi, 4 * np.pi])
def test_unitary_matches_ry_of_register(b, rng_):
    bloq = AngleRegisterRy(b, rng_)
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, generalizer=GEN)
    U = bloq.tensor_contract()
    for k in range(2**b):
        np.testing.assert_allclose(
            U[2 * k : 2 * k + 2, 2 * k : 2 * k + 2], _ry(rng_ * k / 2**b), atol=1e-12
        )


@pytest.mark.parametrize("b", [1, 3])
def test_controlled_version_is_hand_written_and_correct(b):
    ctrl = AngleRegisterRy(b).controlled()
    assert isinstance(ctrl, AngleRegisterRy) and ctrl.is_controlled
    assert_valid_bloq_decomposition(ctrl)
    assert_equivalent_bloq_counts(ctrl, generalizer=GEN)
    U = ctrl.tensor_contract()
    dim = 2 ** (b + 1)
    np.testing.assert_allclose(U[:dim, :dim], np.eye(dim), atol=1e-12)
    for k in range(2**b):
        s = dim + 2 * k
        np.testing.assert_allclose(U[s : s + 2, s : s + 2], _ry(4 * np.pi * k / 2**b), atol=1e-12)
    # adjoint of the controlled is the controlled adjoint
    adj_c = AngleRegisterRy(b).adjoint().controlled()
    np.testing.assert_allclose(adj_c.tensor_contract(), U.conj().T, atol=1e-12)
    gc = get_cost_value(ctrl, QECGatesCost())
    assert gc.and_bloq == b and get_cost_value(ctrl, QubitCount()) == b + 3


def test_symbolic_cost_matches_concrete():
    bs = sympy.Symbol("b", positive=True, integer=True)
    symb = AngleRegisterRy(bs, is_controlled=True)
    for b in [2, 5, 9]:
        conc = get_cost_value(AngleRegisterRy(b, is_controlled=True), QECGatesCost())
        s = get_cost_value(symb, QECGatesCost())
        assert sympy.sympify(s.and_bloq).subs(bs, b) == conc.and_bloq == b
        # b + 1 rotations; Qualtran files the pi and pi/2 ones as Clifford and pi/4 as T
        assert sympy.sympify(s.rotation).subs(bs, b) == b + 1


def test_examples():
    assert _angle_register_ry().angle_bits == 3
    assert _angle_register_ry_symb().signature.n_qubits() == sympy.Symbol("b", positive=True) + 1


def test_bad_bits():
    with pytest.raises(ValueError, match="angle_bits"):
        AngleRegisterRy(0)


def test_bloq_example_counts_pass_qualtran_check():
    assert_equivalent_bloq_example_counts(_angle_register_ry)
