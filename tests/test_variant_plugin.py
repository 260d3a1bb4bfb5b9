"""A toy second variant, registered here only, goes through every plug-in point of the report,
the simulation and the CLI — proof that a new variant needs no edit of that code.

The toy ("toy_loader") loads the n-entry label vector ``loads`` times with a Kerenidis–Prakash
vector loader (``loads``: a knob the toy declares itself, symbol r, kept symbolic;
``amplitude_bits``: the loader's angle bits). Its job factor is ``s / o²`` with ``s`` the
``sparsity`` knob (shared with the classical baselines), so the job formula must carry a knob's
symbol; its readout is the sparsified overlap; its markdown summary is its own line. Its
simulation variant loads the problem's padded labels once and reads the probability of index 0.
"""

import json
import math

import numpy as np
import pytest
import sympy
from attrs import frozen
from qualtran import Bloq, BloqBuilder, Signature, SoquetT
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.symbolics import SymbolicInt

from bloqs.ntk.step_partition import StepClassifier, step_costs, step_partition, steps_by_bloq
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader
from qntk_compile.classical.analysis import analyze
from qntk_compile.cli import main
from qntk_compile.cli.report import params_keys
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from qntk_compile.jobs.simulate import simulate_problem
from qntk_compile.variants.registry import (
    SimulationVariant,
    register_simulation_variant,
    unregister_simulation_variant,
)
from resource_estimates.data_model import DataModel
from resource_estimates.report import (
    SYMBOLS,
    ReportParameters,
    build_report,
    concrete_costs,
    report_markdown,
    symbolic_costs,
)
from resource_estimates.variants.registry import (
    KNOB_SPECS,
    Knob,
    Variant,
    knob_symbol,
    register_variant,
    unregister_variant,
)

NAME = "toy_loader"
DATA = DataModel.from_values(success_probability=0.25, readout_overlap=0.5, delta=0.01)


@frozen
class RepeatedLoad(Bloq):
    """Toy run: the vector loader applied ``repeats`` times (costing only)."""

    loader: VectorAmplitudeLoader
    repeats: SymbolicInt

    @property
    def signature(self) -> Signature:
        return self.loader.signature

    def build_composite_bloq(self, bb: BloqBuilder, target: SoquetT) -> dict[str, SoquetT]:
        for _ in range(int(self.repeats)):
            target = bb.add(self.loader, target=target)
        return {"target": target}

    def build_call_graph(self, ssa):
        return {self.loader: self.repeats}


def _build(n, d, data_access, amplitude_bits, loads, sparsity):
    return RepeatedLoad(VectorAmplitudeLoader.from_sizes(n, amplitude_bits, data_access), loads)


def _classifier(root: Bloq) -> StepClassifier:
    def step_of(bloq, ctx):
        if isinstance(bloq, VectorAmplitudeLoader):
            return "loading"
        return None if isinstance(bloq, RepeatedLoad) else ctx

    return StepClassifier(
        step_of, lambda b, ctx: ctx, order=("loading", "glue"), root_context="glue"
    )


def _job_factor(values, mode):
    return values["sparsity"] / values["readout_overlap"] ** 2


def _summary(variant, parameters):
    return [f"toy summary: {parameters['loads']} loads of {parameters['n']} entries."]


LOADS = Knob(
    "loads", 2, "r", "loads of the label vector", "loads of the label vector", alternative=3
)


TOY = Variant(
    name=NAME,
    build=_build,
    knob_names=("amplitude_bits", "loads", "sparsity"),
    own_knobs=(LOADS,),
    classifier=_classifier,
    symbolic_knobs=("loads",),
    description="toy: the label loader, s times",
    readout="sparsified",
    job_factor=_job_factor,
    summary=_summary,
)


def _sim_build(problem, *, data_access="qrom"):
    return VectorAmplitudeLoader.from_vector(
        problem.y, amplitude_bits=problem.amplitude_bits, data_access=data_access
    )


