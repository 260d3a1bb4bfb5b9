"""Honest verdicts: the polylog(n) conclusions judged by fits in log n over a grid of n, and the
data provenance each conclusion rests on.

The polylog verdict fits the Toffoli count C(n) at every n of the verdict grid (n = 2^10 … 2^40,
extended to the report's n if larger) with

* the polylog model ln C = c + a·ln(log2 n), i.e. C ∝ (log2 n)^a: the fitted degree ``a`` and
  its quality, the largest relative deviation max |C_fit/C − 1| over the grid;
* the joint model ln C = c + a'·ln(log2 n) + α'·ln n: ``residual_power_exponent`` α', the power
  of n left beside the polylog part;
* the pure power law ln C = c + α·ln n, for comparison (``power_law_exponent``).

The claim holds when α' ≤ :data:`MAX_RESIDUAL_POWER` and the polylog fit deviates by at most
:data:`MAX_POLYLOG_DEVIATION`. Counts come from the variant's formulas substituted at each n when
they are available, else from the sizes-only bloq at each n; both are exact and neither
enumerates n.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from resource_estimates.costing.concrete import job_factor, run_counts, subs_values
from resource_estimates.costing.parameters import SYMBOLS, ReportParameters
from resource_estimates.data_model import DataModel
from resource_estimates.logical.counts import LogicalCounts, evaluate

#: Largest power of n allowed beside the polylog part (n^0.1 grows < 8x over 2^10 … 2^40).
MAX_RESIDUAL_POWER = 0.1
#: Largest relative deviation of the (log2 n)^a fit from the counts at any grid point.
MAX_POLYLOG_DEVIATION = 0.25
#: The precision knobs a verdict's counts are at (b_a/m/k/b_k).
_PRECISION_KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
#: Quantities of the data model a job's cost depends on (through the job factor).
JOB_DATA_QUANTITIES = ("success_probability", "readout_overlap")


def verdict_grid(n: int) -> list[int]:
    """n = 2^10 … 2^40, extended to ``n`` when it is larger."""
    top = max(40, int(math.log2(n)))
    return [2**k for k in range(10, top + 1)]


def _lstsq(columns: Sequence[np.ndarray], y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.vstack(columns).T
    coef = np.linalg.lstsq(a, y, rcond=None)[0]
    return coef, a @ coef


def _max_deviation(fit: np.ndarray, y: np.ndarray) -> float:
    return float(np.max(np.abs(np.expm1(fit - y))))


def polylog_fit(ns: Sequence[int], costs: Sequence[float]) -> dict[str, Any] | None:
    """The three fits of the module docstring over (n, C(n)); ``None`` if any C ≤ 0."""
    c = np.asarray([float(x) for x in costs])
    if len(c) < 3 or not np.all(c > 0):
        return None
    ln_n = np.log(np.asarray([float(x) for x in ns]))
    ln_l = np.log(ln_n / math.log(2))
    y, one = np.log(c), np.ones_like(ln_n)
    poly, poly_fit = _lstsq([one, ln_l], y)
    joint, _ = _lstsq([one, ln_l, ln_n], y)
    power, power_fit = _lstsq([one, ln_n], y)
    residual = float(joint[2])
    deviation = _max_deviation(poly_fit, y)
    return {
        "grid": [int(ns[0]), int(ns[-1])],
        "sizes": len(ns),
        "polylog_degree": round(float(poly[1]), 6),
        "polylog_max_relative_deviation": round(deviation, 6),
        "residual_power_exponent": round(residual, 6),
        "power_law_exponent": round(float(power[1]), 6),
        "power_law_max_relative_deviation": round(_max_deviation(power_fit, y), 6),
        "polylog": bool(residual <= MAX_RESIDUAL_POWER and deviation <= MAX_POLYLOG_DEVIATION),
    }


def _run_toffolis(
    params: ReportParameters, qram: str, ns: Sequence[int], formula: LogicalCounts | None
) -> tuple[list[Any], str]:
    if formula is not None:
        subs = subs_values(params)
        out = []
        for n in ns:
            subs[SYMBOLS["n"]] = n
            out.append(evaluate(formula.toffoli, subs))
        return out, "formula"
    costs = [run_counts(params, qram, n, qubits=False).toffoli for n in ns]
    return costs, "concrete"


def data_provenance(statuses: Mapping[int, Mapping[str, str]]) -> dict[str, Any]:
    """What a conclusion's data rest on, from {n: {quantity: status}} at the n it used."""
    seen = sorted({s for per_n in statuses.values() for s in per_n.values()})
    extrapolated = sorted(n for n, per_n in statuses.items() if "extrapolated" in per_n.values())
    if not statuses:
        note = "no data-dependent quantity"
    elif extrapolated:
        note = (
            f"extrapolated data at {len(extrapolated)} of {len(statuses)} sizes "
            f"(n = 2^{int(math.log2(extrapolated[0]))} … 2^{int(math.log2(extrapolated[-1]))})"
        )
    elif seen == ["user"]:
        note = "user-given data, the same at every n"
    else:
        note = "measured data at every size used"
    return {
        "statuses": seen,
        "extrapolated": bool(extrapolated),
        "extrapolated_n": [extrapolated[0], extrapolated[-1]] if extrapolated else None,
        "note": note,
    }


def _evidence(what: str, fit: dict[str, Any] | None) -> str:
    if fit is None:
        return f"{what}: no Toffolis to compare"
    lo, hi = (int(math.log2(x)) for x in fit["grid"])
    return (
        f"{what} over n = 2^{lo} … 2^{hi} ({fit['sizes']} sizes): fitted (log2 n)^"
        f"{fit['polylog_degree']:.3f} within {fit['polylog_max_relative_deviation']:.1%}; power "
        f"of n beside it {fit['residual_power_exponent']:.3f} (pure power law n^"
        f"{fit['power_law_exponent']:.3f})"
    )


def scaling_conclusions(
    params: ReportParameters,
    data: DataModel,
    qram: str,
    formula: LogicalCounts | None = None,
) -> list[dict[str, Any]]:
    """The two polylog(n) conclusions of one QRAM model: one coherent run and the whole job.

    ``formula``: the run's symbolic counts (substituted at each n) or ``None`` (concrete counts).
    """
    ns = verdict_grid(params.n)
    runs, source = _run_toffolis(params, qram, ns, formula)
    jobs = [float(r) * float(job_factor(params, data, n)) for r, n in zip(runs, ns, strict=True)]
    run_fit, job_fit = polylog_fit(ns, runs), polylog_fit(ns, jobs)
    statuses = {
        n: {q: dq.status for q, dq in data.at(n).items() if q in JOB_DATA_QUANTITIES} for n in ns
    }
    out = []
    for claim, fit, what, prov in (
        ("one coherent run costs polylog(n) Toffolis", run_fit, "Toffolis per run", {}),
        (
            "the whole job (post-selection x readout shots x run) costs polylog(n)",
            job_fit,
            f"job Toffolis (data: {data.source})",
            statuses,
        ),
    ):
        out.append(
            {
                "qram_model": qram,
                "claim": claim,
                "holds": bool(fit is not None and fit["polylog"]),
                "evidence": _evidence(what, fit),
                # the report's (user's or default) knobs at every n, which need not meet P: the
                # verdicts at knobs that meet P are the error budget's (knob_growth)
                "knobs": "report: " + "/".join(str(params.knobs.get(k)) for k in _PRECISION_KNOBS),
                "fit": None if fit is None else {**fit, "counts_from": source},
                "data": data_provenance(prov),
            }
        )
    return out
