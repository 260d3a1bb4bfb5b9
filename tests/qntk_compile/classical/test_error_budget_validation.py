"""The certified error budget against the exact same-discretisation failure rate
(qntk_compile.classical.error_budget_validation): a bound on real data (digits 8 vs 9, MNIST even
vs odd at n = 64 and 4096) and on synthetic small-q instances at n = 2^20 and 2^30."""

import math

import numpy as np
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


@pytest.fixture(scope="module")
def harness():
    return v.harness(real_sizes=(64, 4096), test_points=1, components_up_to=64)


@pytest.mark.slow
def test_harness_bound_holds_on_every_instance(harness):
    s = v.summary(harness)
    print(s)
    for r in harness:
        print(r.name, r.knobs, f"ratio {r.ratio:.3g}", f"shots ratio {r.shots_ratio:.2f}")
    assert s["instances"] == 5 and s["bound_holds"]
    for r in harness:
        assert r.bias_exact >= r.bias_bound > 0, r.name
        assert 0 < r.failure_exact <= r.failure_bound <= r.readout_share + 1e-12, r.name
        assert r.shots >= r.shots_exact  # the bound never asks for fewer shots than the data
        for name, c in r.components.items():  # each component alone is a bound too
            assert c["bound_loss"] >= c["exact"] >= 0, (r.name, name)
    assert {r.n for r in harness} >= {64, 4096, 2**20, 2**30}
    assert min(r.q for r in harness) < 2e-8  # the small-q regime of n = 2^30 is reached


@pytest.mark.slow
def test_harness_reports_the_slack_it_measures(harness):
    """Numbers the docs quote: the certified shots are within 3x of what the data need at the
    same knobs, while the failure ratio is 7-140x because a cost-optimal budget gives the
    systematic bound about a third of the margin (one more phase bit doubles the run)."""
    for r in harness:
        assert 1.0 <= r.shots_ratio <= 3.0, r.name
        assert r.phase_bit_cost_ratio == pytest.approx(2.0, abs=0.01), r.name
        assert 0.15 <= r.share_bound <= 0.5, r.name
        assert abs(r.share_exact) < 0.01, r.name  # the data use < 1 % of the margin
        assert 1.0 <= r.ratio <= 200.0, r.name
    d = harness[0].as_dict()
    assert d["ratio"] == pytest.approx(harness[0].ratio)
    assert d["shots_exact"] == harness[0].shots_exact
    assert set(d["components"]) == set(v.COMPONENTS)
    assert not harness[1].components  # n = 4096 > components_up_to
    for r in harness[2:]:  # synthetic: exact loading, no loader component
        assert set(r.components) == {"amplitude_estimation+median", "kernel_table"}


def test_share_and_shots_ratio_from_the_biases():
    r = v.Validation(
        name="x",
        n=4,
        q=0.25,
        overlap=0.5,
        knobs={},
        shots=101,
        bias_bound=0.06,
        bias_exact=0.1,
        failure_bound=0.0,
        failure_exact=0.0,
        bias_ideal=0.1,
        readout_share=0.009,
    )
    assert r.share_bound == pytest.approx(0.4) and r.share_exact == 0.0
    assert r.shots_exact % 2 == 1
    from resource_estimates.error_budget import row_bounds as rb

    assert rb.binomial_sign_failure(r.shots_exact, 0.6) <= 0.009
    assert rb.binomial_sign_failure(r.shots_exact - 2, 0.6) > 0.009
    assert r.shots_ratio == pytest.approx(101 / r.shots_exact)
    assert math.isinf(r.ratio)  # no exact failure: infinite ratio, not a division error


def test_mnist_parity_problem_is_the_subset_relabelled():
    p = v.mnist_parity_problem(16, depth=3, test_index=1)
    assert p.n_padded == 16 and set(np.unique(p.y)) <= {-1.0, 1.0}
    with pytest.raises(ValueError, match="n must be in"):
        v.mnist_parity_problem(5000)
    with pytest.raises(ValueError, match="test_index"):
        v.mnist_parity_problem(16, test_index=100)
