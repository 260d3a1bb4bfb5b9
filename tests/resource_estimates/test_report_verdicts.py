"""Honest verdicts (issue 11 item 4) and data accesses beside their own kind (issue 8 §2).

The polylog verdict is a fit in log n over n = 2^10 … 2^40; conclusions say what data they rest
on; the bucket brigade is reported with its Toffoli-depth and routers active per query, and each
data access is set beside the published figure of its own architecture.
"""

import json
import math

import numpy as np
import pytest

from qntk_compile.cli import main
from resource_estimates.costing.formulas import symbolic_costs
from resource_estimates.data_model import DataModel
from resource_estimates.published import figures as published
from resource_estimates.report import ReportParameters, build_report, report_markdown, sweep_rows
from resource_estimates.report.verdicts import (
    MAX_POLYLOG_DEVIATION,
    polylog_fit,
    scaling_conclusions,
    verdict_grid,
)

USER = DataModel.from_values(success_probability=0.01, readout_overlap=0.2, delta=1e-3)
NS = verdict_grid(2**20)
L = np.log2(np.asarray(NS, float))


def _params(n=2**12, **kw):
    return ReportParameters(n=n, d=16, amplitude_bits=6, phase_bits=4, **kw)


def test_verdict_grid():
    assert verdict_grid(2**12) == [2**k for k in range(10, 41)]
    assert verdict_grid(2**44)[-1] == 2**44


@pytest.mark.parametrize(
    "costs,polylog,degree",
    [
        (L**3, True, 3.0),  # (log n)^3: a power-law fit alone would say n^0.17
        (L**3 + 1000, True, None),  # lower-order terms: still polylog
        (L**2 + L**5 / 1000, True, None),
        (np.full_like(L, 7.0), True, 0.0),
        (np.asarray(NS, float) ** 0.5, False, None),
        (np.asarray(NS, float) + 1e6 * L**3, False, None),
        (np.asarray(NS, float) ** 0.2 * L**2, False, None),
    ],
)
def test_polylog_fit_classifies(costs, polylog, degree):
    fit = polylog_fit(NS, list(costs))
    assert fit["polylog"] is polylog
    assert fit["sizes"] == len(NS) and fit["grid"] == [2**10, 2**40]
    if degree is not None:
        assert fit["polylog_degree"] == pytest.approx(degree, abs=1e-6)
        assert fit["polylog_max_relative_deviation"] < 1e-6
    if not polylog:
        assert fit["residual_power_exponent"] > 0.1 or (
            fit["polylog_max_relative_deviation"] > MAX_POLYLOG_DEVIATION
        )


def test_polylog_fit_without_toffolis():
    assert polylog_fit(NS, [0] * len(NS)) is None


def test_formula_and_concrete_counts_give_the_same_verdict():
    p = _params()
    for qram in ("circuit", "unit_cost"):
        s_run, _ = symbolic_costs("diagonal", "qrom", qram, 16, dict(p.knobs))
        by_formula = scaling_conclusions(p, USER, qram, s_run)
        by_bloq = scaling_conclusions(p, USER, qram, None)
        assert [c["fit"]["counts_from"] for c in by_formula] == ["formula"] * 2
        assert [c["fit"]["counts_from"] for c in by_bloq] == ["concrete"] * 2
        for a, b in zip(by_formula, by_bloq, strict=True):
            assert {k: v for k, v in a["fit"].items() if k != "counts_from"} == {
                k: v for k, v in b["fit"].items() if k != "counts_from"
            }
            assert a["holds"] is b["holds"]


def _by_claim(report, qram, start):
    (c,) = [
        c for c in report["conclusions"] if c["qram_model"] == qram and c["claim"].startswith(start)
    ]
    return c


