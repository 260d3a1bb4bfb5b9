"""The report's headline: what the job costs, at the knobs that meet P and at the user's knobs.

For each QRAM model, two rows (the shape of Microsoft's estimator summary): the job's Toffoli and
T-count, logical qubits, physical qubits, wall-clock in human units, code distance and factories
— first at the error budget's least-cost knobs that meet P (``report["optimised"]``), then at the
knobs the logical tables are at (the user's). Every figure is read from the report's body
(:func:`headline_rows`); a test checks the two agree.

**Which physical model.** The first of Microsoft's estimator, Gidney–Fowler, Beverland et al.
whose status is ``ok`` (the first two include the T factories; Beverland's data block does not,
said in the row). The job's wall-clock = runs in job × the model's run time.

**Infeasible** (said in words beside the figures): a row is ``infeasible`` when the error budget
is (no knobs meet P: ``error_budget.status == "infeasible"``), or its job's
wall-clock exceeds :data:`MAX_JOB_YEARS` years, or it needs more than
:data:`MAX_PHYSICAL_QUBITS` physical qubits, or no physical model gives a layout (each model's
status is then given). These thresholds are this report's convention for "absurd", not a claim
about future hardware: they are 10× beyond the largest published fault-tolerant estimates (days
to months, 10⁶–10⁷ qubits: Gidney, Ekerå 2021, arXiv:1905.09749; Beverland et al. 2022,
arXiv:2211.07629).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MAX_JOB_YEARS",
    "MAX_PHYSICAL_QUBITS",
    "MODEL_ORDER",
    "headline_lines",
    "headline_markdown",
    "headline_rows",
    "human_duration",
]

MAX_JOB_YEARS = 10.0
MAX_PHYSICAL_QUBITS = 10**8
#: Physical models in order of preference for the headline (factories included first).
MODEL_ORDER = ("microsoft", "gidney_fowler", "beverland")
_HOURS_PER_YEAR = 24 * 365.25


def human_duration(hours: float | None) -> str:
    """``hours`` in the largest unit that keeps the number readable (s, min, h, days, years)."""
    if hours is None or not math.isfinite(hours):
        return "–"
    s = hours * 3600
    for unit, size in (("years", 3600 * _HOURS_PER_YEAR), ("days", 86400), ("h", 3600)):
        if s >= size:
            v = s / size
            return f"{v:.3g} {unit}" if v < 1e4 else f"{v:.2e} {unit}"
    if s >= 60:
        return f"{s / 60:.3g} min"
    return f"{s:.3g} s"


def _num(x: Any) -> str:
    if x is None:
        return "–"
    x = float(x)
    if abs(x) < 1e6:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _pick(run: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    for m in MODEL_ORDER:
        r = run.get(m)
        if r and r.get("status") == "ok":
            return m, r
    return None, None


def _row(
    qram: str,
    config: str,
    knobs: Mapping[str, Any],
    meets: Any,
    logical: Mapping[str, Any],
    phys: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """One headline row from a logical block (``run``/``job``) and a physical block."""
    row: dict[str, Any] = {
        "qram_model": qram,
        "configuration": config,
        "knobs": dict(knobs),
        "meets_target": meets,
        "job_toffoli": logical["job"]["toffoli"],
        "logical_qubits": logical["run"]["qubits"],
    }
    runs = phys.get("runs_in_job") if phys else None
    counts = phys.get("physical_counts") if phys else None
    row["job_t_count"] = (
        None
        if counts is None or runs is None
        else float(runs) * (float(counts["t"]) + 4 * float(counts["toffoli"]))
    )
    model, r = _pick(phys.get("run", {})) if phys else (None, None)
    row["physical_model"] = model
    if r is None:
        statuses = (
            ", ".join(f"{m}: {x.get('status')}" for m, x in phys.get("run", {}).items())
            if phys
            else ""
        )
        reason = (phys or {}).get("reason") or statuses or "not computed"
        row.update(physical_qubits=None, job_hours=None, code_distance=None, factories=None)
        row["verdict"] = f"infeasible: no physical layout ({reason})"
        return row
    row.update(
        physical_qubits=r.get("physical_qubits"),
        job_hours=r.get("job_runtime_hours"),
        code_distance=r.get("code_distance"),
        factories=(
            r.get("t_factories")
            if model == "microsoft"
            else r.get("factory")
            if model == "gidney_fowler"
            else "not modelled (data block only)"
        ),
    )
    why = []
    years = row["job_hours"] / _HOURS_PER_YEAR if row["job_hours"] is not None else None
    if years is not None and years > MAX_JOB_YEARS:
        why.append(f"job wall-clock > {MAX_JOB_YEARS:g} years")
    if row["physical_qubits"] is not None and row["physical_qubits"] > MAX_PHYSICAL_QUBITS:
        why.append(f"> {MAX_PHYSICAL_QUBITS:.0e} physical qubits")
    row["verdict"] = f"infeasible: {'; '.join(why)}" if why else "feasible"
    return row


def headline_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per QRAM model: the row at the knobs that meet P (when the budget found them), then the
    row at the report's own knobs."""
    P = report["parameters"]
    budget = report.get("error_budget") or {}
    opt = report.get("optimised") or {}
    costed = budget.get("costed_knobs") or {}
    knob_names = list(opt.get("knobs") or {}) or [
        k for k in ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits") if k in P
    ]
    rows = []
    for qram in report["logical"]:
        lo = (opt.get("logical") or {}).get(qram) or {}
        if opt.get("status") == "ok" and lo.get("status") == "ok":
            rows.append(_row(qram, "meets P", opt["knobs"], True, lo, opt["physical"].get(qram)))
        row = _row(
            qram,
            "your knobs",
            {k: P[k] for k in knob_names if k in P},
            costed.get("meets_target"),
            report["logical"][qram],
            report["physical"][qram],
        )
        if budget.get("status") == "infeasible":  # no knobs meet P: said first, in words
            other = row["verdict"].removeprefix("infeasible: ").removeprefix("feasible")
            row["verdict"] = f"infeasible: no knobs meet P = {budget['target']:g}" + (
                f"; {other}" if other else ""
            )
        rows.append(row)
    return rows


