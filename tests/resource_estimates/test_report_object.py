"""``build_report`` returns a :class:`Report`: a dict (old callers unchanged) with a readable
repr, an HTML headline table, ``to_json()`` == ``report_json``, ``to_dataframe()`` of the sweep."""

import builtins
import json
import pickle

import pytest

from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.data_model import DataModel
from resource_estimates.report import (
    SWEEP_FIELDS,
    BudgetRequest,
    Report,
    ReportParameters,
    build_report,
    report_json,
    sweep_rows,
)
from resource_estimates.report.headline import headline_rows

PARAMS = ReportParameters(n=1024, d=16, depth=12)
DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)


@pytest.fixture(scope="module")
def report():
    rows = sweep_rows(PARAMS, DATA, [2**10, 2**11])
    return build_report(PARAMS, DATA, sweep=rows, error_budget=BudgetRequest(budget_kernel))


def test_still_a_dict_for_every_existing_caller(report):
    assert isinstance(report, Report) and isinstance(report, dict)
    assert report["logical"]["circuit"]["run"]["toffoli"] > 0
    assert json.loads(json.dumps(report, default=str))["parameters"]["n"] == 1024
    assert report.to_json() == report_json(report) == report_json(dict(report))
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again.sweep == report.sweep


def test_repr_is_the_headline(report):
    text = repr(report)
    lines = text.splitlines()
    assert lines[0] == "Report(diagonal NTK, n = 2^10, d = 16, data access qrom)"
    assert lines[1].startswith("headline (whole job, P = 0.01")
    assert len(text) < 3000  # not the 77 kB dict
    for r in headline_rows(report):
        assert f"{r['qram_model']:9s} {r['configuration']}" in text


def test_html_headline_table(report):
    html = report._repr_html_()
    assert html.count("<tr>") == 1 + len(headline_rows(report))
    assert "job wall-clock" in html and "meets P" in html
    assert "<b>" + headline_rows(report)[0]["verdict"] in html


def test_to_dataframe(report):
    pd = pytest.importorskip("pandas")
    df = report.to_dataframe()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == list(SWEEP_FIELDS)
    assert len(df) == 4 and sorted(set(df["n"])) == [1024, 2048]
    row = df[(df["n"] == 1024) & (df["qram_model"] == "unit_cost")].iloc[0]
    want = [r for r in report.sweep if r["n"] == 1024 and r["qram_model"] == "unit_cost"][0]
    assert row["run_toffoli"] == want["run_toffoli"]


def test_to_dataframe_errors(report, monkeypatch):
    with pytest.raises(ValueError, match="no sweep"):
        Report(dict(report)).to_dataframe()
    real_import = builtins.__import__

    def no_pandas(name, *a, **kw):
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="needs pandas"):
        report.to_dataframe()
