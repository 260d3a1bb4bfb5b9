"""The report's ``error_budget`` section (issue 11 items 3 and 5): fields, the optimiser's
guarantees as the report states them, user knobs, the defaults' shortfall at n = 2^30, the
physical models' rotation ε, and the on-disk formula cache behind the knob costs."""

import json

import pytest

from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.data_model import DataModel
from resource_estimates.logical import formula_cache
from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical import models as physical
from resource_estimates.report import (
    BudgetRequest,
    ReportParameters,
    build_report,
    report_json,
    report_markdown,
)
from resource_estimates.report.error_budget_section import (
    budget_conclusions,
    budget_markdown,
    budget_section,
)
from resource_estimates.variants.registry import Variant, register_variant, unregister_variant

PARAMS = ReportParameters(n=1024, d=16, depth=12)
DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)

# The default report's data (digits-8-9 at n = 16..256, extrapolated) at n = 2^30, depth 307.
N30, Q30, O30, DELTA30, DEPTH30 = 2**30, 9.517399292266229e-09, 0.04985119495646039, 4.3606e-06, 307


@pytest.fixture(scope="module")
def report():
    return build_report(PARAMS, DATA, error_budget=BudgetRequest(kernel=budget_kernel))


def test_section_fields_and_guarantees(report):
    sec = report["error_budget"]
    assert sec["status"] == "ok" and sec["target"] == 0.01
    assert 0 < sec["total"] <= sec["target"]
    for name, comp in sec["components"].items():
        assert {"kind", "allocated", "knob", "value"} <= set(comp), name
    assert set(sec["components"]) == {
        "loader", "amplitude_estimation", "median", "kernel_table", "rotation_synthesis",
        "readout", "surface_code",
    }  # fmt: skip
    job = sec["job_t_count"]
    assert set(job) == {"optimised", "uniform_split", "fixed_defaults"}
    assert job["optimised"] <= job["uniform_split"]
    assert sec["uniform_over_optimised"] == pytest.approx(job["uniform_split"] / job["optimised"])
    # the knobs meet P: every systematic error alone leaves part of the margin
    for comp in sec["components"].values():
        if comp["kind"] == "overlap_margin":
            assert comp["allocated"] < DATA.at(1024)["readout_overlap"].value
    json.loads(report_json(report))  # strict JSON


def test_tighter_target_never_costs_less(report):
    curve = report["error_budget"]["cost_vs_failure_probability"]
    targets = [r["target"] for r in curve]
    assert targets == sorted(targets, reverse=True) and 0.01 in targets
    costs = [r["optimised"] for r in curve]
    assert all(a <= b for a, b in zip(costs, costs[1:], strict=False))
    assert all(r["optimised"] <= r["uniform_split"] for r in curve)


def test_costed_knobs_and_conclusion(report):
    sec = report["error_budget"]
    costed = sec["costed_knobs"]
    assert {k: costed["knobs"][k] for k in PARAMS.knobs} == dict(PARAMS.knobs)
    assert costed["meets_target"] is False and "median" in costed["breaking_components"]
    row = [c for c in report["conclusions"] if "give the right label" in c["claim"]]
    assert len(row) == 1 and row[0]["holds"] is False and "median" in row[0]["evidence"]
    md = report_markdown(report)
    assert md.index("## Error budget") < md.index("## Conclusions")
    assert "| optimised | 15 | 10 | 3 | 15 |" in md  # the golden inputs' least-cost knobs (§10)
    assert "components that break it alone: loader" in md


def test_physical_models_use_the_budgets_rotation_epsilon(report):
    eps = report["error_budget"]["knobs"]["rotation_epsilon"]
    t_rot = report["error_budget"]["knobs"]["t_per_rotation"]
    for qram in PARAMS.qram_models:
        rot = report["logical"][qram]["run"]["rotation"]
        for model, res in report["physical"][qram]["run"].items():
            assert res["rotation_synthesis"]["epsilon"] == eps, model
            assert res["rotation_synthesis"]["t_per_rotation"] == t_rot, model
            assert res["rotation_synthesis"]["synthesis_error_per_run"] == pytest.approx(rot * eps)
            if "failure_probability" in res:
                assert res["failure_probability_with_rotations"] == pytest.approx(
                    res["failure_probability"] + rot * eps
                )


