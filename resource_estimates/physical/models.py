"""Physical (surface-code) estimates from logical counts, three models side by side.

* **Gidney–Fowler** (Qualtran ``qualtran.surface_code``): CCZ→2T factories
  (Gidney, Fowler 2019, arXiv:1812.01238), a simple data block, Qualtran's grid search over factory
  and data-block code distances minimising qubit-hours
  (``get_ccz2t_costs_from_grid_search``). Where no factory in the grid meets the error budget
  (past ~10¹⁰–10¹¹ Toffolis at p = 10⁻³) the result is ``status = "no_valid_factory"`` with no
  numbers, not a nonsensical failure probability.
* **Beverland et al.** (Qualtran ``beverland_et_al_model``; arXiv:2211.07629, App. D): minimum
  logical time steps (Eq. D3), code distance, T states (Eq. D4), data-block physical qubits
  (fast block) and runtime. Qualtran models no factory search for it, so the factory footprint is
  *not* included (stated in the output); the Microsoft estimator below implements the same paper
  with factories.
* **Microsoft resource estimator** (``qdk.estimator.LogicalCounts(...).estimate()``, when the
  ``physical`` extra is installed): the same logical counts, its default gate-based qubit
  (``qubit_gate_ns_e3``) unless told otherwise. Counts beyond its u64 inputs are reported as
  ``status = "out_of_range"``; a wrapped-around runtime is detected and reported likewise.

Every model answers in bounded time, with a ``status`` and, unless ``"ok"``, a one-line
``message`` giving the reason (``docs/report_fields.md``):

* the two Qualtran models are closed-form formulas (Beverland) or a fixed grid (Gidney–Fowler),
  measured at ≤ 0.12 s for counts from 0 to 10³⁰⁰; counts past the float range are
  ``"out_of_range"``;
* the Microsoft estimator computes in u64 (inputs, logical qubits × depth, runtime in ns); past
  that it wraps around and, at some counts (e.g. 10¹⁸ CCZ on 127 qubits, qdk 1.33), never
  returns. Before calling it, :func:`resource_estimates.physical.msft_range.msft_range_reason`
  checks the counts against lower bounds from the estimator's own formulas (Beverland et al. 2022,
  arXiv:2211.07629, App. D): past the range the result is ``"out_of_range"`` without a call. The
  call itself runs in a forked child process stopped after ``MSFT_TIMEOUT_S`` seconds
  (``status = "timeout"``); forking costs ≈ 10–30 ms.

Assumptions of each model (physical error rate, cycle time, error budget) are part of every result.
T-count convention as in :mod:`resource_estimates.logical.counts` (rotations: 11 T each in
Qualtran's models; the Microsoft estimator synthesises rotations itself from ``rotationCount``),
unless :func:`physical_estimates` is given the error budget's rotation synthesis (``rotation=``: ε
per rotation and T per rotation): then every model gets the run's rotations as that many T gates
(``rotation_synthesis_counts``), so all three synthesise at the budget's ε, and each result adds
``rotation_synthesis`` (ε, T per rotation, the run's synthesis error R·ε) and
``failure_probability_with_rotations`` (the model's failure plus R·ε, where it reports one).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from qualtran.resource_counting import GateCounts
from qualtran.surface_code import (
    AlgorithmSummary,
    FastDataBlock,
    PhysicalParameters,
    QECScheme,
    beverland_et_al_model,
    get_ccz2t_costs_from_error_budget,
    get_ccz2t_costs_from_grid_search,
)
from qualtran.surface_code.rotation_cost_model import BeverlandEtAlRotationCost

from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical.assumptions import (
    SURFACE_CODE_THRESHOLD,
    PhysicalAssumptions,
    gate_counts,
    int_count,
)
from resource_estimates.physical.microsoft import (
    MSFT_TIMEOUT_S,
    microsoft,
    msft_logical_counts,
    qdk_available,
)
from resource_estimates.physical.msft_range import (
    MSFT_QUBIT_MODELS,
    msft_runtime_lower_bound_ns,
)

__all__ = [
    "PhysicalAssumptions",
    "SURFACE_CODE_THRESHOLD",
    "MODELS",
    "gidney_fowler",
    "gidney_fowler_from_error_budget",
    "beverland",
    "microsoft",
    "physical_estimates",
    "rotation_synthesis_counts",
    "msft_logical_counts",
    "msft_runtime_lower_bound_ns",
    "MSFT_QUBIT_MODELS",
    "qdk_available",
    "STATUSES",
    "MSFT_TIMEOUT_S",
]

MODELS = ("gidney_fowler", "beverland", "microsoft")
#: Largest code distance accepted before a result is called infeasible (Microsoft's default).
MAX_CODE_DISTANCE = 50
#: Every ``status`` a model result can have (see ``docs/report_fields.md``).
STATUSES = (
    "ok",
    "no_valid_factory",
    "infeasible",
    "out_of_range",
    "timeout",
    "unavailable",
    "error",
)


def _beyond_float(out: dict[str, Any], exc: OverflowError) -> dict[str, Any]:
    """A Qualtran model whose float arithmetic overflowed: ``out_of_range`` with the reason."""
    out.update(
        status="out_of_range",
        message=f"counts beyond the float range of Qualtran's model ({' '.join(str(exc).split())})",
    )
    return out


def gidney_fowler(
    counts: LogicalCounts, assumptions: PhysicalAssumptions = PhysicalAssumptions()
) -> dict[str, Any]:
    """Qualtran's Gidney–Fowler model with its grid search (minimum qubit-hours)."""
    gc, qubits = gate_counts(counts)
    out: dict[str, Any] = {
        "model": "gidney_fowler",
        "source": (
            "Gidney, Fowler 2019, arXiv:1812.01238 (Qualtran get_ccz2t_costs_from_grid_search)"
        ),
        "assumptions": {
            **assumptions.as_dict(),
            "factory": "CCZ2TFactory grid l1 in 5..23, l2 up to 39; SimpleDataBlock d in 7..33",
            "routing_overhead": 0.5,
            "rotations": "11 T each (Qualtran default)",
        },
    }
    try:
        cost, factory, block = get_ccz2t_costs_from_grid_search(
            n_logical_gates=gc,
            n_algo_qubits=qubits,
            phys_err=assumptions.physical_error_rate,
            error_budget=assumptions.error_budget,
            cycle_time_us=assumptions.cycle_time_us,
        )
        out.update(
            status="ok",
            physical_qubits=int(cost.footprint),
            runtime_hours=float(cost.duration_hr),
            failure_probability=float(cost.failure_prob),
            code_distance=int(block.data_d),
            factory=(
                f"CCZ2TFactory(l1={factory.distillation_l1_d}, l2={factory.distillation_l2_d})"
            ),
        )
    except ValueError as exc:
        out.update(status="no_valid_factory", message=f"Qualtran grid search: {exc}")
    except OverflowError as exc:
        _beyond_float(out, exc)
    return out


