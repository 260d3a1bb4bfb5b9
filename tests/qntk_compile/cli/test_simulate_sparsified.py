"""``qntk-compile simulate --variant sparsified``: the gate-level SparsifiedNTK on the default n = 4
instance (20 qubits, ~1,600 gates, a few seconds) against its same-discretisation reference, and
one-line errors (exit 2) on bad input."""

import json

import pytest

from qntk_compile.cli import main

TOL = 1e-5  # complex64 state vector over ~1,600 gates

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


@pytest.fixture(scope="module")
def result():
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["simulate", "--variant", "sparsified", "--json"]) == 0
    return json.loads(out.getvalue())


def test_json_has_the_diagonal_keys_and_the_qlsa_ones(result):
    assert DIAGONAL_KEYS | SPARSIFIED_KEYS <= set(result)
    assert result["variant"] == "sparsified" and result["n_padded"] == 4
    assert result["qubits"] <= 30
    k = result["knobs"]
    assert (k["sparsity"], k["qlsa_epsilon"], k["sparsity_pattern"]) == (3, 0.1, "circulant")


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
