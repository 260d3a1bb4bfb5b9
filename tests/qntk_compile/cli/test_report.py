"""``qntk-compile report``: files written, byte-identical reruns, one-line errors with exit 2."""

import json

import pytest

from qntk_compile.cli import main
from qntk_compile.cli.report import PARAMS_KEYS, parse_n

PARAMS = {
    "n": 2**12,
    "d": 16,
    "variant": "diagonal",
    "data_access": "qrom",
    "amplitude_bits": 6,
    "phase_bits": 4,
    "median_copies": 3,
    "kernel_bits": 6,
    "post_selection": "repeat",
    "success_probability": 0.05,
    "readout_overlap": 0.3,
    "delta": 0.01,
    "depth": 12,
    "sparsity": 17,
    "kappa": 1.0,
    "qlsa_epsilon": 0.01,
}


def _params_file(tmp_path, **changes):
    p = dict(PARAMS, **changes)
    for k in [k for k, v in changes.items() if v is None]:
        del p[k]
    f = tmp_path / "params.json"
    f.write_text(json.dumps(p))
    return f


def test_parse_n():
    assert parse_n("2**30") == [2**30]
    assert parse_n("2^10") == [1024]
    assert parse_n("1024,2**11") == [1024, 2048]
    assert parse_n("2**10:2**13") == [2**10, 2**11, 2**12, 2**13]
    assert parse_n("1000:5000") == [1024, 2048, 4096]


def test_report_from_params_writes_everything_and_is_reproducible(tmp_path, capsys):
    f = _params_file(tmp_path)
    out1, out2 = tmp_path / "r1", tmp_path / "r2"
    args = ["report", "--params", str(f), "--out"]
    assert main(args + [str(out1)]) == 0
    text = capsys.readouterr().out
    assert "circuit" in text and "unit_cost" in text and "wrote" in text
    assert text.splitlines()[0].startswith("headline (whole job")  # the headline comes first
    names = {p.name for p in out1.iterdir()}
    assert {
        "report.json",
        "report.md",
        "sweep.csv",
        "callgraph.dot",
        "qref.json",
        "msft_logical_counts.json",
    } <= names
    assert main(args + [str(out2), "--no-plots"]) == 0
    assert (out1 / "report.json").read_bytes() == (out2 / "report.json").read_bytes()
    report = json.loads((out1 / "report.json").read_text())
    assert report["parameters"]["n"] == 2**12 and report["data"]["source"] == "user"
    rows = (out1 / "sweep.csv").read_text().splitlines()
    assert rows[0].startswith("n,qram_model,") and len(rows) == 1 + 2 * 31
    msft = json.loads((out1 / "msft_logical_counts.json").read_text())
    assert set(msft) == {"circuit", "unit_cost"} and msft["circuit"]["cczCount"] > 0
    assert (out1 / "callgraph.dot").read_text().startswith("digraph")
    # an existing out dir is refused, --force overwrites
    assert main(args + [str(out1)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(args + [str(out1), "--force", "--no-plots"]) == 0


def test_report_one_qram_model(tmp_path):
    out = tmp_path / "r"
    f = tmp_path / "p.json"
    f.write_text(json.dumps(PARAMS))
    code = main(
        ["report", "--params", str(f), "--qram-model", "unit_cost", "--out", str(out), "--no-plots"]
    )
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert set(report["logical"]) == {"unit_cost"}


def _err(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--n", "1"], ">= 2"),
        (["--n", "2.5"], "integer"),
        (["--n", "lots"], "integer"),
        (["--variant", "triangular"], "unknown variant"),
        (["--variant", "sparsified", "--kappa", "0.5"], ">= 1"),
        (["--variant", "sparsified", "--qlsa-epsilon", "1"], "< 1"),
        (["--variant", "sparsified", "--qlsa-epsilon", "0"], "> 0"),
        (["--variant", "sparsified", "--n", "16", "--sparsity", "17"], "<= n = 16"),
        (["--amplitude-bits", "-3"], ">= 1"),
        (["--phase-bits", "0"], ">= 1"),
        (["--median-copies", "4"], "odd"),
        (["--kernel-bits", "x"], "integer"),
        (["--d", "0"], ">= 1"),
        (["--error-budget", "2"], "<"),
        (["--n", "2^1000"], "above the upper bound on --n, 2**200"),
        (["--n", "2**10:2**300"], "above the upper bound on --n, 2**200"),
        (["--kernel-bits", "65"], "<= 64"),
        (["--phase-bits", "27"], "above 12, the largest at which the report costs your knobs"),
        (["--median-copies", "85"], "above 25, the largest at which the report costs your knobs"),
    ],
)
def test_bad_flags_one_line_exit_2_nothing_written(tmp_path, capsys, argv, needle):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(PARAMS))
    out = tmp_path / "out"
    # flags that --params would set are rejected, so test them against a data-free source:
    base = ["report", "--out", str(out)]
    if argv[0] in ("--error-budget",):
        base += ["--params", str(f)]
    else:
        base += ["--dataset", "sphere", "--dataset-sizes", "16,32"]
    assert main(base + argv) == 2
    err = _err(capsys)
    assert needle in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "change,needle",
    [
        ({"delta": None}, "missing delta"),
        ({"colour": "blue"}, "unknown colour"),
        ({"n": 1}, ">= 2"),
        ({"n": 2.5}, "integer"),
        ({"amplitude_bits": -1}, ">= 1"),
        ({"variant": "nope"}, "unknown variant"),
        ({"success_probability": 0}, "success_probability"),
        ({"data_access": "tape"}, "data access"),
    ],
)
def test_bad_params_file(tmp_path, capsys, change, needle):
    f = _params_file(tmp_path, **change)
    out = tmp_path / "out"
    assert main(["report", "--params", str(f), "--out", str(out)]) == 2
    err = _err(capsys)
    assert needle in err, err
    assert not out.exists()


