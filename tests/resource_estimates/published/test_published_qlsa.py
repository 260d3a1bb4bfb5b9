"""QLSA comparison: published query counts beside ours, numeric and symbolic."""

import math

import pytest
import sympy

from resource_estimates.published.qlsa import qlsa_comparison


def test_numbers_at_kappa_5():
    solvers = qlsa_comparison(5.0, 1e-2)["solvers"]
    assert solvers["dalzell_2024"]["queries"] == pytest.approx(56 * 5 + 1.05 * 5 * math.log(100))
    assert solvers["jennings_2023"]["queries"] == 837 * 5
    assert solvers["costa_2022_bound"]["queries"] == pytest.approx(2305 * 5 + 5 * math.log(200))
    assert solvers["costa_2023_measured"]["queries"] == pytest.approx(1.84 * 5 + 5 * math.log(200))
    b = math.ceil(25 * math.log(500))
    assert (
        solvers["qsvt_cks"]["queries"] == 2 * math.ceil(math.sqrt(b * math.log(4 * b / 1e-2))) + 1
    )
    assert solvers["qsvt_cks"]["queries"] == 85
    assert solvers["qsvt_optimal"]["queries"] == 27
    assert solvers["qsvt_optimal_amplified"]["queries"] == 27 * 9  # fixed-point, L = 9
    t = math.ceil(math.log2(math.pi * 5 / 1e-2))
    assert solvers["hhl"]["queries"] == 4 * (2**t - 1)
    for entry in solvers.values():
        assert entry["source"] and entry["formula"]


@pytest.mark.parametrize("kappa, eps", [(2.0, 1e-2), (10.0, 1e-3), (100.0, 1e-10)])
def test_symbolic_equals_numeric(kappa, eps):
    k, e = sympy.symbols("kappa epsilon", positive=True)
    symb = qlsa_comparison(k, e)["solvers"]
    num = qlsa_comparison(kappa, eps)["solvers"]
    assert "qsvt_optimal" in symb and "qsvt_optimal_amplified" not in symb
    for name, entry in symb.items():
        value = float(sympy.sympify(entry["queries"]).subs({k: kappa, e: eps}))
        assert value == pytest.approx(float(num[name]["queries"]), rel=1e-12), name


def test_amplified_for_any_numeric_kappa():
    solvers = qlsa_comparison(100.0, 1e-10)["solvers"]
    assert solvers["qsvt_optimal_amplified"]["queries"] > solvers["qsvt_optimal"]["queries"]


@pytest.mark.parametrize("kappa, eps", [(0.5, 1e-2), (2.0, 0.0), (2.0, 1.0), (float("inf"), 0.1)])
def test_bad_input(kappa, eps):
    with pytest.raises(ValueError):
        qlsa_comparison(kappa, eps)


def test_amplification_rounds_reach_high_success():
    from resource_estimates.published.qlsa import amplification_rounds

    for a in (0.05, 0.1, 0.3, 0.7):
        r = amplification_rounds(a)
        assert math.sin((2 * r + 1) * math.asin(a)) ** 2 >= 1 - a**2 - 1e-12
