"""The *measured* error budget: the cheapest knobs whose exact failure rate on the data is ≤ P.

The certified budget (:mod:`resource_estimates.error_budget`) is a bound over every data set with
the same q, o and δ̂. The measured one asks what the data at hand need: for a training set of n rows
and each of its own test points, the exact same-discretisation readout bias of ``DiagonalNTK``
(:mod:`qntk_compile.classical.discretised_reference`) at given knobs fixes the fewest shots whose
majority is wrong with probability ≤ the readout's share of P (exact binomial tail), and hence the
job's T-count. :func:`measured_point` searches the knobs down from the certified ones (which meet P,
since the bound holds) by coordinate descent (each knob lowered while the exact failure stays ≤ P
and the job gets cheaper; passes repeat until nothing moves), so the result is a local minimum of
the exact cost, found with a few dozen exact evaluations. Both costs use the same T-count of a run
(the budget's formula costs at n: T + 4·Toffoli + rotations at :data:`ROTATION_T` T each; simulated
rotations are exact, so neither carries a synthesis error) and the same post-selection runs 1/q.

:func:`measured_growth` does this at several n (n ≤ 4096: the exact reference tabulates 2^m phases
per row) and fits each measured knob as ``a + b·log2 n``; extrapolating it is flagged as such by
its users.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from qntk_compile.classical import reference as ref
from qntk_compile.classical.discretised_reference import discretised_diagonal_reference
from qntk_compile.classical.error_budget_validation import budget_for_problem
from qntk_compile.data.problem import Problem
from resource_estimates.error_budget import budget as eb
from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import optimiser as bo
from resource_estimates.error_budget import row_bounds as rb
from resource_estimates.logical.counts import T_PER_TOFFOLI

__all__ = ["ROTATION_T", "MAX_MEASURED_N", "measured_cost", "measured_point", "measured_growth"]

#: T per rotation in both costs (Ross–Selinger at ε = 10⁻¹⁰; the same for certified and measured).
ROTATION_T = em.rotation_t_count(1e-10)
#: Largest n the exact reference is run at.
MAX_MEASURED_N = 4096
_ORDER = ("phase_bits", "amplitude_bits", "kernel_bits", "median_copies")
_STEP = {"phase_bits": 1, "amplitude_bits": 1, "kernel_bits": 1, "median_copies": 2}
#: The lowest knob values searched: those of the certified search (the run-cost form is verified
#: from 6 amplitude bits and 4 phase bits), so both numbers are costed by the same formulas.
_FLOOR = {k: lo for k, (lo, _) in bo.SEARCH_BOUNDS.items()}


def _job(budget: eb.BudgetProblem, knobs, shots: float) -> float:
    tof, t, rot = (float(v) for v in budget.run_costs(*(int(knobs[k]) for k in eb.KNOBS)))
    return shots * budget.runs_per_shot * (t + T_PER_TOFFOLI * tof + ROTATION_T * rot)


class _Exact:
    """Exact bias and job cost of one test point at given knobs (memoised per knob tuple)."""

    def __init__(self, problem: Problem, target: float):
        self.problem = problem
        self.budget = budget_for_problem(problem)
        self.share = eb.readout_budget(self.budget, target)
        self.kmax = ref.k_max(problem)
        self.sign = 1.0 if self.budget.overlap > 0 else -1.0
        self.seen: dict[tuple, float] = {}

    def bias(self, knobs) -> float:
        key = tuple(int(knobs[k]) for k in eb.KNOBS)
        if key not in self.seen:
            p = self.problem
            r = discretised_diagonal_reference(
                p.X, p.y, p.x_test, depth=p.depth, k_max=self.kmax,
                **dict(zip(eb.KNOBS, key, strict=True)),
            )  # fmt: skip
            self.seen[key] = self.sign * (r.p_readout - 0.5)
        return self.seen[key]

    def cost(self, knobs) -> tuple[float, float]:
        """(job T-count, shots) at ``knobs``; ``inf`` when the exact sign is wrong."""
        b = self.bias(knobs)
        if not b > 0:
            return math.inf, math.inf
        shots = float(rb.binomial_shots_for(self.share, 2 * b))
        return _job(self.budget, knobs, shots), shots


def measured_cost(problem: Problem, knobs, target: float = 0.01) -> tuple[float, float]:
    """(job T-count, shots) of the exact reference at ``knobs`` on one test point: the fewest
    shots whose majority is wrong with probability ≤ the readout's share of ``target``."""
    return _Exact(problem, target).cost(knobs)


