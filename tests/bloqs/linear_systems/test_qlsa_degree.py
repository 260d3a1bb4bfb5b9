"""qlsa_degree: the one degree rule of the QLSA (Neumann / Chebyshev closed forms, CKS and the
minimax LP beside)."""

import math

import pytest
import sympy

from bloqs.linear_systems.inverse_polynomials import (
    chebyshev_degree,
    cks_degree,
    cks_inverse_polynomial,
    neumann_degree,
    neumann_inverse_polynomial,
    qlsa_degree,
)


def test_deep_ntk_regime_is_degree_one_neumann():
    # kappa_eff <= (1+g)/(1-g) with g = (s-1)*e_max tiny (deep NTK: e_max ~ 1/n^2)
    s, e_max = 13, 1e-4
    g = (s - 1) * e_max
    assert qlsa_degree((1 + g) / (1 - g), 0.01) == (1, "neumann")
    assert qlsa_degree(1.0, 0.01) == (1, "neumann")
    # degree 1 exactly while kappa_eff^2 <= (1+eps)/(1-eps)
    edge = math.sqrt(1.01 / 0.99)
    assert neumann_degree(edge * (1 - 1e-9), 0.01) == 1
    assert neumann_degree(edge * (1 + 1e-6), 0.01) == 3


@pytest.mark.parametrize(
    "kappa, eps, expected",
    [(1.05, 0.01, (3, "neumann")), (2.0, 0.01, (9, "chebyshev")), (5.0, 0.01, (27, "chebyshev"))],
)
def test_auto_takes_the_smaller_closed_form(kappa, eps, expected):
    assert qlsa_degree(kappa, eps) == expected
    assert expected[0] == min(neumann_degree(kappa, eps), chebyshev_degree(kappa, eps))
    assert expected[0] <= cks_degree(kappa, eps)


@pytest.mark.parametrize("kappa, eps", [(1.05, 0.01), (1.5, 1e-3), (2.0, 0.01), (3.0, 1e-2)])
def test_neumann_closed_form_is_the_degree_that_reaches_eps(kappa, eps):
    g = (kappa - 1) / (kappa + 1)  # window [1/kappa, 1] = [c(1-g), c(1+g)], c = 1/(1+g)
    poly = neumann_inverse_polynomial(1 / (1 + g), g, eps)
    assert poly.degree == neumann_degree(kappa, eps)
    assert poly.error <= eps
    assert poly.window == pytest.approx((1 / kappa, 1.0))


def test_cks_closed_form_matches_its_polynomial():
    assert cks_inverse_polynomial(5.0, 0.01).degree == qlsa_degree(5.0, 0.01, "cks")[0]


def test_minimax_beside_the_closed_forms_measured_table():
    # measured minimax degrees (kappa, eps) -> degree: the costed degree (its closed form)
    for (kappa, eps), degree in {(1.05, 1e-2): 3, (2.0, 1e-2): 9, (2.0, 1e-3): 13}.items():
        assert qlsa_degree(kappa, eps, "minimax") == (degree, "minimax")
        assert degree == qlsa_degree(kappa, eps)[0] == chebyshev_degree(kappa, eps)


def test_symbolic_is_one_min_expression_equal_to_numeric_choice():
    k, e = sympy.symbols("kappa_eff epsilon", positive=True)
    d, method = qlsa_degree(k, e)
    assert method == "min(neumann, chebyshev)" and d.free_symbols == {k, e}
    for kappa, eps in ((1.0, 0.01), (1.002, 0.01), (1.5, 0.001), (2.0, 0.05), (8.0, 0.01)):
        assert int(d.subs({k: kappa, e: eps})) == qlsa_degree(kappa, eps)[0], (kappa, eps)
    dn, _ = qlsa_degree(k, e, "neumann")
    assert int(dn.subs({k: 2.0, e: 0.01})) == 19
    assert qlsa_degree(k, e, "cks")[0] == cks_degree(k, e)


@pytest.mark.parametrize(
    "args, needle",
    [
        ((0.5, 0.01), "kappa"),
        ((2.0, 0.0), "epsilon"),
        ((2.0, 0.01, "hhl"), "method"),
        ((20.0, 0.01, "minimax"), "minimax fit only"),
        ((sympy.Symbol("k"), 0.01, "minimax"), "numeric only"),
    ],
)
def test_bad_input_one_line(args, needle):
    with pytest.raises(ValueError, match=needle) as exc:
        qlsa_degree(*args)
    assert "\n" not in str(exc.value)
