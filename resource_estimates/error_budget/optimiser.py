"""The budget's optimiser: the knobs of least job T-count that meet a failure probability.

See :mod:`resource_estimates.error_budget.budget` (the problem, the evaluation of given knobs, the
report section) and ``docs/error_budget.md``. Amplitude and phase bits are searched locally from
the uniform split's values (one cost formula each); median copies, kernel bits and the rotation ε
on a coarse grid then a fine one around its best point; the shots follow from the margin left.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from resource_estimates.error_budget import model as em
from resource_estimates.error_budget import row_bounds as rb
from resource_estimates.error_budget.budget import (
    KNOBS,
    BudgetProblem,
    Configuration,
    check_target,
    evaluate,
    readout_budget,
    uniform_share,
)
from resource_estimates.logical.counts import T_PER_TOFFOLI

__all__ = [
    "SEARCH_BOUNDS",
    "optimise",
    "uniform_split",
    "check_fixed",
    "simulation_plan",
    "flag_readout",
    "flag_bias_bound",
    "binding_bounds",
    "infeasibility",
]

#: The integer knobs' search intervals. A chosen knob on an end of its interval (other than the
#: knob's natural floor) may be the search's limit rather than the optimum: the section flags it
#: (:func:`binding_bounds`), it is never silent.
SEARCH_BOUNDS = _SEARCH = {
    "amplitude_bits": (6, 48),  # the fitted cost form is verified from 6 bits
    "phase_bits": (4, 40),
    "median_copies": (1, 201),
    "kernel_bits": (1, 64),
}
#: The knob ranges the optimiser searches (the CLI accepts at least these: ``Knob.cli_maximum``).
SEARCH_BOUNDS = _SEARCH
_LOG2_INV_EPS = np.arange(1.0, 96.0, 0.25)
#: log2(1/ε) of the QLSA's relative error searched (the cost grows as log(1/ε) through the degree).
_LOG2_INV_QLSA_EPS = np.arange(1.0, 60.0, 0.25)


def _grid(values, fixed_value=None):
    return [fixed_value] if fixed_value is not None else list(values)


def _best_inner(problem, target, ba, m, fixed, search=_SEARCH) -> dict | None:
    """Best (median_copies, kernel_bits, rotation ε, shots) for fixed (amplitude_bits,
    phase_bits): a coarse grid, then a fine one around its best point; ``None`` if no choice
    leaves a margin."""
    k_hi, bk_lo, bk_hi = search["median_copies"][1], *search["kernel_bits"]
    coarse = (
        range(1, k_hi + 1, 6),
        range(bk_lo, bk_hi + 1, 3),
        _LOG2_INV_EPS[::4],
        _coarse_qlsa(problem),
    )
    best = _grid_best(problem, target, ba, m, fixed, *coarse)
    if best is None:
        return None
    k0, b0, l0 = best["median_copies"], best["kernel_bits"], -math.log2(best["rotation_epsilon"])
    lq = -math.log2(best.get("qlsa_epsilon", 0.5))
    fine = (
        [k for k in range(k0 - 6, k0 + 7, 2) if 1 <= k <= k_hi],
        [b for b in range(b0 - 3, b0 + 4) if bk_lo <= b <= bk_hi],
        _LOG2_INV_EPS[np.abs(_LOG2_INV_EPS - l0) <= 1.0],
        _LOG2_INV_QLSA_EPS[np.abs(_LOG2_INV_QLSA_EPS - lq) <= 2.0],
    )
    return _grid_best(problem, target, ba, m, fixed, *fine)


def _coarse_qlsa(problem) -> np.ndarray:
    """Three QLSA ε for the coarse grid, around the uniform split's |o|/(4K) (the cost depends on
    ε only through the degree, ~log(1/ε), so the fine grid's ±2 octaves around the best of these
    finds the optimum at a fraction of a full axis's cost)."""
    centre = round(-math.log2(uniform_share(problem) / 2) * 4) / 4
    return np.array([centre - 1.0, centre + 1.0, centre + 3.0])


