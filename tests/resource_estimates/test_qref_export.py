"""The hierarchical QREF export: one child per Algorithm-1 step with symbolic costs in n and the
knobs, which Bartiq compiles and evaluates at n = 2^30 to the report's concrete counts."""

import json

import pytest

from resource_estimates.data_model import DataModel
from resource_estimates.report import ReportParameters, build_report, write_report
from resource_estimates.report.qref_export import QREF_RESOURCES, report_qref, report_qref_json

bartiq = pytest.importorskip("bartiq")
qref = pytest.importorskip("qref")

DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)


@pytest.fixture(scope="module")
def report():
    return build_report(ReportParameters(n=2**30, d=16, depth=12), DATA)


def _evaluate(q, values):
    compiled = bartiq.compile_routine(qref.SchemaV1(**q)).routine
    given = {k: v for k, v in values.items() if k in q["program"]["input_params"]}
    return bartiq.evaluate(compiled, given).routine


@pytest.mark.parametrize("qram", ["circuit", "unit_cost"])
def test_bartiq_evaluates_the_export_to_the_reports_counts_at_2_to_30(report, qram):
    q = report_qref(report, qram)
    qref.SchemaV1(**q)  # valid against the schema
    run_node = q["program"]["children"][0]
    steps = {c["meta"]["step"] for c in run_node["children"]}
    assert steps == set(report["logical"][qram]["steps"])  # one child per Algorithm-1 step
    assert "n" in q["program"]["input_params"]
    p = report["parameters"]
    dq = DATA.at(p["n"])
    values = {
        "n": p["n"], "k": p["median_copies"], "b_k": p["kernel_bits"],
        "b_a": p["amplitude_bits"], "m": p["phase_bits"],
        "o": dq["readout_overlap"].value, "p": dq["success_probability"].value,
    }  # fmt: skip
    ev = _evaluate(q, values)
    run = ev.children["coherent_run"]
    logical = report["logical"][qram]
    for r in QREF_RESOURCES:
        assert int(run.resources[r].value) == logical["run"][r], r
    for step in run.children.values():
        name = [c["meta"]["step"] for c in run_node["children"] if c["name"] == step.name][0]
        assert int(step.resources["toffoli"].value) == logical["steps"][name]["toffoli"], name
    job = float(ev.resources["toffoli"].value)
    assert job == pytest.approx(float(logical["job"]["toffoli"]), rel=1e-9)


def test_symbolic_in_n_and_written_as_qref_json(report, tmp_path):
    q = report_qref(report)
    compiled = bartiq.compile_routine(qref.SchemaV1(**q)).routine
    free = {
        str(s) for s in compiled.children["coherent_run"].resources["toffoli"].value.free_symbols
    }
    assert {"n", "k", "b_k"} <= free
    written = write_report(report, tmp_path / "r", plots=False)
    names = {w.name for w in written}
    assert {"qref.json", "qref_unit_cost.json"} <= names
    assert json.loads((tmp_path / "r" / "qref.json").read_text()) == json.loads(
        report_qref_json(report, "circuit")
    )


def test_no_formulas_no_export():
    with pytest.raises(ValueError, match="no symbolic step formulas"):
        report_qref({"logical": {"circuit": {}}, "formulas": {"circuit": {"status": "failed"}}})
