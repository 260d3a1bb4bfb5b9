"""The headline of report.md against the report's body; the knobs that meet P costed; the
Microsoft export reproducing the report's row."""

import json
import math

import pytest

from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical.models import microsoft, qdk_available
from resource_estimates.report import ReportParameters, build_report, report_markdown
from resource_estimates.report.headline import (
    MAX_JOB_YEARS,
    headline_lines,
    headline_rows,
    human_duration,
)
from resource_estimates.report.optimised import optimised_qubits
from resource_estimates.report.writers import msft_counts_json
from tests.resource_estimates.test_golden_report import BUDGET, DATA, PARAMS


@pytest.fixture(scope="module")
def report():
    return build_report(PARAMS, DATA, error_budget=BUDGET)


def test_headline_is_in_the_first_15_lines_and_matches_the_body(report):
    head = report_markdown(report).splitlines()[:15]
    assert "## Headline" in head
    rows = headline_rows(report)
    assert [r["configuration"] for r in rows] == ["meets P", "your knobs"] * 2
    table = [line for line in head if line.startswith("| circuit") or line.startswith("| unit")]
    assert len(table) == len(rows)
    for r, line in zip(rows, table, strict=True):
        q = r["qram_model"]
        if r["configuration"] == "your knobs":
            body, phys = report["logical"][q], report["physical"][q]
            assert r["meets_target"] is report["error_budget"]["costed_knobs"]["meets_target"]
        else:
            body, phys = report["optimised"]["logical"][q], report["optimised"]["physical"][q]
            assert r["knobs"] == {k: report["error_budget"]["knobs"][k] for k in r["knobs"]}
            assert r["meets_target"] is True
        assert r["job_toffoli"] == body["job"]["toffoli"]
        assert r["logical_qubits"] == body["run"]["qubits"]
        model = phys["run"][r["physical_model"]]
        assert r["physical_qubits"] == model["physical_qubits"]
        assert r["job_hours"] == pytest.approx(model["runtime_hours"] * phys["runs_in_job"])
        assert human_duration(r["job_hours"]) in line
        assert f"{r['physical_qubits']:,}" in line or f"{r['physical_qubits']:.3g}" in line
        years = r["job_hours"] / (24 * 365.25)
        assert (r["verdict"] == "feasible") is (years <= MAX_JOB_YEARS), r
        assert r["verdict"] in line
    assert len(headline_lines(report)) == 1 + len(rows)


def test_optimised_job_t_count_is_the_error_budgets(report):
    """Under unit-cost QRAM the job at the budget's knobs costs what the budget optimised."""
    opt = report["optimised"]
    row = next(
        r
        for r in headline_rows(report)
        if r["qram_model"] == "unit_cost" and r["configuration"] == "meets P"
    )
    want = report["error_budget"]["job_t_count"]["optimised"]
    # the physical counts synthesise a run's R rotations as ceil(R * t_per_rotation) T
    # (rotation_synthesis_counts), the budget charges R * t_per_rotation: < 1 T per run apart
    runs = opt["runs_in_job"]
    assert want <= row["job_t_count"] < want + runs
    assert row["job_t_count"] == pytest.approx(want, rel=1e-6)
    assert opt["readout_shots"] == report["error_budget"]["knobs"]["readout_shots"]
    # and it is not the user's job (a check that can fail)
    assert report["logical"]["unit_cost"]["job"]["toffoli"] != row["job_toffoli"]


def test_optimised_gates_equal_the_concrete_bloq_where_it_can_be_built(report):
    from resource_estimates.report import concrete_costs

    knobs = report["optimised"]["knobs"]
    at = PARAMS.replace(**knobs)
    run = concrete_costs(at, "unit_cost", steps=False)[1]
    got = report["optimised"]["logical"]["unit_cost"]["run"]
    for f in ("toffoli", "t", "rotation", "measurement", "qubits"):
        assert got[f] == getattr(run, f), f


@pytest.mark.skipif(not qdk_available(), reason="needs qdk")
def test_msft_export_reproduces_the_reports_row(report):
    exported = json.loads(msft_counts_json(report["physical"]))
    assumptions = PARAMS.physical
    for qram, lc in exported.items():
        assert lc["rotationCount"] == 0  # synthesised as T at the budget's epsilon, as in the row
        counts = LogicalCounts(
            toffoli=lc["cczCount"],
            t=lc["tCount"],
            rotation=lc["rotationCount"],
            measurement=lc["measurementCount"],
            qubits=lc["numQubits"],
        )
        row = report["physical"][qram]["run"]["microsoft"]
        again = microsoft(counts, assumptions)
        assert again["status"] == row["status"] == "ok"
        assert again["runtime_hours"] == pytest.approx(row["runtime_hours"], rel=1e-12)
        assert again["physical_qubits"] == row["physical_qubits"]


def test_human_duration_units():
    assert human_duration(1 / 3600) == "1 s"
    assert human_duration(0.5) == "30 min"
    assert human_duration(30) == "1.25 days"
    assert human_duration(24 * 365.25 * 2) == "2 years"
    assert human_duration(24 * 365.25 * 3e6) == "3.00e+06 years"
    assert human_duration(None) == "–"
    assert math.isfinite(MAX_JOB_YEARS)


@pytest.mark.slow
def test_qubit_fit_predicts_a_concrete_peak_outside_its_points():
    """The extrapolated peak equals the concrete bloq's at k = 31 (fit on k = 17..21)."""
    from resource_estimates.report import concrete_costs

    p = ReportParameters(n=2**10, d=16, amplitude_bits=6, kernel_bits=6, phase_bits=8)
    at = p.replace(median_copies=31)
    got = optimised_qubits(at, "unit_cost")
    assert "extrapolated" in got["method"]
    assert got["value"] == concrete_costs(at, "unit_cost", steps=False)[1].qubits
