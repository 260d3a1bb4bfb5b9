"""Physical models on logical counts; Qualtran's Gidney–Fowler regression case reproduced."""

import pytest

from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical.models import (
    PhysicalAssumptions,
    beverland,
    gidney_fowler,
    gidney_fowler_from_error_budget,
    microsoft,
    msft_logical_counts,
    physical_estimates,
    qdk_available,
)
from resource_estimates.published import figures as published

CASE = published.GIDNEY_FOWLER_REGRESSION_CASE


def _case_counts():
    i = CASE["inputs"]
    return LogicalCounts(toffoli=i["toffoli_count"], t=i["t_count"], qubits=i["n_algo_qubits"])


def _case_assumptions():
    i = CASE["inputs"]
    return PhysicalAssumptions(
        physical_error_rate=i["physical_error_rate"],
        cycle_time_us=i["cycle_time_us"],
        error_budget=i["error_budget"],
    )


def test_gidney_fowler_regression_case():
    got = gidney_fowler_from_error_budget(_case_counts(), _case_assumptions())
    print(
        f"\nGidney-Fowler regression: ours {got['physical_qubits']} qubits "
        f"{got['runtime_hours']:.2f} h; published {CASE['physical_qubits']} qubits "
        f"{CASE['duration_hours']} h"
    )
    assert got["status"] == "ok"
    assert got["physical_qubits"] == CASE["physical_qubits"]
    assert round(got["runtime_hours"], 2) == CASE["duration_hours"]
    assert got["failure_probability"] == pytest.approx(CASE["failure_probability"], rel=1e-2)


def test_grid_search_ok_then_no_valid_factory():
    ok = gidney_fowler(_case_counts())
    assert ok["status"] == "ok" and ok["failure_probability"] <= 0.01
    # The grid search minimises qubit-hours: never worse than the fixed default factory.
    fixed = gidney_fowler_from_error_budget(_case_counts())
    assert ok["physical_qubits"] * ok["runtime_hours"] <= (
        fixed["physical_qubits"] * fixed["runtime_hours"] * (1 + 1e-9)
    )
    big = gidney_fowler(LogicalCounts(toffoli=10**14, qubits=300))
    assert big["status"] == "no_valid_factory" and "physical_qubits" not in big
    assert "no valid" in big["message"].lower()
    assert (
        gidney_fowler_from_error_budget(LogicalCounts(toffoli=10**14, qubits=300))["status"]
        == "no_valid_factory"
    )


def test_beverland_model():
    got = beverland(_case_counts())
    # Eq. D3: M_T + 3 M_Tof time steps; Eq. D4: M_T + 4 M_Tof T states.
    assert got["time_steps"] == 10**8 + 3 * 10**8
    assert got["t_states"] == pytest.approx(5 * 10**8)
    assert got["status"] == "ok" and got["physical_qubits"] > 2 * 100 * got["code_distance"] ** 2
    assert got["runtime_hours"] == pytest.approx(4e8 * got["code_distance"] * 0.4e-6 / 3600)
    assert beverland(LogicalCounts(toffoli=10**22, qubits=300))["status"] == "infeasible"


@pytest.mark.skipif(not qdk_available(), reason="qdk (physical extra) not installed")
def test_microsoft_estimator_same_counts():
    got = microsoft(_case_counts())
    assert got["status"] == "ok" and got["logical_qubits"] >= 100
    # Same paper's model as Qualtran's Beverland module: the runtimes agree.
    assert got["runtime_hours"] == pytest.approx(beverland(_case_counts())["runtime_hours"])
    assert microsoft(LogicalCounts(toffoli=10**21, qubits=10))["status"] == "out_of_range"
    assert microsoft(LogicalCounts(toffoli=10**16, qubits=300))["status"] == "out_of_range"


def test_msft_logical_counts_and_all_models():
    lc = msft_logical_counts(LogicalCounts(toffoli=5, t=3, rotation=2, measurement=7, qubits=9))
    assert lc == {
        "numQubits": 9,
        "tCount": 3,
        "rotationCount": 2,
        "rotationDepth": 2,
        "cczCount": 5,
        "ccixCount": 0,
        "measurementCount": 7,
    }
    out = physical_estimates(_case_counts(), models=("gidney_fowler", "beverland"))
    assert set(out) == {"gidney_fowler", "beverland"}
    for res in out.values():
        assert res["assumptions"]["error_budget"] == 0.01 and "source" in res
    with pytest.raises(ValueError):
        physical_estimates(_case_counts(), models=("nope",))


def test_bad_assumptions_and_counts():
    with pytest.raises(ValueError):
        PhysicalAssumptions(physical_error_rate=0)
    with pytest.raises(ValueError):
        PhysicalAssumptions(error_budget=float("nan"))
    with pytest.raises(ValueError):
        gidney_fowler(LogicalCounts(toffoli=-1, qubits=3))