def test_default_verdicts_state_the_fitted_degree():
    r = build_report(_params(), USER)
    unit = _by_claim(r, "unit_cost", "one coherent run costs polylog")
    circ = _by_claim(r, "circuit", "one coherent run costs polylog")
    assert unit["holds"] and not circ["holds"]
    assert f"(log2 n)^{unit['fit']['polylog_degree']:.3f}" in unit["evidence"]
    assert circ["fit"]["residual_power_exponent"] == pytest.approx(1.0, abs=0.01)
    assert unit["data"] == {
        "statuses": [],
        "extrapolated": False,
        "extrapolated_n": None,
        "note": "no data-dependent quantity",
    }
    job = _by_claim(r, "unit_cost", "the whole job")
    assert job["data"]["statuses"] == ["user"] and not job["data"]["extrapolated"]


def _rows(ns, post, read):
    return [
        {
            "n_padded": n,
            "delta": 0.1 / n,
            "post_selection_count_median": p,
            "readout_count_diagonal_median": q,
        }
        for n, p, q in zip(ns, post, read, strict=True)
    ]


def test_conclusions_on_extrapolated_data_say_so():
    """Measured at n = 16 … 64 with counts growing as n^0.5: the job is not polylog, and the
    job verdict and the crossover say they rest on extrapolated data; the run verdict does not."""
    ns = [16, 32, 64]
    data = DataModel.from_rows(_rows(ns, [math.sqrt(n) for n in ns], [4.0] * 3), source="toy rows")
    p = _params()
    r = build_report(p, data, sweep=sweep_rows(p, data, [2**10, 2**12]))
    job = _by_claim(r, "unit_cost", "the whole job")
    assert not job["holds"]
    assert job["fit"]["residual_power_exponent"] == pytest.approx(0.5, abs=0.01)
    assert job["data"]["extrapolated"] and job["data"]["extrapolated_n"] == [2**10, 2**40]
    assert "extrapolated data at 31 of 31 sizes" in job["data"]["note"]
    assert not _by_claim(r, "unit_cost", "one coherent run costs")["data"]["extrapolated"]
    crossing = _by_claim(r, "unit_cost", "the quantum job beats the classical exact")
    assert crossing["data"]["extrapolated"]
    md = report_markdown(r)
    assert "rests on data" in md and "**EXTRAPOLATED**" in md


def test_measured_sizes_are_not_called_extrapolated():
    ns = [2**10, 2**11, 2**12]
    data = DataModel.from_rows(_rows(ns, [10.0] * 3, [4.0] * 3), source="toy rows")
    p = _params()
    r = build_report(p, data, sweep=sweep_rows(p, data, ns))
    crossing = _by_claim(r, "unit_cost", "the quantum job beats the classical exact")
    assert crossing["data"]["statuses"] == ["measured"] and not crossing["data"]["extrapolated"]


@pytest.mark.parametrize(
    "access,source_key",
    [
        ("bucket_brigade", "bucket_brigade"),
        ("one_hot_decoder", "qrom"),
        ("qrom", "qrom"),
        ("select_swap", "qroam_clean"),
    ],
)
def test_each_data_access_beside_its_own_kind(access, source_key):
    n = 2**12
    r = build_report(_params(n, data_access=access), USER)
    pub = r["published"]
    assert "bucket_brigade_n_cells" not in pub  # no Di Matteo figures beside a decoder or QROM
    q = pub["data_access_query_n_cells"]
    assert (q["kind"], q["n_cells"], q["bitsize"]) == (access, n, 6)
    assert q["published"]["source"] == published.CITATIONS[source_key]
    if access == "bucket_brigade":
        assert q["ours"]["toffoli_depth"] == 4 * 12 - 2
        assert q["ours"]["routers_active_per_query"] == 12
        assert q["ours"]["routers"] == n - 1
        assert q["published"]["t_count"] == 21 * n - 28
    elif access in ("qrom", "one_hot_decoder"):
        assert q["published"]["toffoli"] == n - 2 == q["ours"]["toffoli_like"]
        assert "routers_active_per_query" not in q["ours"]
    else:
        # both ~sqrt(N) Toffolis; Qualtran's dirty-ancilla form puts its swaps into T gates
        assert max(q["published"]["toffoli"], q["ours"]["toffoli_like"]) < n / 8
        assert q["published"]["block_size"] > 1 and q["ours"]["block_sizes"][0] > 1


