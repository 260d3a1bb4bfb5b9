"""GroverIterate and its hand-written controlled version vs -A S_0 A^dagger S_chi built in numpy."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.amplitude_estimation.grover_iterate import (
    _GROVER_ITERATE_DOC,
    GroverIterate,
    _grover_iterate,
)
from bloqs.inner_product._example_preps import ToyRowPrep, example_symbolic_preps
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from tests.bloqs.amplitude_estimation.helpers import (
    assert_doc_examples_ok,
    generalize_data_angles,
    non_clifford,
    substitute,
)


def _reference_q(a: np.ndarray, n_pass: int, good: np.ndarray) -> np.ndarray:
    """-A S_0 A^dag S_chi; S_0 reflects |0> of the non-passthrough (low-order) qubits."""
    dim = a.shape[0]
    rest = dim // n_pass
    s0 = np.eye(dim)
    for i in range(n_pass):
        s0[i * rest, i * rest] = -1
    s_chi = np.diag(np.where(good, -1.0, 1.0))
    return -a @ s0 @ a.conj().T @ s_chi


@pytest.mark.parametrize("good_value", [0, 1])
def test_q_matches_reference_with_passthrough(good_value):
    rng = np.random.default_rng(5)
    rows = rng.normal(size=(2, 4))
    prep = ToyRowPrep.from_matrix(rows)
    # index passes through; good = low qubit of `target` has value good_value -> use HTO flag
    x = rng.normal(size=(1, 4))
    a_bloq = HadamardTestOverlap(prep, ToyRowPrep.from_matrix(x))
    q = GroverIterate(a_bloq, good_value=good_value)
    a = a_bloq.tensor_contract()
    good = (np.arange(16) % 2) == good_value  # flag is the last qubit
    ref = _reference_q(a, 2, good)
    u = q.tensor_contract()
    np.testing.assert_allclose(u, ref, atol=1e-10)
    cu = q.controlled().tensor_contract()
    np.testing.assert_allclose(cu[:16, :16], np.eye(16), atol=1e-10)
    np.testing.assert_allclose(cu[16:, 16:], u, atol=1e-10)
    np.testing.assert_allclose(cu[:16, 16:], 0, atol=1e-10)


def test_no_passthrough_reflects_everything():
    a_bloq = ToyRowPrep.from_matrix(np.array([[0.6, 0.8], [0.8, -0.6]]))
    q = GroverIterate(a_bloq, good_register="target", passthrough=())
    ref = _reference_q(a_bloq.tensor_contract(), 1, np.arange(4) % 2 == 1)
    np.testing.assert_allclose(q.tensor_contract(), ref, atol=1e-10)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.83])
def test_eigenphases(p):
    a_bloq = ToyRowPrep.from_matrix([[np.sqrt(1 - p), np.sqrt(p)]])
    ev = np.linalg.eigvals(GroverIterate(a_bloq, good_register="target").tensor_contract())
    theta = np.arcsin(np.sqrt(p))
    np.testing.assert_allclose(sorted(np.angle(ev)), [-2 * theta, 2 * theta], atol=1e-10)


def test_doubly_controlled():
    a_bloq = ToyRowPrep.from_matrix([[0.6, 0.8]])
    q = GroverIterate(a_bloq, good_register="target")
    u = q.tensor_contract()
    ccu = q.controlled().controlled().tensor_contract()
    expect = np.eye(8, dtype=complex)
    expect[6:, 6:] = u
    np.testing.assert_allclose(ccu, expect, atol=1e-10)
    get_cost_value(q.controlled().controlled(), QECGatesCost())


def test_decomposition_and_counts():
    for bloq in (_grover_iterate.make(), _grover_iterate.make().controlled()):
        assert_valid_bloq_decomposition(bloq)
        assert_equivalent_bloq_counts(bloq, ignore_split_join)


def test_controlled_costs_no_more_toffolis():
    q = _grover_iterate.make()
    c_plain = get_cost_value(q, QECGatesCost())
    c_ctrl = get_cost_value(q.controlled(), QECGatesCost())
    assert c_ctrl.and_bloq + c_ctrl.toffoli == c_plain.and_bloq + c_plain.toffoli
    assert c_ctrl.t == c_plain.t
    assert c_ctrl.rotation == c_plain.rotation
    assert q.controlled() == GroverIterate(q.state_prep, is_controlled=True)


def test_symbolic_cost_matches_concrete():
    symb = GroverIterate(HadamardTestOverlap(*example_symbolic_preps()), is_controlled=True)
    t = sympy.Symbol("t", positive=True, integer=True)
    cost = non_clifford(get_cost_value(symb, QECGatesCost()))
    rng = np.random.default_rng(2)
    for tb in (1, 2, 3):
        a = HadamardTestOverlap(
            ToyRowPrep.from_matrix(rng.normal(size=(2, 2**tb))),
            ToyRowPrep.from_matrix(rng.normal(size=(1, 2**tb))),
        )
        conc = GroverIterate(a, is_controlled=True)
        cc = get_cost_value(conc, QECGatesCost(), generalizer=generalize_data_angles)
        assert non_clifford(cc) == substitute(cost, {t: tb})


def test_bad_inputs():
    a = HadamardTestOverlap(*example_symbolic_preps())
    with pytest.raises(ValueError, match="not a register"):
        GroverIterate(a, good_register="nope")
    with pytest.raises(ValueError, match="single qubit"):
        GroverIterate(a, good_register="target")
    with pytest.raises(ValueError, match="passthrough"):
        GroverIterate(a, passthrough=("flag",))
    with pytest.raises(ValueError, match="good_value"):
        GroverIterate(a, good_value=2)
    with pytest.raises(ValueError, match="not a register"):
        GroverIterate(Hadamard())


@pytest.mark.parametrize("doc", [_GROVER_ITERATE_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)
