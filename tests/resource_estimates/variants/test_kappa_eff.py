"""kappa_eff = alpha/lambda_min(K~) of the weighted block encoding: measured by analyze on a real
data set, carried by the DataModel, costed by the sparsified report (CLI) with its degree rule."""

import json

import numpy as np
import pytest

from bloqs.linear_systems.inverse_polynomials import qlsa_degree
from qntk_compile.classical import reference as R
from qntk_compile.classical.analysis import WEIGHTED_ENCODING_KEYS, analyze
from qntk_compile.cli import main
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from resource_estimates.data_model import DataModel
from resource_estimates.report import ReportParameters, build_report
from resource_estimates.variants.sparsified import qlsa_section

SIZES = [16, 32]


@pytest.fixture(scope="module")
def rows():
    return analyze(datasets.load("digits-8-9", seed=0), SIZES)["sizes"]


def _independent_kappa_eff(n):
    """alpha/lambda_min of K~ recomputed here: alpha = max diag + (s - 1) max |offdiag|."""
    ds = datasets.load("digits-8-9", seed=0)
    X, y = ds.training(n)
    problem = Problem.from_arrays(X, y, np.array(ds.X_test)[0], depth="conv/10", pattern_seed=0)
    K = R.kernel_matrix(problem)
    Kt = R.sparsified_kernel_matrix(problem, R.sparsity_pattern(problem, "pseudorandom"), K)
    s = int(np.max(np.count_nonzero(Kt, axis=1)))
    off = np.abs(Kt - np.diag(np.diag(Kt)))
    alpha = np.max(np.diag(Kt)) + (s - 1) * np.max(off)
    return alpha / np.linalg.eigvalsh(Kt)[0], alpha / np.max(np.diag(Kt))


def test_analyze_measures_kappa_eff_at_least_kappa_on_real_kernel(rows):
    for r in rows:
        assert set(WEIGHTED_ENCODING_KEYS) <= set(r)
        assert 1 <= r["kappa_sparsified"] < r["kappa_eff"] <= r["kappa_eff_bound"]
        assert r["alpha_over_k11"] == pytest.approx(1 + r["gamma"], rel=1e-12)
        assert r["gamma"] == pytest.approx((r["max_nonzeros"] - 1) * r["e_max"], rel=1e-12)
        kappa_eff, alpha = _independent_kappa_eff(r["n"])
        assert r["kappa_eff"] == pytest.approx(kappa_eff, rel=1e-12)
        assert r["alpha_over_k11"] == pytest.approx(alpha, rel=1e-12)


def test_data_model_carries_kappa_eff_measured_and_extrapolated(rows):
    m = DataModel.from_rows(rows, "digits", readout="sparsified")
    here = m.at(32)
    assert here["kappa_eff"].status == "measured"
    assert here["kappa_eff"].value == rows[1]["kappa_eff"] >= here["kappa"].value
    assert here["alpha_over_k11"].value == rows[1]["alpha_over_k11"]
    far = m.at(2**20)["kappa_eff"]
    assert far.status == "extrapolated" and far.value >= 1 and "power law" in far.detail
    given = DataModel.from_values(0.1, 0.2, 0.01, kappa=1.5, kappa_eff=2.0).at(8)
    assert given["kappa_eff"].value == 2.0 and given["kappa_eff"].status == "user"
    with pytest.raises(ValueError, match="kappa_eff"):
        DataModel.from_values(0.1, 0.2, 0.01, kappa=1.5, kappa_eff=1.2)


def test_qlsa_section_with_measured_kappa_eff_and_lower_bound(rows):
    m = DataModel.from_rows(rows, "digits", readout="sparsified")
    kw = dict(n=32, d=64, variant="sparsified", amplitude_bits=3, phase_bits=2, median_copies=1,
              kernel_bits=3, sparsity=7, qram_models=("unit_cost",))  # fmt: skip
    q = build_report(
        ReportParameters(
            kappa=m.at(32)["kappa"].value, kappa_eff=m.at(32)["kappa_eff"].value, **kw
        ),
        m,
    )["qlsa"]
    assert q["kappa_eff"]["status"] == "measured" and q["kappa"]["status"] == "measured"
    assert q["kappa_eff"]["value"] > q["kappa"]["value"]
    assert q["alpha"]["data"]["value"] == rows[1]["alpha_over_k11"]
    assert (q["ours"]["degree"], q["ours"]["method"]) == (1, "neumann")  # deep-NTK regime
    assert q["ours"]["degrees"] == {"neumann": 1, "chebyshev": 1, "cks": 15, "minimax": 1}
    given = DataModel.from_values(0.05, 0.3, 0.01)
    low = build_report(ReportParameters(kappa=3.0, **kw), given)["qlsa"]
    assert low["kappa_eff"]["status"] == "lower_bound" and low["kappa_eff"]["value"] == 3.0
    assert "lower bound" in low["kappa_eff"]["detail"]
    low_ours = (low["ours"]["degree"], low["ours"]["method"])
    assert low_ours == qlsa_degree(3.0, 0.01) == (15, "chebyshev")
    big = build_report(ReportParameters(kappa=3.0, kappa_eff=12.0, **kw), given)["qlsa"]
    assert big["ours"]["method"] == "chebyshev" and big["kappa_eff"]["status"] == "user"
    assert big["ours"]["degree"] == 63 < big["ours"]["degrees"]["cks"]
    assert big["ours"]["degrees"]["minimax"] is None and "minimax_note" in big["ours"]["degrees"]