def _knob_text(knobs: Mapping[str, Any]) -> str:
    from resource_estimates.variants.registry import KNOB_SPECS

    names = [k for k in KNOB_SPECS if k in knobs]
    syms = "/".join(KNOB_SPECS[k].symbol for k in names)
    vals = "/".join(f"{knobs[k]:g}" for k in names)
    return f"{syms} = {vals}"


def _meets_text(meets: Any) -> str:
    return "yes" if meets is True else "no" if meets is False else "not computed"


def _target_text(report: Mapping[str, Any]) -> str:
    budget = report.get("error_budget") or {}
    if "target" in budget:
        return f"P = {budget['target']:g}"
    return "P (error budget not computed)"


def headline_markdown(report: Mapping[str, Any]) -> list[str]:
    """The ``## Headline`` block of ``report.md`` (a table, one row per QRAM model and knobs)."""
    L = [
        "## Headline",
        "",
        f"The whole job (label right with probability ≥ 1 − P, {_target_text(report)}), per QRAM "
        "model: at the least-cost knobs that meet P (error budget), then at your knobs.",
        "",
        "| QRAM | knobs | meets P | job Toffoli | job T | logical qubits | physical qubits "
        "| job wall-clock | code distance | factories | physical model | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in headline_rows(report):
        L.append(
            f"| {r['qram_model'].replace('_', '-')} | {r['configuration']}: "
            f"{_knob_text(r['knobs'])} | {_meets_text(r['meets_target'])} | "
            f"{_num(r['job_toffoli'])} | {_num(r['job_t_count'])} | {_num(r['logical_qubits'])} | "
            f"{_num(r['physical_qubits'])} | {human_duration(r['job_hours'])} | "
            f"{_num(r['code_distance'])} | {r['factories'] if r['factories'] is not None else '–'} "
            f"| {r['physical_model'] or '–'} | **{r['verdict']}** |"
        )
    budget = report.get("error_budget") or {}
    if budget.get("status") == "infeasible":
        L += [
            "",
            "**The error budget is infeasible**: no knobs meet P at this n (see Error "
            "budget: what would make it feasible).",
        ]
    L += [
        "",
        f"Infeasible = job wall-clock > {MAX_JOB_YEARS:g} years, > {MAX_PHYSICAL_QUBITS:.0e} "
        "physical qubits, or no layout (`docs/report_fields.md`, Headline). Job T = runs × (T + "
        "4·Toffoli) with rotations synthesised as T at the error budget's ε.",
    ]
    return L


def headline_lines(report: Mapping[str, Any]) -> list[str]:
    """The headline as lines for a terminal summary (the CLI prints them)."""
    infeasible = (report.get("error_budget") or {}).get("status") == "infeasible"
    out = [
        f"headline (whole job, {_target_text(report)}"
        f"{'; error budget INFEASIBLE: no knobs meet P' if infeasible else ''}):"
    ]
    for r in headline_rows(report):
        phys = (
            f"{_num(r['physical_qubits'])} physical qubits, {human_duration(r['job_hours'])}, "
            f"d = {_num(r['code_distance'])}, factories {r['factories']} ({r['physical_model']})"
            if r["physical_model"]
            else "no physical layout"
        )
        out.append(
            f"  {r['qram_model']:9s} {r['configuration']} ({_knob_text(r['knobs'])}; meets P: "
            f"{_meets_text(r['meets_target'])}): job {_num(r['job_toffoli'])} Toffoli, "
            f"{_num(r['job_t_count'])} T; {_num(r['logical_qubits'])} logical qubits; {phys} — "
            f"{r['verdict']}"
        )
    return out
