"""The report's ``error_budget`` section: what it costs to get the label right with probability
1 − P, with the precisions chosen to minimise the cost.

:func:`budget_section` turns the report's inputs (``ReportParameters``, ``DataModel``) and a
:class:`BudgetRequest` (P, the knobs the user gave, the kernel) into the section, with the
library of :mod:`resource_estimates.error_budget.budget` and
:mod:`resource_estimates.error_budget.optimiser`:

* ``target``, ``total`` (≤ target), ``components``, ``knobs``, ``job_t_count`` (``optimised``,
  ``uniform_split``, ``fixed_defaults``) of the least-cost knobs meeting P, the user's knobs kept;
* ``costed_knobs``: the knobs the report's logical counts are at, evaluated by the same model
  (their failure bound, whether they meet P, which components break it);
* ``cost_vs_failure_probability``: the optimised and uniform job T-counts at several P (the plot);
* ``data``: q, o, δ̂ at n with their status, ``data.extrapolated`` those not measured at n;
  ``search_bound_binding``: knobs on the end of their search interval (both printed as flags).

Which components a variant has is declared by the variant (``Variant.error_components``; ``qlsa``
adds the linear solver's ε). The kernel comes from the caller (``qntk_compile`` builds it; this
package never imports it): ``BudgetRequest.kernel(depth, delta_hat)`` → the vectorised
ρ ↦ clip(k̂(ρ)/k̂(1 − δ̂), −1, 1).

The physical models use the budget's rotation-synthesis ε (:func:`rotation_synthesis`), so the
logical and physical error budgets are one budget. Derivation: ``docs/error_budget.md``.

A section is a pure function of its inputs and the code, and takes ~2–3 s (the kernel's
tabulation and four optimisations), so it is kept in the on-disk cache of
:mod:`resource_estimates.logical.formula_cache` under a digest of its inputs (including the kernel's
values at probe points) and the code's fingerprint; a report with the same inputs reads it back.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.error_budget import section as ebs
from resource_estimates.logical import formula_cache
from resource_estimates.report.knob_growth import (
    GROWTH_GRID,
    growth_conclusions,
    growth_markdown,
    knob_growth,
)
from resource_estimates.report.measured_section import measured_block, measured_markdown

__all__ = [
    "BudgetRequest",
    "CURVE_TARGETS",
    "SUPPORTED_COMPONENTS",
    "budget_conclusions",
    "budget_infeasibility",
    "budget_markdown",
    "budget_summary",
    "budget_section",
    "rotation_synthesis",
]

#: Failure probabilities of the cost-vs-P curve (the report's target is added). The cost grows
#: about as log(1/P) (the shots), so a few points show it; each costs one optimisation (~0.2 s).
CURVE_TARGETS = (1e-1, 1e-3, 1e-6)
#: Components the error model knows.
SUPPORTED_COMPONENTS = (*eb.MARGIN_COMPONENTS, "readout", "surface_code")
#: Statuses of a computed section.
_COMPUTED = ("ok", "user_knobs_do_not_meet_target")
#: Statuses kept in the on-disk cache (an infeasible section is computed too).
_CACHED = (*_COMPUTED, "infeasible")
#: The rotation model of the budget's T-count (and of the physical models' rotations).
_ROTATION_MODEL = "ross_selinger"


@dataclass(frozen=True)
class BudgetRequest:
    """What the error budget needs beyond the report's parameters and data.

    Attributes:
        kernel: ``kernel(depth, delta_hat)`` → the vectorised normalised kernel
            ρ ↦ clip(k̂(ρ)/k̂(1 − δ̂), −1, 1) (``qntk_compile.jobs.report_inputs.budget_kernel``).
        failure_probability: P, the probability of a wrong label the job may have, in (0, 1).
        fixed: knobs the user gave (kept by the optimiser).
        explicit: P was asked for explicitly: knobs that cannot meet it are an error
            (``ValueError``); otherwise they are costed and their failure bound reported.
        depth_for: ``depth_for(n, delta_hat)`` → the network depth at another n, for the
            knob-growth table (``None``: the report's depth at every n).
        growth: compute the knob-growth table and the verdicts at knobs that meet P
            (:mod:`resource_estimates.report.knob_growth`; four more optimisations).
        measured: the measured budget on the data (``qntk_compile.classical.measured_budget.
            measured_growth``: rows per n and the knob fits), shown beside the certified one
            (:mod:`resource_estimates.report.measured_section`).
        summary_only: only what the data band reads at its ends (status, the costed knobs'
            verdict, the optimised job T-count, the conclusions): no cost-vs-P curve, no
            measured block, and an infeasible budget without its levers (smaller n, larger P).
    """

    kernel: Callable[[int, float], Callable]
    failure_probability: float = 0.01
    fixed: Mapping[str, Any] = field(default_factory=dict)
    explicit: bool = False
    depth_for: Callable[[int, float], int] | None = None
    growth: bool = False
    measured: Mapping[str, Any] | None = None
    summary_only: bool = False

    def __post_init__(self):
        eb.check_target(self.failure_probability)
        if not callable(self.kernel):
            raise ValueError("BudgetRequest.kernel must be callable: kernel(depth, delta_hat)")


def _not_computed(status: str, reason: str) -> dict[str, Any]:
    return {"status": status, "reason": reason}


def budget_section(params: Any, data: Any, request: BudgetRequest | None) -> dict[str, Any]:
    """The ``error_budget`` section (see the module docstring and ``docs/report_fields.md``).

    Raises a one-line ``ValueError`` when ``request.explicit`` and the user's knobs cannot meet P.
    """
    from resource_estimates.variants.registry import get_variant

    if request is None:
        return _not_computed(
            "not_computed",
            "no kernel given (build_report(..., error_budget=BudgetRequest(...)); "
            "qntk-compile report always gives one)",
        )
    variant = get_variant(params.variant)
    comps = tuple(variant.error_components)
    unknown = [c for c in comps if c not in SUPPORTED_COMPONENTS]
    if not comps or unknown or not set(eb.KNOBS) <= set(variant.knob_names):
        why = f"unknown components {unknown}" if unknown else "it declares no error components"
        return _not_computed("not_modelled", f"variant {variant.name!r} has no error model ({why})")
    delta = data.at(params.n)["delta"].value
    kernel = request.kernel(params.depth, delta)
    key = _cache_key(params, data, request, comps, kernel)
    cached = formula_cache.load(f"error_budget-{key}", "section")
    if cached is not None:
        return cached
    section = _compute(params, data, request, comps, kernel)
    if section.get("status") in _CACHED:
        formula_cache.store(f"error_budget-{key}", "section", section)
    return section


def budget_infeasibility(params: Any, data: Any, request: BudgetRequest | None) -> str | None:
    """One line saying why P cannot be met at any knobs searched, or ``None`` (also when there
    is no budget to compute, or the user fixed knobs: the section then reports on them). Cheap
    (no run costs): a report checks it before its sweep, so an impossible P is said in seconds."""
    from resource_estimates.variants.registry import get_variant

    if request is None or request.fixed and not request.explicit:
        return None
    comps = tuple(get_variant(params.variant).error_components)
    if not comps or any(c not in SUPPORTED_COMPONENTS for c in comps):
        return None
    kernel = request.kernel(params.depth, data.at(params.n)["delta"].value)
    problem = eb.BudgetProblem.from_report(
        params, data, kernel, rotation_model=_ROTATION_MODEL, has_qlsa="qlsa" in comps
    )
    return bo.infeasibility(problem, request.failure_probability)


def _cache_key(params: Any, data: Any, request: BudgetRequest, comps, kernel) -> str:
    """Digest of everything the section depends on besides the code (the cache file's name
    adds the code's fingerprint): sizes, variant, data at n, P, knobs, and the kernel's values at
    65 probe points (so a different kernel never reads another's section)."""
    dq = data.at(params.n)
    probe = np.cos(np.linspace(0.0, math.pi, 65)) * (1 - 1e-9)
    inputs = {
        "sizes": [params.n, params.d, params.depth],
        "variant": [params.variant, params.data_access, params.post_selection, list(comps)],
        "data": [repr(dq[k].value) for k in ("success_probability", "readout_overlap", "delta")],
        "target": repr(request.failure_probability),
        "fixed": sorted((k, repr(v)) for k, v in request.fixed.items()),
        "explicit": request.explicit,
        "knobs": sorted((k, repr(v)) for k, v in params.knobs.items()),
        "qlsa": [repr(getattr(params, k, None)) for k in ("sparsity", "kappa", "qlsa_epsilon")]
        + [repr(params.knobs.get("kappa_eff"))],
        "kernel": [repr(float(v)) for v in np.asarray(kernel(probe), dtype=float)],
        "measured": json.dumps(request.measured, sort_keys=True, default=str),
        "summary_only": request.summary_only,
        "growth": request.growth
        and [
            None if request.depth_for is None else int(request.depth_for(n, dn))
            for n, dn in ((n, data.at(n)["delta"].value) for n in GROWTH_GRID)
        ],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:24]


def _compute(params: Any, data: Any, request: BudgetRequest, comps, kernel) -> dict[str, Any]:
    target = request.failure_probability
    variant_name = params.variant
    problem = eb.BudgetProblem.from_report(
        params,
        data,
        kernel,
        qram="unit_cost",
        rotation_model=_ROTATION_MODEL,
        has_qlsa="qlsa" in comps,
    )
    if problem.has_qlsa:  # the run cost must say how the solver's epsilon moves it
        try:
            problem.run_costs(*(eb.FIXED_DEFAULTS[k] for k in eb.KNOBS), qlsa_epsilon=0.01)
        except (TypeError, ValueError) as exc:
            reason = " ".join(str(exc).split())
            return _not_computed("not_modelled", f"variant {variant_name!r}: {reason}")
    budget_knobs = (*eb.KNOBS, "qlsa_epsilon") if problem.has_qlsa else eb.KNOBS
    fixed = {k: v for k, v in request.fixed.items() if k in budget_knobs}
    status, note = "ok", ""
    try:
        section = ebs.error_budget_section(problem, target, fixed)
    except ValueError as exc:
        if request.explicit and fixed:
            raise
        try:
            section = ebs.error_budget_section(problem, target, None)
        except ValueError as exc2:  # no knobs meet P: a section that says so (not an error)
            return _infeasible(params, data, request, problem, fixed, exc2)
        status = "user_knobs_do_not_meet_target"
        note = (
            f"{' '.join(str(exc).split())}; the least-cost knobs below ignore them, the logical "
            "counts are at the user's knobs (see costed_knobs)"
        )
    qeps = {"qlsa_epsilon": params.qlsa_epsilon} if problem.has_qlsa else {}
    costed = eb.fixed_defaults(
        problem, target, knobs={k: params.knobs[k] for k in eb.KNOBS}, **qeps
    )
    section["status"] = status
    if note:
        section["note"] = note
    section["costed_knobs"] = ebs.json_safe(costed)
    section["data"] = _data_provenance(data, params.n)
    kept = fixed if status == "ok" else {}
    if not request.summary_only:
        section["cost_vs_failure_probability"] = _curve(problem, target, kept, section)
    if request.measured and not request.summary_only:
        section["measured"] = ebs.json_safe(
            measured_block(problem, request.measured, section, data.at(params.n))
        )
    if request.growth:
        section["knob_growth"] = ebs.json_safe(
            knob_growth(
                params,
                data,
                request.kernel,
                target,
                request.depth_for,
                _ROTATION_MODEL,
                problem.has_qlsa,
            )
        )
    return section


def _infeasible(params, data, request, problem, fixed, exc) -> dict[str, Any]:
    from resource_estimates.report.budget_infeasible import infeasible_section

    def problem_at(n: int):
        try:
            at = params.replace(n=n)
            kernel = request.kernel(params.depth, data.at(n)["delta"].value)
            return eb.BudgetProblem.from_report(
                at,
                data,
                kernel,
                qram="unit_cost",
                rotation_model=_ROTATION_MODEL,
                has_qlsa=problem.has_qlsa,
            )
        except ValueError:
            return None

    qeps = params.qlsa_epsilon if problem.has_qlsa else None
    reason = " ".join(str(exc).split())
    return infeasible_section(
        problem,
        request.failure_probability,
        fixed,
        reason,
        problem_at,
        params.knobs,
        qeps,
        explain=not request.summary_only,
    )


def _data_provenance(data: Any, n: int) -> dict[str, Any]:
    """The data quantities the budget read at n, each with its status (``measured``,
    ``extrapolated``, ``given``): ``extrapolated`` lists those not measured at n, so a reader
    sees that the knobs and the margin rest on a fit beyond the data."""
    dq = data.at(n)
    names = ("success_probability", "readout_overlap", "delta")
    out: dict[str, Any] = {k: {"value": dq[k].value, "status": dq[k].status} for k in names}
    out["extrapolated"] = [k for k in names if dq[k].status == "extrapolated"]
    return out


def _curve(problem: eb.BudgetProblem, target: float, fixed: Mapping[str, Any], section) -> list:
    """Optimised and uniform job T-counts at :data:`CURVE_TARGETS` and the target (its numbers
    from ``section``); ``None`` where P cannot be met."""
    rows = []
    for p in sorted({*CURVE_TARGETS, target}, reverse=True):
        if p == target:
            job = section["job_t_count"]
            rows.append({"target": p, **{k: job[k] for k in ("optimised", "uniform_split")}})
            continue
        try:
            best = bo.optimise(problem, p, fixed).job_t_count
        except ValueError:
            best = None
        try:
            uni = bo.uniform_split(problem, p).job_t_count
        except ValueError:
            uni = None
        rows.append({"target": p, "optimised": best, "uniform_split": uni})
    return ebs.json_safe(rows)


def rotation_synthesis(section: Mapping[str, Any]) -> dict[str, Any] | None:
    """The budget's rotation synthesis for the physical models: ε per rotation, T per rotation
    and the model (``None`` when the report has no error budget)."""
    if section.get("status") not in _COMPUTED:
        return None
    knobs = section["knobs"]
    return {
        "epsilon": knobs["rotation_epsilon"],
        "t_per_rotation": knobs["t_per_rotation"],
        "model": section["model"]["rotation_model"],
        "source": "error_budget.knobs.rotation_epsilon",
    }


def budget_conclusions(section: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Do the costed knobs get the label right with probability ≥ 1 − P? And the polylog
    verdicts at knobs that meet P (:func:`growth_conclusions`; they carry their own ``data``)."""
    costed = section.get("costed_knobs")
    if not costed:
        return []
    growth = growth_conclusions(section.get("knob_growth"))
    target = section["target"]
    knobs = ", ".join(f"{k} = {costed['knobs'][k]}" for k in eb.KNOBS)
    if section.get("status") == "infeasible":
        evidence = f"infeasible: no knobs meet P ({section['reason']})"
    elif costed["meets_target"]:
        evidence = f"failure bound {_g(costed['failure_probability'])} <= {_g(target)}"
    else:
        evidence = (
            f"breaking components: {', '.join(costed['breaking_components']) or 'their sum'}; "
            f"the least-cost knobs that meet it cost {_g(section['job_t_count']['optimised'])} "
            f"T (job) vs {_g(costed['job_t_count'])} T at these knobs"
        )
    return [
        {
            "qram_model": "any",
            "claim": f"the report's knobs ({knobs}) give the right label with probability "
            f">= 1 - {_g(target)}",
            "holds": bool(costed["meets_target"]),
            "evidence": evidence,
        },
        *growth,
    ]


def _g(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)) and (abs(x) >= 1e5 or 0 < abs(x) < 1e-3):
        return f"{x:.3g}"
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


_KNOB_COLUMNS = (*eb.KNOBS, "rotation_epsilon", "t_per_rotation", "readout_shots")


def budget_markdown(report: Mapping[str, Any]) -> list[str]:
    """The ``## Error budget`` part of ``report.md`` (empty without the section)."""
    S = report.get("error_budget")
    if not S:
        return []
    L = ["", "## Error budget", ""]
    if S.get("status") == "infeasible":
        from resource_estimates.report.budget_infeasible import infeasible_markdown

        return infeasible_markdown(S)
    if S.get("status") not in _COMPUTED:
        return L + [f"Not computed: {S.get('reason', S.get('status'))}."]
    L.append(
        f"Target: the label is wrong with probability at most P = {_g(S['target'])}; the "
        f"least-cost knobs give {_g(S['total'])} (objective: {S['objective']}; rotations "
        f"synthesised at ε = {_g(S['knobs']['rotation_epsilon'])}, the ε the physical "
        "models use)."
    )
    if S.get("note"):
        L += ["", f"Note: {S['note']}."]
    L += _flags_markdown(S)
    cols = (*_KNOB_COLUMNS, "qlsa_epsilon") if "qlsa_epsilon" in S["knobs"] else _KNOB_COLUMNS
    L += ["", "| configuration | " + " | ".join(cols) + " | failure bound | job T-count |"]
    L.append("|---" * (len(cols) + 3) + "|")
    rows = (
        ("optimised", S),
        ("uniform split", S["uniform_split"]),
        ("fixed defaults", S["fixed_defaults"]),
        ("costed (logical counts above)", S["costed_knobs"]),
    )
    for name, conf in rows:
        total = conf["total"] if conf is S else conf["failure_probability"]
        job = S["job_t_count"]["optimised"] if conf is S else conf["job_t_count"]
        cells = " | ".join(_g(conf["knobs"].get(k)) for k in cols)
        L.append(f"| {name} | {cells} | {_g(total)} | {_g(job)} |")
    L += [
        "",
        f"Uniform split / optimised: {S['uniform_over_optimised']:.3g}x. "
        + _shortfall("fixed defaults", S["fixed_defaults"])
        + " "
        + _shortfall("costed knobs", S["costed_knobs"]),
        "",
        "| component | knob | value | allocated (optimised) |",
        "|---|---|---|---|",
    ]
    for name, c in S["components"].items():
        unit = "Δo" if c["kind"] == "overlap_margin" else "probability"
        L.append(f"| {name} | {c['knob']} | {_g(c['value'])} | {_g(c['allocated'])} ({unit}) |")
    L += ["", "Cost vs P (job T-count): " + "; ".join(
        f"P = {_g(r['target'])}: {_g(r['optimised'])} optimised, {_g(r['uniform_split'])} uniform"
        for r in S["cost_vs_failure_probability"]
    ) + "."]  # fmt: skip
    return L + measured_markdown(S) + growth_markdown(S.get("knob_growth"))


def budget_summary(section: Mapping[str, Any] | None) -> str | None:
    """One line for the command's summary (``None`` without a computed section)."""
    if section and section.get("status") == "infeasible":
        from resource_estimates.report.budget_infeasible import infeasible_summary

        return infeasible_summary(section)
    if not section or section.get("status") not in _COMPUTED:
        return None
    k, job, d = section["knobs"], section["job_t_count"], section["fixed_defaults"]
    knobs = "/".join(str(k[x]) for x in eb.KNOBS)
    verdict = (
        "meet P"
        if d["meets_target"]
        else f"do not meet P: {', '.join(d['breaking_components']) or 'their sum'} break it"
    )
    qlsa = f", QLSA eps {k['qlsa_epsilon']:.2g}" if "qlsa_epsilon" in k else ""
    return (
        f"error budget (P = {section['target']:g}): optimised job {job['optimised']:.3e} T "
        f"(b_a/m/k/b_k = {knobs}, rotation eps {k['rotation_epsilon']:.2g}{qlsa}), uniform split "
        f"{job['uniform_split']:.3e} T ({section['uniform_over_optimised']:.3g}x); fixed defaults "
        f"{job['fixed_defaults']:.3e} T {verdict}" + _measured_summary(section.get("measured"))
    )


def _measured_summary(M: Mapping[str, Any] | None) -> str:
    at = (M or {}).get("at_n")
    if not at:
        return ""
    flag = "extrapolated " if at["extrapolated"] else ""
    return (
        f"; measured on the data ({flag}from n <= {max(r['n'] for r in M['rows'])}): "
        f"{at['job_t_count']:.3e} T (certified/measured {M['certified_over_measured']:.3g}x)"
    )


def _flags_markdown(S: Mapping[str, Any]) -> list[str]:
    """Extrapolated inputs and search bounds that bind, as visible lines (never silent)."""
    out = []
    data = S.get("data") or {}
    if data.get("extrapolated"):
        vals = ", ".join(f"{k} = {_g(data[k]['value'])}" for k in data["extrapolated"])
        out.append(
            f"**Extrapolated inputs**: {vals} are extrapolated to this n (not measured): "
            "the knobs and the margin rest on that fit."
        )
    for k in S.get("search_bound_binding") or []:
        lo, hi = S["search_bounds"][k]
        out.append(
            f"**Search bound binds**: {k} = {S['knobs'][k]} is the end of its search interval "
            f"[{lo}, {hi}]; the least-cost value may lie beyond it."
        )
    return ["", *out] if out else []


def _shortfall(name: str, conf: Mapping[str, Any]) -> str:
    if conf["meets_target"]:
        return f"The {name} meet P."
    broken = ", ".join(conf["breaking_components"]) or "none alone (their sum does)"
    return f"The {name} do not meet P; components that break it alone: {broken}."
