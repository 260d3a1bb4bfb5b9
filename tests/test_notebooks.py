"""The notebooks of docs/notebooks run top to bottom (nbclient, the engine nbmake uses), each in
seconds: report, simulate, analyze and "embed a bloq"."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def test_the_four_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} == {"report", "simulate", "analyze", "embed_a_bloq"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv(
        "QNTK_COMPILE_CACHE_DIR", os.environ.get("QNTK_COMPILE_CACHE_DIR", str(tmp_path))
    )
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError (with the cell and traceback) on any failure
    assert all(c.get("outputs") is not None for c in nb.cells if c.cell_type == "code")
