"""``report --failure-probability`` and ``simulate --failure-probability`` (issue 11 items 3, 5):
the section in report.json / report.md, P from the flag or the ``--params`` key, user knobs,
one-line errors with exit 2."""

import json

import pytest

from qntk_compile.cli import main
from tests.qntk_compile.cli.test_report import PARAMS


def _params_file(tmp_path, **changes):
    f = tmp_path / "params.json"
    f.write_text(json.dumps({**PARAMS, **changes}))
    return f


def _err(capsys):
    """The error: one line after the progress lines of the stages that ran (``report: ...``),
    no traceback."""
    lines = capsys.readouterr().err.splitlines()
    errors = [line for line in lines if not line.startswith("report: ")]
    assert len(errors) == 1 and errors[0].startswith("error: "), lines
    return errors[0] + "\n"


# the report's own knobs left to the budget (null = the variant's defaults, not the user's)
FREE = dict.fromkeys(("amplitude_bits", "phase_bits", "median_copies", "kernel_bits"))


def test_report_failure_probability_flag_and_params_key(tmp_path):
    f = _params_file(tmp_path, **FREE)
    out = tmp_path / "r"
    argv = ["report", "--params", str(f), "--failure-probability", "1e-3", "--no-plots"]
    assert main(argv + ["--out", str(out)]) == 0
    sec = json.loads((out / "report.json").read_text())["error_budget"]
    assert sec["status"] == "ok" and sec["target"] == 1e-3 and sec["total"] <= 1e-3
    assert sec["job_t_count"]["optimised"] <= sec["job_t_count"]["uniform_split"]
    assert "## Error budget" in (out / "report.md").read_text()
    # the same P from the --params file gives the same report
    g = _params_file(tmp_path, **FREE, failure_probability=1e-3)
    out2 = tmp_path / "r2"
    assert main(["report", "--params", str(g), "--no-plots", "--out", str(out2)]) == 0
    assert (out / "report.json").read_bytes() == (out2 / "report.json").read_bytes()


@pytest.mark.parametrize("p", ["0", "1", "-0.5", "2", "nan", "x"])
def test_report_bad_failure_probability(tmp_path, capsys, p):
    out = tmp_path / "r"
    argv = ["report", "--params", str(_params_file(tmp_path)), "--failure-probability", p]
    assert main(argv + ["--out", str(out)]) == 2
    assert "--failure-probability" in _err(capsys) and not out.exists()


def test_report_knob_that_cannot_meet_p(tmp_path, capsys):
    # asked for P explicitly: a 5-bit phase alone moves the overlap by more than o = 0.3, which
    # no size of the other knobs can make up for: one line, exit 2, nothing written
    f = _params_file(tmp_path, **{**FREE, "phase_bits": 5})
    out = tmp_path / "r"
    argv = ["report", "--params", str(f), "--failure-probability", "0.01", "--no-plots"]
    assert main(argv + ["--out", str(out)]) == 2
    assert "cannot be met with phase_bits=5" in _err(capsys) and not out.exists()
    # without an explicit P the user's knobs are costed and their failure bound reported
    assert main(["report", "--params", str(f), "--no-plots", "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    sec = report["error_budget"]
    assert sec["status"] == "user_knobs_do_not_meet_target"
    assert sec["costed_knobs"]["knobs"]["phase_bits"] == 5
    assert sec["costed_knobs"]["meets_target"] is False
    assert report["parameters"]["phase_bits"] == 5


def test_report_flag_and_params_key_conflict(tmp_path, capsys):
    f = _params_file(tmp_path, failure_probability=0.01)
    argv = ["report", "--params", str(f), "--failure-probability", "0.01"]
    assert main(argv + ["--out", str(tmp_path / "r")]) == 2
    assert "drop the flag" in _err(capsys)


def _simulate(capsys, *argv):
    code = main(["simulate", "--n", "4", "--seed", "0", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_simulate_failure_probability_chooses_knobs(capsys):
    code, out, _ = _simulate(capsys, "--failure-probability", "0.3", "--plan-only", "--json")
    assert code == 0
    plan = json.loads(out)["error_budget"]
    assert plan["target"] == 0.3 and 0 < plan["failure_bound"] <= 0.3
    assert plan["readout_shots"] % 2 == 1 and plan["bias_bound"] > 0
    assert plan["fixed_by_user"] == [] and plan["median_copies"] % 2 == 1
    # a knob given by a flag is kept; tighter P never asks for fewer shots
    code, out, _ = _simulate(
        capsys, "--failure-probability", "0.01", "--plan-only", "--json", "--median-copies", "21"
    )
    tight = json.loads(out)["error_budget"]
    assert (
        code == 0 and tight["median_copies"] == 21 and tight["fixed_by_user"] == ["median_copies"]
    )
    assert tight["failure_bound"] <= 0.01 and tight["readout_shots"] >= plan["readout_shots"]
    code, out, _ = _simulate(capsys, "--failure-probability", "0.3", "--plan-only")
    assert code == 0 and "predicted failure probability <=" in out


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--failure-probability", "1.5", "--plan-only"], "(0, 1)"),
        (["--failure-probability", "0.01", "--phase-bits", "3", "--plan-only"], "cannot be met"),
        # the simulator's kernel table takes at most 30 bits: a one-line refusal naming it
        (["--failure-probability", "0.01", "--kernel-bits", "31", "--plan-only"], "limit of 30"),
        (["--plan-only"], "needs --failure-probability"),
        (["--failure-probability", "0.01"], "error budget: P = 0.01"),  # too big to simulate
    ],
)
def test_simulate_failure_probability_errors(capsys, argv, needle):
    code, _, err = _simulate(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and needle in err, err
