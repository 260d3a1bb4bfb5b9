"""Report assembly: :func:`build_report` puts counts, formulas, physical estimates, classical
baselines, published figures and conclusions into one JSON-ready dict."""

from __future__ import annotations

import math
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sympy

from resource_estimates.costing.concrete import (
    classical_baselines,
    concrete_costs,
    counts_json,
    job_factor,
    subs_values,
)
from resource_estimates.costing.formulas import (
    classical_formulas,
    formula_check,
    formula_dict,
    job_factor_symbolic,
    refitted_steps,
    symbolic_costs,
)
from resource_estimates.costing.parameters import SCHEMA, ReportParameters, symbols_of
from resource_estimates.data_model import DataModel
from resource_estimates.logical.counts import (
    CONVENTIONS,
    LogicalCounts,
    post_selection_runs,
    readout_shots,
)
from resource_estimates.logical.formatting import formula_strings, json_number
from resource_estimates.physical import models as physical
from resource_estimates.report.beside import published_beside
from resource_estimates.report.budget_verdicts import optimised_conclusions
from resource_estimates.report.data_band import annotate_conclusions, band_section
from resource_estimates.report.error_budget_section import (
    BudgetRequest,
    budget_conclusions,
    budget_section,
    rotation_synthesis,
)
from resource_estimates.report.optimised import optimised_section, physical_input_counts
from resource_estimates.report.queries import data_access_section
from resource_estimates.report.report_object import Report
from resource_estimates.report.verdicts import (
    JOB_DATA_QUANTITIES,
    data_provenance,
    scaling_conclusions,
)
from resource_estimates.variants.registry import get_variant


