"""Microsoft's resource estimator (``qdk.estimator``) on our logical counts: the counts it
takes, whether it is installed, and its estimate — range-checked first (its arithmetic is 64-bit)
and run in a forked child that is killed after :data:`MSFT_TIMEOUT_S` seconds."""

from __future__ import annotations

import math
import os
from typing import Any

from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical.assumptions import PhysicalAssumptions, gate_counts
from resource_estimates.physical.bounded_call import CallTimeout, call_with_timeout
from resource_estimates.physical.msft_range import U64_MAX, msft_range_reason

__all__ = ["MSFT_TIMEOUT_S", "microsoft", "msft_logical_counts", "qdk_available"]

#: Seconds the Microsoft estimator may take before its result is ``status = "timeout"``. A
#: successful estimate takes ≤ 0.03 s (measured, 10⁹–10¹⁹ CCZ, qdk 1.33); the bound only catches
#: inputs the range check in front of it lets through.
MSFT_TIMEOUT_S = 10.0


def msft_logical_counts(counts: LogicalCounts) -> dict[str, int]:
    """The Microsoft estimator's logical-counts dictionary for our counts.

    Toffoli-like gates → ``cczCount``; bare T → ``tCount``; rotations → ``rotationCount`` with
    ``rotationDepth`` = ``rotationCount`` (no layering known: conservative).
    """
    gc, qubits = gate_counts(counts)
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
    u64 arithmetic (:func:`resource_estimates.physical.msft_range.msft_range_reason`: inputs,
    logical qubits × depth, runtime in ns), ``"timeout"`` when the estimator (run in a forked
    child) does not answer in time, ``"error"`` when it fails; each with the reason in ``message``.
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