def _sim_read_out(res):
    return {"p_index0_simulated": float(res.marginal("target")[0])}


def _sim_reference(problem, *, data_access="qrom"):
    y = np.asarray(problem.y, float)
    return {"p_index0_reference": float(y[0] ** 2 / np.sum(y**2))}


TOY_SIM = SimulationVariant(
    name=NAME,
    build=_sim_build,
    read_out=_sim_read_out,
    reference=_sim_reference,
    knobs=("amplitude_bits",),
    knob_defaults={"amplitude_bits": 3},
    options={"data_access": "qrom"},
    title="toy loader",
)


@pytest.fixture
def toy():
    register_variant(TOY)
    register_simulation_variant(TOY_SIM)
    yield TOY
    unregister_variant(NAME)
    unregister_simulation_variant(NAME)


# ------------------------------------------------------------------ costing plug-in points


def test_knobs_are_validated_by_the_variant_and_shared_with_the_baselines(toy):
    p = ReportParameters(n=2**10, d=4, variant=NAME, knobs={"sparsity": 5})
    assert dict(p.knobs) == {"amplitude_bits": 8, "loads": 2, "sparsity": 5}
    assert p.sparsity == 5  # one value for the circuit and the CG baseline
    assert ReportParameters(n=2**10, d=4, variant=NAME, sparsity=7).knobs["sparsity"] == 7
    with pytest.raises(ValueError, match="unknown knob.*phase_bits"):
        ReportParameters(n=2**10, d=4, variant=NAME, phase_bits=4)
    with pytest.raises(ValueError, match="amplitude_bits must be >= 1"):
        ReportParameters(n=2**10, d=4, variant=NAME, amplitude_bits=0)
    with pytest.raises(ValueError, match="loads must be an integer"):
        ReportParameters(n=2**10, d=4, variant=NAME, loads=1.5)
    assert KNOB_SPECS["loads"] is LOADS  # registered with the variant
    assert params_keys(NAME).count("sparsity") == 1 and "loads" in params_keys(NAME)
    assert "phase_bits" not in params_keys(NAME)


def test_sizes_build_and_step_classifier(toy):
    p = ReportParameters(n=2**6, d=4, variant=NAME, knobs={"amplitude_bits": 3, "loads": 3})
    bloq, run, steps = concrete_costs(p, "circuit")
    assert isinstance(bloq, RepeatedLoad) and bloq.repeats == 3
    assert list(steps)[0] == "loading" and set(steps) <= {"loading", "glue"}
    assert steps["loading"].toffoli == run.toffoli > 0
    one = concrete_costs(p.replace(loads=1), "circuit", steps=False)[1]
    assert run.toffoli == 3 * one.toffoli


def test_formulas_carry_the_variants_symbolic_knob(toy):
    knobs = {"amplitude_bits": 3, "loads": 3, "sparsity": 16}
    # (circuit QRAM: under unit cost a symbolic-n loader hides its queries, see symbolic_costs)
    run, _ = symbolic_costs(NAME, "qrom", "circuit", 4, knobs)
    r = knob_symbol("loads")
    assert str(r) == "r" and r in sympy.sympify(run.toffoli).free_symbols
    for n, s in ((2**5, 1), (2**8, 3), (2**11, 5)):
        p = ReportParameters(n=n, d=4, variant=NAME, knobs={**knobs, "loads": s})
        conc = concrete_costs(p, "circuit", steps=False, qubits=False)[1]
        got = run.subs({SYMBOLS["n"]: n, r: s})
        assert got.toffoli == conc.toffoli, (n, s)


