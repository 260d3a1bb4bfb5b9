"""The sparsified variant's error budget (issue 11, the QLSA's ε): the run cost as a function of ε
through the QLSA degree, the overlap bound 2ε and the label error through the solver, and the
report's ``error_budget`` section with a ``qlsa`` component (library and CLI)."""

import json

import numpy as np
import pytest
import sympy

from bloqs.linear_systems.inverse_polynomials import (
    cks_inverse_polynomial,
    neumann_inverse_polynomial,
)
from qntk_compile.cli import main
from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.data_model import DataModel
from resource_estimates.error_budget import model as em
from resource_estimates.error_budget.knob_costs import formula_run_costs
from resource_estimates.report import SYMBOLS, BudgetRequest, ReportParameters, symbolic_costs
from resource_estimates.report.error_budget_section import budget_markdown, budget_section
from resource_estimates.variants.registry import get_variant
from resource_estimates.variants.sparsified import costed_qlsa_degree
from tests.qntk_compile.cli.test_report import PARAMS as CLI_PARAMS

D, S, KAPPA = 16, 7, 1.5
DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)


def _params(**kw):
    return ReportParameters(
        n=1024, d=D, depth=12, variant="sparsified", sparsity=S, **{"kappa": KAPPA, **kw}
    )


@pytest.fixture(scope="module")
def section():
    return budget_section(_params(), DATA, BudgetRequest(kernel=budget_kernel))


def test_qlsa_degree_is_the_bloqs():
    from bloqs.ntk.sparsified_ntk import SparsifiedNTK

    for kappa, eps in ((1.0, 1e-2), (1.5, 1e-2), (3.0, 1e-6), (40.0, 1e-3)):
        bloq = SparsifiedNTK.from_sizes(2**10, 4, 6, 4, 3, 6, 7, 1.0, eps, kappa_eff=kappa)
        assert bloq.qlsa_degree == costed_qlsa_degree(kappa, eps)


@pytest.mark.parametrize("ba,m,k,bk,eps", [(7, 5, 3, 6, 3e-3), (10, 8, 5, 9, 2e-7)])
def test_run_cost_in_epsilon_equals_the_formula(ba, m, k, bk, eps):
    """The fitted cost (affine in the degree, bilinear in b_a and 2^m, m², m) at points that are
    not fit points equals the report's formula substituted there."""
    n = 2**40
    knobs = {"sparsity": S, "kappa": 2, "kappa_eff": 3}
    costs = formula_run_costs(n, D, "sparsified", "qrom", "unit_cost", knobs)
    got = costs(ba, m, k, bk, qlsa_epsilon=eps)
    run, _ = symbolic_costs("sparsified", "qrom", "unit_cost", D, {
        "amplitude_bits": ba, "phase_bits": m, "median_copies": 3, "kernel_bits": 6, "sparsity": S,
    })  # fmt: skip
    values = {
        SYMBOLS["n"]: n,
        SYMBOLS["median_copies"]: k,
        SYMBOLS["kernel_bits"]: bk,
        get_variant("sparsified").spec("kappa_eff").sympy_symbol(): sympy.Integer(3),
        SYMBOLS["qlsa_epsilon"]: sympy.Float(eps, 30),
    }
    want = [
        int(sympy.sympify(getattr(run, f)).xreplace(values)) for f in ("toffoli", "t", "rotation")
    ]
    assert [float(x) for x in got] == [float(x) for x in want]
    # vectorised over ε, and more precision never costs less
    tof, _, _ = costs(ba, m, k, bk, qlsa_epsilon=np.array([1e-2, 1e-4, 1e-8]))
    assert tof.shape == (3,) and np.all(np.diff(tof) > 0)
    with pytest.raises(ValueError, match="qlsa_epsilon"):
        costs(ba, m, k, bk)


def _neumann(kappa, eps):
    gamma = (kappa - 1) / (kappa + 1)
    return neumann_inverse_polynomial(1 / (1 + gamma), gamma, eps)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("make", [cks_inverse_polynomial, _neumann])
def test_qlsa_state_error_and_label_gain_bound_the_solver(seed, make):
    """‖ṽ − v‖ ≤ 2ε + 2κ(1+ε)/(1−ε)·‖Ỹ − Y‖ for the CKS and Neumann polynomials (the two degree
    rules of ``qlsa_degree``) on a random positive matrix with spectrum in [1/κ, 1] (ṽ the
    normalised p(A)Ỹ, v the normalised A⁻¹Y)."""
    rng = np.random.default_rng(seed)
    kappa, eps = 4.0, 1e-2
    poly = make(kappa, eps)
    q, _ = np.linalg.qr(rng.normal(size=(12, 12)))
    lam = np.concatenate([[1 / kappa, 1.0], rng.uniform(1 / kappa, 1, 10)])
    y = rng.normal(size=12)
    y /= np.linalg.norm(y)
    dy = rng.normal(size=12)
    dy *= 1e-3 / np.linalg.norm(dy)

    def out(vec, f):
        v = q @ (f(lam) * (q.T @ vec))
        return v / np.linalg.norm(v)

    exact = out(y, lambda x: 1 / x)
    solved = out(y, poly)
    assert np.linalg.norm(solved - exact) <= em.qlsa_state_error(poly.error)
    assert poly.error <= eps
    both = out(y + dy, poly)
    bound = em.qlsa_state_error(eps) + em.qlsa_label_gain(kappa, eps) * 1e-3
    assert np.linalg.norm(both - exact) <= bound


