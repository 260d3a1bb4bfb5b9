"""The report's verdicts at the error budget's knobs (those that meet P) at the report's n.

The report's own verdicts (layout, crossover) are taken at its knobs, which need not meet P
(they carry ``knobs: "report: b_a/m/k/b_k"``). :func:`optimised_conclusions` states the same
questions at the knobs that meet P, from the ``optimised`` section (one run and the job at the
budget's knobs, shots and rotation ε, every physical model on the same counts):

* per QRAM model: one coherent run has a valid Gidney–Fowler surface-code layout;
* per QRAM model and classical method: the quantum job (Beverland runtime, the budget's shots)
  at the report's n takes less time than the classical method at that n (a point check at the
  report's n; the crossover *within the sweep* stays at the report's knobs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["BUDGET_KNOBS_LABEL", "optimised_conclusions"]

#: The ``knobs`` label of a verdict at the error budget's knobs.
BUDGET_KNOBS_LABEL = "error budget (least-cost knobs that meet P)"


def optimised_conclusions(
    n: int,
    optimised: Mapping[str, Any],
    classical: Mapping[str, Any],
    machine: str,
    data: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Layout and time verdicts at the budget's knobs (empty when the section is not computed);
    ``data`` is the provenance of the data at n, ``machine`` the classical machine's name."""
    if not optimised or optimised.get("status") != "ok":
        return []
    size = f"2^{int(math.log2(n))}"
    knobs = "/".join(
        str(optimised["knobs"][k])
        for k in ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
    )
    out = []
    for qram, phys in optimised.get("physical", {}).items():
        run = phys.get("run", {}) if isinstance(phys, Mapping) else {}
        gf = run.get("gidney_fowler", {})
        out.append(
            {
                "qram_model": qram,
                "claim": f"at knobs that meet P ({knobs}), one coherent run at n = {size} has a "
                "valid Gidney-Fowler surface-code layout",
                "holds": gf.get("status") == "ok",
                "evidence": gf.get("message") or f"{gf.get('physical_qubits')} physical qubits",
                "knobs": BUDGET_KNOBS_LABEL,
                "data": data,
            }
        )
        hours = run.get("beverland", {}).get("job_runtime_hours")
        for method in ("diagonal", "cg_sparse", "exact"):
            seconds = classical.get(method, {}).get("seconds")
            holds = hours is not None and seconds is not None and hours * 3600 < seconds
            evidence = (
                "no Beverland runtime at these knobs"
                if hours is None
                else f"quantum job {hours * 3600:.3g} s (Beverland, the budget's shots and "
                f"epsilon) vs classical {seconds:.3g} s ({machine})"
            )
            out.append(
                {
                    "qram_model": qram,
                    "claim": f"at knobs that meet P ({knobs}), the quantum job at n = {size} "
                    f"beats the classical {method} NTK",
                    "holds": bool(holds),
                    "evidence": evidence,
                    "knobs": BUDGET_KNOBS_LABEL,
                    "data": data,
                }
            )
    return out
