"""Tests of ``qntk-compile simulate`` (qntk_compile.cli.simulate)."""

import json

import numpy as np
import pytest

from qntk_compile.cli import main

REQUIRED = (
    "qubits",
    "seconds",
    "p_readout_simulated",
    "p_readout_reference",
    "sign_simulated",
    "sign_reference",
    "p_success_simulated",
    "p_success_reference",
    "gates",
)
TOL = 1e-4  # complex64 state vector vs the exact discretised reference (see test_end_to_end.py)

pytestmark = pytest.mark.slow


def _run_json(capsys, argv):
    assert main(argv) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1  # exactly one JSON object
    return json.loads(out[0])


def _check(result):
    for key in REQUIRED:
        assert key in result, key
    assert result["qubits"] <= 30
    assert result["p_readout_simulated"] == pytest.approx(result["p_readout_reference"], abs=TOL)
    assert result["p_success_simulated"] == pytest.approx(result["p_success_reference"], abs=TOL)
    assert result["counts_match_cost"] is True
    assert result["gates"] > 0 and result["seconds"] >= 0


def test_sphere_json(capsys):
    r = _run_json(
        capsys,
        [
            "simulate",
            "--variant",
            "diagonal",
            "--dataset",
            "sphere",
            "--n",
            "4",
            "--seed",
            "3",
            "--depth",
            "3",
            "--json",
        ],
    )
    _check(r)
    assert r["n"] == 4 and r["d"] == 2 and r["depth"] == 3
    assert r["sign_simulated"] == r["sign_reference"]
    # Circuit-cache census and the state-vector prediction.
    assert 0 < r["cache_hit_rate"] < 1 and r["build_seconds"] >= 0
    assert 0 < r["distinct_sub_bloqs"] < r["sub_bloq_instances"]
    assert r["sub_bloq_census"]["RowAmplitudeLoader"]["distinct"] == 1
    assert r["predicted_seconds"] > 0


def test_digits_json(capsys):
    # 64 features: --features auto (the default) projects them to 2 principal directions.
    r = _run_json(capsys, ["simulate", "--dataset", "digits-0-1", "--n", "4", "--json"])
    _check(r)
    assert r["dataset"] == "digits-0-1" and r["d"] == 2
    assert r["features"] == 2 and r["d_original"] == 64
    assert r["sign_simulated"] == r["sign_reference"]


def test_explicit_features(capsys):
    r = _run_json(
        capsys,
        ["simulate", "--dataset", "sphere", "--d", "3", "--n", "4", "--features", "2", "--json"],
    )
    _check(r)
    assert r["features"] == 2 and r["d_original"] == 3 and r["d"] == 2


def test_too_many_gates_refused_before_building(capsys):
    err = _err(capsys, ["simulate", "--dataset", "digits-8-9", "--features", "none"])
    assert "gates" in err and "50,000" in err


