"""Tests of the classical reference (independent recomputation from ntk_value, closed forms)."""

import math

import numpy as np
import pytest

from qntk_compile.classical import reference as R
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem, separability
from qntk_compile.data.sparsity import CirculantPattern, PseudorandomPattern
from qntk_compile.kernel.ntk import ntk_diagonal, ntk_value


def _problem(n=12, d=6, seed=0, **kw):
    ds = datasets.sphere(n, d=d, seed=seed, n_test=5)
    X, y = ds.training(n)
    return Problem.from_arrays(X, y, ds.X_test[0], **kw), ds


def _raw(problem):
    """Raw (unnormalised) kernel objects computed entry by entry with ntk_value."""
    Xr = problem.X_real
    L = problem.depth
    K = np.array([[ntk_value(float(np.clip(a @ b, -1, 1)), L) for b in Xr] for a in Xr])
    k = np.array([ntk_value(float(np.clip(problem.x_test @ b, -1, 1)), L) for b in Xr])
    return K, k


def test_kernel_matrix_and_predictions_match_raw_kernel():
    p, _ = _problem(depth=6)
    K, k = _raw(p)
    np.testing.assert_allclose(R.kernel_matrix(p), K / ntk_diagonal(6), rtol=1e-12)
    pred = R.predictions(p, pattern=CirculantPattern.from_sparsity(p.n_padded, 3))
    assert pred["exact"] == pytest.approx(k @ np.linalg.solve(K, p.y_real), rel=1e-9)
    assert pred["diagonal"] == pytest.approx(k @ p.y_real / ntk_diagonal(6), rel=1e-12)
    assert R.exact_prediction(p) == pytest.approx(pred["exact"])
    assert R.diagonal_prediction(p) == pytest.approx(pred["diagonal"])
    # sparsified with a full pattern is exact; with the diagonal only it is the diagonal NTK
    full = CirculantPattern.from_sparsity(p.n_padded, p.n_padded)
    assert R.sparsified_prediction(p, pattern=full) == pytest.approx(pred["exact"], rel=1e-10)
    diag = CirculantPattern.from_sparsity(p.n_padded, 1)
    assert R.sparsified_prediction(p, pattern=diag) == pytest.approx(pred["diagonal"], rel=1e-12)
    # explicit sparsification by the mask
    pat = PseudorandomPattern.from_seed(p.n_padded, 5, seed=3)
    m = pat.mask()[: p.n, : p.n]
    Kt = K * m
    assert R.sparsified_prediction(p, pattern=pat) == pytest.approx(
        k @ np.linalg.solve(Kt, p.y_real), rel=1e-9
    )


def test_test_kernel_vector_post_selection_and_readout():
    p, _ = _problem(n=12, depth=5, delta_hat=0.05)
    _, k = _raw(p)
    kmax = ntk_value(0.95, 5)
    assert R.k_max(p) == pytest.approx(kmax)
    assert R.k_max_normalized(p) == pytest.approx(kmax / ntk_diagonal(5))
    kv = R.test_kernel_vector(p)
    assert kv.shape == (16,)
    np.testing.assert_allclose(kv[:12], np.clip(k / kmax, -1, 1), rtol=1e-10)
    # padding rows are orthogonal to x*: k = k̂(0)/k_max
    np.testing.assert_allclose(kv[12:], ntk_value(0.0, 5) / kmax, rtol=1e-10)
    P = float(np.sum(kv**2))
    assert R.post_selection_probability(p) == pytest.approx(P / 16)
    assert R.post_selection_count(p) == pytest.approx(16 / P)
    o = R.readout_overlap(p)
    assert o == pytest.approx(kv @ p.y / (math.sqrt(P) * math.sqrt(12)))
    assert R.readout_count(p) == pytest.approx(1 / o**2)
    # sign of the diagonal readout = sign of the diagonal prediction
    assert np.sign(o) == np.sign(R.diagonal_prediction(p))
    # sparsified readout: v = K̃_pad^{-1} y has zeros on padding rows
    Kp = R.padded_sparsified_kernel_matrix(p)
    v = np.linalg.solve(Kp, p.y)
    assert np.all(v[12:] == 0)
    os_ = R.readout_overlap(p, "sparsified")
    assert os_ == pytest.approx(kv @ v / (np.linalg.norm(kv) * np.linalg.norm(v)))
    assert np.sign(os_) == np.sign(R.sparsified_prediction(p))
    with pytest.raises(ValueError, match="which"):
        R.readout_overlap(p, "other")


def test_clipping_when_test_point_is_closer_than_delta_hat():
    p, _ = _problem(n=8, depth=4, delta_hat=0.5)
    p = p.with_test_point(p.X_real[2, : p.d])
    kv = R.test_kernel_vector(p)
    assert kv[2] == 1.0 and np.all(np.abs(kv) <= 1)


def test_summarize_batch_counts_match_per_point_functions():
    p, ds = _problem(n=16, d=6, depth=8)
    s = R.summarize(p, ds.X_test, ds.y_test, patterns=("pseudorandom", "circulant"))
    post = [R.post_selection_count(p.with_test_point(x)) for x in ds.X_test]
    pat = R.sparsity_pattern(p, "pseudorandom")
    rd = [R.readout_count(p.with_test_point(x)) for x in ds.X_test]
    rs = [R.readout_count(p.with_test_point(x), "sparsified", pat) for x in ds.X_test]
    assert s["post_selection_count_median"] == pytest.approx(np.median(post))
    assert s["readout_count_diagonal_median"] == pytest.approx(np.median(rd))
    assert s["readout_count_sparsified_median"] == pytest.approx(np.median(rs))
    preds = R.predictions(p, ds.X_test, pat)
    assert s["accuracy"]["exact"] == R.accuracy(preds["exact"], ds.y_test)
    assert s["kappa_exact"] == pytest.approx(np.linalg.cond(R.kernel_matrix(p)))
    assert s["sparsified"]["circulant"]["max_nonzeros"] == p.sparsity