def test_rotation_synthesis_counts_charge_t_per_rotation():
    c = LogicalCounts(toffoli=10, t=3, clifford=5, rotation=7, measurement=1, qubits=4, queries=0)
    out = physical.rotation_synthesis_counts(c, 111.75)
    assert out.rotation == 0 and out.t == 3 + 783  # ceil(7 * 111.75) = 783
    assert out.toffoli == 10 and out.qubits == 4
    big = LogicalCounts(toffoli=0, t=0, clifford=0, rotation=10**30, measurement=0, qubits=1)
    assert physical.rotation_synthesis_counts(big, 2.5).t == 25 * 10**29
    with pytest.raises(ValueError, match="t_per_rotation"):
        physical.rotation_synthesis_counts(c, float("nan"))
    plain = physical.physical_estimates(c, models=("beverland",))["beverland"]
    eps = physical.physical_estimates(
        c, models=("beverland",), rotation={"epsilon": 1e-12, "t_per_rotation": 120.0}
    )["beverland"]
    assert "rotation_synthesis" not in plain and eps["rotation_synthesis"]["epsilon"] == 1e-12
    assert eps["t_states"] > plain["t_states"]  # 120 T per rotation instead of ~11


def test_user_knobs_are_kept_or_reported():
    sec = budget_section(
        PARAMS, DATA, BudgetRequest(kernel=budget_kernel, fixed={"median_copies": 31})
    )
    assert sec["status"] == "ok" and sec["knobs"]["median_copies"] == 31
    assert sec["model"]["fixed_by_user"] == ["median_copies"] and sec["total"] <= 0.01
    # a single AE copy can meet P under the §10 bounds (the tail charge of Brassard et al. Thm 11)
    one = budget_section(PARAMS, DATA, BudgetRequest(budget_kernel, 0.01, {"median_copies": 1}))
    assert one["status"] == "ok" and one["knobs"]["median_copies"] == 1 and one["total"] <= 0.01
    # knobs that cannot meet P: an error when P was asked for, else reported beside the optimum
    bad = {"phase_bits": 5}  # alone a 5-bit phase moves |õ| by more than o = 0.3
    with pytest.raises(ValueError, match="cannot be met with phase_bits=5"):
        budget_section(PARAMS, DATA, BudgetRequest(budget_kernel, 0.01, bad, explicit=True))
    sec = budget_section(PARAMS, DATA, BudgetRequest(budget_kernel, 0.01, bad))
    assert sec["status"] == "user_knobs_do_not_meet_target" and "phase_bits=5" in sec["note"]
    assert sec["total"] <= 0.01 and sec["model"]["fixed_by_user"] == []


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, float("nan"), float("inf")])
def test_bad_failure_probability(p):
    with pytest.raises(ValueError, match=r"failure probability must be in \(0, 1\)"):
        BudgetRequest(kernel=budget_kernel, failure_probability=p)


def test_defaults_shortfall_visible_at_2_to_30():
    params = ReportParameters(n=N30, d=64, depth=DEPTH30)
    data = DataModel.from_values(Q30, O30, DELTA30)
    sec = budget_section(params, data, BudgetRequest(kernel=budget_kernel))
    dflt = sec["fixed_defaults"]
    assert dflt["knobs"]["median_copies"] == 3 and dflt["meets_target"] is False
    assert {"median", "amplitude_estimation", "loader", "rotation_synthesis"} <= set(
        dflt["breaking_components"]
    )
    assert sec["total"] <= 0.01 and sec["uniform_over_optimised"] >= 1.5
    md = "\n".join(budget_markdown({"error_budget": sec}))
    assert "The fixed defaults do not meet P; components that break it alone: loader" in md


def test_without_kernel_or_error_model_the_section_says_so():
    r = build_report(ReportParameters(n=64, d=4, depth=3, qram_models=("unit_cost",)), DATA)
    assert r["error_budget"]["status"] == "not_computed"
    assert "rotation_synthesis" not in r["physical"]["unit_cost"]["run"]["gidney_fowler"]
    toy = Variant(
        name="toy_no_budget",
        build=lambda **s: None,
        knob_names=("amplitude_bits",),
        steps_fn=lambda b: {},
    )
    register_variant(toy)
    try:
        params = ReportParameters(n=64, d=4, variant="toy_no_budget")
        sec = budget_section(params, DATA, BudgetRequest(kernel=budget_kernel))
    finally:
        unregister_variant("toy_no_budget")
    assert sec["status"] == "not_modelled" and "no error components" in sec["reason"]