def test_cli_report_costs_the_measured_weighted_kappa_eff(tmp_path, rows):
    out = tmp_path / "r"
    argv = ["report", "--variant", "sparsified", "--n", "32", "--dataset", "digits-8-9",
            "--dataset-sizes", "16,32", "--qram-model", "unit_cost", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    q = json.loads((out / "report.json").read_text())["qlsa"]
    # report.json carries 10 significant digits (resource_estimates.report.writers.FLOAT_DIGITS)
    assert q["kappa_eff"]["value"] == float(f"{rows[1]['kappa_eff']:.10g}")
    assert q["kappa_eff"]["status"] == "measured"
    assert q["kappa"]["value"] == float(f"{rows[1]['kappa_sparsified']:.10g}")
    assert q["kappa"]["value"] < q["kappa_eff"]["value"]
    assert q["ours"]["method"] == "neumann" and q["ours"]["degree"] == 1
    assert "| kappa_eff (costed) |" in (out / "report.md").read_text()


PARAMS = {
    "n": 64,
    "d": 16,
    "variant": "sparsified",
    "data_access": "qrom",
    "amplitude_bits": 3,
    "phase_bits": 2,
    "median_copies": 1,
    "kernel_bits": 3,
    "kappa_eff": None,
    "post_selection": "repeat",
    "success_probability": 0.05,
    "readout_overlap": 0.3,
    "delta": 0.01,
    "depth": 10,
    "sparsity": 7,
    "kappa": 1.2,
    "qlsa_epsilon": 0.01,
}


def _params_file(tmp_path, **change):
    tmp_path.mkdir()
    f = tmp_path / "p.json"
    f.write_text(json.dumps({**PARAMS, **change}))
    return f


def _params_report(tmp_path, **change):
    f = _params_file(tmp_path, **change)
    out = tmp_path / "out"
    code = main(["report", "--params", str(f), "--qram-model", "unit_cost", "--no-plots",
                 "--out", str(out)])  # fmt: skip
    return code, out


def _params_request(tmp_path, **change):
    from qntk_compile.cli import build_parser
    from qntk_compile.jobs.report_request import ReportRequest

    f = _params_file(tmp_path, **change)
    argv = ["report", "--params", str(f), "--qram-model", "unit_cost", "--no-plots"]
    argv += ["--out", str(tmp_path / "out")]
    return ReportRequest.from_options(vars(build_parser().parse_args(argv)))


def test_params_kappa_only_is_the_lower_bound_and_e_max_gives_gershgorin(tmp_path, capsys):
    code, out = _params_report(tmp_path / "a")
    assert code == 0
    q = json.loads((out / "report.json").read_text())["qlsa"]
    assert q["kappa_eff"]["status"] == "lower_bound" and q["kappa_eff"]["value"] == 1.2
    # the other provenances from the request the CLI builds (its qlsa section; the whole
    # report from such a request is the one above)
    request = _params_request(tmp_path / "b", e_max=0.01, kappa=1.05)  # gamma = 6 * 0.01
    q = qlsa_section(request.params, request.data_model)["qlsa"]
    assert q["kappa_eff"]["status"] == "gershgorin_bound"
    assert q["kappa_eff"]["value"] == pytest.approx(1.06 / 0.94)
    assert (q["ours"]["degree"], q["ours"]["method"]) == qlsa_degree(1.06 / 0.94, 0.01)
    assert request.data_model.at(64)["e_max"].value == 0.01
    request = _params_request(tmp_path / "c", e_max=0.01, kappa_eff=2.5)
    q = qlsa_section(request.params, request.data_model)["qlsa"]
    assert q["kappa_eff"]["status"] == "user" and q["kappa_eff"]["value"] == 2.5
    capsys.readouterr()
    code, out = _params_report(tmp_path / "d", e_max=0.2)  # gamma = 1.2: no bound
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err.strip()
    assert "gamma" in err and "\n" not in err
    code, out = _params_report(tmp_path / "e", e_max=0.01, kappa=1.5)  # kappa > bound 1.128
    assert code == 2 and "inconsistent" in capsys.readouterr().err