def test_kappa_bounds_at_lconv_corollaries_I10_II6():
    p, _ = _problem(n=32, d=10, seed=4, depth="conv")
    n = p.n
    bound = (1 + 1 / n) / (1 - 1 / n)
    assert 1 <= R.condition_number(R.kernel_matrix(p)) <= bound
    for kind in ("circulant", "pseudorandom"):
        Kt = R.sparsified_kernel_matrix(p, R.sparsity_pattern(p, kind))
        assert 1 <= R.condition_number(Kt) <= bound
        assert R.max_nonzeros(Kt) <= p.sparsity
        np.testing.assert_allclose(Kt, Kt.T)


def test_fit_power_law_recovers_exact_and_noisy_laws():
    ns = 2.0 ** np.arange(4, 12)
    fit = R.fit_power_law(ns, 0.73 * ns**-0.43)
    assert fit["a1"] == pytest.approx(0.73) and fit["a2"] == pytest.approx(0.43)
    assert fit["r2"] == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    noisy = 2.0 * ns**-0.6 * np.exp(0.05 * rng.standard_normal(ns.size))
    fit = R.fit_power_law(ns, noisy)
    assert abs(fit["a2"] - 0.6) < 4 * fit["a2_stderr"] and 0.9 < fit["r2"] < 1
    for bad in [([1], [1]), ([1, 2], [1]), ([1, 2], [0.1, -0.1]), ([4, 4], [0.1, 0.2])]:
        with pytest.raises(ValueError, match="fit_power_law"):
            R.fit_power_law(*bad)


def test_delta_power_law_on_sphere_d10_reproduces_paper_exponent():
    """δ(n) on S^9, n = 64 … 4096: the paper fits δ ≈ 0.73·n^-0.43 (Fig. S1) and Lemma IV.1
    predicts a2 = 4/(d−1) = 0.444. δ is an extreme-value statistic (Weibull, shape 4.5), so we
    average log δ over seeded repetitions per n. Tolerance: |a2 − 0.444| ≤ 0.05 (≈ 2.5 standard
    errors of this design); a 40-repetition run gives a2 = 0.452 ± 0.012, a1 = 0.74."""
    reps = {64: 12, 128: 12, 256: 12, 512: 8, 1024: 4, 2048: 3, 4096: 2}
    ns, mean_log = [], []
    for n, r in reps.items():
        logs = []
        for i in range(r):
            ds = datasets.sphere(n, d=10, seed=10_000 + 100 * n + i, n_test=0)
            logs.append(math.log(separability(ds.X_pool)[0]))
        ns.append(n)
        mean_log.append(np.mean(logs))
    fit = R.fit_power_law(ns, np.exp(mean_log))
    assert abs(fit["a2"] - 4 / 9) <= 0.05, fit
    assert 0.5 <= fit["a1"] <= 1.1, fit
    assert fit["r2"] >= 0.95, fit


def test_kappa_sparsified_decreases_towards_one_on_digits():
    ds = datasets.load("digits-8-9", seed=0)
    kappas = []
    for n in (16, 64, 256):
        X, y = ds.training(n)
        p = Problem.from_arrays(X, y, ds.X_test[0])
        kappas.append(
            R.condition_number(R.sparsified_kernel_matrix(p, R.sparsity_pattern(p, "pseudorandom")))
        )
    assert kappas[0] > kappas[1] > kappas[2] >= 1
    assert kappas[2] < 1.01


def test_accuracy_and_helpers_validation():
    assert R.accuracy([0.5, -0.2, 0.0], [1, -1, 1]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="match"):
        R.accuracy([1, 2], [1])
    assert R.condition_number(np.diag([1.0, 0.0])) == math.inf
    assert R.max_nonzeros(np.array([[1, 0, 2], [0, 0, 1], [3, 3, 3]])) == 3
    p, _ = _problem()
    with pytest.raises(ValueError, match="x_test"):
        R.predictions(p, np.ones((2, 3)))
    with pytest.raises(ValueError, match="x_test"):
        R.predictions(p, np.zeros((2, p.d)))
    with pytest.raises(ValueError, match="pattern size"):
        R.sparsified_kernel_matrix(p, CirculantPattern.from_sparsity(4, 3))
    with pytest.raises(ValueError, match="sparsity pattern"):
        R.sparsity_pattern(p, "banded")


def test_raw_kernel_matrix_and_pattern_shorthands():
    from qntk_compile.data.sparsity import circulant_pattern, pseudorandom_pattern

    p, _ = _problem(n=8, depth=4)
    np.testing.assert_allclose(
        R.kernel_matrix(p, normalized=False), R.kernel_matrix(p) * ntk_diagonal(4), rtol=1e-12
    )
    assert circulant_pattern(8, 3) == CirculantPattern.from_sparsity(8, 3)
    assert pseudorandom_pattern(8, 3, seed=1) == PseudorandomPattern.from_seed(8, 3, seed=1)
