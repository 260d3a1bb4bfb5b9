"""Golden report: the same inputs give a byte-identical ``report.json``.

Only ``tool.versions`` and ``tool.git`` (code identity, not results) are normalised before the
comparison. If a bloq's costs change on purpose, regenerate the golden file and review the diff:

    python -m tests.resource_estimates.test_golden_report --write

Floats carry ``FLOAT_DIGITS`` (10) significant digits, so the bytes do not depend on the cache
or on the numpy/scipy build. The golden file was made with the versions pinned in
``constraints.txt`` (qualtran 0.7.0, cirq-core 1.7, numpy 2.4.6, scipy 1.17.1, sympy 1.14.0,
qdk 1.33.1); the README's install command uses them.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qntk_compile.jobs.report_inputs import budget_kernel
from resource_estimates.data_model import DataModel
from resource_estimates.physical.models import qdk_available
from resource_estimates.report import BudgetRequest, ReportParameters, build_report, report_json
from resource_estimates.report.writers import FLOAT_DIGITS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "report_diagonal_n1024_d16.json"
PARAMS = ReportParameters(
    n=1024, d=16, amplitude_bits=6, phase_bits=4, median_copies=3, kernel_bits=6, depth=12
)
DATA = DataModel.from_values(success_probability=0.05, readout_overlap=0.3, delta=0.01)
#: The error budget at the default P = 0.01 (the NTK from qntk_compile, as the CLI passes it).
BUDGET = BudgetRequest(kernel=budget_kernel)


def _normalised(report: dict) -> str:
    report = dict(report)
    report["tool"] = {"versions": "<normalised>", "git": "<normalised>"}
    return report_json(report)


def render() -> str:
    return _normalised(build_report(PARAMS, DATA, error_budget=BUDGET))


@pytest.mark.skipif(not qdk_available(), reason="the golden report includes the qdk estimate")
def test_golden_report_is_byte_identical():
    first = render()
    assert first == render()  # deterministic within a process
    assert first == GOLDEN.read_text(encoding="utf-8"), (
        "report.json changed; if intended, regenerate with "
        "`python -m tests.resource_estimates.test_golden_report --write` and review the diff"
    )


@pytest.mark.slow
@pytest.mark.skipif(not qdk_available(), reason="the golden report includes the qdk estimate")
def test_cold_and_warm_caches_give_the_same_bytes(tmp_path):
    """Two fresh processes sharing one on-disk cache: the first builds every formula (cold),
    the second reads them back (warm); both write the golden bytes."""
    env = {**os.environ, "QNTK_COMPILE_CACHE_DIR": str(tmp_path / "cache")}
    code = "from tests.resource_estimates.test_golden_report import render; print(render(), end='')"
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        ).stdout
        for _ in ("cold", "warm")
    ]
    assert any((tmp_path / "cache").iterdir()), "the first run stored nothing: not a warm run"
    assert outputs[0] == outputs[1] == GOLDEN.read_text(encoding="utf-8")


def test_floats_carry_the_stated_digits():
    text = render()
    floats = re.findall(r"(?<![\w.])-?\d+\.\d+(?:e[-+]\d+)?(?![\w.])", text)
    # integral floats below 2^53 stay exact (rounded_floats): their digits are not rounded
    rounded = [f for f in floats if not re.fullmatch(r"-?\d+\.0", f)]
    assert rounded and all(
        len(re.sub(r"e.*|[-.]", "", f).lstrip("0")) <= FLOAT_DIGITS for f in rounded
    )


def test_tool_fields_present_before_normalising():
    r = build_report(PARAMS, DATA)
    assert set(r["tool"]) == {"versions", "git"}
    assert r["tool"]["versions"]["qualtran"] == "0.7.0"
    assert "revision" in r["tool"]["git"]


if __name__ == "__main__":  # pragma: no cover
    if "--write" in sys.argv:
        GOLDEN.write_text(render(), encoding="utf-8")
        print(f"wrote {GOLDEN}")
