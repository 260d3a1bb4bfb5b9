"""``qntk-compile simulate --variant sparsified``: the gate-level SparsifiedNTK on the default n = 4
instance (sphere d = 2, seed 18, depth 3: κ_eff 2.70, QLSA ε 0.073 from the margin |o| = 0.293,
Chebyshev degree 9; 20 qubits, ~3,900 gates, ~7 s) against its same-discretisation reference, and
one-line errors (exit 2) on bad input."""

import contextlib
import io
import json

import numpy as np
import pytest

from qntk_compile.assembly.sparsified import solver_spectrum, state_fidelity
from qntk_compile.classical import reference as R
from qntk_compile.cli import main
from qntk_compile.jobs.simulation_request import SimulationRequest

TOL = 1e-5  # complex64 state vector over ~3,900 gates

DIAGONAL_KEYS = {
    "p_readout_simulated",
    "sign_simulated",
    "p_success_simulated",
    "leak_simulated",
    "p_readout_reference",
    "p_readout_ideal",
    "sign_reference",
    "sign_discretised",
    "p_success_reference",
    "p_success_ideal",
    "leak_reference",
    "diagonal_prediction_exact",
    "qubits",
    "gates",
    "knobs",
}
SPARSIFIED_KEYS = {
    "solution_fidelity",
    "kappa",
    "kappa_eff",
    "qlsa_degree",
    "qlsa_success_probability",
}


def _run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["simulate", "--variant", "sparsified", "--json", *argv]) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def result():
    return _run()


@pytest.fixture(scope="module")
def problem():
    return SimulationRequest.from_options({"variant": "sparsified"}).problem


def test_json_has_the_diagonal_keys_and_the_qlsa_ones(result):
    assert DIAGONAL_KEYS | SPARSIFIED_KEYS <= set(result)
    assert result["variant"] == "sparsified" and result["n_padded"] == 4
    assert result["qubits"] <= 30
    k = result["knobs"]
    assert (k["sparsity"], k["sparsity_pattern"]) == (3, "circulant")
    assert (result["depth"], result["dataset"]) == (3, "sphere-d2")
    # ε from the margin: 2ε = |o|/2, o the circuit's exact readout overlap
    o = result["qlsa_plan"]["overlap"]
    assert k["qlsa_epsilon"] == result["qlsa_plan"]["qlsa_epsilon"] == pytest.approx(abs(o) / 4)


def test_simulation_equals_the_same_discretisation_reference(result):
    r = result
    assert r["p_readout_simulated"] == pytest.approx(r["p_readout_reference"], abs=TOL)
    assert r["p_success_simulated"] == pytest.approx(r["p_success_reference"], abs=TOL)
    assert r["p_flags_simulated"] == pytest.approx(r["p_flags_reference"], abs=TOL)
    assert r["qlsa_success_probability"] == pytest.approx(
        r["qlsa_success_probability_reference"], abs=TOL
    )
    assert r["leak_simulated"] == pytest.approx(r["leak_reference"], abs=TOL)
    assert r["solution_fidelity"] == pytest.approx(r["solution_fidelity_reference"], abs=TOL)
    assert r["solution_fidelity"] >= 0.99
    assert r["sign_simulated"] == r["sign_discretised"] == r["sign_reference"]
    assert r["solution_imaginary_norm"] < 1e-5


