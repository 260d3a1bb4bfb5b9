"""QSVT and its projector phase: tensor contraction vs the classical polynomial of the block."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.bloqs.block_encoding import Unitary
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.simulation.tensor import bloq_to_dense
from qualtran.symbolics import Shaped
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.linear_systems.projector_phase import (
    ZeroProjectorPhase,
    _zero_projector_phase,
    _zero_projector_phase_symb,
)
from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.linear_systems.qsvt import QSVT, _qsvt, _qsvt_symb
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)
from tests.bloqs.linear_systems.dense_block_encoding import dense_block_encoding


@pytest.mark.parametrize("m", [1, 2, 3])
def test_projector_phase_tensor(m):
    psi = 0.37
    u = ZeroProjectorPhase(m, psi).tensor_contract()
    diag = []
    for anc in range(2**m):
        for q in (0, 1):
            sign = (1 if anc == 0 else -1) * (1 if q == 0 else -1)
            diag.append(np.exp(1j * psi * sign))
    np.testing.assert_allclose(u, np.diag(diag), atol=1e-12)
    v = ZeroProjectorPhase(m, psi).adjoint().tensor_contract()
    np.testing.assert_allclose(u @ v, np.eye(2 ** (m + 1)), atol=1e-12)
    # the custom (leaf) tensor used by tensor_contract(full_flatten=False) = the decomposition's
    leaf = bloq_to_dense(ZeroProjectorPhase(m, psi), full_flatten=False)
    np.testing.assert_allclose(leaf, u, atol=1e-12)


def _block(bloq, n_sys, m_total):
    u = bloq.tensor_contract().reshape(2**n_sys, 2**m_total, 2**n_sys, 2**m_total)
    return u[:, 0, :, 0]


@pytest.mark.parametrize(
    "seed, n_sys, m, hermitian",
    [(0, 1, 1, True), (1, 2, 1, False), (2, 2, 2, True), (3, 1, 2, False)],
)
def test_qsvt_block_is_real_part_of_polynomial(seed, n_sys, m, hermitian):
    rng = np.random.default_rng(seed)
    dim = 2**n_sys
    a = rng.normal(size=(dim, dim)) + (0 if hermitian else 1j) * rng.normal(size=(dim, dim))
    if hermitian:
        a = a + a.T  # indefinite symmetric
    be = dense_block_encoding(a, ancilla_bits=m, seed=seed)
    phases = tuple(rng.uniform(-np.pi, np.pi, size=5))
    qsvt = QSVT(be, phases)
    got = _block(qsvt, n_sys, m + 1)
    want = qsvt_matrix_function(phases, a / be.alpha)
    np.testing.assert_allclose(got, want, atol=1e-9)
    if hermitian:  # for Hermitian A and odd P the block is Re P(A/α), eigenvalue by eigenvalue
        from bloqs.linear_systems.qsp_phases import reflection_response

        w, v = np.linalg.eigh(a / be.alpha)
        p = np.sign(w) * reflection_response(phases, np.abs(w)).real
        np.testing.assert_allclose(got, (v * p) @ v.conj().T, atol=1e-9)


def test_qsvt_implements_given_chebyshev_polynomial():
    rng = np.random.default_rng(7)
    a = rng.normal(size=(4, 4))
    a = a + a.T
    be = dense_block_encoding(a, ancilla_bits=1, seed=7)
    c = [0, 0.5, 0, -0.25, 0, 0.1]
    qsvt = QSVT.from_chebyshev(be, c)
    w, v = np.linalg.eigh(a / be.alpha)
    want = (v * np.polynomial.chebyshev.chebval(w, c)) @ v.T
    np.testing.assert_allclose(_block(qsvt, 2, 2), want, atol=1e-9)


@pytest.mark.parametrize("d", [1, 3, 7])
def test_queries_and_counts(d):
    be = dense_block_encoding(np.diag([0.5, -0.3]), ancilla_bits=1, seed=d)
    qsvt = QSVT(be, tuple(np.linspace(0.1, 0.9, d)))
    assert qsvt.queries == d
    counts = qsvt.bloq_counts()
    assert counts[be] == (d + 1) // 2
    assert counts.get(be.adjoint(), 0) == (d - 1) // 2
    assert sum(v for k, v in counts.items() if isinstance(k, ZeroProjectorPhase)) == d
    assert_valid_bloq_decomposition(qsvt)
    assert_equivalent_bloq_counts(qsvt, generalizer=ignore_split_join)


def test_symbolic_cost_equals_concrete():
    d = sympy.Symbol("d", positive=True, integer=True)
    be = Unitary(Hadamard(), ancilla_bitsize=1)
    symb = get_cost_value(QSVT.from_degree(be, d), QECGatesCost())
    for dv in (1, 5, 11):
        conc = get_cost_value(QSVT(be, tuple(np.linspace(0.1, 0.5, dv))), QECGatesCost())
        assert sympy.sympify(symb.rotation).subs(d, dv) == conc.rotation == dv
        assert sympy.sympify(symb.clifford).subs(d, dv) == conc.clifford
        assert sympy.sympify(symb.toffoli + symb.and_bloq).subs(d, dv) == (
            conc.toffoli + conc.and_bloq
        )


def test_symbolic_ancilla_cost():
    m = sympy.Symbol("m", positive=True, integer=True)
    symb = get_cost_value(ZeroProjectorPhase(m, sympy.Symbol("psi")), QECGatesCost())
    for mv in (2, 3, 5):
        conc = get_cost_value(ZeroProjectorPhase(mv, 0.2), QECGatesCost())
        assert sympy.sympify(symb.and_bloq + symb.toffoli).subs(m, mv) == (
            conc.and_bloq + conc.toffoli
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda: QSVT(Unitary(Hadamard(), ancilla_bitsize=1), (0.1, 0.2)),
        lambda: QSVT(Unitary(Hadamard(), ancilla_bitsize=1), ()),
        lambda: QSVT(Unitary(Hadamard()), (0.1,)),
        lambda: QSVT(Unitary(Hadamard(), ancilla_bitsize=1), (float("nan"),)),
        lambda: QSVT(Unitary(Hadamard(), ancilla_bitsize=1), Shaped((4,))),
        lambda: ZeroProjectorPhase(0, 0.1),
        lambda: ZeroProjectorPhase(1, float("inf")),
        lambda: QSVT.from_chebyshev(Unitary(Hadamard(), ancilla_bitsize=1), [0.1, 0, 0.5]),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("ex", [_qsvt, _zero_projector_phase], ids=lambda e: e.name)
def test_bloq_examples_counts_pass(ex):
    assert_example_counts_pass(ex)


@pytest.mark.parametrize("ex", [_qsvt_symb, _zero_projector_phase_symb], ids=lambda e: e.name)
def test_symbolic_examples_cost(ex):
    assert_symbolic_example_cost_is_symbolic(ex)


def test_adjoint_inverts():
    be = dense_block_encoding(np.diag([0.5, -0.3]), ancilla_bits=1, seed=4)
    qsvt = QSVT(be, (0.2, -0.4, 0.7))
    u, v = qsvt.tensor_contract(), qsvt.adjoint().tensor_contract()
    np.testing.assert_allclose(v @ u, np.eye(u.shape[0]), atol=1e-10)
