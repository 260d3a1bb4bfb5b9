"""The house rules of the code base, checked on every test run.

* the import contracts of ``pyproject.toml`` (import-linter: the three floors, the layers inside
  ``qntk_compile`` and ``resource_estimates``, plug-ins below their registry, no cycles);
* no product module over 500 lines;
* no private name (``_name``) imported or reached across modules of the project, and a private
  Qualtran name only with a note on why no public API serves (``# private Qualtran API: ...``);
* every package's ``__init__`` docstring says what it is for and what it may import;
* the package tree drawn in ``docs/dev/architecture.md`` is the tree of the code. After moving a
  module, regenerate it with ``python -m tests.test_architecture --write`` and review the diff.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bloqs", "resource_estimates", "qntk_compile")
MAX_LINES = 500
ARCHITECTURE = ROOT / "docs" / "dev" / "architecture.md"
TREE_BEGIN, TREE_END = "<!-- package-tree:begin -->", "<!-- package-tree:end -->"
QUALTRAN_NOTE = "# private Qualtran API:"


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ")


def package_tree() -> str:
    """The package tree: every package and module with the first sentence of its docstring."""
    lines: list[str] = []

    def summary(path: Path) -> str:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        text = _first_line(doc).split(". ")[0].rstrip(".")
        return text if len(text) <= 80 else text[:77].rstrip() + "..."

    def walk(package: Path, depth: int) -> None:
        name = f"{'  ' * depth}{package.name}/"
        lines.append(f"{name:<40} {summary(package / '__init__.py')}".rstrip())
        for module in sorted(package.glob("*.py")):
            if module.name != "__init__.py":
                name = f"{'  ' * (depth + 1)}{module.name}"
                lines.append(f"{name:<40} {summary(module)}".rstrip())
        for sub in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
            walk(sub, depth + 1)

    for pkg in PACKAGES:
        walk(ROOT / pkg, 0)
    return "\n".join(lines)


def _drawn_tree() -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    inner = text.split(TREE_BEGIN, 1)[1].split(TREE_END, 1)[0]
    return inner.strip().removeprefix("```text").removesuffix("```").strip()


def test_import_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "importlinter.cli"]
    run = subprocess.run(
        [*cmd, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "broken" not in run.stdout.split("Contracts:")[-1].split("\n")[0].replace(
        "0 broken", ""
    ), run.stdout[-2000:]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (> {MAX_LINES})"


def _private_uses(path: Path) -> list[str]:
    """Private names of another module of ours imported or reached as ``module._name``, and
    private Qualtran names without a note."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    here = _dotted(path)
    ours = PACKAGES
    found, aliases = [], {}

    def noted(lineno: int) -> bool:
        window = lines[max(0, lineno - 6) : lineno]
        return any(QUALTRAN_NOTE in line for line in window)

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            root = node.module.split(".")[0]
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                private_module = any(
                    p.startswith("_") and not p.startswith("__") for p in node.module.split(".")
                )
                if root in ours and private and node.module != here:
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                if root == "qualtran" and (private or private_module) and not noted(node.lineno):
                    found.append(
                        f"line {node.lineno}: from {node.module} import {alias.name} "
                        f"(private Qualtran API without a '{QUALTRAN_NOTE}' note)"
                    )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            target = aliases.get(node.value.id, "")
            if target.split(".")[0] in ours and target != here:
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr} ({target})")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module(path):
    assert _private_uses(path) == []


def test_private_scan_can_fail(tmp_path, monkeypatch):
    """The scan above sees both forms of a cross-module private use."""
    fake = ROOT / "qntk_compile" / "_fake_for_scan.py"
    src = "from resource_estimates.costing import concrete as c\nfrom bloqs.x import _y\nc._z\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: src)
    uses = _private_uses(fake)
    assert len(uses) == 2 and "_y" in uses[0] and "c._z" in uses[1]


@pytest.mark.parametrize(
    "init",
    [p for p in _modules() if p.name == "__init__.py" and "tests" not in p.parts],
    ids=lambda p: str(p.relative_to(ROOT).parent),
)
def test_package_docstring_says_what_it_is_for_and_may_import(init):
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert len(doc) > 40, f"{init.relative_to(ROOT)}: no docstring saying what it is for"
    assert re.search(r"\bimport", doc), f"{init.relative_to(ROOT)}: say what it may import"


def test_architecture_doc_draws_the_code():
    assert _drawn_tree() == package_tree(), (
        "docs/dev/architecture.md is out of date: `python -m tests.test_architecture --write`"
    )


def write_tree() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    head, rest = text.split(TREE_BEGIN, 1)
    _, tail = rest.split(TREE_END, 1)
    ARCHITECTURE.write_text(
        f"{head}{TREE_BEGIN}\n```text\n{package_tree()}\n```\n{TREE_END}{tail}", encoding="utf-8"
    )


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_tree()
    else:
        print(package_tree())
