"""A composable QREF export of a report: the job as a hierarchical routine with symbolic costs.

QREF (the open Quantum Resource Estimation Format, schema v1 as ``qref`` 0.11 defines it:
https://github.com/PsiQ/qref) is what Bartiq (https://github.com/PsiQ/bartiq) compiles. Qualtran's
``bloq_to_qref`` gives a flat, numeric routine; :func:`report_qref` instead builds, per QRAM
model::

    job                       input_params: n and the symbolic knobs (k, b_k, ...), o, p;
    │                         repetition: its one child, job_factor (e.g. 1/(o²·p)) times
    └── coherent_run          one coherent run: the sum of its steps
        ├── data_loading      one child per Algorithm-1 step, costs as the report's
        ├── amplitude_estimation  symbolic step formulas (``formulas.<qram>.steps``)
        └── ...

Every resource (``toffoli``, ``t``, ``rotation``, ``measurement``, ``clifford``, ``queries``) is
``additive``: a step's value is the report's exact or fitted formula in n and the symbolic knobs
(the other knobs substituted, listed in ``meta.fixed``; fitted steps in ``meta.fitted_steps``),
the run's is the sum of its steps (Bartiq's compilation adds them up) and the job's the run's
times ``job_factor`` (a constant repetition). ``bartiq.compile_routine`` then
``bartiq.evaluate(..., {"n": 2**30, ...})`` gives the report's numbers at those values (tested
against the concrete counts). Bartiq is not needed to write the file (``pip install
qntk-compile[export]`` to compile it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "QREF_RESOURCES",
    "QREF_VERSION",
    "qref_files",
    "qref_name",
    "report_qref",
    "report_qref_json",
]

QREF_VERSION = "v1"
#: The additive resources exported (the gate counts of ``formulas.<qram>.steps``).
QREF_RESOURCES = ("toffoli", "t", "rotation", "measurement", "clifford", "queries")


def qref_name(step: str) -> str:
    """A step's name as a QREF name (``[A-Za-z_][A-Za-z0-9_]*``): ``data loading`` →
    ``data_loading``."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", step.strip()).strip("_") or "step"
    return name if not name[0].isdigit() else f"_{name}"


def _symbols(expr: str) -> set[str]:
    import sympy

    return {str(s) for s in sympy.sympify(expr).free_symbols}


def report_qref(report: Mapping[str, Any], qram: str | None = None) -> dict[str, Any]:
    """The QREF (schema v1) of the report's job under ``qram`` (default: its first QRAM model),
    as a JSON-ready dict. Raises ``ValueError`` when the report has no symbolic formulas there."""
    formulas = report.get("formulas") or {}
    qram = qram or next(iter(report["logical"]))
    block = formulas.get(qram) or {}
    if block.get("status") != "ok" or not block.get("steps"):
        raise ValueError(f"no symbolic step formulas under {qram!r} QRAM: no QREF export")
    children = []
    run_params: set[str] = set()
    for step, costs in block["steps"].items():
        resources = []
        params: set[str] = set()
        for r in QREF_RESOURCES:
            if r in costs:
                expr = costs[r]["expr"]
                params |= _symbols(expr)
                resources.append({"name": r, "type": "additive", "value": expr})
        children.append(
            {
                "name": qref_name(step),
                "input_params": sorted(params),
                "resources": resources,
                "meta": {"step": step},
            }
        )
        run_params |= params
    job_factor = formulas["job_factor"]["expr"]
    job_params = sorted(run_params | _symbols(job_factor))
    run = {
        "name": "coherent_run",
        "input_params": sorted(run_params),
        "children": children,
        "linked_params": [
            {
                "source": p,
                "targets": [f"{c['name']}.{p}" for c in children if p in c["input_params"]],
            }
            for p in sorted(run_params)
        ],
    }
    variant = report["variant"]["name"]
    program = {
        "name": qref_name(f"{variant}_ntk_job"),
        "input_params": job_params,
        "children": [run],
        "linked_params": [
            {"source": p, "targets": [f"coherent_run.{p}"]} for p in sorted(run_params)
        ],
        # Bartiq: a repeated routine has exactly one child, repeated count times
        "repetition": {"count": job_factor, "sequence": {"type": "constant", "multiplier": 1}},
        "meta": {
            "qram_model": qram,
            "source": "qntk-compile report: formulas.<qram>.steps and formulas.job_factor",
            "symbols": formulas.get("symbols", {}),
            "fixed": formulas.get("fixed", {}),
            "fitted_steps": block.get("fitted_steps", []),
            "at_report_parameters": {
                k: report["parameters"][k]
                for k in ("n", "d", "amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
                if k in report["parameters"]
            },
        },
    }
    return {"version": QREF_VERSION, "program": program}


def report_qref_json(report: Mapping[str, Any], qram: str | None = None) -> str:
    """:func:`report_qref` as canonical JSON text (sorted keys, two-space indent)."""
    return json.dumps(report_qref(report, qram), sort_keys=True, indent=2) + "\n"


def qref_files(report: Mapping[str, Any]) -> dict[str, str]:
    """The hierarchical QREF of the job (``report_qref``): ``qref.json`` under the first QRAM
    model, ``qref_<model>.json`` under the others; none where the formulas are missing."""
    out = {}
    for i, qram in enumerate(report["logical"]):
        try:
            out["qref.json" if i == 0 else f"qref_{qram}.json"] = report_qref_json(report, qram)
        except ValueError:
            continue
    return out
