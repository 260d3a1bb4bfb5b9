"""Two numbers side by side: the *certified* job T-count (the error budget's bound) and the
*measured* one (the cheapest knobs whose exact same-discretisation failure on the data's own test
points is ≤ P).

The measured rows come from the caller (``qntk_compile.classical.measured_budget.measured_growth``
runs the exact reference, n ≤ 4096; this package never imports ``qntk_compile``).
:func:`measured_block` adds, at the report's n, the measured knobs *extrapolated* by their fits in
log2 n (rounded up, never below the largest measured size's, the median copies odd) and the
job T-count there: the budget's run cost
at those knobs (rotations at the budget's T per rotation), post-selection runs 1/q and the
fewest shots whose majority is right with probability ≥ 1 − (readout share of P) at the data
model's overlap o with no systematic loss (exact binomial tail). It is flagged as an
extrapolation whenever the report's n lies beyond the measured sizes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.error_budget import row_bounds as rb
from resource_estimates.logical.counts import T_PER_TOFFOLI

__all__ = ["measured_block", "measured_markdown"]


def _extrapolated_knobs(fits: Mapping[str, Any], n: int, last: Mapping[str, int]) -> dict:
    """The fits at n, rounded up, and never below the largest measured size's knobs (a fit that
    falls with n over a few sizes is read as noise, not as precision one can drop)."""
    out = {}
    for k in eb.KNOBS:
        f = fits[k]
        v = math.ceil(f["intercept"] + f["per_log2_n"] * math.log2(n) - 1e-9)
        v = max(v, bo.SEARCH_BOUNDS[k][0], int(last[k]))
        out[k] = v + (1 - v % 2) if k == "median_copies" else v
    return out


def measured_block(
    problem: eb.BudgetProblem,
    measured: Mapping[str, Any],
    section: Mapping[str, Any],
    data_at_n: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``error_budget.measured`` block (module docstring)."""
    rows = [
        {k: r[k] for k in r if k != "points"} for r in measured["rows"]
    ]  # the per-test-point detail stays with the harness
    sizes = [r["n"] for r in rows]
    for r in rows:  # a measured knob on the search's floor: the data may need even less
        r["at_search_floor"] = [
            k for k in eb.KNOBS if r["measured_knobs"][k] <= bo.SEARCH_BOUNDS[k][0]
        ]
    out: dict[str, Any] = {
        "definition": "cheapest knobs whose exact same-discretisation failure rate on the data's "
        "own test points is <= P (DiagonalNTK flag readout, exact binomial tail); median over "
        "the test points",
        "target": measured["target"],
        "rows": rows,
        "knob_fits": measured.get("knob_fits") or {},
        "certified_job_t_count": section["job_t_count"]["optimised"],
    }
    fits = out["knob_fits"]
    if len(rows) < 2 or set(fits) != set(eb.KNOBS):
        out["at_n"] = None
        out["note"] = "fewer than two measured sizes: no fit in log2 n, no extrapolation"
        return out
    last = max(rows, key=lambda r: r["n"])["measured_knobs"]
    knobs = _extrapolated_knobs(fits, problem.n, last)
    tof, t, rot = (float(v) for v in problem.run_costs(*(knobs[k] for k in eb.KNOBS)))
    run_t = t + T_PER_TOFFOLI * tof + section["knobs"]["t_per_rotation"] * rot
    o = abs(problem.overlap)
    shots = float(rb.binomial_shots_for(eb.readout_budget(problem, measured["target"]), o))
    job = shots * problem.runs_per_shot * run_t
    extrapolated = problem.n > max(sizes)
    statuses = sorted({q.status for q in data_at_n.values()})
    out["at_n"] = {
        "n": problem.n,
        "knobs": knobs,
        "readout_shots": shots,
        "run_t_count": run_t,
        "job_t_count": job,
        "extrapolated": extrapolated,
        "note": (
            f"measured at n = {min(sizes)}…{max(sizes)} ({len(sizes)} sizes); knobs "
            f"extrapolated by their fits in log2 n to n = 2^{int(math.log2(problem.n))}"
            " (rounded up; never below the largest measured size's)"
            if extrapolated
            else "within the measured sizes"
        )
        + f"; shots at the data model's o = {o:.3g} ({', '.join(statuses)}) with no systematic "
        "loss",
    }
    out["certified_over_measured"] = section["job_t_count"]["optimised"] / job
    return out


def _g(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:.3g}" if abs(x) >= 1e5 or isinstance(x, float) else str(x)
    return str(x)


def measured_markdown(S: Mapping[str, Any]) -> list[str]:
    """The two numbers as report.md lines (empty without a measured block)."""
    M = S.get("measured")
    if not M:
        return []
    L = [
        "",
        f"**Certified** job T-count (the bound: every data set with these q, o, δ̂): "
        f"{_g(M['certified_job_t_count'])}. **Measured** ({M['definition']}):",
        "",
        "| n | certified job T | measured job T | certified/measured (median, max) | measured "
        "knobs b_a/m/k/b_k |",
        "|---|---|---|---|---|",
    ]
    for r in M["rows"]:
        kn = "/".join(str(r["measured_knobs"][k]) for k in eb.KNOBS)
        L.append(
            f"| {r['n']} | {_g(r['certified_job_t_count'])} | {_g(r['measured_job_t_count'])} | "
            f"{_g(r['ratio_median'])}, {_g(r['ratio_max'])} | {kn} |"
        )
    floors = sorted({k for r in M["rows"] for k in r.get("at_search_floor", [])})
    if floors:
        lows = ", ".join(f"{k} >= {bo.SEARCH_BOUNDS[k][0]}" for k in floors)
        L += [
            "",
            f"**Search floor binds** for the measured knobs ({lows}, the run-cost form's range):"
            " the data may need even less.",
        ]
    at = M.get("at_n")
    if at is None:
        L += ["", f"Measured at the report's n: not computed ({M.get('note')})."]
        return L
    kn = "/".join(str(at["knobs"][k]) for k in eb.KNOBS)
    flag = "**Extrapolated**: " if at["extrapolated"] else ""
    L += [
        "",
        f"{flag}measured at the report's n: knobs {kn}, job {_g(at['job_t_count'])} T "
        f"({at['note']}); certified / measured = {_g(M['certified_over_measured'])}.",
    ]
    return L