def gidney_fowler_from_error_budget(
    counts: LogicalCounts, assumptions: PhysicalAssumptions = PhysicalAssumptions()
) -> dict[str, Any]:
    """Qualtran's Gidney–Fowler model with the default CCZ factory and the data-block distance
    chosen from the left-over error budget (``get_ccz2t_costs_from_error_budget``; the setting of
    Qualtran's spreadsheet regression case: 400,204 physical qubits, 7.53 h)."""
    gc, qubits = gate_counts(counts)
    out: dict[str, Any] = {
        "model": "gidney_fowler_error_budget",
        "source": (
            "Gidney, Fowler 2019, arXiv:1812.01238 (Qualtran get_ccz2t_costs_from_error_budget)"
        ),
        "assumptions": {**assumptions.as_dict(), "factory": "CCZ2TFactory() default"},
    }
    try:
        cost = get_ccz2t_costs_from_error_budget(
            n_logical_gates=gc,
            n_algo_qubits=qubits,
            phys_err=assumptions.physical_error_rate,
            error_budget=assumptions.error_budget,
            cycle_time_us=assumptions.cycle_time_us,
        )
        out.update(
            status="ok",
            physical_qubits=int(cost.footprint),
            runtime_hours=float(cost.duration_hr),
            failure_probability=float(cost.failure_prob),
        )
    except ValueError as exc:
        out.update(status="no_valid_factory", message=str(exc))
    except OverflowError as exc:
        _beyond_float(out, exc)
    return out


def beverland(
    counts: LogicalCounts, assumptions: PhysicalAssumptions = PhysicalAssumptions()
) -> dict[str, Any]:
    """Qualtran's Beverland et al. model: time steps, code distance, T states, data qubits.

    The logical cycle is d code cycles of ``4·t_gate + 2·t_meas`` (superconducting: 50 ns gates,
    100 ns measurements, i.e. 0.4 µs a code cycle, as Qualtran's
    ``PhysicalParameters.make_beverland_et_al``); ``assumptions.cycle_time_us`` is not used here.
    The T-factory footprint is not modelled (Qualtran has no factory search for this model).
    """
    gc, qubits = gate_counts(counts)
    params = PhysicalParameters.make_beverland_et_al(
        optimistic_err_rate=assumptions.physical_error_rate <= 1e-4
    )
    params = PhysicalParameters(
        physical_error=assumptions.physical_error_rate, cycle_time_us=params.cycle_time_us
    )
    out: dict[str, Any] = {
        "model": "beverland",
        "source": (
            "Beverland et al. 2022, arXiv:2211.07629, App. D (Qualtran beverland_et_al_model)"
        ),
        "assumptions": {
            **assumptions.as_dict(),
            "code_cycle_us": params.cycle_time_us,
            "data_block": "FastDataBlock",
            "rotations": "BeverlandEtAlRotationCost",
            "factories": "not modelled (data block only)",
        },
    }
    try:
        out.update(_beverland_numbers(gc, qubits, assumptions, params))
    except OverflowError as exc:
        _beyond_float(out, exc)
    return out


