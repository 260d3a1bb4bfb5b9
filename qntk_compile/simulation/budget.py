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
    "sparsified_simulation_knobs",
    "SPARSIFIED_READOUT_UNBOUNDED",
]

#: Share of the readout margin |o| the QLSA's error 2ε may use.
QLSA_MARGIN_SHARE = 0.5
#: The largest ε picked from a margin (keeps the solution state's fidelity ≳ 0.99 at wide margins).
QLSA_MAX_EPSILON = 0.1

#: The knobs the budget chooses.
BUDGET_KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")


def _budget_problem(problem, which: str = "diagonal", qlsa_kappa: float | None = None):
    """The :class:`~resource_estimates.error_budget.budget.BudgetProblem` of ``problem``: the
    diagonal readout (overlap ⟨k̂*|ŷ⟩), or with ``which="sparsified"`` the sparsified one (overlap
    ⟨k̂*|K̃⁻¹y/‖·‖⟩, the ``qlsa`` component, the label error amplified at κ_eff = ``qlsa_kappa``,
    the sparsified run costs at the problem's sparsity and that κ_eff)."""
    from qntk_compile.classical import reference as ref
    from qntk_compile.kernel.ntk import ntk_value
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.error_budget import model as em
    from resource_estimates.error_budget.knob_costs import formula_run_costs

    k_max = ref.k_max(problem)
    depth = problem.depth
    n, d = problem.n_padded, problem.d_padded
    if which == "sparsified":
        knobs = {"sparsity": problem.sparsity, "kappa_eff": float(qlsa_kappa)}
        extra = {
            "has_qlsa": True,
            "qlsa_kappa": float(qlsa_kappa),
            "label_flatness": None,
            "run_costs": formula_run_costs(n, d, "sparsified", variant_knobs=knobs),
        }
    else:
        extra = {
            "run_costs": formula_run_costs(n, d),
            "label_flatness": float(np.sqrt(n / np.count_nonzero(problem.y))),
        }
    return eb.BudgetProblem(
        n=n,
        d=d,
        success_probability=ref.post_selection_probability(problem),
        overlap=ref.readout_overlap(problem, which),
        sensitivity=em.KernelSensitivity.from_kernel(
            lambda r: np.clip(ntk_value(r, depth) / k_max, -1.0, 1.0)
        ),
        **extra,
    )


def simulation_knobs(
    problem, failure_probability: float, fixed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The plan for ``problem`` (a :class:`qntk_compile.data.problem.Problem`; its own knobs are not
    used): the four knobs, ``readout_shots``, ``bias_bound`` (guaranteed |p_readout − 1/2|),
    ``failure_bound`` (Hoeffding, the predicted failure probability of a majority vote over
    the shots), ``target`` and ``fixed_by_user``. A one-line ``ValueError`` when P ∉ (0, 1) or
    the fixed knobs cannot meet it."""
    from qntk_compile.kernel.table import MAX_TABLE_BITS
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.error_budget import optimiser as bo
    from resource_estimates.error_budget import section as ebs

    target = eb.check_target(failure_probability)
    fixed = {k: v for k, v in dict(fixed or {}).items() if k in BUDGET_KNOBS}
    limits = {"phase_bits": MAX_TABLE_BITS, "kernel_bits": MAX_TABLE_BITS}
    for k, v in fixed.items():
        if k in limits and v > limits[k]:
            raise ValueError(f"{k}={v} exceeds the kernel table's limit of {limits[k]} bits")
    plan = bo.simulation_plan(_budget_problem(problem), target, fixed, limits)
    return {**ebs.json_safe(plan), "target": target, "fixed_by_user": sorted(fixed)}


#: Why the sparsified plan has no readout shots.
SPARSIFIED_READOUT_UNBOUNDED = (
    "shots not bounded (the sparsified Hadamard test's bias <k|V>/sqrt(N)/(Q + |V|^2) needs a "
    "lower bound on the QLSA success |V|^2, which the budget does not model)"
)


def sparsified_simulation_knobs(
    problem,
    failure_probability: float,
    fixed: Mapping[str, Any] | None,
    kappa_eff: float,
    qlsa_epsilon: float,
) -> dict[str, Any]:
    """The four knobs for a simulated ``SparsifiedNTK``: the report's optimiser
    (:func:`resource_estimates.error_budget.optimiser.optimise`) on the sparsified readout's
    margin |o|, o = ⟨k̂*|K̃⁻¹y/‖·‖⟩, with the ``qlsa`` component at the given ε (Δo = 2ε, from
    :func:`qlsa_margin_epsilon`: half the margin) and the label error amplified by the solver at
    ``kappa_eff``; the kernel components share the rest of the margin. ``overlap_error`` is the
    bound on the total overlap error (< |o|: the simulated circuit's exact sign is the ideal
    one). The readout's shots are not bounded (:data:`SPARSIFIED_READOUT_UNBOUNDED`):
    ``readout_shots`` is ``None``."""
    from resource_estimates.error_budget import budget as eb
    from resource_estimates.error_budget import optimiser as bo
    from resource_estimates.error_budget import section as ebs

    target = eb.check_target(failure_probability)
    fixed = {k: v for k, v in dict(fixed or {}).items() if k in BUDGET_KNOBS}
    from qntk_compile.kernel.table import MAX_TABLE_BITS

    budget = _budget_problem(problem, "sparsified", kappa_eff)
    limits = {"phase_bits": MAX_TABLE_BITS, "kernel_bits": MAX_TABLE_BITS}
    config = bo.optimise(budget, target, {**fixed, "qlsa_epsilon": float(qlsa_epsilon)}, limits)
    return {
        **{k: int(config.knobs[k]) for k in BUDGET_KNOBS},
        "qlsa_epsilon": float(qlsa_epsilon),
        "overlap": float(budget.overlap),
        "overlap_error": float(config.overlap_error),
        "components": ebs.json_safe(config.components),
        "readout_shots": None,
        "readout": SPARSIFIED_READOUT_UNBOUNDED,
        "target": target,
        "fixed_by_user": sorted(fixed),
    }


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
