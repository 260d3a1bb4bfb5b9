"""``qntk-compile reproduce`` and its statistics (Poisson bootstrap, log vs power fits)."""

import json

import numpy as np
import pytest

from qntk_compile.cli import main
from resource_estimates.law_fits import bootstrap_weights, fit_laws, weighted_median


def test_weighted_median_equals_median_of_repeated_values():
    rng = np.random.default_rng(1)
    v = rng.standard_normal(37)
    W = bootstrap_weights(37, 50, seed=3)
    got = weighted_median(v, W)
    want = [np.median(np.repeat(v, w)) for w in W]
    np.testing.assert_allclose(got, want)
    assert weighted_median(v, np.ones(37, int)) == np.median(v)


def _replicates(truth, ns, sigma, B=400, seed=0):
    rng = np.random.default_rng(seed)
    ns = np.asarray(ns, float)
    return truth(ns) + sigma * rng.standard_normal((B, ns.size))


@pytest.mark.parametrize("kind", ["log", "power"])
def test_fit_laws_tells_log_from_power(kind):
    ns = [16, 32, 64, 128, 256, 512]
    truth = (lambda n: 3 + 4 * np.log(n)) if kind == "log" else (lambda n: 0.5 * n**0.6)
    reps = _replicates(truth, ns, 0.05)
    fits = fit_laws(ns, truth(np.asarray(ns, float)), reps)
    other = "power" if kind == "log" else "log"
    assert fits[kind]["p_value"] > 0.05 and fits[other]["p_value"] < 1e-6
    if kind == "log":
        lo, hi = fits["log"]["b_ci95"]
        assert lo < 4 < hi
    else:
        lo, hi = fits["power"]["alpha_ci95"]
        assert lo < 0.6 < hi


def test_reproduce_quick_writes_every_figure_and_a_verdict_per_claim(tmp_path, capsys):
    pytest.importorskip("mlxtend")
    pytest.importorskip("matplotlib")
    out = tmp_path / "rep"
    argv = ["reproduce", "--quick", "--n", "16,32", "--sphere-n", "16,32,64", "--out", str(out)]
    assert main([*argv, "--replicates", "50"]) == 0
    table = capsys.readouterr().out
    for name in ("fig1a", "fig1b", "fig2a", "fig2b", "figS1", "figS2", "figS3"):
        assert (out / f"{name}.png").stat().st_size > 1000
    result = json.loads((out / "reproduce.json").read_text())
    figures = {c["figure"] for c in result["claims"]}
    assert figures == {"1a", "1b", "2a", "2b", "S1", "S2", "S3a", "S3b"}
    assert all(
        c["verdict"] in ("reproduced", "not reproduced", "not comparable") and c["reason"]
        for c in result["claims"]
    )
    assert (out / "reproduce.md").read_text() == table
    f1a = result["figures"]["fig1a"]
    assert f1a["n"] == [16, 32] and all(e > 0 for e in f1a["err2sigma"])
    # two sizes: no degrees of freedom to test a law
    assert result["claims"][0]["verdict"] == "not comparable"
    # a non-empty output directory is refused without --force
    assert main(argv) == 2
    assert "--force" in capsys.readouterr().err


def test_reproduce_bad_input_one_line_exit_2(tmp_path, capsys):
    out = str(tmp_path / "o")
    assert main(["reproduce", "--n", "16", "--out", out]) == 2
    assert "two distinct sizes" in capsys.readouterr().err
    assert main(["reproduce", "--dataset", "mnist-3-3", "--quick", "--out", out]) == 2
    err = capsys.readouterr().err
    assert "two different digits" in err and err.count("\n") == 1
