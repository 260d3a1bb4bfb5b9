"""The certified error budget against the exact same-discretisation failure rate
(qntk_compile.classical.error_budget_validation): a bound on real data (digits 8 vs 9) and on
synthetic small-q instances at n = 2^30."""

import pytest

from qntk_compile.classical import error_budget_validation as v
from qntk_compile.data.datasets import load_digits_task
from qntk_compile.data.problem import Problem


@pytest.mark.slow
def test_bound_holds_on_digits():
    ds = load_digits_task(8, 9)
    X, y = ds.training(64)
    r = v.validate_problem(Problem.from_arrays(X, y, ds.X_test[0], depth=12), components=True)
    assert r.bias_exact >= r.bias_bound > 0  # the systematic bound holds
    assert r.failure_exact <= r.failure_bound <= 0.009
    for name, c in r.components.items():
        assert c["bound_loss"] >= c["exact"], name
    print(r.as_dict())


@pytest.mark.slow
def test_bound_holds_on_a_synthetic_small_q_instance():
    inst = v.synthetic_instance(2**30, 1e-6, 0.1, 1e-4, 100)
    assert inst.q == pytest.approx(1e-6, rel=0.3)
    r = v.validate_synthetic(inst)
    assert r.bias_exact >= r.bias_bound > 0
    assert r.failure_exact <= r.failure_bound <= 0.009
    print(r.as_dict())


@pytest.mark.slow
def test_bound_holds_at_q_1e_8_where_the_shots_reach_1e11():
    """The regime of n = 2^30 (q ~ 1e-8, delta ~ 4e-6, depth 307): ~2e11 shots, an exact
    binomial tail that scipy's bdtr could not give (NaN)."""
    import math

    inst = v.synthetic_instance(2**30, 1e-8, 0.05, 4.4e-6, 307)
    r = v.validate_synthetic(inst)
    assert r.shots > 1e10 and math.isfinite(r.failure_exact)
    assert r.bias_exact >= r.bias_bound > 0
    assert 0 < r.failure_exact <= r.failure_bound <= 0.009