def test_section_has_a_qlsa_component(section):
    assert section["status"] == "ok"
    assert section["total"] <= section["target"] == 0.01
    c = section["components"]["qlsa"]
    eps = section["knobs"]["qlsa_epsilon"]
    assert c["knob"] == "qlsa_epsilon" and c["value"] == eps and 0 < eps < 0.15
    assert c["kind"] == "overlap_margin" and c["allocated"] == pytest.approx(2 * eps)
    job = section["job_t_count"]
    assert job["optimised"] <= job["uniform_split"]
    assert set(job) == {"optimised", "uniform_split", "fixed_defaults"}
    assert section["uniform_split"]["knobs"]["qlsa_epsilon"] > 0
    assert section["fixed_defaults"]["knobs"]["qlsa_epsilon"] == 0.01
    md = "\n".join(budget_markdown({"error_budget": section}))
    assert "| qlsa | qlsa_epsilon |" in md and "| readout_shots | qlsa_epsilon |" in md


def test_tighter_target_never_costs_less(section):
    rows = sorted(section["cost_vs_failure_probability"], key=lambda r: -r["target"])
    costs = [r["optimised"] for r in rows]
    assert all(c is not None for c in costs) and costs == sorted(costs)
    assert all(r["optimised"] <= r["uniform_split"] for r in rows)


def test_given_qlsa_epsilon_is_kept():
    request = BudgetRequest(kernel=budget_kernel, fixed={"qlsa_epsilon": 1e-4}, explicit=True)
    sec = budget_section(_params(qlsa_epsilon=1e-4), DATA, request)
    assert sec["status"] == "ok" and sec["knobs"]["qlsa_epsilon"] == 1e-4
    assert "qlsa_epsilon" in sec["model"]["fixed_by_user"]
    assert sec["costed_knobs"]["knobs"]["qlsa_epsilon"] == 1e-4
    # an ε whose 2ε alone uses the whole margin o = 0.3 cannot meet P
    bad = BudgetRequest(kernel=budget_kernel, fixed={"qlsa_epsilon": 0.2}, explicit=True)
    with pytest.raises(ValueError, match="cannot be met with qlsa_epsilon=0.2"):
        budget_section(_params(qlsa_epsilon=0.2), DATA, bad)


def _cli_params(tmp_path, **changes):
    free = dict.fromkeys(("amplitude_bits", "phase_bits", "median_copies", "kernel_bits"))
    values = {**CLI_PARAMS, **free, "variant": "sparsified", "sparsity": S, "kappa": KAPPA}
    values["kappa_eff"] = KAPPA
    f = tmp_path / "params.json"
    f.write_text(json.dumps({**values, **changes}))
    return f


def test_cli_sparsified_report_budget_and_bad_p(tmp_path, capsys):
    f = _cli_params(tmp_path, qlsa_epsilon=1e-3)
    out = tmp_path / "r"
    argv = ["report", "--params", str(f), "--failure-probability", "0.01", "--no-plots"]
    assert main(argv + ["--out", str(out)]) == 0
    sec = json.loads((out / "report.json").read_text())["error_budget"]
    assert sec["status"] == "ok" and sec["knobs"]["qlsa_epsilon"] == 1e-3
    assert sec["components"]["qlsa"]["value"] == 1e-3 and sec["total"] <= 0.01
    capsys.readouterr()
    bad = ["report", "--params", str(f), "--failure-probability", "1.5", "--out", str(out) + "x"]
    assert main(bad) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--failure-probability" in err


def test_degree_independent_of_epsilon_at_kappa_eff_one():
    """κ_eff = 1: the Neumann degree is 1 at every ε, so the run cost does not move with ε (slope 0,
    checked against the formulas) and the section is still computed."""
    knobs = {"sparsity": S, "kappa": 1.0, "kappa_eff": 1.0}
    costs = formula_run_costs(2**30, D, "sparsified", "qrom", "unit_cost", knobs)
    eps = np.array([0.3, 1e-2, 1e-6, 1e-12])
    assert {costed_qlsa_degree(1.0, e) for e in eps} == {1}
    for field in costs(8, 6, 3, 8, qlsa_epsilon=eps):
        assert np.all(field == field[0])
    sec = budget_section(_params(kappa=1.0), DATA, BudgetRequest(kernel=budget_kernel))
    assert sec["status"] == "ok" and sec["total"] <= 0.01
    assert sec["job_t_count"]["optimised"] <= sec["job_t_count"]["uniform_split"]