@pytest.mark.parametrize("access", ["bucket_brigade", "one_hot_decoder", "qrom"])
def test_queries_of_one_run_by_size(access):
    r = build_report(_params(2**12, data_access=access), USER)
    q = r["data_access"]
    assert q["kind"] == access
    assert q["queries_per_run"] == r["logical"]["unit_cost"]["run"]["queries"]
    assert sum(row["calls_per_run"] for row in q["by_size"]) == q["queries_per_run"]
    own = [row for row in q["by_size"] if row["kind"] == access]
    assert q["queries_per_run_of_kind"] == sum(row["calls_per_run"] for row in own) > 0
    assert q["largest_query"]["n_cells"] == max(row["n_cells"] for row in own)
    for row in own:
        lg = int(math.log2(row["n_cells"]))
        if access == "bucket_brigade":
            assert row["toffoli_depth"] == 4 * lg - 2 and row["routers_active_per_query"] == lg
        else:
            assert "routers_active_per_query" not in row
    if access == "bucket_brigade":
        mean = q["mean_per_query"]["routers_active_per_query"]
        assert 1 <= mean <= q["largest_query"]["routers_active_per_query"]
        md = report_markdown(r)
        assert "routers active per query" in md and "## Data-access queries of one run" in md


def test_sweep_has_bucket_brigade_depth_and_routers():
    rows = sweep_rows(_params(data_access="bucket_brigade"), USER, [2**10, 2**20])
    for row in rows:
        lg = int(math.log2(row["n"]))
        assert row["query_toffoli_depth"] == 4 * lg - 2 and row["query_routers_active"] == lg
    rows = sweep_rows(_params(), USER, [2**10])
    assert rows[0]["query_toffoli_depth"] is None


@pytest.mark.parametrize("access", ["bucket_brigade", "one_hot_decoder"])
def test_cli_report_with_each_router_or_decoder(tmp_path, capsys, access):
    out = tmp_path / "rep"
    argv = ["report", "--n", "2**10:2**12", "--data-access", access, "--dataset-sizes", "16:32"]
    assert main(argv + ["--out", str(out), "--no-plots"]) == 0
    text = capsys.readouterr().out
    assert f"data access {access}" in text and "[rests on extrapolated data]" in text
    report = json.loads((out / "report.json").read_text())
    assert report["parameters"]["data_access"] == access
    q = report["published"]["data_access_query_n_cells"]
    assert q["kind"] == access
    kind = "bucket_brigade" if access == "bucket_brigade" else "qrom"
    assert q["published"]["source"] == published.CITATIONS[kind]
    assert report["data_access"]["queries_per_run_of_kind"] > 0
    header = (out / "sweep.csv").read_text().splitlines()[0]
    assert header.endswith("query_toffoli_depth,query_routers_active")
    assert "Data-access queries of one run" in (out / "report.md").read_text()


def test_query_inventory_keys():
    """Adjoint and controlled queries count as queries of the same size; a data access outside
    the project's kinds keeps its class name (and gets no figures)."""
    from qualtran.bloqs.data_loading import QROAMClean

    from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
    from resource_estimates.report.queries import data_access_section, query_inventory

    bb = BucketBrigadeQRAM.build_from_bitsize(16, 3)
    assert (
        query_inventory(bb.adjoint())
        == query_inventory(bb.controlled())
        == {("bucket_brigade", 16, 3): 1}
    )
    clean = QROAMClean.build_from_bitsize((64,), (4,))
    section = data_access_section(clean, "qrom")
    assert section["by_size"] == [
        {"kind": "QROAMClean", "n_cells": 64, "bitsize": 4, "calls_per_run": 1}
    ]
    assert section["queries_per_run_of_kind"] == 0 and section["largest_query"] is None
