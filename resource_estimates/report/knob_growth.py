"""The certified knobs' growth with n, and the polylog verdicts at knobs that meet P.

:func:`knob_growth` runs the error budget's optimiser (:func:`resource_estimates.error_budget.
optimiser.optimise`) at every n of :data:`GROWTH_GRID` (2^10, 2^15, …, 2^40) with the data model
at that n (measured or extrapolated; each row says which) and the kernel at that n's depth
(``BudgetRequest.depth_for``, else the report's depth at every n). It returns

* ``rows``: per n the certified knobs (b_a, m, k, b_k, rotation ε, shots), the run and job
  T-counts at those knobs, and the data's status; a size where P cannot be met says why;
* ``knob_fits``: each integer knob's least-squares line ``a + b·log2 n`` (and its largest
  deviation), so a reader sees how fast precision must grow;
* ``run_fit`` and ``job_fit``: :func:`resource_estimates.report.verdicts.polylog_fit` of the run
  and job T-counts at the certified knobs (polylog degree, residual power of n, pure power law).

:func:`growth_conclusions` turns the two fits into the report's polylog verdicts *at knobs that
meet P* (labelled so; the verdicts at the user's knobs stay separately labelled). The run cost is
the budget's own (unit-cost QRAM, T = T + 4·Toffoli + T per rotation × rotations).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.report.verdicts import data_provenance, polylog_fit

__all__ = ["GROWTH_GRID", "knob_growth", "growth_conclusions", "growth_markdown"]

#: The sizes of the knob-growth table (log2 n = 10, 20, 30, 40: each costs one optimisation and,
#: when the depth or δ̂ changes, one tabulation of the kernel, ~2–8 s on a loaded machine).
GROWTH_GRID = (2**10, 2**20, 2**30, 2**40)
_INT_KNOBS = eb.KNOBS


def knob_growth(
    params: Any,
    data: Any,
    kernel: Callable[[int, float], Callable],
    target: float,
    depth_for: Callable[[int, float], int] | None = None,
    rotation_model: str = "ross_selinger",
    has_qlsa: bool = False,
    grid: tuple[int, ...] = GROWTH_GRID,
) -> dict[str, Any]:
    """The table and fits of the module docstring (JSON-ready; ``None`` where P is not met)."""
    rows = []
    sensitivities: dict[tuple[int, float], Any] = {}  # one tabulation per (depth, δ̂)
    for n in grid:
        dq = data.at(n)
        delta = dq["delta"].value
        depth = params.depth if depth_for is None else int(depth_for(n, delta))
        at_n = params.replace(n=n, depth=depth)
        row: dict[str, Any] = {
            "n": n,
            "depth": depth,
            "data_status": {k: dq[k].status for k in ("success_probability", "readout_overlap")},
        }
        try:
            if (depth, delta) not in sensitivities:
                sensitivities[depth, delta] = em.KernelSensitivity.from_kernel(kernel(depth, delta))
            problem = eb.BudgetProblem.from_report(
                at_n,
                data,
                None,
                rotation_model=rotation_model,
                has_qlsa=has_qlsa,
                sensitivity=sensitivities[depth, delta],
            )
            best = bo.optimise(problem, target)
        except ValueError as exc:
            row.update(status="not_met", reason=" ".join(str(exc).split()))
            rows.append(row)
            continue
        row.update(
            status="ok",
            knobs={k: best.knobs[k] for k in (*_INT_KNOBS, "rotation_epsilon", "readout_shots")},
            run_t_count=best.run_t_count,
            job_t_count=best.job_t_count,
            failure_probability=best.failure_probability,
            search_bound_binding=bo.binding_bounds(best.knobs),
        )
        rows.append(row)
    ok = [r for r in rows if r["status"] == "ok"]
    ns = [r["n"] for r in ok]
    out: dict[str, Any] = {
        "target": target,
        "grid": list(grid),
        "rows": rows,
        "cost_model": "unit-cost QRAM; T + 4 T per Toffoli + rotations at the budget's epsilon "
        f"({rotation_model})",
        "knob_fits": {},
        "run_fit": polylog_fit(ns, [r["run_t_count"] for r in ok]) if len(ok) >= 3 else None,
        "job_fit": polylog_fit(ns, [r["job_t_count"] for r in ok]) if len(ok) >= 3 else None,
        "data": data_provenance({r["n"]: r["data_status"] for r in rows}),
    }
    if len(ok) >= 2:
        log_n = np.log2(np.asarray(ns, dtype=float))
        for k in _INT_KNOBS:
            y = np.asarray([float(r["knobs"][k]) for r in ok])
            b, a = np.polyfit(log_n, y, 1)
            out["knob_fits"][k] = {
                "intercept": round(float(a), 4),
                "per_log2_n": round(float(b), 4),
                "max_deviation": round(float(np.max(np.abs(a + b * log_n - y))), 4),
            }
    return out


def growth_conclusions(growth: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The polylog verdicts of one run and of the whole job at the certified knobs of each n."""
    if not growth:
        return []
    out = []
    for claim, key in (
        ("at knobs that meet P, one coherent run costs polylog(n) T", "run_fit"),
        ("at knobs that meet P, the whole job costs polylog(n) T", "job_fit"),
    ):
        fit = growth.get(key)
        if fit is None:
            evidence = "P is not met at enough sizes of the grid to fit"
        else:
            lo, hi = (int(math.log2(x)) for x in fit["grid"])
            evidence = (
                f"T-count at the error budget's certified knobs of each n = 2^{lo} … 2^{hi} "
                f"({fit['sizes']} sizes, P = {growth['target']:g}): fitted (log2 n)^"
                f"{fit['polylog_degree']:.3f} within {fit['polylog_max_relative_deviation']:.1%}; "
                f"power of n beside it {fit['residual_power_exponent']:.3f} (pure power law n^"
                f"{fit['power_law_exponent']:.3f})"
            )
        out.append(
            {
                "qram_model": "unit_cost",
                "claim": claim,
                "holds": bool(fit is not None and fit["polylog"]),
                "evidence": evidence,
                "knobs": "error budget (certified, P met at each n)",
                "fit": fit,
                "data": growth["data"],
            }
        )
    return out


