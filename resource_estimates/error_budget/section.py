"""The error budget as the report prints it: :func:`error_budget_section` (the least-cost knobs,
the uniform split and the fixed defaults, as one JSON-ready dict) and :func:`json_safe`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from resource_estimates.error_budget.budget import BudgetProblem, check_target, fixed_defaults
from resource_estimates.error_budget.optimiser import (
    SEARCH_BOUNDS,
    binding_bounds,
    check_fixed,
    optimise,
    uniform_split,
)

__all__ = ["error_budget_section", "json_safe"]


def json_safe(x: Any) -> Any:
    """Plain Python numbers; a non-finite number (no bound) becomes ``None``."""
    if isinstance(x, Mapping):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, (bool, str)) or x is None:
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        return None
    return int(x) if x == int(x) and abs(x) < 2**53 else x


def error_budget_section(problem: BudgetProblem, target: float = 0.01, fixed=None) -> dict:
    """The report's ``error_budget`` section (see ``docs/error_budget.md``, "Report fields")."""

    target = check_target(target)
    fixed = check_fixed(fixed)
    best = optimise(problem, target, fixed)
    uni = uniform_split(problem, target)
    dflt = fixed_defaults(problem, target)
    return json_safe(
        {
            "target": target,
            "total": best.failure_probability,
            "objective": "job T-count",
            "components": best.components,
            "knobs": best.knobs,
            "search_bounds": {k: list(v) for k, v in SEARCH_BOUNDS.items()},
            # knobs on their search bound (the optimum may lie beyond it): never silent
            "search_bound_binding": [k for k in binding_bounds(best.knobs) if k not in fixed],
            "overlap": {
                "value": problem.overlap,
                "error_bound": best.overlap_error,
                "left_for_readout": abs(problem.overlap) - best.overlap_error,
            },
            "job_t_count": {
                "optimised": best.job_t_count,
                "uniform_split": uni.job_t_count,
                "fixed_defaults": dflt["job_t_count"],
            },
            "uniform_over_optimised": uni.job_t_count / best.job_t_count,
            "uniform_split": uni.as_dict(),
            "fixed_defaults": dflt,
            "model": {
                "readout": "exact binomial majority tail at the worst-case margin (Lemma III.7)",
                "rotation_model": problem.rotation_model,
                "surface_code_share": problem.surface_code_share,
                "post_selection": problem.post_selection,
                "fixed_by_user": sorted(fixed),
            },
        }
    )
