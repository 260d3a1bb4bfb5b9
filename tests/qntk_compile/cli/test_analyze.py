"""Tests of ``qntk-compile analyze`` (through the real dispatcher ``main``)."""

import io
import json

import numpy as np
import pytest

from qntk_compile.classical import reference as R
from qntk_compile.classical.analysis import analyze
from qntk_compile.cli import main
from qntk_compile.cli.analyze import parse_sizes
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from qntk_compile.progress import Progress


def test_parse_sizes():
    assert parse_sizes("64") == [64]
    assert parse_sizes("16,32,64") == [16, 32, 64]
    assert parse_sizes("16:256") == [16, 32, 64, 128, 256]
    assert parse_sizes("10:50:20") == [10, 30, 50]


@pytest.fixture(scope="module")
def digits_result():
    ds = datasets.load("digits-8-9", seed=0)
    return analyze(ds, [16, 64, 256])


def test_digits_8_9_reports_three_accuracies_and_kappa_to_one(digits_result):
    rows = digits_result["sizes"]
    assert [r["n"] for r in rows] == [16, 64, 256]
    for r in rows:
        assert set(r["accuracy"]) == {"exact", "sparsified", "diagonal"}
        assert all(0 <= v <= 1 for v in r["accuracy"].values())
        assert r["max_nonzeros"] <= r["sparsity_cap"]
        assert r["post_selection_count_median"] >= 1
        assert r["readout_count_diagonal_median"] >= 1
    kap = [r["kappa_sparsified"] for r in rows]
    assert kap[0] > kap[1] > kap[2] >= 1 and kap[2] - 1 < 1e-6
    # the deep NTK classifies digits well at n = 256
    assert rows[-1]["accuracy"]["exact"] > 0.85
    assert "delta_fit" in digits_result and digits_result["delta_fit"]["a2"] > 0


def test_analyze_numbers_match_reference(digits_result):
    ds = datasets.load("digits-8-9", seed=0)
    X, y = ds.training(64)
    p = Problem.from_arrays(X, y, ds.X_test[0])
    pat = R.sparsity_pattern(p, "pseudorandom")
    preds = R.predictions(p, ds.X_test, pat)
    row = digits_result["sizes"][1]
    assert row["delta"] == pytest.approx(p.delta)
    assert row["depth"] == p.depth
    for key in ("exact", "sparsified", "diagonal"):
        assert row["accuracy"][key] == pytest.approx(R.accuracy(preds[key], ds.y_test))
    assert row["kappa_sparsified"] == pytest.approx(
        R.condition_number(R.sparsified_kernel_matrix(p, pat))
    )


def test_cli_json_and_out_dir(tmp_path, capsys):
    out = tmp_path / "res"
    code = main(
        ["analyze", "--dataset", "sphere", "--d", "6", "--n", "16,32", "--json", "--out", str(out)]
    )
    assert code == 0
    cap = capsys.readouterr()
    data = json.loads(cap.out)
    assert [r["n"] for r in data["sizes"]] == [16, 32]
    assert json.loads((out / "analyze.json").read_text()) == data
    assert (out / "analyze.png").stat().st_size > 1000
    # refuses a non-empty directory; --force replaces only its own files
    (out / "mine.txt").write_text("user data")
    assert main(["analyze", "--dataset", "sphere", "--n", "16", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err
    assert main(["analyze", "--dataset", "sphere", "--n", "16", "--out", str(out), "--force"]) == 0
    assert (out / "mine.txt").read_text() == "user data"
    assert "n" in capsys.readouterr().out


def test_cli_table_default_dataset(capsys):
    assert main(["analyze", "--n", "16"]) == 0
    out = capsys.readouterr().out
    assert "digits-8-9" in out and "acc exact" in out


def test_cli_data_file(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    y = np.where(X[:, 0] > 0, 1.0, -1.0)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    assert main(["analyze", "--data", str(tmp_path / "d.npz"), "--n", "8:32", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["n"] for r in data["sizes"]] == [8, 16, 32]


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--n", "1"], "--n"),
        (["--n", "abc"], "--n"),
        (["--n", "16:8"], "no size"),
        (["--n", "4096"], "exceeds"),
        (["--depth", "0"], "--depth"),
        (["--depth", "deep"], "--depth"),
        (["--dataset", "mnist"], "unknown data set"),
        (["--dataset", "sphere", "--data", "x.npz"], "not allowed with"),
        (["--data", "/nonexistent/file.npz"], "no such file"),
        (["--seed", "-1"], "--seed"),
        (["--n-test", "0"], "--n-test"),
        (["--sparsity", "0"], "--sparsity"),
        (["--labels", "l.idx"], "--labels needs --data"),
        (["--classes", "1,2"], "--classes"),
        (["--bogus"], "unrecognized"),
        (["--dataset", "sphere", "--d", "1"], "d must"),
    ],
)
def test_cli_errors_one_line_exit_2(argv, match, capsys):
    assert main(["analyze", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and match in err, err
    assert "Traceback" not in err


def test_cli_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["analyze", "--n", "16", "--out", str(f)]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_cli_out_cannot_be_created(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["analyze", "--n", "16", "--out", str(f / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out: cannot create" in err, err


def test_cli_closed_stdout_pipe_is_not_an_error():
    """`qntk-compile analyze --json | true`: no BrokenPipeError traceback, exit 0."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "qntk_compile", "analyze", "--n", "4", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before the JSON is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_cli_huge_depth_finishes(capsys):
    """--depth 10^9: the kernel recursion stops at its exact fixed point instead of looping."""
    import time

    t0 = time.perf_counter()
    assert main(["analyze", "--dataset", "sphere", "--n", "8", "--depth", "1000000000"]) == 0
    assert time.perf_counter() - t0 < 30
    assert "1000000000" in capsys.readouterr().out


def test_cli_bad_data_file(tmp_path, capsys):
    np.savez(tmp_path / "d.npz", X=np.eye(4), y=[0, 1, 2, 3])
    assert main(["analyze", "--data", str(tmp_path / "d.npz"), "--n", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "binary" in err


def test_progress_bar():
    buf = io.StringIO()
    with Progress(total=3, label="t", stream=buf, delay=0.0, enabled=True) as bar:
        for i in range(3):
            bar.advance(note=f"i={i}")
    text = buf.getvalue()
    assert "\r" in text and "3/3" in text and text.endswith("\n") and "t [" in text
    silent = io.StringIO()  # not a TTY: silent by default
    with Progress(total=2, stream=silent, delay=0.0) as bar:
        bar.advance()
    assert silent.getvalue() == ""
    late = io.StringIO()  # short runs print nothing before the delay
    with Progress(total=2, stream=late, delay=60.0, enabled=True) as bar:
        bar.advance()
    assert late.getvalue() == ""
    with pytest.raises(ValueError):
        Progress(total=-1)
