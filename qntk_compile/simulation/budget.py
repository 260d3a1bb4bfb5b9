"""Knobs of a simulated instance from a failure probability (``simulate --failure-probability``).

The same error model as the report's budget (``docs/error_budget.md``): the instance's exact
post-selection probability q = P/n, readout overlap o = ⟨k*|y⟩ and kernel (depth, k_max) make a
:class:`resource_estimates.error_budget.budget.BudgetProblem`, and
:func:`resource_estimates.error_budget.optimiser.simulation_plan` chooses the amplitude bits, phase
bits, median copies and kernel bits of least T-count (knobs the user gave are kept) and the
shots of ``DiagonalNTK``'s flag-interference readout that give the right sign with probability
≥ 1 − P. Simulated rotations are exact, so there is no synthesis error.

The sparsified variant's QLSA ε (:func:`qlsa_component`) comes from the instance's readout margin,
not from a probability: the Hadamard test reads sign⟨k*|ṽ⟩ with ṽ the solver's normalised output
and v = K̃⁻¹y/‖·‖ the exact one. A relative polynomial error ε moves the normalised output by
‖ṽ − v‖ ≤ 2ε (``docs/error_budget.md``, component ``qlsa``), hence the overlap by ≤ 2ε; with
2ε ≤ ``QLSA_MARGIN_SHARE``·|o|, o = ⟨k̂*|v⟩ the circuit's own exact overlap, the solver alone
cannot flip the sign and leaves half the margin to the other components.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "BUDGET_KNOBS",
    "QLSA_MARGIN_SHARE",
    "QLSA_MAX_EPSILON",
    "qlsa_component",
    "qlsa_margin_epsilon",
    "simulation_knobs",
]

#: Share of the readout margin |o| the QLSA's error 2ε may use.
QLSA_MARGIN_SHARE = 0.5
#: The largest ε picked from a margin (keeps the solution state's fidelity ≳ 0.99 at wide margins).
QLSA_MAX_EPSILON = 0.1

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
    plan = bo.simulation_plan(budget, target, fixed)
    return {**ebs.json_safe(plan), "target": target, "fixed_by_user": sorted(fixed)}


def qlsa_margin_epsilon(overlap: float, share: float = QLSA_MARGIN_SHARE) -> float:
    """ε = min(``QLSA_MAX_EPSILON``, share·|o|/2): the solver's overlap error 2ε ≤ share·|o|
    (module docstring). A one-line ``ValueError`` when o = 0 (no margin)."""
    if not 0 < share < 1:
        raise ValueError(f"share must lie in (0, 1) (got {share})")
    if overlap == 0 or not np.isfinite(overlap):
        raise ValueError(f"readout overlap {overlap}: no margin to choose the QLSA's epsilon from")
    return min(QLSA_MAX_EPSILON, share * abs(float(overlap)) / 2)


def qlsa_component(
    overlap: float, kappa_eff: float, epsilon: float | None = None
) -> dict[str, Any]:
    """The ``qlsa`` component of a sparsified simulation plan: ε (``epsilon`` if the user gave
    it, else :func:`qlsa_margin_epsilon`), the degree and method of
    :func:`bloqs.linear_systems.inverse_polynomials.qlsa_degree` at (κ_eff, ε), the relative
    error that degree guarantees (``chebyshev_relative_error`` for the Chebyshev polynomial,
    else ε), the overlap error bound 2·error, the margin |o| and ``sign_safe`` (2·error < |o|)."""
    from bloqs.linear_systems.inverse_polynomials import chebyshev_relative_error, qlsa_degree

    chosen = epsilon is None
    eps = qlsa_margin_epsilon(overlap) if chosen else float(epsilon)
    degree, method = qlsa_degree(kappa_eff, eps)
    err = chebyshev_relative_error(kappa_eff, int(degree)) if method == "chebyshev" else eps
    return {
        "overlap": float(overlap),
        "kappa_eff": float(kappa_eff),
        "qlsa_epsilon": eps,
        "epsilon_from": "margin" if chosen else "user",
        "qlsa_degree": int(degree),
        "qlsa_method": method,
        "relative_error": float(err),
        "overlap_error_bound": 2 * float(err),
        "sign_safe": bool(2 * err < abs(overlap)),
    }