def test_formula_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    assert formula_cache.load("test_kind", "a") is None
    formula_cache.store("test_kind", "a", [[1, "Integer(2)"]])
    files = list(tmp_path.glob("test_kind-*.json"))
    assert len(files) == 1 and formula_cache.code_fingerprint() in files[0].name
    monkeypatch.setattr(formula_cache, "_MEMORY", {})  # a new process reads the file
    assert formula_cache.load("test_kind", "a") == [[1, "Integer(2)"]]
    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", "off")
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    assert formula_cache.cache_dir() is None and formula_cache.load("test_kind", "a") is None


def test_cost_vs_failure_probability_plot(report, tmp_path):
    pytest.importorskip("matplotlib")
    from resource_estimates.report import write_report

    write_report(report, tmp_path / "r")
    png = tmp_path / "r" / "cost_vs_failure_probability.png"
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 1000


def test_a_qlsa_component_needs_run_costs_in_its_epsilon():
    from dataclasses import replace

    from resource_estimates.variants.diagonal import DIAGONAL

    toy = replace(DIAGONAL, name="toy_qlsa", error_components=(*DIAGONAL.error_components, "qlsa"))
    register_variant(toy)
    try:
        params = ReportParameters(n=64, d=4, depth=3, variant="toy_qlsa")
        sec = budget_section(params, DATA, BudgetRequest(kernel=budget_kernel))
    finally:
        unregister_variant("toy_qlsa")
    assert sec["status"] == "not_modelled" and "qlsa_epsilon is not fitted" in sec["reason"]


def test_cached_section_is_the_computed_one(tmp_path, monkeypatch):
    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    request = BudgetRequest(kernel=budget_kernel, failure_probability=0.05)
    first = budget_section(PARAMS, DATA, request)
    assert list(tmp_path.glob("error_budget-*.json"))
    monkeypatch.setattr(formula_cache, "_MEMORY", {})  # as a new process: read from disk
    again = budget_section(PARAMS, DATA, request)
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)
    # another kernel (depth), P or knob is another entry, never the cached one
    other = budget_section(PARAMS.replace(depth=11), DATA, request)
    assert other != first
    assert len(list(tmp_path.glob("error_budget-*.json"))) == 2


def test_infeasible_budget_is_a_section_not_an_error():
    # a readout margin o = 1e-9 is used up by the systematic errors at any knobs in the bounds
    data = DataModel.from_values(success_probability=0.05, readout_overlap=1e-9, delta=0.01)
    report = build_report(PARAMS, data, error_budget=BudgetRequest(kernel=budget_kernel))
    sec = report["error_budget"]
    assert sec["status"] == "infeasible" and "readout margin" in sec["reason"]
    levers = sec["would_make_feasible"]
    assert levers["larger_p"]["smallest_p"] is None  # P moves only the shots
    assert levers["readout_margin"]["o"] == pytest.approx(1e-9)
    assert sec["costed_knobs"]["meets_target"] is False
    assert report["optimised"]["status"] == "not_computed"
    text = report_markdown(report)
    head = text.splitlines()[:15]
    assert any("infeasible: no knobs meet P = 0.01" in line for line in head), head
    assert "**Infeasible**" in text and "What would make it feasible" in text
    json.loads(report_json(report))
    # the conclusion on the costed knobs says it fails, and why
    (c,) = [c for c in report["conclusions"] if c["qram_model"] == "any"]
    assert not c["holds"] and "infeasible" in c["evidence"]


def test_infeasible_budget_names_a_smaller_n_that_is_feasible():
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.report.budget_infeasible import PROBE_LOG2_N, infeasible_section

    # o(n) shrinks with n: feasible at the default data's 0.3 for n <= 2^20, not above
    def problem_at(n):
        o = 0.3 if n <= 2**20 else 1e-9
        data = DataModel.from_values(success_probability=0.05, readout_overlap=o, delta=0.01)
        return eb.BudgetProblem.from_report(
            PARAMS.replace(n=n), data, budget_kernel(12, 0.01), rotation_model="ross_selinger"
        )

    sec = infeasible_section(problem_at(2**35), 0.01, {}, "why", problem_at, PARAMS.knobs)
    small = sec["would_make_feasible"]["smaller_n"]
    assert small["probed_log2"] == [k for k in PROBE_LOG2_N if k < 35]
    assert small["log2"] == 20 and small["first_infeasible_log2"] == 30
    assert "met at n = 2^20, not at 2^30" in sec["advice"][0]


