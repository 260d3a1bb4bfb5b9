"""The report's configuration at the knobs that meet P: the error budget's least-cost knobs.

The error budget (:mod:`resource_estimates.report.error_budget_section`) finds the knobs that get
the label right with probability ≥ 1 − P at the least job T-count (e.g. b_a/m/k/b_k =
38/27/85/44 at n = 2^30 on digits). :func:`optimised_section` costs one coherent run and the
whole job at those knobs, under each QRAM model, and feeds the same counts to the physical models:

* **gates** (Toffoli, T, rotations, measurements): the exact forms the error budget itself uses
  (:func:`resource_estimates.error_budget.knob_costs.formula_run_counts`: the report's symbolic
  formulas, fitted exactly in b_a and 2^m, m², m, verified at other knob values). The concrete bloq
  cannot be built at such knobs: its kernel table has 2^m entries (2^27 here).
* **logical qubits** (peak width): the concrete bloq's peak where it can be built (k ≤ 25,
  m ≤ 12); otherwise an exact quadratic fit in k and affine fit in m and k·m, solved on concrete
  peaks at k ∈ {17, 19, 21}, m ∈ {8, 9, 10} (or at the knob's own value when it is small),
  verified exactly at k = 25, m = 12 and then extrapolated (``qubits_method`` says which). A
  peak is a maximum of several terms: the fit holds while the same term dominates (for the
  diagonal variant at b_a/b_k = 38/44, n = 2^30, the fit predicts the concrete peak 5,526 at
  k = 85, m = 8, measured in 44 s: the median's k(k−1)/2 comparison bits dominate), which the
  check point tests; it is still an extrapolation (another term could overtake at larger m).
  When the fit does not verify, the qubits and the physical estimates are ``unavailable`` with
  the reason.
* **the job**: runs in job = the budget's readout shots (which meet P, instead of 1/⟨k*|v⟩²)
  × the variant's coherent runs per shot (post-selection). Under unit-cost QRAM the job's
  T-count (T + 4·Toffoli + t_per_rotation·rotations) × runs is the budget's optimised job
  T-count.
* **physical**: every model gets these counts with rotations synthesised at the budget's ε
  (:func:`resource_estimates.physical.models.physical_estimates`), the counts themselves are kept in
  ``physical_counts`` (what ``msft_logical_counts_optimised.json`` exports).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from resource_estimates.costing.concrete import job_factor, run_counts
from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.physical import models as physical

__all__ = [
    "CONCRETE_MAX",
    "QUBIT_CHECK",
    "QUBIT_FIT",
    "optimised_knobs",
    "physical_input_counts",
    "optimised_qubits",
    "optimised_section",
]

#: Largest (median copies, phase bits) at which the concrete bloq's peak is computed directly.
CONCRETE_MAX = {"median_copies": 25, "phase_bits": 12}
#: Values of (median copies, phase bits) the qubit fit is solved on, and checked at.
QUBIT_FIT = {"median_copies": (17, 19, 21), "phase_bits": (8, 9, 10)}
QUBIT_CHECK = {"median_copies": 25, "phase_bits": 12}


def optimised_knobs(params: Any, budget: Mapping[str, Any]) -> dict[str, Any] | None:
    """The variant's knobs chosen by the error budget (``None`` without a computed budget)."""
    if budget.get("status") not in ("ok", "user_knobs_do_not_meet_target"):
        return None
    chosen = budget["knobs"]
    return {k: chosen[k] for k in params.knobs if k in chosen}


def _fit_qubits(params: Any, qram: str) -> tuple[int, str]:
    """(peak qubits, how) at ``params`` (see the module docstring)."""
    import sympy

    from resource_estimates.logical import formula_cache

    k, m = int(params.knobs["median_copies"]), int(params.knobs["phase_bits"])
    if k <= CONCRETE_MAX["median_copies"] and m <= CONCRETE_MAX["phase_bits"]:
        q = run_counts(params, qram).qubits
        return int(q), "concrete peak of the gate-level bloq"
    key = repr((sorted(params.as_dict().items(), key=str), qram))
    cached = formula_cache.load("optimised_qubits", key)
    if cached is not None:
        return int(cached[0]), cached[1]
    ks = QUBIT_FIT["median_copies"] if k > CONCRETE_MAX["median_copies"] else (k,)
    ms = QUBIT_FIT["phase_bits"] if m > CONCRETE_MAX["phase_bits"] else (m,)

    def basis(kk: int, mm: int) -> list[int]:
        row = [1]
        if len(ks) > 1:
            row += [kk, kk * kk]
        if len(ms) > 1:
            row += [mm]
        if len(ks) > 1 and len(ms) > 1:
            row += [kk * mm]
        return row

    def peak(kk: int, mm: int) -> int:
        p = params.replace(median_copies=kk, phase_bits=mm)
        return int(run_counts(p, qram).qubits)

    pts = [(kk, mm) for kk in ks for mm in ms]
    a = sympy.Matrix([basis(*pt) for pt in pts])
    y = sympy.Matrix([peak(*pt) for pt in pts])
    coef = (a.T * a).LUsolve(a.T * y)
    checks = [(kk, mm) for kk in ks for mm in ms]
    ck = QUBIT_CHECK["median_copies"] if len(ks) > 1 else k
    cm = QUBIT_CHECK["phase_bits"] if len(ms) > 1 else m
    checks.append((ck, cm))

    def model(kk: int, mm: int) -> Fraction:
        v = sum(c * b for c, b in zip(coef, basis(kk, mm), strict=True))
        return Fraction(int(sympy.numer(v)), int(sympy.denom(v)))

    for pt in checks:
        want = y[pts.index(pt)] if pt in pts else peak(*pt)
        if model(*pt) != want:
            raise ValueError(
                f"the peak-qubit fit does not hold at (k, m) = {pt} ({float(model(*pt)):g} vs "
                f"{want}): the qubits at the error budget's knobs are not computed"
            )
    got = model(k, m)
    if got.denominator != 1:
        raise ValueError(f"the peak-qubit fit gives a non-integer {float(got):g} at (k, m)")
    terms = "1" + (", k, k^2" if len(ks) > 1 else "") + (", m" if len(ms) > 1 else "")
    terms += ", k*m" if len(ks) > 1 and len(ms) > 1 else ""
    how = (
        f"exact fit on ({terms}) to concrete peaks at k in {list(ks)}, m in {list(ms)}, "
        f"verified at (k, m) = ({ck}, {cm}), extrapolated to ({k}, {m})"
    )
    formula_cache.store("optimised_qubits", key, [int(got), how])
    return int(got), how


