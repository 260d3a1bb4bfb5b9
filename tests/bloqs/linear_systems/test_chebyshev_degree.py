"""The optimal odd degree in closed form (`chebyshev_degree`) vs the minimax LP, the polynomial it
names vs the solver's error spec, and symbolic = concrete."""

import math

import numpy as np
import pytest
import sympy

from bloqs.linear_systems.inverse_polynomials import (
    chebyshev_degree,
    chebyshev_inverse_polynomial,
    chebyshev_relative_error,
    minimax_inverse_polynomial,
    neumann_degree,
    qlsa_degree,
)

KAPPAS = (1.05, 1.5, 2.0, 3.0, 5.0)
EPSILONS = (1e-1, 1e-2, 1e-3, 1e-4)
PAIRS = [(k, e) for k in KAPPAS for e in EPSILONS]  # 20 pairs


@pytest.mark.parametrize("kappa, eps", PAIRS)
def test_closed_form_is_the_lp_minimax_degree(kappa, eps):
    """The LP reaches ε at d(κ, ε) and not at d − 2: d is the LP's smallest degree."""
    d = chebyshev_degree(kappa, eps)
    lp = minimax_inverse_polynomial(kappa, eps, degree=d)
    assert lp.error <= eps
    if d > 1:
        with pytest.raises(ValueError, match="reaches relative error"):
            minimax_inverse_polynomial(kappa, eps, degree=d - 2)
    # the LP's optimum at d is the Chebyshev error 1/T_k(z) (the grid LP sits at or just below it)
    assert lp.error == pytest.approx(chebyshev_relative_error(kappa, d), rel=2e-2, abs=1e-12)


@pytest.mark.parametrize("kappa, eps", PAIRS + [(10.0, 1e-2), (10.0, 1e-6), (100.0, 1e-2)])
def test_closed_form_polynomial_meets_the_solver_spec(kappa, eps):
    """Relative error ≤ ε on [1/κ, 1] with the solver's scaling (sup |p| = 0.9 on [-1, 1])."""
    poly = chebyshev_inverse_polynomial(kappa, eps)
    assert poly.degree == chebyshev_degree(kappa, eps)
    assert poly.error <= eps
    assert poly.error == pytest.approx(chebyshev_relative_error(kappa, poly.degree), rel=1e-3)
    xs = np.linspace(1 / kappa, 1, 20001)  # independent grid: |x p(x)/scale − 1|
    assert np.max(np.abs(xs * poly(xs) / poly.scale - 1)) <= eps * (1 + 1e-9)
    ys = np.linspace(-1, 1, 20001)
    assert np.max(np.abs(poly(ys))) <= 0.9 + 1e-9
    np.testing.assert_allclose(poly(-xs), -poly(xs), atol=1e-12)  # odd


def test_degree_two_below_does_not_meet_eps():
    """The bound binds: one step lower (k − 1) the exact minimax error exceeds ε."""
    for kappa, eps in PAIRS + [(10.0, 1e-2), (100.0, 1e-2)]:
        d = chebyshev_degree(kappa, eps)
        assert chebyshev_relative_error(kappa, d) <= eps
        if d > 1:
            assert chebyshev_relative_error(kappa, d - 2) > eps


def test_published_values_and_asymptote():
    # ε = 1e-2: κ 1.5 → 7, 2 → 9, 5 → 27, 10 → 53, 100 → 529
    assert [chebyshev_degree(k, 1e-2) for k in (1.5, 2, 5, 10, 100)] == [7, 9, 27, 53, 529]
    for kappa in (100.0, 1000.0):  # ≈ κ ln(2/ε) for large κ
        assert chebyshev_degree(kappa, 1e-6) == pytest.approx(kappa * math.log(2e6), rel=0.01)


def test_symbolic_equals_concrete():
    k, e = sympy.symbols("kappa_eff epsilon", positive=True)
    d = chebyshev_degree(k, e)
    assert d.free_symbols == {k, e}
    for kappa, eps in ((1.5, 1e-2), (2.0, 1e-3), (5.0, 1e-2), (10.0, 1e-6), (100.0, 1e-2)):
        assert int(d.subs({k: kappa, e: eps})) == chebyshev_degree(kappa, eps), (kappa, eps)


def test_auto_is_min_of_neumann_and_chebyshev():
    # Neumann where smaller (κ → 1), Chebyshev otherwise
    assert qlsa_degree(1.0, 0.01) == (1, "neumann")
    assert qlsa_degree(1.05, 0.01) == (3, "neumann")  # tie → Neumann
    assert qlsa_degree(2.0, 0.01) == (9, "chebyshev")
    assert qlsa_degree(100.0, 0.01) == (529, "chebyshev")
    k, e = sympy.symbols("kappa_eff epsilon", positive=True)
    d, method = qlsa_degree(k, e)
    assert method == "min(neumann, chebyshev)"
    for kappa, eps in ((1.0005, 0.01), (1.05, 1e-6), (2.0, 0.01), (10.0, 1e-3)):
        want = min(neumann_degree(kappa, eps), chebyshev_degree(kappa, eps))
        assert int(d.subs({k: kappa, e: eps})) == want == qlsa_degree(kappa, eps)[0]


def test_bad_input_one_line():
    for call in (
        lambda: chebyshev_degree(0.5, 0.01),
        lambda: chebyshev_degree(2.0, 1.0),
        lambda: chebyshev_relative_error(2.0, 4),
    ):
        with pytest.raises(ValueError) as err:
            call()
        assert "\n" not in str(err.value)
