"""QSVT linear solver: post-selected state vs A⁻¹y, success probability, queries, costs."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Hadamard, Ry
from qualtran.bloqs.block_encoding import Unitary
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.linear_systems.qsp_phases import qsvt_matrix_function
from bloqs.linear_systems.qsvt_linear_solver import (
    QSVTLinearSolver,
    _qsvt_linear_solver,
    _qsvt_linear_solver_symb,
    inverse_polynomial,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)
from tests.bloqs.linear_systems.dense_block_encoding import (
    dense_block_encoding,
    dense_state_prep,
)


def _run(solver, n_sys):
    """Post-selected (success = 1) system state and success probability, by tensor contraction."""
    m = solver.qsvt.ancilla_bitsize
    psi = solver.tensor_contract()[:, 0].reshape(2**n_sys, 2**m, 2)
    # success = 1 exactly when the ancilla is all zero (flag computed from it)
    assert np.allclose(psi[:, 1:, 1], 0, atol=1e-10) and np.allclose(psi[:, 0, 0], 0, atol=1e-10)
    x = psi[:, 0, 1]
    return x / np.linalg.norm(x), float(np.linalg.norm(x) ** 2)


def _spd(n, seed, shift):
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(n, n))
    return m @ m.T / n + shift * np.eye(n), rng.normal(size=n)


def _check(a, y, be, poly, n_sys):
    solver = QSVTLinearSolver.from_polynomial(be, dense_state_prep(y), poly)
    state, p_success = _run(solver, n_sys)
    target = np.linalg.solve(a, y)
    fidelity = abs(np.vdot(target / np.linalg.norm(target), state)) ** 2
    y_unit = y / np.linalg.norm(y)
    predicted = np.linalg.norm(qsvt_matrix_function(solver.phases, a / be.alpha) @ y_unit) ** 2
    assert fidelity >= 0.99
    assert np.isclose(p_success, predicted, rtol=1e-8, atol=1e-12)
    # and the prediction is scale²‖(A/α)⁻¹y‖² to the polynomial's relative error
    ideal = poly.scale**2 * np.linalg.norm(np.linalg.solve(a / be.alpha, y_unit)) ** 2
    assert abs(p_success / ideal - 1) <= 2.5 * poly.error
    assert solver.queries == solver.degree == poly.degree
    counts = solver.qsvt.bloq_counts()
    assert counts[be] + counts.get(be.adjoint(), 0) == poly.degree
    return fidelity, p_success


@pytest.mark.parametrize("n, seed, ancilla", [(4, 0, 1), (4, 1, 2), (8, 2, 1)])
def test_random_spd_minimax(n, seed, ancilla):
    a, y = _spd(n, seed, shift=0.5)
    be = dense_block_encoding(a, ancilla_bits=ancilla, seed=seed)
    kappa_eff = 1 / np.linalg.eigvalsh(a / be.alpha).min()
    poly = inverse_polynomial("minimax", kappa_eff, 1e-2)
    _check(a, y, be, poly, int(np.log2(n)))


def test_random_spd_cks():
    a, y = _spd(4, 5, shift=1.0)
    be = dense_block_encoding(a, ancilla_bits=1, seed=5)
    kappa_eff = 1 / np.linalg.eigvalsh(a / be.alpha).min()
    poly = inverse_polynomial("cks", kappa_eff, 1e-2)
    _check(a, y, be, poly, 2)


@pytest.mark.parametrize("eps, degree", [(1e-2, 1), (1e-4, 3)])
def test_identity_plus_small_signed_e_neumann(eps, degree):
    """K̃-like A = I + E, E symmetric with signed entries, ‖E‖ = γ small: Neumann degree 1 or 3."""
    rng = np.random.default_rng(11)
    e = rng.normal(size=(4, 4))
    e = e + e.T
    np.fill_diagonal(e, 0)
    gamma = 0.004
    e *= gamma / np.linalg.norm(e, 2)
    a, y = np.eye(4) + e, rng.normal(size=4)
    alpha = 1.02 * (1 + gamma)
    be = dense_block_encoding(a, ancilla_bits=1, seed=11, alpha=alpha)
    poly = inverse_polynomial(
        "neumann", (1 + gamma) / (1 - gamma), eps, center=1 / alpha, gamma=gamma
    )
    assert poly.degree == degree
    _check(a, y, be, poly, 2)


def test_decomposition_and_counts():
    a, y = _spd(4, 0, shift=1.0)
    be = dense_block_encoding(a, seed=0)
    poly = inverse_polynomial("minimax", 1 / np.linalg.eigvalsh(a / be.alpha).min(), 1e-2)
    solver = QSVTLinearSolver.from_polynomial(be, dense_state_prep(y), poly)
    assert_valid_bloq_decomposition(solver)
    assert_equivalent_bloq_counts(solver, generalizer=ignore_split_join)


def test_symbolic_cost_equals_concrete():
    be, prep = Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.3)
    d = sympy.Symbol("d", positive=True, integer=True)
    symb = get_cost_value(QSVTLinearSolver.from_degree(be, prep, d), QECGatesCost())
    for dv in (1, 3, 9):
        conc = get_cost_value(
            QSVTLinearSolver(be, prep, tuple(np.linspace(0.1, 1.0, dv))), QECGatesCost()
        )
        for field in ("rotation", "clifford", "and_bloq", "toffoli"):
            assert sympy.sympify(getattr(symb, field)).subs(d, dv) == getattr(conc, field)


@pytest.mark.parametrize(
    "call",
    [
        lambda: QSVTLinearSolver(
            Unitary(Hadamard(), ancilla_bitsize=1), Hadamard().controlled(), (0.1,)
        ),
        lambda: inverse_polynomial("hhl", 2.0, 1e-2),
        lambda: inverse_polynomial("cks", 2.0, 1e-2, degree=5),
        lambda: inverse_polynomial("minimax", 0.5, 1e-2),
        lambda: inverse_polynomial("minimax", 2.0, 2.0),
        lambda: inverse_polynomial("minimax", 5.0, 1e-3, degree=7),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_bloq_example_counts_pass():
    assert_example_counts_pass(_qsvt_linear_solver)


def test_symbolic_example_cost():
    assert_symbolic_example_cost_is_symbolic(_qsvt_linear_solver_symb)


def test_symbolic_cks_solver_queries_equal_concrete_degree():
    from bloqs.linear_systems.inverse_polynomials import cks_degree

    be, prep = Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.3)
    k, e = sympy.symbols("kappa epsilon", positive=True)
    symb = QSVTLinearSolver.from_degree(be, prep, cks_degree(k, e))
    calls = symb.qsvt.bloq_counts()
    for kv, ev in ((1.5, 1e-2), (2.0, 1e-3), (3.0, 1e-2)):
        poly = inverse_polynomial("cks", kv, ev)
        assert sympy.sympify(symb.queries).subs({k: kv, e: ev}) == poly.degree
        n_calls = sympy.sympify(calls[be] + calls[be.adjoint()]).subs({k: kv, e: ev})
        assert n_calls == poly.degree


def test_sparsified_ntk_of_a_real_problem():
    """K̃ of a sphere problem (n = 8, depth 4, circulant sparsity 3; κ ≈ 3.66), y = the labels."""
    from qntk_compile.classical.reference import padded_sparsified_kernel_matrix
    from qntk_compile.data.datasets import sphere
    from qntk_compile.data.problem import Problem

    ds = sphere(8, d=4, seed=1, n_test=1)
    problem = Problem.from_arrays(
        ds.X_pool, ds.y_pool, ds.X_test[0], depth=4, sparsity=3, sparsity_pattern="circulant"
    )
    k_tilde = padded_sparsified_kernel_matrix(problem)
    assert np.any(k_tilde[~np.eye(8, dtype=bool)] < 0)  # signed off-diagonal entries
    be = dense_block_encoding(k_tilde, ancilla_bits=1, seed=3)
    kappa_eff = 1 / np.linalg.eigvalsh(k_tilde / be.alpha).min()
    poly = inverse_polynomial("minimax", kappa_eff, 1e-2)
    _check(k_tilde, problem.y.astype(float), be, poly, 3)


def test_auto_method_choices():
    neumann = inverse_polynomial("auto", 1.01, 1e-2, center=0.9, gamma=0.004)
    assert (neumann.method, neumann.degree) == ("neumann", 1)
    small = inverse_polynomial("auto", 2.0, 1e-2)
    assert (small.method, small.degree) == ("chebyshev", 9)
    assert small.degree == inverse_polynomial("minimax", 2.0, 1e-2).degree
    big = inverse_polynomial("auto", 12.0, 1e-2)
    assert (big.method, big.degree) == ("chebyshev", 63)
    near = inverse_polynomial("auto", 1.0001, 1e-2)  # no window: Neumann on [1/κ, 1]
    assert (near.method, near.degree) == ("neumann", 1)
    wide = inverse_polynomial("auto", 1.5, 1e-3, center=0.7, gamma=0.2)  # Neumann 2K+1 = 9
    assert wide.degree == min(
        inverse_polynomial("neumann", 1.5, 1e-3, center=0.7, gamma=0.2).degree,
        inverse_polynomial("minimax", 1.5, 1e-3).degree,
    )
    with pytest.raises(ValueError, match="optimal"):
        inverse_polynomial("chebyshev", 2.0, 1e-2, degree=7)
    with pytest.raises(ValueError, match="auto"):
        inverse_polynomial("auto", 2.0, 1e-2, degree=9)