def test_summary_only_sections_carry_what_the_data_band_reads(monkeypatch):
    """The band's ends ask for ``summary_only``: the verdict of the costed knobs and the
    optimised job, no cost-vs-P curve, and an infeasible budget without its lever search."""
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.report.budget_infeasible import infeasible_section

    monkeypatch.setenv("QNTK_COMPILE_CACHE_DIR", "off")
    monkeypatch.setattr(formula_cache, "_MEMORY", {})
    data = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)
    full = budget_section(PARAMS, data, BudgetRequest(budget_kernel, 0.01))
    short = budget_section(PARAMS, data, BudgetRequest(budget_kernel, 0.01, summary_only=True))
    assert "cost_vs_failure_probability" in full and "cost_vs_failure_probability" not in short
    assert short["job_t_count"] == full["job_t_count"]
    assert short["costed_knobs"] == full["costed_knobs"]
    assert budget_conclusions(short) == budget_conclusions(full)
    bad = DataModel.from_values(success_probability=0.05, readout_overlap=1e-9, delta=0.01)
    problem = eb.BudgetProblem.from_report(
        PARAMS, bad, budget_kernel(12, 0.01), rotation_model="ross_selinger"
    )

    def no_search(n):
        raise AssertionError("searched a smaller n")

    sec = infeasible_section(problem, 0.01, {}, "why", no_search, PARAMS.knobs, explain=False)
    assert set(sec) == {"status", "target", "reason", "costed_knobs"}
    assert sec["status"] == "infeasible" and sec["costed_knobs"]["meets_target"] is False


def test_explicit_p_with_fixed_knobs_that_cannot_meet_it_stays_an_error():
    data = DataModel.from_values(success_probability=0.05, readout_overlap=1e-9, delta=0.01)
    req = BudgetRequest(budget_kernel, 0.01, dict(PARAMS.knobs), explicit=True)
    with pytest.raises(ValueError, match="cannot be met"):
        budget_section(PARAMS, data, req)


def test_code_fingerprint_covers_the_code():
    """The on-disk caches are keyed by a hash of the code: it must cover the modules the cached
    values come from (it once hashed no file at all after a move, and caches went stale)."""
    from pathlib import Path

    root = Path(formula_cache.__file__).resolve().parents[2]
    files = {p.relative_to(root).as_posix() for p in formula_cache.fingerprint_files()}
    for f in (
        "resource_estimates/logical/formula_cache.py",
        "resource_estimates/error_budget/model.py",
        "resource_estimates/report/error_budget_section.py",
        "bloqs/ntk/diagonal_ntk.py",
    ):
        assert f in files, f


def test_verdicts_at_the_budgets_knobs_beside_the_reports(report):
    """Layout and time verdicts at the knobs that meet P (from the optimised section), labelled
    apart from the same verdicts at the report's knobs (8/6/3/8 here, which do not meet P)."""
    from resource_estimates.report.budget_verdicts import BUDGET_KNOBS_LABEL

    ours = [c for c in report["conclusions"] if c.get("knobs") == BUDGET_KNOBS_LABEL]
    assert {c["qram_model"] for c in ours} == set(PARAMS.qram_models)
    opt = report["optimised"]
    for c in ours:
        run = opt["physical"][c["qram_model"]]["run"]
        if "surface-code layout" in c["claim"]:
            assert c["holds"] == (run["gidney_fowler"]["status"] == "ok")
        else:
            method = c["claim"].split("classical ")[1].split(" NTK")[0]
            hours = run["beverland"].get("job_runtime_hours")
            seconds = report["classical"][method]["seconds"]
            assert c["holds"] == (hours is not None and hours * 3600 < seconds)
    theirs = [c for c in report["conclusions"] if "Gidney-Fowler" in c["claim"] and c not in ours]
    assert theirs and all(c["knobs"] == "report: 8/6/3/8" for c in theirs)