@pytest.mark.parametrize("key", ["success_probability", "readout_overlap", "delta"])
def test_params_null_data_quantity_is_one_line(tmp_path, capsys, key):
    # null means "default" for the knobs; the data quantities have no default (was a TypeError)
    p = dict(PARAMS, **{key: None})
    f = tmp_path / "params.json"
    f.write_text(json.dumps(p))
    out = tmp_path / "out"
    assert main(["report", "--params", str(f), "--out", str(out)]) == 2
    err = _err(capsys)
    assert f"{key} must be a number, got null" in err and "Traceback" not in err, err
    assert not out.exists()


def test_params_file_problems(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["report", "--params", str(tmp_path / "none.json"), "--out", str(out)]) == 2
    assert "no such file" in _err(capsys)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["report", "--params", str(bad), "--out", str(out)]) == 2
    assert "not valid JSON" in _err(capsys)
    f = _params_file(tmp_path)
    assert main(["report", "--params", str(f), "--n", "2**20", "--out", str(out)]) == 2
    assert "drop the flag" in _err(capsys)
    assert not out.exists()


def test_existing_out_refused_before_work(tmp_path, capsys):
    out = tmp_path / "exists"
    out.mkdir()
    assert main(["report", "--params", str(_params_file(tmp_path)), "--out", str(out)]) == 2
    assert "--force" in _err(capsys)
    assert list(out.iterdir()) == []


def test_params_keys_documented():
    assert set(PARAMS) == set(PARAMS_KEYS)


def test_d_sets_the_sphere_dimension_and_is_checked_against_fixed_data_sets(tmp_path, capsys):
    """The request the CLI builds (the same parser and ``from_options`` as ``report``; a whole
    report from such a request is tested elsewhere)."""
    from qntk_compile.cli import build_parser
    from qntk_compile.jobs.report_request import ReportRequest

    argv = ["report", "--n", "2**12", "--d", "32", "--dataset", "sphere"]
    argv += ["--dataset-sizes", "16,32", "--out", str(tmp_path / "sphere"), "--no-plots"]
    request = ReportRequest.from_options(vars(build_parser().parse_args(argv)))
    assert request.params.d == 32 and request.params.n == 2**12
    assert request.measure is not None and request.measure[0].d == 32  # the sphere it analysed
    bad = tmp_path / "digits"
    argv = ["report", "--n", "2**12", "--d", "32", "--dataset", "digits-8-9"]
    assert main(argv + ["--dataset-sizes", "16,32", "--out", str(bad)]) == 2
    err = _err(capsys)
    assert "does not match the data set's d = 64" in err and "--dataset sphere" in err, err
    assert not bad.exists()


def test_n_above_its_upper_bound_names_the_bound_not_the_syntax(tmp_path, capsys):
    out = tmp_path / "out"
    f = _params_file(tmp_path, n=2**1000)
    assert main(["report", "--params", str(f), "--out", str(out)]) == 2
    err = _err(capsys)
    assert "upper bound" in err and "2**200" in err and "such as" not in err, err
    assert not out.exists()


def test_flag_of_another_variant_with_params_does_not_say_the_file_sets_it(tmp_path, capsys):
    out = tmp_path / "out"
    f = _params_file(tmp_path)  # a diagonal file: no kappa_eff key
    assert main(["report", "--params", str(f), "--kappa-eff", "3", "--out", str(out)]) == 2
    err = _err(capsys)
    assert "sets" not in err and "--kappa-eff: not a knob of variant 'diagonal'" in err, err
    assert not out.exists()
    # a flag the file does set is still told so
    assert main(["report", "--params", str(f), "--kernel-bits", "3", "--out", str(out)]) == 2
    assert "--params sets --kernel-bits already" in _err(capsys)
    assert not out.exists()


def test_cli_accepts_every_knob_value_the_error_budget_searches():
    from resource_estimates.error_budget.optimiser import SEARCH_BOUNDS
    from resource_estimates.variants.registry import KNOB_SPECS

    for name, (_, hi) in SEARCH_BOUNDS.items():
        assert KNOB_SPECS[name].cli_maximum >= hi, name


def test_output_files_list_the_optimised_msft_export():
    from resource_estimates.report import OUTPUT_FILES

    assert "msft_logical_counts_optimised.json" in OUTPUT_FILES


def test_call_graph_svg_when_dot_is_present_else_a_note(tmp_path, capsys, monkeypatch):
    import shutil
    import stat

    f = _params_file(tmp_path)
    args = ["report", "--params", str(f), "--no-plots", "--qram-model", "unit_cost", "--out"]
    if shutil.which("dot") is None:
        assert main(args + [str(tmp_path / "a")]) == 0
        out = capsys.readouterr().out
        assert "note: callgraph.svg not rendered: Graphviz `dot`" in out
        assert not (tmp_path / "a" / "callgraph.svg").exists()
    # a stand-in `dot` on the PATH: its SVG is written (the real one renders the same DOT)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "dot"
    fake.write_text('#!/bin/sh\ncat > /dev/null\necho "<svg>call graph</svg>"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}:{__import__('os').environ['PATH']}")
    assert main(args + [str(tmp_path / "b")]) == 0
    assert "not rendered" not in capsys.readouterr().out
    assert (tmp_path / "b" / "callgraph.svg").read_text().strip() == "<svg>call graph</svg>"
