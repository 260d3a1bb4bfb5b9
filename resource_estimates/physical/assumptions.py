"""What the physical models assume: :class:`PhysicalAssumptions` (physical error rate, cycle
time, error budget, Microsoft's qubit model), the surface code's threshold, and the gate counts
every model is given (:func:`gate_counts`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from qualtran.resource_counting import GateCounts

from resource_estimates.logical.counts import LogicalCounts

__all__ = ["SURFACE_CODE_THRESHOLD", "PhysicalAssumptions", "gate_counts", "int_count"]


def int_count(x: Any, name: str) -> int:
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


def gate_counts(counts: LogicalCounts) -> tuple[GateCounts, int]:
    gc = GateCounts(
        t=int_count(counts.t, "t"),
        toffoli=int_count(counts.toffoli, "toffoli"),
        clifford=int_count(counts.clifford, "clifford"),
        rotation=int_count(counts.rotation, "rotation"),
        measurement=int_count(counts.measurement, "measurement"),
    )
    return gc, int_count(counts.qubits, "qubits")
