"""Odd inverse polynomials (minimax LP, CKS series, Neumann) and QSP phase finding."""

import math

import numpy as np
import pytest
import sympy
from numpy.polynomial import chebyshev as C

from bloqs.linear_systems.inverse_polynomials import (
    cks_degree,
    cks_inverse_polynomial,
    minimax_inverse_polynomial,
    neumann_inverse_polynomial,
    neumann_terms,
)
from bloqs.linear_systems.qsp_phases import (
    _wx_response,
    qsvt_phases,
    reflection_response,
    symmetric_wx_phases,
)


def _relative_error(poly, n=50001):
    a, b = poly.window
    xs = np.linspace(a, b, n)
    return np.max(np.abs(xs * C.chebval(xs, poly.chebyshev_coefficients) / poly.scale - 1))


def _sup(poly):
    return np.max(np.abs(C.chebval(np.linspace(-1, 1, 100001), poly.chebyshev_coefficients)))


@pytest.mark.parametrize(
    "kappa, eps, degree", [(1.05, 1e-2, 3), (2, 1e-2, 9), (2, 1e-3, 13), (5, 1e-2, 27)]
)
def test_minimax_degree_error_and_bound(kappa, eps, degree):
    poly = minimax_inverse_polynomial(kappa, eps)
    assert poly.degree == degree
    assert _relative_error(poly) <= eps
    assert _sup(poly) <= 0.9 + 1e-9
    assert np.allclose(poly.chebyshev_coefficients[0::2], 0)
    # the next lower odd degree cannot reach eps (minimality)
    with pytest.raises(ValueError, match="reaches relative error"):
        minimax_inverse_polynomial(kappa, eps, degree=degree - 2)


@pytest.mark.parametrize("kappa, eps", [(2, 1e-2), (2, 1e-3), (5, 1e-2)])
def test_cks_degree_formula_and_error(kappa, eps):
    b = math.ceil(kappa**2 * math.log(kappa / eps))
    j0 = math.ceil(math.sqrt(b * math.log(4 * b / eps)))
    assert cks_degree(kappa, eps) == 2 * j0 + 1
    poly = cks_inverse_polynomial(kappa, eps)
    assert poly.degree == 2 * j0 + 1
    assert _relative_error(poly) <= eps
    assert _sup(poly) <= 0.9 + 1e-9
    k, e = sympy.symbols("kappa epsilon", positive=True)
    assert cks_degree(k, e).subs({k: kappa, e: eps}) == cks_degree(kappa, eps)


def test_published_cks_degrees():
    # CKS degrees 2j₀+1 at (κ, ε) = (2, 1e-2), (2, 1e-3), (5, 1e-2), arXiv:1511.02306 Lemma 19
    assert [cks_degree(2, 1e-2), cks_degree(2, 1e-3), cks_degree(5, 1e-2)] == [31, 41, 85]


@pytest.mark.parametrize("gamma, eps", [(0.0004, 1e-3), (0.01, 1e-3), (0.1, 1e-3), (0.2, 1e-6)])
def test_neumann_error_bound(gamma, eps):
    poly = neumann_inverse_polynomial(0.8, gamma, eps)
    eta = 2 * gamma / (1 + gamma**2)
    terms = neumann_terms(gamma, eps)
    assert poly.degree == 2 * terms - 1
    assert eta**terms <= eps < (eta ** (terms - 1) if terms > 1 else 2)
    assert _relative_error(poly) <= eta**terms * (1 + 1e-6) + 1e-12
    assert _sup(poly) <= 0.9 + 1e-9


def test_neumann_degree_one_when_bound_allows():
    poly = neumann_inverse_polynomial(1 / 1.02, 0.004, 1e-2)
    assert poly.degree == 1  # η = 0.008 ≤ 0.01: p(x) ∝ x
    with pytest.raises(ValueError, match="bounds the error"):
        neumann_inverse_polynomial(1 / 1.02, 0.004, 1e-3, degree=1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: minimax_inverse_polynomial(0.5, 1e-2),
        lambda: minimax_inverse_polynomial(2, 0.0),
        lambda: minimax_inverse_polynomial(2, 1.0),
        lambda: minimax_inverse_polynomial(float("nan"), 1e-2),
        lambda: minimax_inverse_polynomial(2, 1e-2, degree=4),
        lambda: minimax_inverse_polynomial(5, 1e-3, degree=9),
        lambda: cks_inverse_polynomial(0.9, 1e-2),
        lambda: cks_degree(2, 1.5),
        lambda: neumann_inverse_polynomial(0.9, 1.2, 1e-2),
        lambda: neumann_inverse_polynomial(0.99, 0.1, 1e-2),
        lambda: neumann_inverse_polynomial(0.9, 0.1, 1e-2, degree=1),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("degree", [1, 3, 9, 31, 61])
def test_phases_reproduce_random_odd_polynomials(degree):
    rng = np.random.default_rng(degree)
    c = np.zeros(degree + 1)
    c[1::2] = rng.normal(size=(degree + 1) // 2) / np.arange(1, (degree + 1) // 2 + 1) ** 2
    xs = np.linspace(-1, 1, 1001)
    c *= 0.9 / np.max(np.abs(C.chebval(xs, c)))
    psi = qsvt_phases(c)
    assert len(psi) == degree
    assert np.max(np.abs(reflection_response(psi, xs).real - C.chebval(xs, c))) < 1e-9


def test_reflection_conversion_keeps_the_polynomial():
    c = np.array([0, 0.5, 0, -0.2, 0, 0.1])
    phi = symmetric_wx_phases(c)
    xs = np.linspace(-1, 1, 51)
    psi = qsvt_phases(c)
    assert np.allclose(reflection_response(psi, xs), _wx_response(phi, xs), atol=1e-12)


def test_degree_one_phase_is_arccos():
    (psi,) = qsvt_phases([0.0, 0.6])
    assert np.isclose(np.cos(psi), 0.6)


def test_phase_finder_rejects_even_polynomials():
    with pytest.raises(ValueError, match="odd"):
        qsvt_phases([0.1, 0.0, 0.5])
