"""End to end at gate level: SparsifiedNTK on n = 4, d = 4 (sphere, seed 29, test point 1, depth 3).

This instance is also the shallow case where the **diagonal NTK's sign is wrong** and the
sparsified one right: exact prediction +0.098, sparsified +0.117, diagonal −0.154 (large
off-diagonal kernel entries at depth 3). Knobs: amplitude_bits 4, phase_bits 2,
median_copies 1, kernel_bits 4, s = 3 (circulant), qlsa_epsilon 0.1: κ(K̃) = 2.54,
κ_eff = 3.11, minimax degree 9; 22 qubits, ~5,200 gates, ~30 s to build and simulate.
"""

import numpy as np
import pytest

from qntk_compile.assembly.sparsified import build_sparsified_ntk, discretised_sparsified_reference
from qntk_compile.classical import reference as R
from qntk_compile.classical.discretised_reference import reference_for_problem
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from qntk_compile.simulation.runner import simulate_bloq

TOL = 1e-4  # complex64 simulation over ~5,000 gates


def _problem(depth=3, **knobs):
    ds = datasets.load("sphere", n=4, d=4, seed=29, n_test=3)
    X, y = ds.training(4)
    kn = dict(
        amplitude_bits=4,
        phase_bits=2,
        median_copies=1,
        kernel_bits=4,
        sparsity=3,
        qlsa_epsilon=0.1,
    )
    kn.update(knobs)
    return Problem.from_arrays(X, y, ds.X_test[1], depth=depth, **kn)


@pytest.fixture(scope="module")
def problem():
    return _problem()


@pytest.fixture(scope="module")
def bloq(problem):
    return build_sparsified_ntk(problem)


@pytest.fixture(scope="module")
def reference(problem, bloq):
    return discretised_sparsified_reference(problem, bloq)


def test_diagonal_sign_wrong_sparsified_right_classically(problem):
    pred = R.predictions(problem)
    assert np.sign(pred["exact"]) == np.sign(pred["sparsified"]) == 1
    assert np.sign(pred["diagonal"]) == -1
    # the off-diagonal kernel entries are large at this depth
    K = R.kernel_matrix(problem)
    assert np.max(np.abs(K - np.eye(4))) > 0.3


def test_discretised_reference_sign_and_solver(reference):
    assert reference.sign == reference.sign_exact == 1
    assert reference.fidelity > 0.99
    assert 1 <= reference.kappa <= reference.kappa_eff < 4


@pytest.mark.slow
def test_gate_level_readout_matches_reference(bloq, reference):
    res = simulate_bloq(bloq, max_qubits=30)
    assert res.qubits <= 30
    m = res.marginal("ancilla", "flag", "qlsa_ancilla")[:, 0, 0]
    p_flags = float(m.sum())
    p_readout = float(m[0]) / p_flags
    assert p_readout == pytest.approx(reference.p_readout, abs=TOL)
    assert p_flags == pytest.approx(reference.p_flags, abs=TOL)
    assert np.sign(p_readout - 0.5) == reference.sign_exact
    assert res.ancilla_leak < 1e-5
    assert res.norm == pytest.approx(1.0, abs=TOL)


@pytest.mark.slow
def test_gate_level_diagonal_ntk_gets_the_sign_wrong_here():
    # phase_bits 4 resolves the test kernel well enough for the diagonal circuit to show the
    # diagonal NTK's (wrong) sign; the sparsified discretised reference keeps the right one.
    from qntk_compile.assembly.diagonal import build_diagonal_ntk

    problem = _problem(phase_bits=4)
    res = simulate_bloq(build_diagonal_ntk(problem), max_qubits=30)
    m = res.marginal("ancilla", "flag")[:, 0]
    p_readout = float(m[0] / m.sum())
    assert p_readout == pytest.approx(reference_for_problem(problem).p_readout, abs=TOL)
    assert p_readout < 0.5  # diagonal: wrong sign
    sparsified = discretised_sparsified_reference(problem, build_sparsified_ntk(problem))
    assert sparsified.sign == sparsified.sign_exact == np.sign(R.exact_prediction(problem)) == 1


@pytest.mark.parametrize("pattern", ["pseudorandom", "circulant"])
def test_both_patterns_build_and_solve_at_n8(pattern):
    ds = datasets.load("sphere", n=8, d=4, seed=29, n_test=3)
    X, y = ds.training(8)
    problem = Problem.from_arrays(
        X,
        y,
        ds.X_test[1],
        depth=8,
        amplitude_bits=4,
        phase_bits=2,
        median_copies=1,
        kernel_bits=5,
        sparsity=3,
        qlsa_epsilon=0.05,
        sparsity_pattern=pattern,
    )
    bloq = build_sparsified_ntk(problem)
    ref = discretised_sparsified_reference(problem, bloq)
    assert ref.fidelity > 0.99
    assert ref.sign == ref.sign_exact
    assert 1 <= bloq.kappa <= bloq.kappa_eff
    assert bloq.qlsa_degree % 2 == 1