def measured_point(problem: Problem, target: float = 0.01, max_evals: int = 60) -> dict[str, Any]:
    """Certified and measured knobs, shots and job T-counts of one test point (``problem``).

    Returns ``certified`` and ``measured`` (each ``knobs``, ``shots``, ``bias``, ``job_t_count``;
    the certified ``bias`` is the bound's, ``bias_exact`` the reference's at those knobs),
    ``ratio`` (certified / measured job), ``evaluations`` (exact reference calls) and
    ``converged`` (no single step lowers the cost; ``False`` if ``max_evals`` stopped it).
    """
    if problem.n_padded > MAX_MEASURED_N:
        raise ValueError(f"n = {problem.n_padded} exceeds the measured budget's {MAX_MEASURED_N}")
    ex = _Exact(problem, target)
    plan = bo.simulation_plan(ex.budget, target)
    cert = {k: int(plan[k]) for k in eb.KNOBS}
    cert_shots = float(plan["readout_shots"])
    best = dict(cert)
    best_cost, best_shots = ex.cost(best)
    moved = converged = True
    while moved:
        moved = False
        for knob in _ORDER:
            while best[knob] - _STEP[knob] >= _FLOOR[knob]:
                if len(ex.seen) >= max_evals:
                    converged = False
                    break
                trial = {**best, knob: best[knob] - _STEP[knob]}
                c, s = ex.cost(trial)
                if not c < best_cost:
                    break
                best, best_cost, best_shots, moved = trial, c, s, True
        if not converged:
            break
    cert_job = _job(ex.budget, cert, cert_shots)
    return {
        "n": problem.n_padded,
        "q": ex.budget.success_probability,
        "overlap": ex.budget.overlap,
        "certified": {
            "knobs": cert,
            "shots": cert_shots,
            "bias": float(plan["bias_bound"]),
            "bias_exact": ex.bias(cert),
            "job_t_count": cert_job,
        },
        "measured": {
            "knobs": best,
            "shots": best_shots,
            "bias": ex.bias(best),
            "failure": float(rb.binomial_sign_failure(best_shots, 0.5 + ex.bias(best))),
            "job_t_count": best_cost,
        },
        "ratio": cert_job / best_cost,
        "evaluations": len(ex.seen),
        "converged": converged,
    }


def _median(values) -> float:
    return float(np.median(list(values)))


def measured_growth(
    dataset, sizes: Sequence[int], target: float = 0.01, test_points: int = 3, depth="conv/10"
) -> dict[str, Any]:
    """:func:`measured_point` at each n of ``sizes`` for the first ``test_points`` test points of
    ``dataset``; per n the median certified and measured job T-counts and the measured knobs of
    the median test point, and each measured knob's fit ``a + b·log2 n``."""
    rows = []
    for n in sizes:
        X, y = dataset.training(n)
        pts = []
        for j in range(min(test_points, len(dataset.X_test))):
            problem = Problem.from_arrays(X, y, dataset.X_test[j], depth=depth)
            pts.append(measured_point(problem, target))
        pts.sort(key=lambda p: p["measured"]["job_t_count"])
        mid = pts[len(pts) // 2]
        rows.append(
            {
                "n": n,
                "test_points": len(pts),
                "certified_job_t_count": _median(p["certified"]["job_t_count"] for p in pts),
                "measured_job_t_count": _median(p["measured"]["job_t_count"] for p in pts),
                "ratio_median": _median(p["ratio"] for p in pts),
                "ratio_max": float(max(p["ratio"] for p in pts)),
                "certified_knobs": mid["certified"]["knobs"],
                "measured_knobs": mid["measured"]["knobs"],
                "points": pts,
            }
        )
    fits = {}
    if len(rows) >= 2:
        log_n = np.log2([r["n"] for r in rows])
        for k in eb.KNOBS:
            yk = np.array([r["measured_knobs"][k] for r in rows], dtype=float)
            b, a = np.polyfit(log_n, yk, 1)
            fits[k] = {"intercept": float(a), "per_log2_n": float(b)}
    return {"target": target, "sizes": list(sizes), "rows": rows, "knob_fits": fits}
