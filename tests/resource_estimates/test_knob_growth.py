"""The certified knobs' growth with n and the polylog verdicts at knobs that meet P
(resource_estimates.report.knob_growth; issue 15 item 4)."""

import math

import pytest

from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.data_model import DataModel
from resource_estimates.report import ReportParameters
from resource_estimates.report.knob_growth import (
    growth_conclusions,
    growth_markdown,
    knob_growth,
)

PARAMS = ReportParameters(n=1024, d=16, depth=12)
GRID = (2**10, 2**12, 2**14)


@pytest.fixture(scope="module")
def growth():
    data = DataModel.from_values(0.05, 0.3, 0.01)  # user-given: the same at every n
    return knob_growth(PARAMS, data, budget_kernel, 0.01, grid=GRID)


def test_rows_meet_p_and_cost_grows(growth):
    rows = growth["rows"]
    assert [r["n"] for r in rows] == list(GRID)
    assert all(r["status"] == "ok" and r["failure_probability"] <= 0.01 for r in rows)
    jobs = [r["job_t_count"] for r in rows]
    assert jobs == sorted(jobs) and jobs[0] < jobs[-1]
    # the same q, o, delta at every n: the run cost grows only through n (loaders, QRAM)
    assert all(r["run_t_count"] > 0 for r in rows)
    assert growth["data"]["statuses"] == ["user"]


def test_knob_fits_describe_the_rows(growth):
    fits = growth["knob_fits"]
    assert set(fits) == {"amplitude_bits", "phase_bits", "median_copies", "kernel_bits"}
    for k, f in fits.items():
        for r in growth["rows"]:
            pred = f["intercept"] + f["per_log2_n"] * math.log2(r["n"])
            assert abs(pred - r["knobs"][k]) <= f["max_deviation"] + 1e-9, k


def test_verdicts_at_knobs_that_meet_p(growth):
    rows = growth_conclusions(growth)
    assert [r["claim"].split(",")[0] for r in rows] == ["at knobs that meet P"] * 2
    for r in rows:
        assert r["knobs"].startswith("error budget")
        assert r["holds"] == bool(r["fit"]["polylog"])
        assert "certified knobs" in r["evidence"]
    md = "\n".join(growth_markdown(growth))
    assert "| 2^14 |" in md and "Knob fits in log2 n" in md and "Job T at certified knobs" in md


def test_a_size_where_p_cannot_be_met_says_why():
    data = DataModel.from_values(0.05, 1e-9, 0.01)  # no knob leaves this margin
    g = knob_growth(PARAMS, data, budget_kernel, 0.01, grid=(2**10,))
    (row,) = g["rows"]
    assert row["status"] == "not_met" and "cannot be met" in row["reason"]
    assert g["run_fit"] is None and growth_conclusions(g)[0]["holds"] is False


def test_measured_beside_certified_and_flagged_when_extrapolated():
    """The report's two numbers: the measured rows of the exact reference on a small data set,
    and their extrapolation to the report's n (flagged)."""
    from qntk_compile.classical.measured_budget import measured_growth
    from qntk_compile.data.datasets import load
    from resource_estimates.report.error_budget_section import (
        BudgetRequest,
        budget_markdown,
        budget_section,
    )

    measured = measured_growth(load("sphere", d=4), [4, 8], 0.01, test_points=1, depth=3)
    assert all(r["ratio_median"] >= 1 for r in measured["rows"])  # worst case >= the data
    params = ReportParameters(n=1024, d=4, depth=3)
    data = DataModel.from_values(0.05, 0.3, 0.01)
    sec = budget_section(params, data, BudgetRequest(budget_kernel, measured=measured))
    M = sec["measured"]
    assert M["certified_job_t_count"] == sec["job_t_count"]["optimised"]
    at = M["at_n"]
    assert at["extrapolated"] is True and at["n"] == 1024
    for k, f in M["knob_fits"].items():
        want = math.ceil(f["intercept"] + f["per_log2_n"] * 10 - 1e-9)
        assert at["knobs"][k] >= want
    assert M["certified_over_measured"] == pytest.approx(
        sec["job_t_count"]["optimised"] / at["job_t_count"]
    )
    md = "\n".join(budget_markdown({"error_budget": sec}))
    assert "**Certified** job T-count" in md and "**Extrapolated**: measured" in md
    from resource_estimates.report.error_budget_section import budget_summary

    assert "measured on the data (extrapolated from n <= 8)" in budget_summary(sec)