def _versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {"python": platform.python_version()}
    for dist in ("qntk-compile", "qualtran", "sympy", "qdk"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def _git_revision() -> dict[str, Any]:
    root = Path(__file__).resolve().parents[2]
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        if rev.returncode != 0:
            return {"revision": "unknown", "dirty": None}
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return {"revision": rev.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"revision": "unknown", "dirty": None}


def _per_query(circuit: LogicalCounts, unit: LogicalCounts) -> dict[str, Any]:
    """Average gates of one data-access query in the circuit model."""
    q = circuit.queries
    if not q:
        return {"queries": 0}
    return {
        "queries": json_number(q),
        "toffoli_per_query": json_number(sympy.Rational(circuit.toffoli - unit.toffoli, q)),
        "t_count_per_query": json_number(sympy.Rational(circuit.t_count - unit.t_count, q)),
    }


def build_report(
    params: ReportParameters,
    data: DataModel,
    sweep: Sequence[Mapping[str, Any]] | None = None,
    error_budget: BudgetRequest | None = None,
) -> Report:
    """The whole report as a JSON-ready dict (deterministic for identical inputs): a
    :class:`~resource_estimates.report.report_object.Report` (a ``dict`` with a headline
    ``repr``, ``_repr_html_``, ``to_json()`` and ``to_dataframe()`` of ``sweep``).

    ``sweep`` (rows of :func:`sweep_rows`) adds the crossover n against the classical baselines
    on the sweep's grid; without it the crossover is reported as not computed. ``error_budget``
    (P, the user's knobs, the kernel) adds the ``error_budget`` section, and the physical models
    then synthesise rotations at its ε; without it the section says it was not computed.
    """
    variant = get_variant(params.variant)
    dq = data.at(params.n)
    p = dq["success_probability"].value
    o = dq["readout_overlap"].value
    runs = post_selection_runs(p, params.post_selection)
    shots = readout_shots(o)
    factor = job_factor(params, data)
    knobs = dict(params.knobs)
    job_formula = job_factor_symbolic(params.variant, params.post_selection)
    subs = subs_values(params)
    budget = budget_section(params, data, error_budget)
    rotation = rotation_synthesis(budget)
    report_knobs = "report: " + "/".join(
        str(knobs.get(k)) for k in ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
    )

    logical: dict[str, Any] = {}
    formulas: dict[str, Any] = {
        "symbols": symbols_of(params.variant),
        "symbolic_knobs": list(variant.symbolic_knobs),
        "fixed": {
            "d": params.d,
            **{k: v for k, v in knobs.items() if k not in variant.symbolic_knobs},
        },
        "qubits": "concrete only (see symbolic_costs)",
        "job_factor": formula_strings(job_formula),
    }
    physical_out: dict[str, Any] = {"assumptions": params.physical.as_dict()}
    runs_counts: dict[str, LogicalCounts] = {}
    conclusions: list[dict[str, Any]] = []
    bloq = None
    for qram in params.qram_models:
        bloq, run, steps = concrete_costs(params, qram)
        runs_counts[qram] = run
        job = run.repeated(factor)
        total = sum((c.toffoli for c in steps.values()), 0)
        logical[qram] = {
            "run": counts_json(run),
            "steps": {
                name: {
                    **counts_json(c),
                    "toffoli_share": float(c.toffoli / total) if total else 0.0,
                }
                for name, c in steps.items()
            },
            "job": counts_json(job),
        }
        s_run = None
        try:
            s_run, s_steps = symbolic_costs(
                params.variant, params.data_access, qram, params.d, knobs
            )
        except (ValueError, TypeError) as exc:
            # e.g. SelectSwapQROM over a symbolic number of loader levels cannot be summed
            formulas[qram] = {"status": "unavailable", "reason": " ".join(str(exc).split())}
        else:
            formulas[qram] = {
                "status": "ok",
                "fitted_steps": list(
                    refitted_steps(params.variant, params.data_access, qram, params.d, knobs)
                ),
                "run": formula_dict(s_run),
                "steps": {name: formula_dict(c) for name, c in s_steps.items()},
                "job": formula_dict(
                    s_run.repeated(job_factor_symbolic(params.variant, params.post_selection))
                ),
                "matches_concrete_at_parameters": {
                    "run": formula_check(s_run, run, subs),
                    "steps": {
                        name: formula_check(s_steps[name], c, subs)
                        for name, c in steps.items()
                        if name in s_steps
                    },
                },
            }
        est = physical.physical_estimates(run, params.physical, rotation=rotation)
        for res in est.values():
            if res.get("status") == "ok":
                res["job_runtime_hours"] = res["runtime_hours"] * factor
        physical_out[qram] = {
            "run": est,
            "runs_in_job": json_number(factor),
            # the one set of counts every model was given (msft_logical_counts.json exports it)
            "physical_counts": counts_json(physical_input_counts(run, rotation)),
        }
        exact = (
            s_run is not None and formulas[qram]["matches_concrete_at_parameters"]["run"]["toffoli"]
        )
        conclusions.extend(scaling_conclusions(params, data, qram, s_run if exact else None))
        gf = est["gidney_fowler"]
        conclusions.append(
            {
                "qram_model": qram,
                "claim": f"one coherent run at n = 2^{int(math.log2(params.n))} has a valid "
                "Gidney-Fowler surface-code layout",
                "holds": gf.get("status") == "ok",
                "evidence": gf.get("message", "") or f"{gf.get('physical_qubits')} physical qubits",
                "knobs": report_knobs,
                "data": data_provenance({}),
            }
        )

    at_n = {q: dq.status for q, dq in data.at(params.n).items() if q in JOB_DATA_QUANTITIES}
    for row in budget_conclusions(budget):  # the budget reads p and <k*|v> at the report's n
        conclusions.append({"data": data_provenance({params.n: at_n}), **row})
    classical_out = classical_baselines(params)
    classical_out["machine"] = params.machine.as_dict()
    formulas["classical_flops"] = classical_formulas()
    classical_out["crossover"] = _crossover(params, sweep)
    for qram, x in classical_out["crossover"].get("n", {}).items():
        for method, n_x in x.items():
            conclusions.append(
                {
                    "qram_model": qram,
                    "claim": f"the quantum job beats the classical {method} NTK within the sweep",
                    "holds": n_x is not None,
                    "evidence": (
                        f"first at n = 2^{int(math.log2(n_x))}" if n_x else "not in the sweep"
                    )
                    + f" ({params.machine.name}; Beverland runtime model)",
                    "knobs": report_knobs,
                    "data": _sweep_provenance(sweep, qram, n_x),
                }
            )
    run_hours = {
        q: physical_out[q]["run"].get("beverland", {}).get("runtime_hours") for q in runs_counts
    }
    optimised = optimised_section(params, data, budget, rotation)
    conclusions.extend(
        optimised_conclusions(
            params.n,
            optimised,
            classical_out,
            params.machine.name,
            data_provenance({params.n: at_n}),
        )
    )
    data_band, by_end = band_section(
        params, data, runs_counts, run_hours, sweep, error_budget, _crossover
    )
    annotate_conclusions(conclusions, by_end)
    per_query = (
        _per_query(runs_counts["circuit"], runs_counts["unit_cost"])
        if {"circuit", "unit_cost"} <= set(runs_counts)
        else {}
    )
    report = {
        "schema": SCHEMA,
        "tool": {"versions": _versions(), "git": _git_revision()},
        "parameters": params.as_dict(),
        "variant": {"name": variant.name, "description": variant.description},
        "data": {
            "source": data.source,
            **{k: v.as_dict() for k, v in dq.items()},
            "post_selection_runs": json_number(runs),
            "readout_shots": json_number(shots),
        },
        "conventions": dict(CONVENTIONS),
        "logical": logical,
        "formulas": formulas,
        "physical": physical_out,
        "classical": classical_out,
        "published": published_beside(params, per_query),
        "data_access": data_access_section(bloq, params.data_access),
        "error_budget": budget,
        "data_band": data_band,
        "optimised": optimised,
        "conclusions": conclusions,
        "call_graph_root": str(bloq),
    }
    return Report({**report, **_extra_sections(variant, params, data, report)}, sweep=sweep)


def _extra_sections(variant, params: ReportParameters, data: DataModel, report) -> dict:
    """The variant's own top-level sections (:attr:`Variant.extra_sections`), e.g. ``qlsa``."""
    if variant.extra_sections is None:
        return {}
    extra = dict(variant.extra_sections(params, data))
    clash = sorted(set(extra) & set(report))
    if clash:
        raise ValueError(f"variant {variant.name!r}: extra sections {clash} clash with the report")
    return extra


def _sweep_provenance(sweep, qram: str, upto: int | None) -> dict[str, Any]:
    """Provenance of the data of the sweep rows a crossover verdict read (up to the crossing
    n, or all rows when there is none)."""
    rows = [r for r in sweep if r["qram_model"] == qram and (upto is None or r["n"] <= upto)]
    return data_provenance(
        {r["n"]: {q: r[f"{q}_status"] for q in JOB_DATA_QUANTITIES} for r in rows}
    )


def _crossover(params: ReportParameters, sweep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "quantum_time_model": (
            "job = readout shots x post-selection runs x one coherent run; run time from the "
            "Beverland et al. model (Qualtran) at that n, data quantities at that n"
        ),
    }
    if not sweep:
        out["status"] = "not computed (no sweep)"
        return out
    out["status"] = "ok"
    ns = sorted({r["n"] for r in sweep})
    out["grid"] = [ns[0], ns[-1]]
    out["n"] = {}
    for qram in params.qram_models:
        rows = {r["n"]: r for r in sweep if r["qram_model"] == qram}
        out["n"][qram] = {}
        for method, col in (
            ("diagonal", "classical_diagonal_seconds"),
            ("cg_sparse", "classical_cg_seconds"),
            ("exact", "classical_exact_seconds"),
        ):
            hit = None
            for n_ in ns:
                r = rows.get(n_)
                q = r and r["job_hours_beverland"]
                if q is not None and q * 3600 < r[col]:
                    hit = n_
                    break
            out["n"][qram][method] = hit
    return out
