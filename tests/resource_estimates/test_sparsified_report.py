"""The sparsified variant in the resource report: steps incl. block encoding and QLSA, formulas in
n, kappa, epsilon equal to the concrete counts, the qlsa section, the job factor, bad input."""

import pytest
import sympy

from bloqs.linear_systems.inverse_polynomials import qlsa_degree
from resource_estimates.data_model import DataModel
from resource_estimates.report import (
    SYMBOLS,
    ReportParameters,
    build_report,
    concrete_costs,
    report_markdown,
    symbolic_costs,
)
from resource_estimates.variants.registry import PLANNED_VARIANTS, get_variant, knob_symbol

DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)
D = 4
KNOBS = dict(amplitude_bits=4, phase_bits=3, median_copies=3, kernel_bits=4, sparsity=7)


def _params(n=2**10, **kw):
    return ReportParameters(n=n, d=D, variant="sparsified", **{**KNOBS, "kappa": 1.5, **kw})


@pytest.fixture(scope="module")
def report():
    return build_report(_params(), DATA)


def test_registered_not_planned():
    assert "sparsified" not in PLANNED_VARIANTS
    v = get_variant("sparsified")
    assert {"sparsity", "kappa", "qlsa_epsilon"} <= set(v.knob_names)
    assert v.readout == "sparsified"


def test_steps_include_block_encoding_and_qlsa_and_add_up(report):
    for qram, block in report["logical"].items():
        steps = block["steps"]
        assert {"block encoding", "QLSA", "label state", "readout"} <= set(steps), qram
        assert sum(c["toffoli"] for c in steps.values()) == block["run"]["toffoli"]
        assert sum(c["queries"] for c in steps.values()) == block["run"]["queries"]
        assert steps["block encoding"]["toffoli"] > 0 and steps["QLSA"]["toffoli"] > 0


def test_qlsa_section_side_by_side(report):
    q = report["qlsa"]
    assert q["kappa"]["value"] == 1.5 and q["kappa_eff"]["value"] == 1.5
    assert q["kappa_eff"]["status"] == "lower_bound"  # nothing better known: kappa_eff >= kappa
    assert q["epsilon"] == 0.01 and q["sparsity"] == 7
    assert q["alpha"]["value_over_k11"] == "1 + 6*e_max"
    assert (q["ours"]["degree"], q["ours"]["method"]) == qlsa_degree(1.5, 0.01) == (7, "chebyshev")
    assert q["ours"]["degree"] == q["ours"]["queries_per_run"]
    assert q["ours"]["degrees"] == {"neumann": 9, "chebyshev": 7, "cks": 23, "minimax": 7}
    solvers = q["published"]["solvers"]
    assert {"dalzell_2024", "jennings_2023", "costa_2022_bound", "qsvt_cks"} <= set(solvers)
    assert solvers["qsvt_cks"]["queries"] == q["ours"]["degrees"]["cks"]
    assert q["published"]["kappa"] == q["kappa_eff"]["value"]
    md = report_markdown(report)
    assert "## Quantum linear-system solver (QLSA)" in md and "dalzell_2024" in md


def test_job_factor_joint_post_selection(report):
    shots, p = 1 / 0.3**2, 0.05 * (0.9 / 1.5) ** 2
    for block in report["logical"].values():
        assert block["job"]["toffoli"] == pytest.approx(block["run"]["toffoli"] * shots / p)
    assert "kappa_eff" in report["formulas"]["job_factor"]["expr"]


FIELDS = ("toffoli", "t", "rotation", "measurement", "queries")


@pytest.mark.parametrize("qram", ["circuit", "unit_cost"])
def test_symbolic_equals_concrete_at_three_sizes(qram):
    knobs = {**KNOBS, "kappa": 1.0, "qlsa_epsilon": 0.01}
    run, steps = symbolic_costs("sparsified", "qrom", qram, D, knobs)
    free = sympy.sympify(run.toffoli).free_symbols
    assert {SYMBOLS["n"], knob_symbol("kappa_eff"), knob_symbol("qlsa_epsilon")} <= free
    cases = (
        (2**6, 1.5, 0.01, 3),
        (2**9, 3.0, 0.001, 5),
        (2**12, 1.001, 0.05, 3),
        (2**7, 8, 0.01, 3),
    )
    for n, kappa, eps, k in cases:  # Neumann (deg 9, 1), CKS (3.0, 8) chosen: one Min formula
        p = _params(n, kappa=1.0, kappa_eff=kappa, qlsa_epsilon=eps, median_copies=k)
        _, conc, conc_steps = concrete_costs(p, qram, qubits=False)
        subs = {
            SYMBOLS["n"]: n,
            knob_symbol("kappa_eff"): kappa,
            knob_symbol("qlsa_epsilon"): eps,
            knob_symbol("median_copies"): k,
            knob_symbol("kernel_bits"): KNOBS["kernel_bits"],
        }
        got = run.subs(subs)
        for f in FIELDS:
            assert getattr(got, f) == getattr(conc, f), (qram, n, f)
        for name in ("block encoding", "QLSA"):
            assert steps[name].subs(subs).toffoli == conc_steps[name].toffoli, (name, n)


@pytest.mark.parametrize(
    "kw,needle",
    [
        ({"kappa": 0.5}, "kappa"),
        ({"kappa_eff": 1.2}, "kappa_eff must be >= kappa"),
        ({"qlsa_epsilon": 1.0}, "qlsa_epsilon"),
        ({"qlsa_epsilon": 0.0}, "qlsa_epsilon"),
        ({"sparsity": 2**10 + 1}, "sparsity must be <= n"),
    ],
)
def test_bad_input_one_line(kw, needle):
    with pytest.raises(ValueError, match=needle) as exc:
        _params(**kw)
    assert "\n" not in str(exc.value)