def test_job_factor_readout_and_summary_in_the_report(toy):
    p = ReportParameters(n=2**8, d=4, variant=NAME, sparsity=3, loads=5, qram_models=("unit_cost",))
    r = build_report(p, DATA)
    assert r["variant"] == {"name": NAME, "description": TOY.description}
    assert r["physical"]["unit_cost"]["runs_in_job"] == 12  # s / o^2 = 3 / 0.25
    assert r["formulas"]["job_factor"]["expr"] == "s/o**2"
    assert set(r["formulas"]["symbols"]) == {"n", "p", "o", "b_a", "r", "s"}
    assert r["formulas"]["symbols"]["r"] == "loads: loads of the label vector"
    assert r["formulas"]["symbolic_knobs"] == ["loads"]
    assert r["parameters"]["sparsity"] == 3 and r["parameters"]["amplitude_bits"] == 8
    assert r["parameters"]["loads"] == 5
    assert "phase_bits" not in r["parameters"]
    assert "phase_gradient_rotation_toffolis" not in r["published"]  # no kernel_bits knob
    md = report_markdown(r)
    assert "toy summary: 5 loads of 256 entries." in md


def test_report_cli_with_a_registered_variant(toy, tmp_path, capsys):
    """``report --variant toy_loader`` on a data set: the variant's readout overlap (the
    sparsified one) is measured, its knob flags apply, the files are written."""
    out = tmp_path / "r"
    argv = ["report", "--variant", NAME, "--dataset", "sphere", "--dataset-sizes", "16,32"]
    argv += ["--d", "4", "--n", "32", "--amplitude-bits", "3", "--sparsity", "4", "--loads", "3"]
    assert main(argv + ["--out", str(out), "--no-plots"]) == 0, capsys.readouterr().err
    r = json.loads((out / "report.json").read_text())
    assert r["variant"]["name"] == NAME
    assert r["parameters"]["amplitude_bits"] == 3 and r["parameters"]["sparsity"] == 4
    assert r["parameters"]["loads"] == 3
    rows = analyze(datasets.load("sphere", d=4), [16, 32])["sizes"]
    row = next(x for x in rows if x["n_padded"] == 32)
    expect = 1 / math.sqrt(row["readout_count_sparsified_median"])
    assert r["data"]["readout_overlap"]["value"] == pytest.approx(expect)
    assert r["data"]["kappa"]["value"] == pytest.approx(row["kappa_sparsified"])
    assert r["parameters"]["kappa"] == pytest.approx(row["kappa_sparsified"])
    assert "toy summary: 3 loads of 32 entries." in (out / "report.md").read_text()
    # a knob of another variant is refused, in one line
    assert main(argv + ["--phase-bits", "3", "--out", str(tmp_path / "x")]) == 2
    assert "not a knob of variant" in capsys.readouterr().err


# ------------------------------------------------------------------ simulation plug-in points


def _problem():
    X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    y = np.array([1.0, -1.0, 1.0])
    return Problem.from_arrays(X, y, np.array([0.8, 0.6]), depth=3, amplitude_bits=8)


def test_simulate_problem_with_a_registered_variant(toy):
    r = simulate_problem(_problem(), variant=NAME)
    assert r["variant"] == NAME and r["knobs"] == {"amplitude_bits": 8, "data_access": "qrom"}
    assert r["p_index0_reference"] == pytest.approx(1 / 3)
    assert r["p_index0_simulated"] == pytest.approx(r["p_index0_reference"], abs=0.02)
    assert r["counts_match_cost"]
    with pytest.raises(ValueError, match="takes no option amplification_rounds"):
        simulate_problem(_problem(), variant=NAME, amplification_rounds=1)


def test_simulate_cli_with_a_registered_variant(toy, capsys):
    argv = ["simulate", "--variant", NAME, "--n", "4", "--json"]
    assert main(argv) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["variant"] == NAME and r["knobs"]["amplitude_bits"] == 3  # the variant's default
    assert r["p_index0_simulated"] == pytest.approx(r["p_index0_reference"], abs=0.02)
    assert main(["simulate", "--variant", NAME, "--n", "4", "--phase-bits", "2"]) == 2
    assert "not a knob of variant" in capsys.readouterr().err
    assert main(["simulate", "--variant", NAME, "--n", "4", "--amplification-rounds", "1"]) == 2
    assert "takes no option" in capsys.readouterr().err
    assert main(["simulate", "--variant", NAME, "--n", "4"]) == 0  # generic text output
    assert "p_index0_simulated" in capsys.readouterr().out


