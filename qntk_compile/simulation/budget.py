"""Knobs of a simulated instance from a failure probability (``simulate --failure-probability``).

The same error model as the report's budget (``docs/error_budget.md``): the instance's exact
post-selection probability q = P/n, readout overlap o = ⟨k*|y⟩ and kernel (depth, k_max) make a
:class:`resource_estimates.error_budget.budget.BudgetProblem`, and
:func:`resource_estimates.error_budget.optimiser.simulation_plan` chooses the amplitude bits, phase
bits, median copies and kernel bits of least T-count (knobs the user gave are kept), phase and
kernel bits within the kernel table's limit (``MAX_TABLE_BITS`` = 30; a plan that would need more is
refused in one line naming the limit), and the shots of ``DiagonalNTK``'s flag-interference readout
that give the right sign with probability ≥ 1 − P. Simulated rotations are exact, so there is no
synthesis error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["BUDGET_KNOBS", "simulation_knobs"]

#: The knobs the budget chooses.
BUDGET_KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")


def simulation_knobs(
    problem, failure_probability: float, fixed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The plan for ``problem`` (a :class:`qntk_compile.data.problem.Problem`; its own knobs are not
    used): the four knobs, ``readout_shots``, ``bias_bound`` (guaranteed |p_readout − 1/2|),
    ``failure_bound`` (Hoeffding, the predicted failure probability of a majority vote over
    the shots), ``target`` and ``fixed_by_user``. A one-line ``ValueError`` when P ∉ (0, 1) or
    the fixed knobs cannot meet it."""
    from qntk_compile.classical import reference as ref
    from qntk_compile.kernel.ntk import ntk_value
    from qntk_compile.kernel.table import MAX_TABLE_BITS
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.error_budget import model as em
    from resource_estimates.error_budget import optimiser as bo
    from resource_estimates.error_budget import section as ebs
    from resource_estimates.error_budget.knob_costs import formula_run_costs

    target = eb.check_target(failure_probability)
    fixed = {k: v for k, v in dict(fixed or {}).items() if k in BUDGET_KNOBS}
    k_max = ref.k_max(problem)
    depth = problem.depth
    budget = eb.BudgetProblem(
        n=problem.n_padded,
        d=problem.d_padded,
        success_probability=ref.post_selection_probability(problem),
        overlap=ref.readout_overlap(problem),
        sensitivity=em.KernelSensitivity.from_kernel(
            lambda r: np.clip(ntk_value(r, depth) / k_max, -1.0, 1.0)
        ),
        run_costs=formula_run_costs(problem.n_padded, problem.d_padded),
        label_flatness=float(np.sqrt(problem.n_padded / np.count_nonzero(problem.y))),
    )
    limits = {"phase_bits": MAX_TABLE_BITS, "kernel_bits": MAX_TABLE_BITS}
    for k, v in fixed.items():
        if k in limits and v > limits[k]:
            raise ValueError(f"{k}={v} exceeds the kernel table's limit of {limits[k]} bits")
    plan = bo.simulation_plan(budget, target, fixed, limits)
    return {**ebs.json_safe(plan), "target": target, "fixed_by_user": sorted(fixed)}
