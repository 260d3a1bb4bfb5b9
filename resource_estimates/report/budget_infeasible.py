"""The ``error_budget`` section when no knobs meet P: what breaks it and what would make it
feasible, instead of an error (the logical counts do not depend on the budget, so the report is
still written).

A budget is infeasible when, within the optimiser's search bounds
(:data:`resource_estimates.error_budget.optimiser.SEARCH_BOUNDS`), the systematic errors use the
whole readout margin o = ⟨k*|v⟩ (or the surface code's failure exceeds its share). o shrinks as n
grows (extrapolated from the data set), and P only moves the readout's shots, so the levers are:

* **a smaller n** — the largest of the sizes :data:`PROBE_LOG2_N` below n at which the same P is
  met with the same depth, data model (at n') and fixed knobs (the next probed size up, or n, is
  infeasible; sizes between two probes are not tried);
* **a larger P** — the smallest of :data:`LARGER_P` above P that is met at n (often none: P
  moves only the readout's shots, so 0.49 is tried first and the others only if it is met);
* **fewer fixed knobs** — when the user fixed knobs, whether the budget is feasible without them;
* **a larger margin o** — data whose test kernel overlaps its label state more (o at n is given).

:func:`infeasible_section` builds the section (``status: "infeasible"``),
:func:`infeasible_markdown` and :func:`infeasible_summary` print it. Each probe is one optimisation
(≈ 1–5 s), plus the budget's kernel at each probed n.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.error_budget.section import json_safe

__all__ = [
    "LARGER_P",
    "PROBE_LOG2_N",
    "infeasible_markdown",
    "infeasible_section",
    "infeasible_summary",
]

#: Failure probabilities tried above P (P < 1/2: a wrong label with probability ≥ 1/2 is a coin).
LARGER_P = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.49)
#: log2 of the smaller sizes probed, largest first (each probe rebuilds the budget at that n:
#: its kernel at n's δ̂, ≈ 5–10 s at the depths of large n).
PROBE_LOG2_N = (50, 40, 30, 20, 10)


def _feasible(problem: Any, target: float, fixed: Mapping[str, Any] | None) -> bool:
    if problem is None:  # no budget problem at that n (e.g. its parameters are invalid there)
        return False
    try:
        bo.optimise(problem, target, fixed or None)
    except ValueError:
        return False
    return True


def infeasible_section(
    problem: Any,
    target: float,
    fixed: Mapping[str, Any],
    reason: str,
    problem_at: Callable[[int], Any],
    user_knobs: Mapping[str, Any],
    qlsa_epsilon: float | None = None,
    explain: bool = True,
) -> dict[str, Any]:
    """The section of an infeasible budget.

    Args:
        problem: the budget's :class:`~resource_estimates.error_budget.budget.BudgetProblem` at n.
        target: P.
        fixed: the knobs the user fixed (kept by the optimiser).
        reason: the optimiser's one-line reason.
        problem_at: n' ↦ the same budget problem at a smaller n' (its data model at n'), or
            ``None`` when there is none.
        user_knobs: the knobs the logical counts are at (evaluated: their failure bound).
        qlsa_epsilon: the QLSA's ε of the logical counts (variants with a QLSA).
        explain: also search what would make it feasible (``False``: status, reason and the
            costed knobs only, as the data band's ends need).
    """
    qeps = {} if qlsa_epsilon is None else {"qlsa_epsilon": qlsa_epsilon}
    costed = eb.fixed_defaults(problem, target, knobs={k: user_knobs[k] for k in eb.KNOBS}, **qeps)
    section = {"status": "infeasible", "target": target, "reason": reason}
    if not explain:
        return json_safe({**section, "costed_knobs": costed})
    n = int(problem.n)
    o = abs(float(problem.overlap))
    levers: dict[str, Any] = {}

    below = [k for k in PROBE_LOG2_N if 2**k < n]
    infeasible_at = int(math.log2(n))
    levers["smaller_n"] = {"largest_n": None, "log2": None, "probed_log2": below}
    for k in below:  # descending: the first feasible is the largest probed
        if _feasible(problem_at(2**k), target, fixed):
            levers["smaller_n"].update(largest_n=2**k, log2=k, first_infeasible_log2=infeasible_at)
            break
        infeasible_at = k
    tried = [p for p in LARGER_P if p > target]
    larger = None
    if tried and _feasible(problem, tried[-1], fixed):  # P moves only the shots: monotone
        larger = next(p for p in tried if _feasible(problem, p, fixed))
    levers["larger_p"] = {"smallest_p": larger, "tried": tried}
    if fixed:
        levers["free_fixed_knobs"] = {
            "fixed": dict(fixed),
            "feasible": _feasible(problem, target, None),
        }
    levers["readout_margin"] = {"o": o, "n": n}
    return json_safe(
        {
            **section,
            "search_bounds": {k: list(v) for k, v in bo.SEARCH_BOUNDS.items()},
            "would_make_feasible": levers,
            "advice": advice(levers, target),
            "costed_knobs": costed,
        }
    )


def advice(levers: Mapping[str, Any], target: float) -> list[str]:
    """The levers as sentences (see the module docstring)."""
    out = []
    small = levers["smaller_n"]
    probed = ", ".join(f"2^{k}" for k in small["probed_log2"])
    if small["largest_n"] is not None:
        out.append(
            f"a smaller n: P = {target:g} is met at n = 2^{small['log2']}, not at "
            f"2^{small['first_infeasible_log2']} (probed {probed}; same depth and fixed knobs)"
        )
    else:
        out.append(f"a smaller n: not met at any of {probed or 'no smaller size'}")
    big = levers["larger_p"]["smallest_p"]
    out.append(
        f"a larger P: P = {big:g} is met at this n"
        if big is not None
        else "a larger P: none up to 0.49 is met at this n (P moves only the readout's shots)"
    )
    free = levers.get("free_fixed_knobs")
    if free:
        names = ", ".join(f"{k} = {v}" for k, v in free["fixed"].items())
        out.append(f"not fixing {names}: {'feasible' if free['feasible'] else 'still infeasible'}")
    o = levers["readout_margin"]["o"]
    out.append(
        f"a larger readout margin o = <k*|v> (here {o:.3g} at n = 2^"
        f"{int(math.log2(levers['readout_margin']['n']))}): data whose test kernel overlaps its "
        "label state more"
    )
    return out


def infeasible_markdown(section: Mapping[str, Any]) -> list[str]:
    """The ``## Error budget`` part of ``report.md`` for an infeasible budget."""
    c = section["costed_knobs"]
    L = [
        "",
        "## Error budget",
        "",
        f"**Infeasible**: no knobs within the search bounds get the label right with "
        f"probability ≥ 1 − P, P = {section['target']:g} ({section['reason']}). The logical and "
        "physical figures of this report do not depend on the budget and are given at your "
        f"knobs, whose failure bound is {c['failure_probability']:.3g} (job T-count "
        f"{c['job_t_count']:.3g}).",
        "",
        "What would make it feasible:",
        "",
    ]
    L += [f"* {line}" for line in section["advice"]]
    bounds = ", ".join(f"{k} {lo}..{hi}" for k, (lo, hi) in section["search_bounds"].items())
    L += ["", f"Search bounds: {bounds}."]
    return L


def infeasible_summary(section: Mapping[str, Any]) -> str:
    """One line for the command's summary."""
    return (
        f"error budget (P = {section['target']:g}): INFEASIBLE ({section['reason']}); would be "
        f"feasible with: {'; '.join(section['advice'])}"
    )