def test_unregistered_variant_is_gone(capsys):
    assert main(["simulate", "--variant", NAME, "--n", "4"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown variant"):
        ReportParameters(n=16, d=4, variant=NAME)
    assert "loads" not in KNOB_SPECS  # its own knob went with it
    assert main(["report", "--loads", "2", "--out", "unused"]) == 2  # so did the flag
    assert "unrecognized arguments: --loads" in capsys.readouterr().err


# ------------------------------------------------------------------ the generic step walker


def test_step_partition_is_a_partition_with_any_classifier():
    loader = VectorAmplitudeLoader.from_sizes(2**4, 3)
    root = RepeatedLoad(loader, 3)
    part = step_partition(root, _classifier(root))
    assert part == {"loading": {loader: 3}}
    assert steps_by_bloq(part) == {loader: "loading"}
    total = get_cost_value(root, QECGatesCost())
    assert step_costs(part)["loading"] == total

    # a classifier that owns the loader's callees: a finer partition, the same total
    def finer(b, ctx):
        return None if isinstance(b, (RepeatedLoad, VectorAmplitudeLoader)) else "parts"

    part = step_partition(root, StepClassifier(finer, lambda b, c: c, order=("parts",)))
    assert loader not in part["parts"] and len(part["parts"]) > 1
    assert step_costs(part)["parts"] == total


def test_data_accesses_are_listed_once(monkeypatch, tmp_path, capsys):
    """A new data access added to ``DATA_ACCESS_KINDS`` reaches the report's validation and
    both commands' ``--data-access`` choices with no other edit."""
    from bloqs.state_preparation import kp_tree
    from qntk_compile.cli import build_parser

    kinds = (*kp_tree.DATA_ACCESS_KINDS, "new_kind")
    monkeypatch.setattr(kp_tree, "DATA_ACCESS_KINDS", kinds)
    p = ReportParameters(n=16, d=4, data_access="new_kind")
    assert p.data_access == "new_kind"
    parser = build_parser()
    for cmd, extra in (("report", ["--out", str(tmp_path)]), ("simulate", [])):
        args = parser.parse_args([cmd, "--data-access", "new_kind", *extra])
        assert args.data_access == "new_kind"
    with pytest.raises(ValueError, match="unknown data access"):
        ReportParameters(n=16, d=4, data_access="tape")


def test_extra_sections_of_a_variant_reach_report_json_and_markdown():
    """A variant's own sections (``extra_sections``/``extra_markdown``) go into the report
    without any variant-specific code in the report; a clash with a report section is refused."""
    import dataclasses

    def sections(params, data):
        return {"toy_section": {"n_seen": params.n, "overlap": data.at(params.n)["delta"].value}}

    def markdown(report):
        return ["## Toy section", "", f"n seen: {report['toy_section']['n_seen']}"]

    variant = dataclasses.replace(TOY, extra_sections=sections, extra_markdown=markdown)
    register_variant(variant)
    try:
        p = ReportParameters(n=2**6, d=4, variant=NAME, qram_models=("unit_cost",))
        r = build_report(p, DATA)
        assert r["toy_section"] == {"n_seen": 2**6, "overlap": 0.01}
        assert "## Toy section" in report_markdown(r) and "n seen: 64" in report_markdown(r)
        register_variant(dataclasses.replace(variant, extra_sections=lambda p, d: {"data": {}}))
        with pytest.raises(ValueError, match="clash"):
            build_report(p, DATA)
    finally:
        unregister_variant(NAME)
