"""The measured error budget (qntk_compile.classical.measured_budget): the cheapest knobs whose
exact same-discretisation failure on the data's own test points is <= P, beside the certified
ones (issue 15 item 3)."""

import pytest

from qntk_compile.classical import measured_budget as mb
from qntk_compile.classical.discretised_reference import discretised_diagonal_reference
from qntk_compile.data.datasets import load
from qntk_compile.data.problem import Problem
from resource_estimates.error_budget import row_bounds as rb


@pytest.fixture(scope="module")
def point():
    ds = load("sphere", d=4)
    X, y = ds.training(8)
    return Problem.from_arrays(X, y, ds.X_test[0], depth=3), mb.measured_point(
        Problem.from_arrays(X, y, ds.X_test[0], depth=3), 0.01
    )


def test_measured_meets_p_exactly_and_never_costs_more(point):
    problem, r = point
    m, c = r["measured"], r["certified"]
    assert 0 < m["failure"] <= 0.009 + 1e-15  # the readout's share of P = 0.01
    assert m["job_t_count"] <= c["job_t_count"] and r["ratio"] >= 1
    # the certified bias is a bound: the exact one at the certified knobs is at least as large
    assert c["bias_exact"] >= c["bias"] > 0
    # the measured failure is the exact reference's, recomputed independently
    from qntk_compile.classical import reference as ref

    exact = discretised_diagonal_reference(
        problem.X, problem.y, problem.x_test, depth=3, k_max=ref.k_max(problem), **m["knobs"]
    )
    sign = 1.0 if ref.readout_overlap(problem) > 0 else -1.0
    bias = sign * (exact.p_readout - 0.5)
    assert bias == pytest.approx(m["bias"])
    assert rb.binomial_sign_failure(m["shots"], 0.5 + bias) == pytest.approx(m["failure"])


def test_no_single_step_down_is_cheaper_and_meets_p(point):
    """The search stopped at a local minimum of the exact cost (a check that fails if it stopped
    early): each knob one step lower is infeasible or not cheaper."""
    problem, r = point
    assert r["converged"]
    knobs = r["measured"]["knobs"]
    for k, step in (
        ("phase_bits", 1),
        ("amplitude_bits", 1),
        ("kernel_bits", 1),
        ("median_copies", 2),
    ):
        if knobs[k] - step < mb.bo.SEARCH_BOUNDS[k][0]:
            continue
        cost, _ = mb.measured_cost(problem, {**knobs, k: knobs[k] - step}, 0.01)
        assert not cost < r["measured"]["job_t_count"], k


def test_too_large_n_is_refused():
    ds = load("sphere", d=4)
    X, y = ds.training(8)
    p = Problem.from_arrays(X, y, ds.X_test[0], depth=3)
    old = mb.MAX_MEASURED_N
    try:
        mb.MAX_MEASURED_N = 4
        with pytest.raises(ValueError, match="exceeds the measured budget's 4"):
            mb.measured_point(p)
    finally:
        mb.MAX_MEASURED_N = old
