"""Reports of the diagonal variant: formulas == concrete counts, determinism, speed, QRAM models."""

import json
import time

import pytest
import sympy

from resource_estimates.data_model import DataModel
from resource_estimates.logical.counts import logical_counts
from resource_estimates.report import (
    GATE_FIELDS,
    SYMBOLS,
    ReportParameters,
    build_report,
    concrete_costs,
    get_variant,
    refitted_steps,
    report_json,
    report_markdown,
    sweep_rows,
    symbolic_costs,
)

DATA = DataModel.from_values(success_probability=0.01, readout_overlap=0.2, delta=1e-3)
KNOBS = {"amplitude_bits": 8, "phase_bits": 6, "median_copies": 3, "kernel_bits": 8}


def _params(n, **kw):
    return ReportParameters(n=n, d=64, **{**KNOBS, **kw})


@pytest.mark.parametrize("qram", ["circuit", "unit_cost"])
def test_symbolic_formulas_equal_concrete_counts_every_step(qram):
    """Formulas in n (and k, b_k), substituted at 3 sizes, equal the sizes-only bloq's counts."""
    s_run, s_steps = symbolic_costs("diagonal", "qrom", qram, 64, KNOBS)
    for n in (2**4, 2**10, 2**30):
        _, run, steps = concrete_costs(_params(n), qram, qubits=False)
        subs = {SYMBOLS["n"]: n, **{SYMBOLS[k]: v for k, v in KNOBS.items()}}
        assert set(steps) == set(s_steps)
        for name, counts in steps.items():
            got = s_steps[name].subs(subs)
            for f in GATE_FIELDS:
                assert getattr(got, f) == getattr(counts, f), (qram, n, name, f)
        for f in GATE_FIELDS:
            assert getattr(s_run.subs(subs), f) == getattr(run, f), (qram, n, f)


def test_label_state_formula_is_a_verified_fit():
    """The label loader's per-level data accesses are inlined by its symbolic call graph, so its
    step is replaced by an exact polynomial in log2 n (verified up to n = 2^40)."""
    assert refitted_steps("diagonal", "qrom", "unit_cost", 64, KNOBS) == ("label state",)
    run, steps = symbolic_costs("diagonal", "qrom", "unit_cost", 64, KNOBS)
    # Under unit-cost QRAM the whole run is polylogarithmic: no n left outside log2(n).
    expr = sympy.sympify(run.toffoli)
    assert expr.subs(sympy.ceiling(sympy.log(SYMBOLS["n"], 2)), sympy.Symbol("L")).free_symbols <= {
        sympy.Symbol("L"),
        SYMBOLS["median_copies"],
        SYMBOLS["kernel_bits"],
    }


def test_formulas_in_the_bit_precisions():
    """median_copies and kernel_bits stay symbolic; substituting other values matches too."""
    s_run, _ = symbolic_costs("diagonal", "qrom", "circuit", 64, KNOBS)
    assert {str(s) for s in sympy.sympify(s_run.toffoli).free_symbols} == {"n", "k", "b_k"}
    knobs = dict(KNOBS, median_copies=5, kernel_bits=6)
    _, run, _ = concrete_costs(
        _params(2**12, median_copies=5, kernel_bits=6), "circuit", steps=False, qubits=False
    )
    subs = {SYMBOLS["n"]: 2**12, **{SYMBOLS[k]: v for k, v in knobs.items()}}
    assert s_run.subs(subs).toffoli == run.toffoli


def test_steps_partition_the_run():
    for qram in ("circuit", "unit_cost"):
        _, run, steps = concrete_costs(_params(2**10), qram)
        for f in GATE_FIELDS:
            assert sum(getattr(s, f) for s in steps.values()) == getattr(run, f), (qram, f)
        assert max(s.qubits for s in steps.values()) <= run.qubits
        bloq = get_variant("diagonal").build(**_params(2**10).sizes())
        assert logical_counts(bloq, qram) == run


def test_report_contents_and_determinism():
    p = _params(2**20)
    r1 = build_report(p, DATA)
    r2 = build_report(p, DATA)
    assert report_json(r1) == report_json(r2)
    json.loads(report_json(r1))
    circ, unit = r1["logical"]["circuit"], r1["logical"]["unit_cost"]
    # Circuit QRAM pays O(n) per query; unit-cost does not.
    assert circ["run"]["toffoli"] > 2**20 > 10 * unit["run"]["toffoli"]
    assert circ["run"]["queries"] == unit["run"]["queries"] > 0
    assert r1["data"]["post_selection_runs"] == 100 and r1["data"][
        "readout_shots"
    ] == pytest.approx(25)
    assert circ["job"]["toffoli"] == pytest.approx(circ["run"]["toffoli"] * 2500)
    holds = {(c["qram_model"], c["claim"]): c["holds"] for c in r1["conclusions"]}
    assert not holds[("circuit", "one coherent run costs polylog(n) Toffolis")]
    assert holds[("unit_cost", "one coherent run costs polylog(n) Toffolis")]
    checks = r1["formulas"]["circuit"]["matches_concrete_at_parameters"]["steps"]
    assert all(checks["median"].values())
    for model in ("gidney_fowler", "beverland", "microsoft"):
        assert r1["physical"]["circuit"]["run"][model]["status"] in (
            "ok",
            "no_valid_factory",
            "infeasible",
            "out_of_range",
            "unavailable",
        )
    md = report_markdown(r1)
    assert "unit-cost QRAM" in md and "circuit QRAM" in md and "Conclusions" in md