def _beverland_numbers(
    gc: GateCounts, qubits: int, assumptions: PhysicalAssumptions, params: PhysicalParameters
) -> dict[str, Any]:
    alg = AlgorithmSummary(n_algo_qubits=qubits, n_logical_gates=gc)
    steps = beverland_et_al_model.minimum_time_steps(
        error_budget=assumptions.error_budget, alg=alg, rotation_model=BeverlandEtAlRotationCost
    )
    d = beverland_et_al_model.code_distance(
        error_budget=assumptions.error_budget,
        time_steps=steps,
        alg=alg,
        qec_scheme=QECScheme.make_beverland_et_al(),
        physical_error=params.physical_error,
    )
    t_states = beverland_et_al_model.t_states(
        error_budget=assumptions.error_budget, alg=alg, rotation_model=BeverlandEtAlRotationCost
    )
    out = {"time_steps": int(steps), "code_distance": int(d), "t_states": float(t_states)}
    if d > MAX_CODE_DISTANCE:
        out.update(
            status="infeasible",
            message=(
                f"code distance {d} exceeds {MAX_CODE_DISTANCE}: the error budget cannot be met"
            ),
        )
        return out
    data_qubits = FastDataBlock(data_d=d).n_physical_qubits(n_algo_qubits=qubits)
    runtime_us = steps * d * params.cycle_time_us
    out.update(
        status="ok",
        physical_qubits=int(data_qubits),
        physical_qubits_note="data block only; T factories excluded",
        runtime_hours=runtime_us / 3.6e9,
    )
    return out


def rotation_synthesis_counts(counts: LogicalCounts, t_per_rotation: float) -> LogicalCounts:
    """``counts`` with each rotation replaced by ``t_per_rotation`` T gates (total rounded up)."""
    if not (isinstance(t_per_rotation, (int, float)) and math.isfinite(t_per_rotation)):
        raise ValueError(f"t_per_rotation must be a finite number, got {t_per_rotation!r}")
    if t_per_rotation < 0:
        raise ValueError(f"t_per_rotation must be >= 0, got {t_per_rotation!r}")
    rot = int_count(counts.rotation, "rotation")
    extra = -(-rot * round(t_per_rotation * 1_000_000) // 1_000_000)  # exact ceil, big ints
    return replace(counts, t=int_count(counts.t, "t") + extra, rotation=0)


def physical_estimates(
    counts: LogicalCounts,
    assumptions: PhysicalAssumptions = PhysicalAssumptions(),
    models: tuple[str, ...] = MODELS,
    rotation: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """All requested models on the same logical counts, keyed by model name.

    ``rotation`` (``epsilon``, ``t_per_rotation``, ``model``: the error budget's synthesis, see
    :func:`resource_estimates.report.error_budget_section.rotation_synthesis`): every model gets
    the rotations as ``t_per_rotation`` T gates each, so all synthesise at the budget's ε.
    """
    fns = {"gidney_fowler": gidney_fowler, "beverland": beverland, "microsoft": microsoft}
    unknown = [m for m in models if m not in fns]
    if unknown:
        raise ValueError(f"unknown physical model(s) {unknown}; choose from {MODELS}")
    if rotation is None:
        return {m: fns[m](counts, assumptions) for m in models}
    eps = float(rotation["epsilon"])
    if not (math.isfinite(eps) and 0 < eps < 1):
        raise ValueError(f"rotation epsilon must be in (0, 1), got {eps!r}")
    rotations = int_count(counts.rotation, "rotation")
    synthesis = {
        **dict(rotation),
        "rotations_per_run": rotations,
        "synthesis_error_per_run": min(1.0, rotations * eps),
        "note": "rotations charged as T gates at the error budget's epsilon (all models)",
    }
    converted = rotation_synthesis_counts(counts, float(rotation["t_per_rotation"]))
    out = {}
    for m in models:
        res = fns[m](converted, assumptions)
        res["assumptions"]["rotations"] = (
            f"{rotation['t_per_rotation']:g} T each at epsilon {eps:.3g} (error budget, "
            f"{rotation.get('model', 'ross_selinger')})"
        )
        res["rotation_synthesis"] = synthesis
        if "failure_probability" in res:
            res["failure_probability_with_rotations"] = min(
                1.0, res["failure_probability"] + synthesis["synthesis_error_per_run"]
            )
        out[m] = res
    return out