def test_qlsa_quantities_are_consistent(result):
    r = result
    assert 1 <= r["kappa"] <= r["kappa_eff"]
    assert r["alpha"] >= 1  # alpha = d + (s-1) o with unit diagonal
    assert r["qlsa_degree"] >= 1 and r["qlsa_degree"] % 2 == 1
    assert 0 < r["qlsa_success_probability"] <= 1


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--qlsa-epsilon", "1.5"], "qlsa_epsilon"),
        (["--qlsa-epsilon", "0"], "qlsa_epsilon"),
        (["--sparsity", "5"], "sparsity"),
        (["--sparsity-pattern", "hexagonal"], "sparsity_pattern"),
        (["--amplification-rounds", "1"], "takes no option"),
    ],
)
def test_bad_input_one_line_exit_2(capsys, argv, needle):
    assert main(["simulate", "--variant", "sparsified", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


def test_sparsified_knob_refused_by_the_diagonal_variant(capsys):
    assert main(["simulate", "--qlsa-epsilon", "0.1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a knob of variant 'diagonal'" in err, err


def test_gate_level_census_equals_qec_gates_cost(result):
    # every leaf is gate level (no allow_opaque) and the census is the cost model's count
    r = result
    assert r["counts_match_cost"] is True
    assert r["rotations"] == r["rotations_cost"]
    assert r["toffoli_like"] == r["toffoli_like_cost"]


def test_default_instance_solve_matters(result):
    # kappa_eff >= 2 and a degree > 1: the polynomial is not the identity
    assert result["kappa_eff"] >= 2
    assert result["qlsa_degree"] >= 5
    assert result["qlsa_method"] == "chebyshev"


def test_identity_or_degree_one_solver_fails_the_solution_check(result, problem):
    # the check the simulation passes (fidelity >= 0.99 with the exact K~^-1 y) is failed by the
    # label itself (identity solver) and by K~ y (a degree-1 polynomial p(x) = x)
    x = np.asarray(result["solution_exact"])
    kt = R.padded_sparsified_kernel_matrix(problem)
    assert result["solution_fidelity"] >= 0.99
    assert state_fidelity(problem.y, x) < 0.95
    assert state_fidelity(kt @ problem.y, x) < 0.9


def test_signed_amplitudes_of_the_solution(result):
    # entry by entry, signs included: the simulated V equals the discretised V and is close to
    # the exact x (a global sign flip of V would fail both)
    u = np.asarray(result["solution_simulated"])
    assert u == pytest.approx(np.asarray(result["solution_reference"]), abs=1e-4)
    assert float(u @ np.asarray(result["solution_exact"])) > 0.99
    assert np.max(np.abs(u - np.asarray(result["solution_exact"]))) < 0.02
    # the kernel branch, the sign's reference, is the reference's kernel amplitudes
    s = np.asarray(result["kernel_simulated"])
    assert s == pytest.approx(np.asarray(result["kernel_reference"]), abs=1e-4)
    assert result["kernel_sign_overlap"] == pytest.approx(1.0, abs=1e-6)
    # the readout's sign is that of <S|V>
    assert np.sign(s @ u) == result["sign_simulated"] == -1


def test_qlsa_error_cannot_flip_the_sign(result):
    q = result["qlsa_plan"]
    assert q["epsilon_from"] == "margin" and q["sign_safe"] is True
    # the built polynomial's measured error is within the chosen epsilon, and 2 error < |o| / 2
    assert result["qlsa_relative_error"] <= q["qlsa_epsilon"]
    assert 2 * result["qlsa_relative_error"] <= abs(q["overlap"]) / 2
    assert q["relative_error"] == pytest.approx(result["qlsa_relative_error"], rel=1e-6)


def test_plan_only_with_failure_probability(capsys):
    assert (
        main(
            [
                "simulate",
                "--variant",
                "sparsified",
                "--failure-probability",
                "0.1",
                "--plan-only",
                "--json",
            ]
        )
        == 0
    )
    plan = json.loads(capsys.readouterr().out)["error_budget"]
    assert plan["readout_shots"] is None and "not bounded" in plan["readout"]
    q = plan["qlsa"]
    assert plan["qlsa_epsilon"] == q["qlsa_epsilon"] and q["sign_safe"] is True
    assert q["epsilon_from"] == "margin"
    assert q["overlap_error_bound"] <= abs(q["overlap"]) / 2
    # every component together (kernel state, label through the solver, the QLSA's 2 epsilon)
    # stays inside the sparsified readout's margin; the QLSA's share is 2 epsilon
    assert plan["overlap"] == pytest.approx(q["overlap"])
    assert plan["overlap_error"] < abs(plan["overlap"])
    assert plan["components"]["qlsa"]["allocated"] == pytest.approx(2 * q["qlsa_epsilon"])
    # the kernel bits were planned, and kappa_eff was taken at them
    assert plan["kernel_bits"] > 4 and plan["kappa_eff_planned"] >= q["kappa_eff"]
    assert (
        main(["simulate", "--variant", "sparsified", "--failure-probability", "0.1", "--plan-only"])
        == 0
    )
    text = capsys.readouterr().out
    assert "QLSA: epsilon=" in text and "sign safe" in text


def test_indefinite_kernel_refused_in_one_line(capsys):
    # sphere seed 2 at depth 3: K~ is indefinite
    opts = {"variant": "sparsified", "seed": 2}
    problem = SimulationRequest.from_options({"variant": "sparsified"}).problem
    assert solver_spectrum(problem)["lambda_min"] > 0  # the default instance is not
    assert main(["simulate", "--variant", "sparsified", "--seed", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "indefinite" in err and "smallest eigenvalue -0.2031" in err
    with pytest.raises(ValueError, match="indefinite"):
        SimulationRequest.from_options(opts)


def test_global_sign_is_fixed_by_the_kernel_branch(result):
    # the state's global phase is arbitrary: (S, V) -> (-S, -V) must give back the same signed V
    from qntk_compile.variants.sparsified import combine

    flipped = {
        "kernel_simulated": [-x for x in result["kernel_simulated"]],
        "solution_simulated": [-x for x in result["solution_simulated"]],
    }
    fixed = combine(flipped, result)
    assert fixed["solution_simulated"] == pytest.approx(result["solution_simulated"])
    assert fixed["kernel_sign_overlap"] > 0.99
