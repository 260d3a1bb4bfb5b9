"""Tests of qntk_compile.kernel.ntk against independent references (Monte Carlo, closed forms,
bounds)."""

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qntk_compile.kernel import ntk
from qntk_compile.kernel.ntk import (
    convergence_depth,
    default_depth,
    dual_activation,
    dual_derivative,
    nonlinearity_mu,
    ntk_diagonal,
    ntk_normalized,
    ntk_value,
)

_SQRT_C = math.sqrt((2 / math.pi) * math.asin(2 / 3))
_erf = np.vectorize(math.erf, otypes=[float])


def _sigma(x):
    return _erf(x) / _SQRT_C


def _dsigma(x):
    return 2 / math.sqrt(math.pi) * np.exp(-(x**2)) / _SQRT_C


def _sphere(n, d, seed):
    x = np.random.default_rng(seed).standard_normal((n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_constants():
    assert nonlinearity_mu() == pytest.approx(0.0864171572, abs=1e-10)
    assert ntk.ERF_NORMALISATION == pytest.approx(0.4645590544, abs=1e-10)
    # normalisation of sigma (Assumption I.3), by Gauss-Hermite quadrature
    z, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    assert np.sum(w * _sigma(z)) == pytest.approx(0, abs=1e-12)
    assert np.sum(w * _sigma(z) ** 2) == pytest.approx(1, abs=1e-9)
    # mu = 1 - (E[X sigma(X)])^2 (Definition I.4)
    assert 1 - np.sum(w * z * _sigma(z)) ** 2 == pytest.approx(nonlinearity_mu(), abs=1e-9)


def test_dual_functions_by_quadrature():
    z, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    zz1, zz2 = np.meshgrid(z, z, indexing="ij")
    ww = np.outer(w, w)
    for rho in [-0.9, -0.3, 0.0, 0.4, 0.95]:
        u = zz1
        v = rho * zz1 + math.sqrt(1 - rho**2) * zz2
        assert np.sum(ww * _sigma(u) * _sigma(v)) == pytest.approx(dual_activation(rho), abs=1e-7)
        assert np.sum(ww * _dsigma(u) * _dsigma(v)) == pytest.approx(dual_derivative(rho), abs=1e-7)
    # the derivative dual is the derivative of the dual (Remark I.2 item 4)
    h = 1e-6
    for rho in [-0.5, 0.2, 0.7]:
        fd = (dual_activation(rho + h) - dual_activation(rho - h)) / (2 * h)
        assert fd == pytest.approx(dual_derivative(rho), rel=1e-7)


def test_two_layer_kernel_monte_carlo():
    """One hidden layer: Θ = E[σσ] + E[σ'σ']·ρ, Monte-Carlo'd with Gaussian samples (seeded)."""
    rng = np.random.default_rng(1234)
    m = 400_000
    g1 = rng.standard_normal(m)
    g2 = rng.standard_normal(m)
    for rho in [-0.8, -0.2, 0.3, 0.9]:
        u = g1
        v = rho * g1 + math.sqrt(1 - rho**2) * g2
        samples = _sigma(u) * _sigma(v) + _dsigma(u) * _dsigma(v) * rho
        mean = samples.mean()
        se = samples.std(ddof=1) / math.sqrt(m)
        assert abs(mean - ntk_value(rho, 1)) < 5 * se, (rho, mean, ntk_value(rho, 1), se)


def _empirical_ntk_two_hidden(x, width, rng):
    """Empirical NTK of f(x) = v·σ(W2 σ(W1 x)/√m)/√m at a random Gaussian initialisation."""
    d = x.shape[1]
    w1 = rng.standard_normal((width, d))
    w2 = rng.standard_normal((width, width))
    v = rng.standard_normal(width)
    h1 = x @ w1.T  # (p, m)  pre-activations, variance |x|^2 = 1
    a1 = _sigma(h1)
    h2 = a1 @ w2.T / math.sqrt(width)
    a2 = _sigma(h2)
    # df/dv = a2/√m
    gv = a2 / math.sqrt(width)
    # df/dW2[k, l] = v_k σ'(h2_k) a1_l / m
    b2 = v * _dsigma(h2) / math.sqrt(width)  # (p, m)
    # df/dW1[l, :] = (Σ_k b2_k W2[k, l]/√m) σ'(h1_l) x
    b1 = (b2 @ w2 / math.sqrt(width)) * _dsigma(h1)
    k = gv @ gv.T
    k += (b2 @ b2.T) * (a1 @ a1.T) / width
    k += (b1 @ b1.T) * (x @ x.T)
    return k


def test_two_hidden_layer_empirical_ntk_matches_recursion():
    """Finite-width empirical NTK, averaged over seeded initialisations, vs ntk_value."""
    rng = np.random.default_rng(7)
    x = _sphere(4, 6, seed=3)
    reps = [_empirical_ntk_two_hidden(x, 1024, rng) for _ in range(12)]
    reps = np.array(reps)
    mean = reps.mean(axis=0)
    se = reps.std(axis=0, ddof=1) / math.sqrt(len(reps))
    exact = ntk_value(np.clip(x @ x.T, -1, 1), 2)
    # finite-width bias is O(1/width); allow 5 standard errors plus 1 %
    assert np.all(np.abs(mean - exact) < 5 * se + 0.01 * np.abs(exact)), (mean, exact, se)


def test_closed_form_diagonal():
    a = dual_derivative(1.0)
    for depth in [0, 1, 2, 7, 50, 300]:
        closed = (a ** (depth + 1) - 1) / (a - 1)
        assert ntk_value(1.0, depth) == pytest.approx(closed, rel=1e-12)
        assert ntk_diagonal(depth) == pytest.approx(closed, rel=1e-12)
        assert ntk_normalized(1.0, depth) == pytest.approx(1.0, abs=1e-12)


def _eq5_as_printed(rho, depth):
    comps = [rho]
    for _ in range(depth + 1):
        comps.append(dual_activation(comps[-1]))
    total = 0.0
    for h in range(1, depth + 2):
        prod = 1.0
        for hp in range(h, depth + 1):
            prod *= dual_derivative(comps[hp])
        total += comps[h - 1] * prod
    return total


def _standard_sum(rho, depth):
    comps = [rho]
    for _ in range(depth + 1):
        comps.append(dual_activation(comps[-1]))
    total = 0.0
    for h in range(1, depth + 2):
        prod = 1.0
        for hp in range(h, depth + 1):
            prod *= dual_derivative(comps[hp - 1])
        total += comps[h - 1] * prod
    return total


def test_recursion_is_standard_sum_and_eq5_erratum():
    for depth in [1, 3, 10]:
        for rho in [-0.7, 0.1, 0.8]:
            assert ntk_value(rho, depth) == pytest.approx(_standard_sum(rho, depth), rel=1e-12)
        # on the diagonal the printed Eq. 5 agrees ...
        assert _eq5_as_printed(1.0, depth) == pytest.approx(ntk_diagonal(depth), rel=1e-12)
    # ... off the diagonal it does not (ratios differ by several per cent)
    rel = abs(_eq5_as_printed(0.8, 10) - ntk_value(0.8, 10)) / ntk_value(0.8, 10)
    assert rel > 0.01


def _normalized_by_plain_loop(rho, depth):
    """K(ρ)/K_ii by iterating every layer (no early exit), rescaling by K_ii(h) each layer."""
    a = 2 / (math.asin(2 / 3) * math.sqrt(5))
    s, u, kii = np.array(rho, dtype=float), np.array(rho, dtype=float), 1.0
    for _ in range(depth):
        new_kii = 1 + a * kii if kii < 1e300 else math.inf
        ratio = kii / new_kii if math.isfinite(new_kii) else 1 / a
        u = dual_activation(s) / new_kii + dual_derivative(s) * ratio * u
        s, kii = dual_activation(s), new_kii
    return np.where(np.abs(rho) == 1, rho, u)


def test_vectorised_shapes_and_normalized():
    rho = np.linspace(-1, 1, 21).reshape(3, 7)
    val = ntk_value(rho, 4)
    assert val.shape == (3, 7)
    for r, v in zip(rho.ravel(), val.ravel(), strict=True):
        assert v == pytest.approx(ntk_value(float(r), 4), rel=1e-13)
    assert isinstance(ntk_value(0.5, 2), float)
    np.testing.assert_allclose(ntk_normalized(rho, 4), val / ntk_diagonal(4), rtol=1e-12)
    # stable at depths where K_ii overflows
    deep = ntk_normalized(np.array([0.999, 0.0, 1.0]), 5000)
    assert np.all(np.isfinite(deep)) and deep[2] == 1.0 and 0 <= deep[0] < 1e-6
    with pytest.raises(ValueError, match="overflow"):
        ntk_value(np.array([0.5, 1.0]), 5000)
    # far past the underflow of 1/K_ii: no 0/0 or overflow warning, same limits
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for depth in (10_000, 100_000):
            far = ntk_normalized(np.array([0.999, -0.3, 1.0, -1.0]), depth)
            np.testing.assert_allclose(far, [0.0, 0.0, 1.0, -1.0], atol=1e-300)
    with pytest.raises(ValueError, match="overflow"):
        ntk_diagonal(5000)
    # huge depths stop at the iteration's exact fixed point: fast, same values as a full run
    rho3 = np.array([0.999999, 0.5, -0.3, 1.0, -1.0, 1 - 1.1e-16, 1 - 2.2e-16, -(1 - 2.2e-16)])
    t0 = time.perf_counter()
    huge = ntk_normalized(rho3, 10**9)
    assert time.perf_counter() - t0 < 5
    np.testing.assert_array_equal(huge, ntk_normalized(rho3, 20_000))
    plain = _normalized_by_plain_loop(rho3, 20_000)
    np.testing.assert_allclose(huge, plain, atol=1e-12)
    np.testing.assert_allclose(huge[:5], plain[:5], atol=1e-300)
    assert ntk_value(np.array([0.5, -0.2]), 10**9) == pytest.approx([0, 0], abs=1e-300)
    with pytest.raises(ValueError, match="overflow"):
        ntk_value(np.array([0.5, 1.0]), 10**9)
    # monotone in rho: the most similar point has the largest kernel value
    grid = np.linspace(-1, 1, 101)
    assert np.all(np.diff(ntk_value(grid, 20)) > 0)


def test_bounds_lemma_I6_corollary_I7_at_lconv_on_sphere():
    x = _sphere(32, 10, seed=11)
    g = np.clip(x @ x.T, -1, 1)
    n = len(x)
    off = ~np.eye(n, dtype=bool)
    dij = 1 - np.abs(g)
    delta = dij[off].min()
    lconv = math.ceil(convergence_depth(n, delta))
    for depth in [lconv, lconv + 40]:
        ratio = np.abs(ntk_normalized(g, depth))
        near = off & (dij < 0.5)
        far = off & (dij >= 0.5)
        assert np.all(ratio[near] <= (delta / (dij[near] * n)) ** 2)  # Eq. 12
        assert np.all(ratio[far] <= (delta / n) ** 2)  # Eq. 13
        assert np.all(ratio[off] <= 1 / n**2)  # Corollary I.7
        # Corollary I.10: 1 <= kappa <= (1 + 1/n)/(1 - 1/n)
        ev = np.linalg.eigvalsh(ntk_normalized(g, depth))
        assert 1 <= ev[-1] / ev[0] <= (1 + 1 / n) / (1 - 1 / n)
    # Theorem I.5 bound 2B(L/2, δij, μ) at L = L_conv
    mu = nonlinearity_mu()
    l0 = np.maximum(np.ceil(np.log(1 / (2 * dij[off])) / np.log(1 + mu / 2)), 0)
    bound = (1 - mu / 2) ** (lconv / 2 - l0)
    assert np.all(np.abs(ntk_normalized(g, lconv))[off] <= bound)


def test_convergence_depth_and_default_depth():
    mu = nonlinearity_mu()
    assert convergence_depth(64, 0.05) == pytest.approx(8 * math.log(64 / 0.05) / mu)
    assert default_depth(64, 0.05) == math.ceil(convergence_depth(64, 0.05) / 10)
    assert default_depth(64, 0.05, fraction=1.0) == math.ceil(convergence_depth(64, 0.05))
    assert default_depth(2, 1.0) >= 1


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ntk_value(1.5, 2), r"\[-1, 1\]"),
        (lambda: ntk_value(np.nan, 2), "finite"),
        (lambda: ntk_value([0.1, np.inf], 2), "finite"),
        (lambda: ntk_value(0.1, -1), "depth"),
        (lambda: ntk_value(0.1, 2.5), "depth"),
        (lambda: ntk_value(0.1, True), "depth"),
        (lambda: ntk_diagonal(-3), "depth"),
        (lambda: dual_activation(-1.01), r"\[-1, 1\]"),
        (lambda: dual_derivative(np.nan), "finite"),
        (lambda: ntk_normalized(2.0, 3), r"\[-1, 1\]"),
        (lambda: convergence_depth(0, 0.1), "n must"),
        (lambda: convergence_depth(10, 0.0), "delta"),
        (lambda: convergence_depth(10, 1.5), "delta"),
        (lambda: convergence_depth(10, float("nan")), "delta"),
        (lambda: default_depth(10, 0.1, fraction=0), "fraction"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@settings(max_examples=60, deadline=None)
@given(
    rho=st.floats(min_value=-1.0, max_value=1.0, allow_nan=False),
    depth=st.integers(min_value=0, max_value=400),
)
def test_normalized_kernel_properties(rho, depth):
    v = ntk_normalized(rho, depth)
    assert -1.0 <= v <= 1.0
    # |k̂(ρ)| ≤ k̂(1): the diagonal dominates (Theorem I.5)
    assert abs(ntk_value(rho, depth)) <= ntk_diagonal(depth) * (1 + 1e-12)
    assert v == pytest.approx(ntk_value(rho, depth) / ntk_diagonal(depth), rel=1e-9, abs=1e-300)