def _eps_grid(fixed, name, log2_inv):
    if name in fixed:
        return np.array([float(fixed[name])])
    return 2.0 ** -np.asarray(log2_inv, dtype=float)


def _grid_best(
    problem, target, ba, m, fixed, k_values, bk_values, log2_inv_eps, log2_inv_qeps
) -> dict | None:
    """Least job T-count over the grid (median copies × kernel bits × rotation ε × QLSA ε);
    arrays are indexed (k, b_k, rotation ε, QLSA ε), the last of length 1 without a QLSA."""
    ks = _grid(k_values, fixed.get("median_copies"))
    bks = _grid(bk_values, fixed.get("kernel_bits"))
    eps_grid = _eps_grid(fixed, "rotation_epsilon", log2_inv_eps)
    kk, bb = np.meshgrid(np.array(ks, float), np.array(bks, float), indexing="ij")
    if problem.has_qlsa:
        qeps = _eps_grid(fixed, "qlsa_epsilon", log2_inv_qeps)
        qeps = qeps[qeps < abs(problem.overlap) / 2]  # 2ε alone must leave a margin
        if not len(qeps):
            return None
        tof, t, rot = (
            np.asarray(c)[:, :, None, :]
            for c in problem.run_costs(ba, m, kk[..., None], bb[..., None], qlsa_epsilon=qeps)
        )
    else:
        qeps = np.zeros(1)
        tof, t, rot = (np.asarray(c)[:, :, None, None] for c in problem.run_costs(ba, m, kk, bb))
    n1, cross, dq = problem.row_bounds(ba, m, np.array(ks)[:, None], np.array(bks)[None, :])
    label = problem.label_error(ba, qeps)
    bounds = tuple(np.asarray(v)[..., None, None] for v in (n1, cross, dq))
    margin = problem.margin(bounds, label, rot * eps_grid[:, None], qeps)
    t_rot = np.array([em.rotation_t_count(e, problem.rotation_model) for e in eps_grid])
    run_t = t + T_PER_TOFFOLI * tof + rot * t_rot[:, None]
    p_read = readout_budget(problem, target)
    if "readout_shots" in fixed:
        shots = np.full(margin.shape, float(fixed["readout_shots"]))
        fail = rb.binomial_sign_failure(shots, (1 + np.clip(margin, 0, 1)) / 2)
        ok = (margin > 0) & (fail <= p_read)
    else:
        if p_read <= 0:
            return None
        shots = rb.shot_table(p_read).shots(margin)
        ok = margin > 0
    if problem.logical_failure_per_run is not None:  # the physical model's own number
        runs = shots * problem.runs_per_shot
        ok = ok & (runs * problem.logical_failure_per_run <= problem.surface_code_share * target)
    cost = np.where(ok, shots * problem.runs_per_shot * run_t, np.inf)
    if not np.isfinite(cost).any():
        return None
    i, j, e, q = np.unravel_index(int(np.nanargmin(cost)), cost.shape)
    extra = {"qlsa_epsilon": float(qeps[q])} if problem.has_qlsa else {}
    return {
        **extra,
        "amplitude_bits": ba,
        "phase_bits": m,
        "median_copies": ks[i],
        "kernel_bits": bks[j],
        "rotation_epsilon": float(eps_grid[e]),
        "readout_shots": float(shots[i, j, e, q]),
        "_cost": float(cost[i, j, e, q]),
    }