def test_report_at_2_40_within_two_seconds():
    build_report(_params(2**14), DATA)  # warm-up: formulas and n-independent sub-bloq costs
    t0 = time.perf_counter()
    r = build_report(_params(2**40), DATA)
    elapsed = time.perf_counter() - t0
    print(f"\nreport at n=2^40: {elapsed:.2f} s")
    assert elapsed <= 2.0
    assert r["logical"]["unit_cost"]["run"]["qubits"] < 200
    assert r["physical"]["circuit"]["run"]["gidney_fowler"]["status"] == "no_valid_factory"


def test_sweep_and_crossover():
    p = _params(2**16)
    rows = sweep_rows(p, DATA, [2**10, 2**20, 2**30])
    assert len(rows) == 6 and {r["qram_model"] for r in rows} == {"circuit", "unit_cost"}
    r = build_report(p, DATA, sweep=rows)
    x = r["classical"]["crossover"]
    assert x["status"] == "ok" and set(x["n"]) == {"circuit", "unit_cost"}
    assert x["n"]["circuit"]["diagonal"] is None  # O(n) per query never beats O(nd) classically
    with pytest.raises(ValueError):
        sweep_rows(p, DATA, [1000])


@pytest.mark.parametrize(
    "kw",
    [
        {"n": 1},
        {"n": 3},
        {"n": 2.0},
        {"d": 0},
        {"amplitude_bits": -1},
        {"median_copies": 2},
        {"data_access": "magic"},
        {"post_selection": "hope"},
        {"kappa": 0.5},
    ],
)
def test_bad_parameters(kw):
    base = dict(n=16, d=4)
    with pytest.raises(ValueError):
        ReportParameters(**{**base, **kw})


def test_unknown_variant():
    with pytest.raises(ValueError, match="unknown variant"):
        get_variant("triangular")
    with pytest.raises(ValueError, match="unknown variant"):
        build_report(ReportParameters(n=16, d=4, variant="triangular"), DATA)


@pytest.mark.parametrize("access", ["select_swap", "bucket_brigade"])
def test_other_data_access(access):
    r = build_report(_params(2**30, data_access=access), DATA)
    circ, unit = r["logical"]["circuit"]["run"], r["logical"]["unit_cost"]["run"]
    qrom = build_report(_params(2**30), DATA)["logical"]
    # Under unit-cost QRAM the loader choice does not matter: a query is one call.
    assert unit["toffoli"] == qrom["unit_cost"]["run"]["toffoli"]
    assert unit["qubits"] == qrom["unit_cost"]["run"]["qubits"]
    if access == "bucket_brigade":
        assert circ["qubits"] > 2**30  # O(N) routing qubits
        assert r["formulas"]["circuit"]["status"] == "ok"
    else:
        assert circ["toffoli"] < qrom["circuit"]["run"]["toffoli"] / 100  # ~sqrt(N) per read
        # SelectSwapQROM over a symbolic number of loader levels cannot be summed in closed form
        assert r["formulas"]["circuit"]["status"] == "unavailable"
    assert "Formulas" in report_markdown(r)


def test_amplitude_amplification_model_matches_the_amplified_circuit():
    """The job model's AA factor (2r+1 runs) agrees with DiagonalNTK's explicit amplified kernel
    (AmplifiedTestKernel, r Grover rounds) to within 1% in Toffolis, under both QRAM models."""
    from bloqs.ntk.diagonal_ntk import DiagonalNTK

    r, n = 5, 2**20
    for qram in ("circuit", "unit_cost"):
        plain = logical_counts(DiagonalNTK.from_sizes(n, 64, 8, 6, 3, 8), qram, qubits=False)
        amplified = logical_counts(
            DiagonalNTK.from_sizes(n, 64, 8, 6, 3, 8, amplification_rounds=r), qram, qubits=False
        )
        model = plain.repeated(2 * r + 1)
        assert abs(amplified.toffoli - model.toffoli) <= 0.01 * model.toffoli, qram


def test_force_removes_stale_outputs_of_an_earlier_report(tmp_path):
    from resource_estimates.report import PLOT_FILES, write_report

    out = tmp_path / "rep"
    out.mkdir()
    for name in (*PLOT_FILES, "sweep.csv", "callgraph.dot", "qref.json", "qref_circuit.json"):
        (out / name).write_text("stale")  # outputs of an earlier report
    (out / "notes.txt").write_text("mine")  # not a report file: left alone
    report = build_report(_params(2**10), DATA)
    written = write_report(report, out, force=True, plots=False)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [p.name for p in written] + ["notes.txt"]
    )
    assert {p.name for p in written} == {
        "report.json",
        "report.md",
        "msft_logical_counts.json",
        "qref.json",
        "qref_unit_cost.json",
    }  # fmt: skip  (the QREF comes from the report's formulas, no bloq needed)
    assert (out / "qref.json").read_text() != "stale"
    assert (out / "report.json").read_text(encoding="utf-8") == report_json(report)
