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
  returns. Before calling it, :func:`resource_estimates.physical.msft_range.msft_range_reason` checks the
  counts against lower bounds from the estimator's own formulas (Beverland et al. 2022,
  arXiv:2211.07629, App. D): past the range the result is ``"out_of_range"`` without a call. The
  call itself runs in a forked child process stopped after ``MSFT_TIMEOUT_S`` seconds
  (``status = "timeout"``); forking costs ≈ 10–30 ms.

Assumptions of each model (physical error rate, cycle time, error budget) are part of every result.
T-count convention as in :mod:`resource_estimates.logical.counts` (rotations: 11 T each in Qualtran's
models; the Microsoft estimator synthesises rotations itself from ``rotationCount``), unless
:func:`physical_estimates` is given the error budget's rotation synthesis (``rotation=``: ε per
rotation and T per rotation): then every model gets the run's rotations as that many T gates
(``rotation_synthesis_counts``), so all three synthesise at the budget's ε, and each result adds
``rotation_synthesis`` (ε, T per rotation, the run's synthesis error R·ε) and
``failure_probability_with_rotations`` (the model's failure plus R·ε, where it reports one).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
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
from resource_estimates.physical.bounded_call import CallTimeout, call_with_timeout
from resource_estimates.physical.msft_range import (
    MSFT_QUBIT_MODELS,
    U64_MAX,
    msft_range_reason,
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
#: Seconds the Microsoft estimator may take before its result is ``status = "timeout"``. A
#: successful estimate takes ≤ 0.03 s (measured, 10⁹–10¹⁹ CCZ, qdk 1.33); the bound only catches
#: inputs the range check in front of it lets through.
MSFT_TIMEOUT_S = 10.0
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


#: The surface code's threshold error rate per operation, ~1 % (Fowler, Mariantoni, Martinis,
#: Cleland 2012, arXiv:1208.0928, Sec. I; the Gidney–Fowler and Beverland et al. models take
#: logical error ∝ (p/p_th)^((d+1)/2) with p_th = 0.01).
SURFACE_CODE_THRESHOLD = 1e-2


@dataclass(frozen=True)
class PhysicalAssumptions:
    """Hardware and budget assumptions shared by the models.

    Attributes:
        physical_error_rate: physical error rate per operation (10⁻³: "realistic" superconducting).
        cycle_time_us: surface-code cycle time in µs (Gidney–Fowler: 1 µs).
        error_budget: total allowed failure probability of one coherent run.
        msft_qubit: the Microsoft estimator's qubit model name.
    """

    physical_error_rate: float = 1e-3
    cycle_time_us: float = 1.0
    error_budget: float = 1e-2
    msft_qubit: str = "qubit_gate_ns_e3"

    def __post_init__(self):
        for name in ("physical_error_rate", "cycle_time_us", "error_budget"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a positive finite number, got {v!r}")
        if not self.physical_error_rate < 1 or not self.error_budget < 1:
            raise ValueError("physical_error_rate and error_budget must be < 1")
        if not self.physical_error_rate < SURFACE_CODE_THRESHOLD:
            raise ValueError(
                f"physical_error_rate {self.physical_error_rate:g} is at or above the surface "
                f"code's threshold (~{SURFACE_CODE_THRESHOLD:g}): no code distance suppresses "
                "errors there; the models assume rates well below it (default 1e-3)"
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "physical_error_rate": self.physical_error_rate,
            "cycle_time_us": self.cycle_time_us,
            "error_budget": self.error_budget,
            "msft_qubit": self.msft_qubit,
        }


def _int_count(x: Any, name: str) -> int:
    try:
        v = float(x)
    except TypeError as exc:
        raise ValueError(f"{name} must be numeric to estimate physical costs, got {x!r}") from exc
    except OverflowError:  # an exact integer past the float range: the models say out_of_range
        return int(x)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {x!r}")
    if isinstance(x, int):
        return x
    if getattr(x, "is_Integer", False):
        return int(x)
    return int(math.ceil(v))


def _gate_counts(counts: LogicalCounts) -> tuple[GateCounts, int]:
    gc = GateCounts(
        t=_int_count(counts.t, "t"),
        toffoli=_int_count(counts.toffoli, "toffoli"),
        clifford=_int_count(counts.clifford, "clifford"),
        rotation=_int_count(counts.rotation, "rotation"),
        measurement=_int_count(counts.measurement, "measurement"),
    )
    return gc, _int_count(counts.qubits, "qubits")


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
    gc, qubits = _gate_counts(counts)
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
    gc, qubits = _gate_counts(counts)
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
    gc, qubits = _gate_counts(counts)
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


def msft_logical_counts(counts: LogicalCounts) -> dict[str, int]:
    """The Microsoft estimator's logical-counts dictionary for our counts.

    Toffoli-like gates → ``cczCount``; bare T → ``tCount``; rotations → ``rotationCount`` with
    ``rotationDepth`` = ``rotationCount`` (no layering known: conservative).
    """
    gc, qubits = _gate_counts(counts)
    return {
        "numQubits": qubits,
        "tCount": int(gc.t),
        "rotationCount": int(gc.rotation),
        "rotationDepth": int(gc.rotation),
        "cczCount": int(gc.toffoli),
        "ccixCount": 0,
        "measurementCount": int(gc.measurement),
    }


def qdk_available() -> bool:
    # qdk sends usage telemetry to Microsoft unless told not to; a costing tool run on a
    # researcher's machine must not phone home unasked (a user may still opt in by setting it).
    os.environ.setdefault("QDK_PYTHON_TELEMETRY", "none")
    try:
        import qdk.estimator  # noqa: F401
    except ImportError:
        return False
    return True


def _msft_estimate(lc: dict[str, int], error_budget: float, qubit: str) -> dict[str, Any]:
    from qdk.estimator import LogicalCounts as MsftCounts

    data = MsftCounts(lc).estimate({"errorBudget": error_budget, "qubitParams": {"name": qubit}})
    data = data.data()
    return {k: data[k] for k in ("status", "physicalCounts", "logicalQubit") if k in data}


def microsoft(
    counts: LogicalCounts,
    assumptions: PhysicalAssumptions = PhysicalAssumptions(),
    timeout_s: float | None = None,
) -> dict[str, Any]:
    """Microsoft's resource estimator (``qdk``) on the same logical counts.

    Answers within ``timeout_s`` seconds (default :data:`MSFT_TIMEOUT_S`) where ``os.fork``
    exists: ``status = "out_of_range"`` without calling the estimator when the counts are past its
    u64 arithmetic (:func:`resource_estimates.physical.msft_range.msft_range_reason`: inputs, logical
    qubits × depth, runtime in ns), ``"timeout"`` when the estimator (run in a forked child) does
    not answer in time, ``"error"`` when it fails; each with the reason in ``message``.
    """
    timeout = MSFT_TIMEOUT_S if timeout_s is None else timeout_s
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout_s must be a positive finite number (s), got {timeout_s!r}")
    out: dict[str, Any] = {
        "model": "microsoft",
        "source": (
            "Microsoft Azure Quantum resource estimator (qdk.estimator), Beverland et al. 2022"
        ),
        "assumptions": {
            "physical_error_rate": f"from qubit model {assumptions.msft_qubit}",
            "error_budget": assumptions.error_budget,
            "msft_qubit": assumptions.msft_qubit,
            "qec_scheme": "surface_code",
        },
    }
    if not qdk_available():
        out.update(status="unavailable", message="qdk not installed (pip install '.[physical]')")
        return out
    lc = msft_logical_counts(counts)
    reason = msft_range_reason(lc, assumptions.msft_qubit, assumptions.error_budget)
    if reason:
        out.update(status="out_of_range", message=f"{reason}; the estimator was not called")
        return out
    try:
        data = call_with_timeout(
            _msft_estimate, (lc, assumptions.error_budget, assumptions.msft_qubit), timeout
        )
    except CallTimeout:
        out.update(
            status="timeout",
            message=f"the estimator gave no answer within {timeout:g} s (its process was stopped)",
        )
        return out
    except Exception as exc:  # CallFailed, or the estimator's own errors where fork is absent
        out.update(status="error", message=" ".join(str(exc).split()))
        return out
    if data.get("status") != "success":
        out.update(status="error", message=str(data.get("status")))
        return out
    pc = data["physicalCounts"]
    lq = data["logicalQubit"]
    bd = pc["breakdown"]
    expected_ns = bd["logicalDepth"] * lq["logicalCycleTime"]
    if bd["algorithmicLogicalQubits"] * bd["logicalDepth"] > U64_MAX:
        out.update(
            status="out_of_range",
            message="logical qubits x depth exceeds the estimator's u64 arithmetic (it wrapped)",
        )
        return out
    if expected_ns > U64_MAX or abs(pc["runtime"] - expected_ns) > 1e-6 * expected_ns + 1:
        out.update(
            status="out_of_range",
            message="runtime exceeds the estimator's u64 nanoseconds (it wrapped around)",
        )
        return out
    out.update(
        status="ok",
        physical_qubits=int(pc["physicalQubits"]),
        runtime_hours=pc["runtime"] / 3.6e12,
        code_distance=int(lq["codeDistance"]),
        t_factories=int(pc["breakdown"]["numTfactories"]),
        logical_qubits=int(pc["breakdown"]["algorithmicLogicalQubits"]),
    )
    return out


def rotation_synthesis_counts(counts: LogicalCounts, t_per_rotation: float) -> LogicalCounts:
    """``counts`` with each rotation replaced by ``t_per_rotation`` T gates (total rounded up)."""
    if not (isinstance(t_per_rotation, (int, float)) and math.isfinite(t_per_rotation)):
        raise ValueError(f"t_per_rotation must be a finite number, got {t_per_rotation!r}")
    if t_per_rotation < 0:
        raise ValueError(f"t_per_rotation must be >= 0, got {t_per_rotation!r}")
    rot = _int_count(counts.rotation, "rotation")
    extra = -(-rot * round(t_per_rotation * 1_000_000) // 1_000_000)  # exact ceil, big ints
    return replace(counts, t=_int_count(counts.t, "t") + extra, rotation=0)


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
    rotations = _int_count(counts.rotation, "rotation")
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