def optimise(
    problem: BudgetProblem,
    target: float = 0.01,
    fixed: Mapping[str, Any] | None = None,
    limits: Mapping[str, int] | None = None,
) -> Configuration:
    """The knobs of least job T-count with failure ≤ ``target``; ``fixed`` knobs are kept.

    Amplitude and phase bits (one cost formula each) by local search from the uniform split's
    values; median copies, kernel bits, rotation ε and shots exhaustively on a grid for each.
    ``limits`` lowers the upper ends of :data:`SEARCH_BOUNDS` (e.g. the kernel table's 30 bits
    for a simulation). Raises a one-line ``ValueError`` if the fixed knobs (or the limits)
    cannot meet the target.
    """
    target = check_target(target)
    fixed = check_fixed(fixed)
    search = {k: (lo, min(hi, int((limits or {}).get(k, hi)))) for k, (lo, hi) in _SEARCH.items()}
    _check_fixed_alone(problem, target, fixed)
    start = _uniform_knobs(problem, target, fixed, search)
    point = (start["amplitude_bits"], start["phase_bits"])
    seen: dict[tuple[int, int], dict | None] = {}

    def value(pt):
        if pt not in seen:
            seen[pt] = _best_inner(problem, target, pt[0], pt[1], fixed, search)
        return math.inf if seen[pt] is None else seen[pt]["_cost"]

    while True:
        moves = [
            (point[0] + da, point[1] + dm)
            for da, dm in itertools.product((-1, 0, 1), repeat=2)
            if (da == 0 or "amplitude_bits" not in fixed) and (dm == 0 or "phase_bits" not in fixed)
        ]
        moves = [
            p
            for p in moves
            if search["amplitude_bits"][0] <= p[0] <= search["amplitude_bits"][1]
            and search["phase_bits"][0] <= p[1] <= search["phase_bits"][1]
        ]
        best = min(moves, key=value)
        if value(best) >= value(point):
            break
        point = best
    if seen.get(point) is None:
        why = None if fixed or limits else infeasibility(problem, target)
        msg = why or _infeasible_message(problem, target, fixed)
        if limits:
            msg += " within " + ", ".join(f"{k} <= {v}" for k, v in sorted(limits.items()))
        raise ValueError(msg)
    knobs = {k: v for k, v in seen[point].items() if not k.startswith("_")}
    return evaluate(problem, knobs, target=target)


def check_fixed(fixed: Mapping[str, Any] | None) -> dict[str, Any]:
    fixed = dict(fixed or {})
    allowed = set(KNOBS) | {"rotation_epsilon", "readout_shots", "qlsa_epsilon"}
    for name, v in fixed.items():
        if name not in allowed:
            raise ValueError(f"unknown knob {name!r}; choose from {sorted(allowed)}")
        if name in ("rotation_epsilon", "qlsa_epsilon"):
            em.check_probability(name, v)
        elif isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    if fixed.get("median_copies", 1) % 2 == 0:
        raise ValueError(f"median_copies must be odd, got {fixed['median_copies']}")
    return fixed


def _check_fixed_alone(problem: BudgetProblem, target: float, fixed: Mapping[str, Any]) -> None:
    """Fail fast when one fixed knob's error alone (every other error zero) exhausts the margin."""
    o = abs(problem.overlap)
    names = {
        "median_copies": "median",
        "kernel_bits": "kernel_table",
        "amplitude_bits": "loader",
        "phase_bits": "amplitude_estimation",
        "qlsa_epsilon": "qlsa",
    }
    for knob, comp in names.items():
        if knob in fixed and (knob != "qlsa_epsilon" or problem.has_qlsa):
            if problem.alone(comp, fixed) >= o:
                raise ValueError(_infeasible_message(problem, target, {knob: fixed[knob]}))


def _infeasible_message(problem, target, fixed) -> str:
    names = ", ".join(f"{k}={v}" for k, v in sorted(fixed.items())) or "no fixed knobs"
    return (
        f"failure probability {target:g} cannot be met with {names}: the systematic errors use "
        f"the whole readout margin o = {abs(problem.overlap):.3g}"
        + (
            " or the surface code's logical failure exceeds its share"
            if problem.logical_failure_per_run is not None
            else ""
        )
    )


def _smallest(lo: int, hi: int, ok: Callable[[int], bool], step: int = 1) -> int | None:
    for v in range(lo, hi + 1, step):
        if ok(v):
            return v
    return None


def binding_bounds(knobs: Mapping[str, Any]) -> list[str]:
    """The knobs that sit on the upper end of their search interval (:data:`SEARCH_BOUNDS`):
    there the optimum may lie beyond the search, so the section says so."""
    return [k for k, (_, hi) in _SEARCH.items() if k in knobs and int(knobs[k]) >= hi]