def optimised_qubits(params: Any, qram: str) -> dict[str, Any]:
    """``{"value", "method"}`` of the peak logical qubits at ``params``, or ``{"value": None,
    "reason"}`` when the fit does not verify."""
    try:
        value, how = _fit_qubits(params, qram)
    except ValueError as exc:
        return {"value": None, "reason": " ".join(str(exc).split())}
    return {"value": value, "method": how}


def optimised_section(
    params: Any, data: Any, budget: Mapping[str, Any], rotation: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The ``optimised`` section: run, job and physical estimates at the budget's knobs."""
    from resource_estimates.costing.concrete import counts_json
    from resource_estimates.error_budget.knob_costs import formula_run_counts
    from resource_estimates.logical.counts import readout_shots

    knobs = optimised_knobs(params, budget)
    if knobs is None:
        return {
            "status": "not_computed",
            "reason": f"no error budget to take the knobs from ({budget.get('status')})",
        }
    try:
        at = params.replace(**knobs)
    except ValueError as exc:
        return {"status": "not_computed", "reason": " ".join(str(exc).split())}
    shots = float(budget["knobs"]["readout_shots"])
    o = data.at(params.n)["readout_overlap"].value
    per_shot = job_factor(at, data) / readout_shots(o)  # the variant's runs per readout shot
    runs = shots * float(per_shot)
    out: dict[str, Any] = {
        "status": "ok",
        "source": "error_budget.knobs (the least-cost knobs that meet P)",
        "knobs": dict(at.knobs),
        "readout_shots": budget["knobs"]["readout_shots"],
        "runs_in_job": runs,
        "rotation_synthesis": dict(rotation) if rotation else None,
        "gates_method": "knob_costs.formula_run_counts (exact forms fitted on the formulas)",
        "logical": {},
        "physical": {},
    }
    fit_knobs = {**at.knobs}
    if "qlsa_epsilon" in budget["knobs"]:
        fit_knobs["qlsa_epsilon"] = budget["knobs"]["qlsa_epsilon"]
    for qram in params.qram_models:
        try:
            gates = formula_run_counts(
                params.n, params.d, fit_knobs, params.variant, params.data_access, qram
            )
        except (ValueError, TypeError) as exc:
            reason = " ".join(str(exc).split())
            out["logical"][qram] = {"status": "unavailable", "reason": reason}
            out["physical"][qram] = {"status": "unavailable", "reason": reason}
            continue
        qubits = optimised_qubits(at, qram)
        run = LogicalCounts(**gates, qubits=qubits["value"] or 0)
        run_d = {**counts_json(run), "qubits": qubits["value"], "clifford": None}
        run_d.pop("queries", None)
        job_d = {
            k: (None if v is None else v * runs)
            for k, v in run_d.items()
            if k not in ("qubits", "clifford")
        }
        job_d["qubits"] = qubits["value"]
        out["logical"][qram] = {"status": "ok", "run": run_d, "job": job_d, "qubits": qubits}
        if qubits["value"] is None:
            out["physical"][qram] = {"status": "unavailable", "reason": qubits["reason"]}
            continue
        counts = physical_input_counts(run, rotation)
        est = physical.physical_estimates(run, params.physical, rotation=rotation)
        for res in est.values():
            if res.get("status") == "ok":
                res["job_runtime_hours"] = res["runtime_hours"] * runs
        out["physical"][qram] = {
            "status": "ok",
            "run": est,
            "runs_in_job": runs,
            "physical_counts": counts_json(counts),
        }
    return out


def physical_input_counts(run: LogicalCounts, rotation: Mapping[str, Any] | None) -> LogicalCounts:
    """The counts every physical model is given (rotations as T at the budget's ε)."""
    if rotation is None:
        return run
    return physical.rotation_synthesis_counts(run, float(rotation["t_per_rotation"]))


def job_t_count(run: Mapping[str, Any], runs: float, t_per_rotation: float) -> float:
    """Job T-count as the error budget counts it: (T + 4·Toffoli + t_per_rotation·rotations)
    × runs."""
    from resource_estimates.logical.counts import T_PER_TOFFOLI

    return runs * (run["t"] + T_PER_TOFFOLI * run["toffoli"] + t_per_rotation * run["rotation"])
