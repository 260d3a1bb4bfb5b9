"""Tests of qntk_compile.data.problem: validation, normalisation, padding, defaults."""

import math

import numpy as np
import pytest

from qntk_compile.data.problem import DEFAULT_KNOBS, Problem, next_power_of_two, separability
from qntk_compile.kernel.ntk import convergence_depth


def _data(n=6, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.where(rng.standard_normal(n) > 0, 1.0, -1.0)
    xt = rng.standard_normal(d)
    return X, y, xt


def test_normalises_pads_and_computes_delta():
    X, y, xt = _data(6, 5)
    p = Problem.from_arrays(3 * X, y, xt)
    assert (p.n, p.n_padded, p.d, p.d_padded) == (6, 8, 5, 8)
    assert p.X.shape == (8, 8) and p.y.shape == (8,) and p.x_test.shape == (8,)
    np.testing.assert_allclose(np.linalg.norm(p.X, axis=1), 1.0)
    assert np.linalg.norm(p.x_test) == pytest.approx(1.0)
    np.testing.assert_allclose(p.X[:6, :5], X / np.linalg.norm(X, axis=1, keepdims=True))
    assert np.all(p.X[:6, 5:] == 0)
    # padding rows: label 0, unit vectors orthogonal to the real rows and the test point
    assert np.all(p.y[6:] == 0) and set(p.y[:6]) <= {-1.0, 1.0}
    np.testing.assert_allclose(p.X[6:] @ p.X[:6].T, 0.0)
    np.testing.assert_allclose(p.X[6:] @ p.x_test, 0.0)
    # delta by brute force over real rows only
    Xn = p.X[:6]
    g = np.abs(Xn @ Xn.T)
    delta = min(1 - g[i, j] for i in range(6) for j in range(6) if i != j)
    assert p.delta == pytest.approx(delta)
    i, j = p.closest_pair
    assert 1 - abs(Xn[i] @ Xn[j]) == pytest.approx(delta)
    # arrays are read-only (immutable problem)
    with pytest.raises(ValueError):
        p.X[0, 0] = 2.0
    with pytest.raises(AttributeError):
        p.depth = 3


def test_power_of_two_sizes_need_no_padding():
    X, y, xt = _data(8, 4)
    p = Problem.from_arrays(X, y, xt)
    assert (p.n_padded, p.d_padded) == (8, 4)
    assert np.all(p.y != 0)


def test_n_padding_adds_a_zero_feature_when_d_is_a_power_of_two():
    X, y, xt = _data(5, 4)
    p = Problem.from_arrays(X, y, xt)
    assert (p.n_padded, p.d_padded) == (8, 8)
    np.testing.assert_allclose(p.X[5:] @ p.X[:5].T, 0.0)


def test_default_depth_and_options():
    X, y, xt = _data(6, 5)
    p = Problem.from_arrays(X, y, xt)
    lconv = convergence_depth(6, p.delta)
    assert p.depth == max(1, math.ceil(lconv / 10))
    assert Problem.from_arrays(X, y, xt, depth="conv").depth == math.ceil(lconv)
    assert Problem.from_arrays(X, y, xt, depth=3).depth == 3


def test_knob_defaults_and_overrides():
    X, y, xt = _data(6, 5)
    p = Problem.from_arrays(X, y, xt)
    for k, v in DEFAULT_KNOBS.items():
        if v is not None:
            assert getattr(p, k) == v
    assert p.delta_hat == p.delta
    assert 1 <= p.sparsity <= p.n_padded
    q = Problem.from_arrays(
        X,
        y,
        xt,
        amplitude_bits=5,
        phase_bits=4,
        median_copies=5,
        kernel_bits=6,
        delta_hat=0.01,
        sparsity=3,
        pattern_seed=7,
        qlsa_epsilon=0.1,
    )
    assert (q.amplitude_bits, q.phase_bits, q.median_copies, q.kernel_bits) == (5, 4, 5, 6)
    assert (q.delta_hat, q.sparsity, q.pattern_seed, q.qlsa_epsilon) == (0.01, 3, 7, 0.1)
    r = q.with_knobs(depth=4, sparsity=5)
    assert (r.depth, r.sparsity, r.phase_bits) == (4, 5, 4)
    t = p.with_test_point(np.ones(5))
    np.testing.assert_allclose(t.x_test[:5], np.ones(5) / math.sqrt(5))


def test_separability_blockwise_matches_bruteforce():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 3))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    g = np.abs(X @ X.T)
    np.fill_diagonal(g, -1)
    assert separability(X)[0] == pytest.approx(1 - g.max())


