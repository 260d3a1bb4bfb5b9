"""End to end: the gate-level DiagonalNTK, simulated, against the discretised and exact references.

Instance: 4 training points on the circle (sphere data, d = 2, seed 2), NTK depth 3,
amplitude_bits = 5, phase_bits = 3, median_copies = 1, kernel_bits = 4: 18 qubits, ~3,300 gates,
a few seconds to build and simulate. (At the paper's default depth ⌈L_conv/10⌉ = 35–69 for n = 4
the exact diagonal prediction is ~1e-5 and 3 phase bits cannot resolve its sign; see
``test_discretised_sign_can_differ_from_exact_and_the_circuit_follows_it``.)
The amplitude-estimation phases are not on the grid here, so the scratch registers keep a
garbage leak of ~3 % that the discretised reference predicts.

Tolerance 1e-4 on probabilities: the discretised reference is exact (floating point), so the only
difference is the simulator's complex64 arithmetic: relative rounding ~6e-8 per gate, accumulated
over ~3,300 gates (≲ 2e-4 in the worst case, observed ~1e-6).
"""

import numpy as np
import pytest
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value

from qntk_compile.assembly.diagonal import build_diagonal_ntk
from qntk_compile.classical import reference as R
from qntk_compile.classical.discretised_reference import reference_for_problem
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from qntk_compile.jobs.simulate import simulate_problem
from qntk_compile.simulation.runner import build_circuit, simulate_bloq

TOL = 1e-4

pytestmark = pytest.mark.slow


def _problem(seed=2, depth=3, **knobs):
    ds = datasets.load("sphere", n=4, d=2, seed=seed, n_test=1)
    X, y = ds.training(4)
    kn = dict(amplitude_bits=5, phase_bits=3, median_copies=1, kernel_bits=4)
    kn.update(knobs)
    return Problem.from_arrays(X, y, ds.X_test[0], depth=depth, **kn)


@pytest.fixture(scope="module")
def problem():
    return _problem()


@pytest.fixture(scope="module")
def result(problem):
    return simulate_problem(problem)


def test_simulated_readout_matches_discretised_reference(result):
    assert result["qubits"] <= 30
    assert result["p_readout_simulated"] == pytest.approx(result["p_readout_reference"], abs=TOL)
    assert result["p_success_simulated"] == pytest.approx(result["p_success_reference"], abs=TOL)
    assert result["norm"] == pytest.approx(1.0, abs=TOL)


def test_sign_agrees_with_exact_ntk(result, problem):
    exact = np.sign(R.diagonal_prediction(problem))
    assert exact != 0
    assert result["sign_simulated"] == exact == result["sign_reference"]
    assert result["sign_discretised"] == exact


def test_garbage_leak_is_the_predicted_one(result):
    # Internal ancillas (And targets, QROM/angle registers) return to |0> exactly ...
    assert result["ancilla_leak"] < 1e-5
    # ... the scratch registers keep exactly the leak the discretised reference predicts.
    assert result["leak_reference"] > 1e-3
    assert result["leak_simulated"] == pytest.approx(result["leak_reference"], abs=TOL)


def test_discretisation_moves_the_answer(result):
    # A check that the comparison is not trivially with the ideal value: the finite precision
    # moves p_readout by far more than the tolerance.
    assert abs(result["p_readout_reference"] - result["p_readout_ideal"]) > 100 * TOL


def test_counts_of_the_simulated_circuit_equal_qec_gates_cost(problem):
    bloq = build_diagonal_ntk(problem)
    census = build_circuit(bloq).census
    cost = get_cost_value(bloq, QECGatesCost())
    assert census.toffoli_like == cost.and_bloq + cost.toffoli + cost.cswap
    assert census.rotations == cost.rotation
    assert census.t == cost.t
    assert not census.opaque
    assert census.gates > census.toffoli_like + census.rotations