def _g(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:.3g}" if abs(x) >= 1e5 or isinstance(x, float) else str(x)
    return str(x)


def growth_markdown(growth: Mapping[str, Any] | None) -> list[str]:
    """The knob-growth table and fits as report.md lines (empty without them)."""
    if not growth:
        return []
    L = [
        "",
        f"Certified knobs vs n (P = {growth['target']:g}; {growth['cost_model']}; data: "
        f"{growth['data']['note']}):",
        "",
        "| n | depth | " + " | ".join(_INT_KNOBS) + " | rotation ε | shots | run T | job T |",
        "|---" * (len(_INT_KNOBS) + 7) + "|",
    ]
    for r in growth["rows"]:
        size = f"2^{int(math.log2(r['n']))}"
        if r["status"] != "ok":
            L.append(f"| {size} | {r['depth']} | P not met: {r['reason']} |")
            continue
        k = r["knobs"]
        cells = " | ".join(str(k[x]) for x in _INT_KNOBS)
        flag = f" (search bound: {', '.join(r['search_bound_binding'])})" * bool(
            r["search_bound_binding"]
        )
        L.append(
            f"| {size} | {r['depth']} | {cells} | {_g(k['rotation_epsilon'])} | "
            f"{_g(k['readout_shots'])} | {_g(r['run_t_count'])} | {_g(r['job_t_count'])}{flag} |"
        )
    fits = growth.get("knob_fits") or {}
    if fits:
        L += [
            "",
            "Knob fits in log2 n: "
            + "; ".join(
                f"{k} ≈ {f['intercept']:.3g} + {f['per_log2_n']:.3g}·log2 n "
                f"(max deviation {f['max_deviation']:.2g})"
                for k, f in fits.items()
            )
            + ".",
        ]
    for name, key in (("run", "run_fit"), ("job", "job_fit")):
        f = growth.get(key)
        if f:
            L.append(
                f"{name.capitalize()} T at certified knobs: ∝ (log2 n)^{f['polylog_degree']:.3g} "
                f"(max deviation {f['polylog_max_relative_deviation']:.1%}, residual power "
                f"n^{f['residual_power_exponent']:.3g}); pure power law n^"
                f"{f['power_law_exponent']:.3g}."
            )
    return L