def _uniform_knobs(
    problem: BudgetProblem, target: float, fixed: Mapping[str, Any], search=_SEARCH
) -> dict:
    """Each systematic component's error alone ≤ |o|/(2K); the readout keeps the rest."""
    share = uniform_share(problem)

    def pick(knob, ok, step=1):
        if knob in fixed:
            return fixed[knob]
        lo, hi = search[knob]
        v = _smallest(lo, hi, ok, step)
        return hi if v is None else v

    qeps = float(fixed.get("qlsa_epsilon", share / 2)) if problem.has_qlsa else 0.0
    q_extra = {"qlsa_epsilon": qeps} if problem.has_qlsa else {}

    def alone(name, **kn):
        return problem.alone(name, {**kn, **q_extra})

    ba = pick("amplitude_bits", lambda b: alone("loader", amplitude_bits=b) <= share)
    m = pick(
        "phase_bits",
        lambda v: alone("amplitude_estimation", amplitude_bits=ba, phase_bits=v) <= share,
    )
    bk = pick("kernel_bits", lambda v: alone("kernel_table", kernel_bits=v) <= share)
    k = pick(
        "median_copies",
        lambda v: alone("median", amplitude_bits=ba, phase_bits=m, median_copies=v) <= share,
        2,
    )
    knobs = {"amplitude_bits": ba, "phase_bits": m, "median_copies": k, "kernel_bits": bk}
    extra = {"qlsa_epsilon": qeps} if problem.has_qlsa else {}
    _, _, rot = (float(v) for v in problem.run_costs(ba, m, k, bk, **extra))
    if "rotation_epsilon" in fixed:
        eps = float(fixed["rotation_epsilon"])
    else:
        eps = next(
            (
                float(e)
                for e in 2.0**-_LOG2_INV_EPS
                if problem.alone("rotation_synthesis", {}, rot * e) <= share
            ),
            float(2.0 ** -_LOG2_INV_EPS[-1]),
        )
    knobs["rotation_epsilon"] = eps
    knobs.update(extra)
    margin = problem.margin(
        problem.row_bounds(ba, m, k, bk), problem.label_error(ba, qeps), rot * eps, qeps
    )
    if "readout_shots" in fixed:
        knobs["readout_shots"] = fixed["readout_shots"]
    elif margin > 0:
        knobs["readout_shots"] = rb.binomial_shots_for(readout_budget(problem, target), margin)
    else:
        knobs["readout_shots"] = math.inf
    return knobs


def uniform_split(problem: BudgetProblem, target: float = 0.01) -> Configuration:
    """Every systematic component gets the same share |o|/(2K) of the readout margin (its error
    alone, with the smallest knob meeting it); the readout shots meet the rest of P."""
    target = check_target(target)
    knobs = _uniform_knobs(problem, target, {})
    if not math.isfinite(knobs["readout_shots"]):
        raise ValueError(_infeasible_message(problem, target, {}))
    return evaluate(problem, knobs, target=target)