def test_next_power_of_two():
    assert [next_power_of_two(k) for k in [1, 2, 3, 4, 5, 64, 65]] == [1, 2, 4, 4, 8, 64, 128]


X0, Y0, T0 = _data(6, 5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"X": np.where(np.eye(6, 5) > 0, np.nan, X0)}, "X: contains NaN"),
        ({"X": np.where(np.eye(6, 5) > 0, np.inf, X0)}, "X: contains NaN or inf"),
        ({"X": X0[0]}, "X: must be a 2-D"),
        ({"X": X0[:1], "y": Y0[:1]}, "X: need at least 2"),
        ({"X": np.vstack([X0[:5], np.zeros(5)])}, "X: row 5 is zero"),
        ({"X": np.vstack([X0[:5], 2 * X0[1]])}, "X: rows .* duplicated"),
        ({"X": np.vstack([X0[:5], -X0[2]])}, "X: rows .* duplicated"),
        ({"X": [["a"] * 5] * 6}, "X: not a numeric"),
        ({"X": X0 + 1j}, "X: must be real"),
        ({"x_test": T0 * 1j}, "x_test: must be real"),
        ({"y": None}, "y: is required"),
        ({"x_test": None}, "x_test: is required"),
        ({"y": Y0[:5]}, "y: shape"),
        ({"y": np.array([1, 0, 1, -1, 1, -1])}, "y: labels must be -1 or \\+1"),
        ({"y": np.array([1, 2, 1, -1, 1, -1])}, "y: labels"),
        ({"y": np.array([1, np.nan, 1, -1, 1, -1])}, "y: contains NaN"),
        ({"x_test": T0[:4]}, "x_test: shape"),
        ({"x_test": np.zeros(5)}, "x_test: is the zero vector"),
        ({"x_test": np.full(5, np.inf)}, "x_test: contains NaN"),
        ({"depth": 0}, "depth must be an integer >= 1"),
        ({"depth": -2}, "depth"),
        ({"depth": 2.5}, "depth"),
        ({"depth": "deep"}, "depth"),
        ({"amplitude_bits": 0}, "amplitude_bits"),
        ({"amplitude_bits": 2.0}, "amplitude_bits"),
        ({"phase_bits": -1}, "phase_bits"),
        ({"kernel_bits": True}, "kernel_bits"),
        ({"median_copies": 4}, "median_copies must be odd"),
        ({"median_copies": 0}, "median_copies"),
        ({"delta_hat": 0.0}, "delta_hat"),
        ({"delta_hat": 1.5}, "delta_hat"),
        ({"delta_hat": float("nan")}, "delta_hat"),
        ({"sparsity": 0}, "sparsity"),
        ({"sparsity": 9}, "sparsity must be <= n_padded"),
        ({"pattern_seed": -1}, "pattern_seed"),
        ({"qlsa_epsilon": 0}, "qlsa_epsilon"),
        ({"qlsa_epsilon": 1.0}, "qlsa_epsilon"),
        ({"sparsity_pattern": "banded"}, "sparsity_pattern"),
        ({"colour": 3}, "unknown knob 'colour'"),
    ],
)
def test_bad_inputs_one_line_value_error(kwargs, match):
    args = {"X": X0, "y": Y0, "x_test": T0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match) as exc:
        Problem.from_arrays(**args)
    assert "\n" not in str(exc.value)


def test_with_test_point_and_with_knobs_validate():
    p = Problem.from_arrays(X0, Y0, T0)
    with pytest.raises(ValueError, match="x_test"):
        p.with_test_point(np.zeros(5))
    with pytest.raises(ValueError, match="x_test"):
        p.with_test_point(np.ones(3))
    with pytest.raises(ValueError, match="median_copies"):
        p.with_knobs(median_copies=2)
    with pytest.raises(ValueError, match="depth"):
        p.with_knobs(depth=0)