def test_user_npz_with_padding(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "mine.npz"
    X = rng.normal(size=(3, 2))
    np.savez(path, X=X, y=np.array([1, 0, 1]), x_test=X[0] + 0.1)  # labels {0, 1} -> {-1, +1}
    r = _run_json(capsys, ["simulate", "--data", str(path), "--depth", "2", "--json"])
    _check(r)
    assert r["n"] == 3 and r["n_padded"] == 4  # a padding row with label 0
    assert r["d_padded"] == 4  # padding rows need a zero feature


def test_text_output(tmp_path, capsys):
    path = tmp_path / "four.npz"
    X = np.array([[1.0, 0.2], [0.3, 1.0], [-1.0, 0.4], [0.5, -1.0]])
    np.savez(path, X=X, y=np.array([1, 1, -1, -1]), x_test=np.array([[0.9, 0.5], [0.1, 1.0]]))
    assert main(["simulate", "--data", str(path), "--test-index", "1", "--depth", "2"]) == 0
    text = capsys.readouterr().out
    assert "p_readout" in text and "qubits" in text and "sign" in text


def _err(capsys, argv):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err  # one line, no traceback
    return captured.err


@pytest.mark.parametrize(
    "arrays,match",
    [
        (dict(X=np.ones((4, 2)), y=np.ones(4)), "must contain arrays 'X' and 'y' and 'x_test'"),
        (dict(X=np.ones((4, 2)), y=np.ones(3), x_test=np.ones(2)), "y has shape"),
        (dict(X=np.ones(4), y=np.ones(4), x_test=np.ones(2)), "2-D"),
        (dict(X=np.ones((4, 2)), y=np.ones(4), x_test=np.ones(3)), "x_test"),
        (dict(X=np.array([[1.0, np.nan], [0, 1]]), y=np.ones(2), x_test=np.ones(2)), "NaN"),
        (dict(X=np.eye(3), y=np.array([1.0, 2.0, 3.0]), x_test=np.ones(3)), "binary"),
        (dict(X=np.eye(2), y=np.array([1.0, -1.0]), x_test=np.zeros(2)), "zero"),
        (dict(X=np.eye(2), y=np.array(["a", "b"]), x_test=np.ones(2)), "numeric"),
    ],
)
def test_bad_files_are_one_line_exit_2(tmp_path, capsys, arrays, match):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    assert match in _err(capsys, ["simulate", "--data", str(path), "--json"])


def test_other_bad_inputs(tmp_path, capsys):
    assert "no such file" in _err(capsys, ["simulate", "--data", str(tmp_path / "none.npz")])
    (tmp_path / "x.npz").write_bytes(b"not a zip file")
    assert "npz" in _err(capsys, ["simulate", "--data", str(tmp_path / "x.npz")])
    # a .npy array saved under a .npz name, and an empty file: one line, not a traceback
    np.save(tmp_path / "arr.npy", np.ones(3))
    (tmp_path / "arr.npz").write_bytes((tmp_path / "arr.npy").read_bytes())
    assert "not an .npz archive" in _err(capsys, ["simulate", "--data", str(tmp_path / "arr.npz")])
    (tmp_path / "empty.npz").write_bytes(b"")
    assert "not an .npz archive" in _err(
        capsys, ["simulate", "--data", str(tmp_path / "empty.npz")]
    )
    (tmp_path / "d.csv").write_text("1,2,1\n")
    assert ".npz" in _err(capsys, ["simulate", "--data", str(tmp_path / "d.csv")])
    obj = tmp_path / "obj.npz"
    np.savez(obj, X=np.array([object()], dtype=object), y=np.ones(1), x_test=np.ones(1))
    assert "pickle" in _err(capsys, ["simulate", "--data", str(obj)])
    assert "odd" in _err(capsys, ["simulate", "--median-copies", "2"])
    assert "invalid choice" in _err(capsys, ["simulate", "--variant", "triangular"])
    assert "unknown data set" in _err(capsys, ["simulate", "--dataset", "mnist"])
    good = tmp_path / "good.npz"
    np.savez(good, X=np.eye(2), y=np.array([1.0, -1.0]), x_test=np.ones(2))
    assert "test point" in _err(capsys, ["simulate", "--data", str(good), "--test-index", "1"])
    assert "exceeds" in _err(capsys, ["simulate", "--data", str(good), "--n", "3"])
    assert "--features" in _err(capsys, ["simulate", "--data", str(good), "--features", "3"])


def test_over_wide_circuit_is_refused(capsys):
    err = _err(capsys, ["simulate", "--n", "4", "--max-qubits", "8", "--json"])
    assert "qubits" in err and "bytes" in err


def test_predicted_too_slow_is_refused(capsys):
    err = _err(capsys, ["simulate", "--n", "4", "--max-seconds", "1e-6", "--json"])
    assert "predicted" in err and "--max-seconds" in err


@pytest.mark.parametrize("access", ["select_swap", "bucket_brigade"])
def test_other_data_access(capsys, access):
    # the bucket brigade's routers and wires (2N qubits a query) make the circuit 7 qubits wider
    # than with QROM; 2 phase bits instead of 3 keep its simulation small
    knobs = ["--n", "4", "--depth", "3"] + (
        ["--phase-bits", "2"] if access == "bucket_brigade" else []
    )
    r = _run_json(capsys, ["simulate", *knobs, "--data-access", access, "--json"])
    _check(r)
    assert r["knobs"]["data_access"] == access
    assert r["ancilla_leak"] < 1e-5
    if access == "bucket_brigade":  # routers and CSWAPs, not QROM's unary iteration
        qrom = _run_json(capsys, ["simulate", *knobs, "--data-access", "qrom", "--json"])
        assert r["toffoli_like"] > qrom["toffoli_like"] and r["qubits"] > qrom["qubits"]


@pytest.mark.parametrize("extra", [[], ["--failure-probability", "0.01"]])
def test_huge_n_is_refused_from_n_and_d_before_any_quadratic_work(capsys, extra):
    """n = 2^20 rows: the width is known from n and d alone (QubitCount of the sizes-only bloq),
    so the refusal comes before the problem's O(n^2) separability (which took > 50 min)."""
    import time

    t0 = time.perf_counter()
    assert main(["simulate", "--n", "1048576", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n = 1048576" in err and "qubits" in err, err
    assert "not simulated" in err
    assert time.perf_counter() - t0 < 60  # ~1 s here after imports; generous for a loaded machine