def simulation_plan(
    problem: BudgetProblem,
    target: float = 0.01,
    fixed: Mapping[str, Any] | None = None,
    limits: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Knobs and shots for a simulated ``DiagonalNTK`` (``simulate --failure-probability``).

    The knobs are :func:`optimise`'s; the shots are for ``DiagonalNTK``'s own flag-interference
    readout (ancilla 0 with probability 1/2 + X/(Q + 1); ``error_model.flag_readout_bias_bound``)
    at the readout's share of ``target``. Simulated rotations are exact: no synthesis error.
    Returns the four knobs, ``readout_shots``, ``bias_bound`` (guaranteed |p − 1/2|) and
    ``failure_bound`` (the exact binomial tail at that bias). ``limits``: as in :func:`optimise`
    (the simulator's kernel table takes at most 30 bits).
    """
    knobs = optimise(problem, target, fixed, limits).knobs
    readout = flag_readout(problem, knobs, target)
    if readout["bias_bound"] <= 0:
        raise ValueError(_infeasible_message(problem, target, dict(fixed or {})))
    return {**{x: knobs[x] for x in KNOBS}, **readout}


def flag_readout(problem: BudgetProblem, knobs: Mapping[str, Any], target: float) -> dict:
    """``DiagonalNTK``'s flag readout at the four knobs: the guaranteed bias
    (:func:`flag_bias_bound`), the fewest odd shots meeting the readout's share of ``target`` at
    it (exact binomial tail; NaN without a bias) and their failure bound."""
    bias = flag_bias_bound(problem, knobs)
    if bias <= 0:
        return {"readout_shots": math.nan, "bias_bound": bias, "failure_bound": 1.0}
    shots = rb.binomial_shots_for(readout_budget(problem, target), 2 * bias)
    return {
        "readout_shots": shots,
        "bias_bound": bias,
        "failure_bound": rb.binomial_sign_failure(shots, 0.5 + bias),
    }


def flag_bias_bound(problem: BudgetProblem, knobs: Mapping[str, Any]) -> float:
    """Guaranteed |p − 1/2| of ``DiagonalNTK``'s flag-interference readout at the four knobs
    (simulated rotations are exact): ``p − 1/2 = X/(Q + 1)`` with X ≥ |o|√q − D_num and
    Q ≤ q + ΔQ (``docs/error_budget.md`` §3). Zero when the bound does not fix the sign."""
    ba, m, k, bk = (int(knobs[x]) for x in KNOBS)
    n1, cross, dq = problem.row_bounds(ba, m, k, bk)
    q = problem.success_probability
    d_num = float(n1) + (math.sqrt(q) + float(cross)) * problem.label_error(ba)
    x = abs(problem.overlap) * math.sqrt(q) - d_num
    return max(x, 0.0) / (1.0 + q + float(dq))


def infeasibility(problem: BudgetProblem, target: float = 0.01) -> str | None:
    """Why no knobs within :data:`SEARCH_BOUNDS` can meet ``target`` (one line), or ``None``.

    Cheap (no run costs, one bound evaluation): at the most precise knobs searched (every
    integer knob at the top of its interval, rotations exact) the systematic errors' bound must
    leave a margin, and the readout's exact binomial tail at that margin needs finitely many
    shots. When it does not, no cheaper knobs can (every bound is monotone in its knob), so the
    optimiser need not run: the report says so within seconds.
    """
    target = check_target(target)
    top = {k: hi for k, (_, hi) in _SEARCH.items()}
    if problem.has_qlsa:
        top["qlsa_epsilon"] = 2.0 ** -_LOG2_INV_QLSA_EPS[-1]
    ba, m, k, bk = (top[x] for x in KNOBS)
    qeps = float(top.get("qlsa_epsilon", 0.0))
    bounds = problem.row_bounds(ba, m, k, bk)
    margin = float(problem.margin(bounds, problem.label_error(ba, qeps), 0.0, qeps))
    o = abs(problem.overlap)
    if margin > 0:
        return None
    names = {
        "loader": "amplitude_bits",
        "amplitude_estimation": "phase_bits",
        "median": "median_copies",
        "kernel_table": "kernel_bits",
    }
    alone = {c: float(problem.alone(c, top)) for c in names}
    parts = ", ".join(
        f"{c} {'>= o' if not math.isfinite(v) else f'{v:.2g}'}" for c, v in alone.items()
    )
    knobs = "/".join(str(top[x]) for x in KNOBS)
    size = f"2^{problem.n.bit_length() - 1}" if problem.n & (problem.n - 1) == 0 else problem.n
    return (
        f"failure probability {target:g} cannot be met at n = {size}: even at the most "
        f"precise knobs searched (b_a/m/k/b_k = {knobs}, exact rotations) the systematic errors' "
        f"bound uses the whole readout margin o = {o:.3g} (q = {problem.success_probability:.3g};"
        f" Δo alone: {parts})"
    )
