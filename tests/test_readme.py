"""The README's two set-up-and-run commands and its code example stay true to the code."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from qntk_compile.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _command_after(marker: str) -> str:
    match = re.search(re.escape(marker) + r"\s*```bash\n(.+?)\n```", README, re.S)
    assert match, f"README has no command after {marker}"
    return match.group(1).strip()


def test_main_command_installs_and_parses_with_the_real_cli():
    cmd = _command_after("<!-- main-command -->")
    assert cmd.startswith("python3 -m venv .venv && .venv/bin/pip install -e")
    program = cmd.split("&&")[-1].strip()
    argv = shlex.split(program)
    assert argv[0] == ".venv/bin/qntk-compile"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "report"


def test_test_command_is_what_ci_runs():
    cmd = _command_after("<!-- test-command -->")
    assert "pytest" in cmd and "--benchmarks" not in cmd
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci  # CI extracts this very line from the README


def test_python_example_runs():
    snippet = re.search(r"```python\n(.+?)\n```", README, re.S).group(1)
    out = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "n_ccz" in out.stdout