def test_cirq_and_qsim_agree_and_width_is_reasonable(problem, result):
    pytest.importorskip("qsimcirq")
    bloq = build_diagonal_ntk(problem)
    res = simulate_bloq(bloq, simulator="cirq")
    joint = res.marginal("ancilla", "flag")
    p_readout = joint[0, 0] / (joint[0, 0] + joint[1, 0])
    assert p_readout == pytest.approx(result["p_readout_simulated"], abs=TOL)
    assert res.qubits == result["qubits"]
    # Qualtran's own peak-width estimate is a lower bound of what the greedy allocation reaches.
    assert get_cost_value(bloq, QubitCount()) <= res.qubits <= 30


def test_negative_prediction():
    # Another instance whose exact diagonal prediction is negative: the readout follows it.
    p = _problem(seed=4)
    exact = np.sign(R.diagonal_prediction(p))
    assert exact == -1
    res = simulate_problem(p)
    assert res["p_readout_simulated"] == pytest.approx(res["p_readout_reference"], abs=TOL)
    assert res["p_readout_simulated"] < 0.5
    assert res["sign_simulated"] == exact


def test_discretised_sign_can_differ_from_exact_and_the_circuit_follows_it():
    # Seed 1 at the paper's default depth (L = 48): the exact prediction is +1.1e-5, too small for
    # 3 phase bits. The discretised reference predicts the wrong sign, and the circuit reproduces
    # the discretised value, not the ideal one: the reference models the circuit.
    p = _problem(seed=1, depth=None)
    assert p.depth == 48
    ref = reference_for_problem(p)
    assert np.sign(R.diagonal_prediction(p)) == 1 and ref.sign == -1
    res = simulate_problem(p)
    assert res["p_readout_simulated"] == pytest.approx(ref.p_readout, abs=TOL)
    assert res["sign_simulated"] == -1


def test_amplified_kernel_branch(problem):
    # DiagonalNTK with one Grover round on the kernel flag (AmplifiedTestKernel): the flag-0 part
    # is scaled by sin(3θ)/sin θ, sin²θ = Pr(flag = 0), exactly as the reference models it.
    res = simulate_problem(problem, amplification_rounds=1)
    assert res["knobs"]["amplification_rounds"] == 1
    assert res["counts_match_cost"]
    assert res["p_readout_simulated"] == pytest.approx(res["p_readout_reference"], abs=TOL)
    assert res["p_success_simulated"] == pytest.approx(res["p_success_reference"], abs=TOL)
    assert res["leak_simulated"] == pytest.approx(res["leak_reference"], abs=TOL)
    plain = reference_for_problem(problem)
    assert abs(res["p_success_reference"] - plain.p_success) > 0.1  # amplification did something


def test_three_copy_median_end_to_end():
    # k = 3 amplitude-estimation copies, folded and median-ed coherently, inside the full
    # DiagonalNTK. Only m = 1 phase bit fits: n = 2, d = 2 gives 20 qubits (21 with the
    # reference build, where m = 2 needs 35).
    ds = datasets.load("sphere", n=2, d=2, seed=0, n_test=1)
    X, y = ds.training(2)
    knobs = dict(amplitude_bits=3, phase_bits=1, kernel_bits=2)
    p3 = Problem.from_arrays(X, y, ds.X_test[0], depth=3, median_copies=3, **knobs)
    p1 = Problem.from_arrays(X, y, ds.X_test[0], depth=3, median_copies=1, **knobs)
    res = simulate_problem(p3)
    assert res["qubits"] <= 30
    assert res["p_readout_simulated"] == pytest.approx(res["p_readout_reference"], abs=TOL)
    assert res["p_success_simulated"] == pytest.approx(res["p_success_reference"], abs=TOL)
    assert res["leak_simulated"] == pytest.approx(res["leak_reference"], abs=TOL)
    assert res["ancilla_leak"] < 1e-5
    # the median matters: one copy would give a different readout
    assert abs(reference_for_problem(p1).p_readout - res["p_readout_reference"]) > 100 * TOL
