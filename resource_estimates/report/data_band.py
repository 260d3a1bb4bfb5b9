"""The report at both ends of the data bands: what the job cost, the error budget and the crossover
become when every extrapolated data quantity (P/n, ⟨k*|v⟩, δ, κ, κ_eff) sits at the favourable or
the unfavourable end of its 95 % band (:mod:`resource_estimates.data_model`), and which
conclusions change within the band.

What is propagated: P/n and ⟨k*|v⟩ set the number of coherent runs of the job (the job factor),
so the job's Toffoli count, its Beverland run time, the error budget's optimisation and the
crossover are recomputed at each end. δ and κ are shown with their bands but the circuit is costed
at the report's fixed knobs (depth, QLSA degree), which were chosen from the central values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from resource_estimates.costing.concrete import job_factor
from resource_estimates.data_model import BAND_ENDS, DataModel
from resource_estimates.report.error_budget_section import budget_conclusions, budget_section

__all__ = ["annotate_conclusions", "band_markdown", "band_section"]


def _has_band(data: DataModel, n: int) -> bool:
    return any(q.low is not None for q in data.at(n).values())


def _scaled_sweep(params, data_end: DataModel, sweep) -> list[dict[str, Any]]:
    out = []
    for r in sweep:
        f = float(job_factor(params, data_end, r["n"]))
        h = r.get("job_hours_beverland")
        scale = f / float(r["job_runs"]) if r.get("job_runs") else 1.0
        out.append({**r, "job_runs": f, "job_hours_beverland": None if h is None else h * scale})
    return out


def band_section(
    params,
    data: DataModel,
    run_counts: Mapping[str, Any],
    run_hours: Mapping[str, float | None],
    sweep: Sequence[Mapping[str, Any]] | None,
    error_budget,
    crossover: Callable[[Any, Any], dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """``(section, conclusions_by_end)``: the ``data_band`` section of the report and, for each
    band end, the data-dependent conclusions (error budget, crossover) recomputed there.

    ``run_counts``/``run_hours``: one coherent run's counts and Beverland hours per QRAM model;
    ``crossover``: the report's crossover function (rows → section)."""
    n = params.n
    dq = data.at(n)
    quantities = {
        k: {"value": q.value, "status": q.status, "low": q.low, "high": q.high}
        for k, q in dq.items()
    }
    if not _has_band(data, n):
        return {
            "status": "no band: every data quantity at n is measured or user-given",
            "quantities": quantities,
        }, {}
    section: dict[str, Any] = {
        "status": "ok",
        "method": "95% residual bootstrap of each extrapolation fit (data_model); ends: "
        "favourable = higher P/n and |<k*|v>|, larger delta, smaller kappa",
        "propagated": "P/n and <k*|v> (job factor) into job cost, error budget and crossover; "
        "delta and kappa shown only (depth and QLSA knobs fixed at the central values)",
        "quantities": quantities,
        "ends": {},
    }
    by_end: dict[str, list[dict[str, Any]]] = {}
    for end in ("central", *BAND_ENDS):
        d_end = data if end == "central" else data.at_band_end(end)
        f = float(job_factor(params, d_end))
        job = {
            qram: {
                "job_toffoli": float(run.toffoli) * f,
                "job_t_count": float(run.t_count) * f,
                "job_hours_beverland": None if run_hours.get(qram) is None else run_hours[qram] * f,
            }
            for qram, run in run_counts.items()
        }
        entry: dict[str, Any] = {"job_factor": f, "job": job}
        rows: list[dict[str, Any]] = []
        if end != "central":
            end_request = error_budget and replace(error_budget, summary_only=True)
            budget = budget_section(params, d_end, end_request)
            costed = budget.get("costed_knobs") or {}
            entry["error_budget"] = {
                "status": budget.get("status"),
                "meets_target": costed.get("meets_target"),
                "failure_probability": costed.get("failure_probability"),
                "job_t_count_optimised": (budget.get("job_t_count") or {}).get("optimised"),
            }
            rows = [{**r, "qram_model": "any"} for r in budget_conclusions(budget)]
        if sweep:
            x = crossover(params, _scaled_sweep(params, d_end, sweep))
            entry["crossover"] = x.get("n", {})
            for qram, per in entry["crossover"].items():
                for method, n_x in per.items():
                    rows.append(
                        {
                            "qram_model": qram,
                            "claim": f"the quantum job beats the classical {method} NTK "
                            "within the sweep",
                            "holds": n_x is not None,
                        }
                    )
        section["ends"][end] = entry
        if end != "central":
            by_end[end] = rows
    return section, by_end


def annotate_conclusions(
    conclusions: list[dict[str, Any]], by_end: Mapping[str, list[dict[str, Any]]]
) -> None:
    """Add ``within_band`` to every conclusion: ``"changes"`` when it holds at one band end and
    not at the other (or not centrally), ``"unchanged"`` when it holds (or fails) at both ends,
    ``"not re-evaluated"`` when it was not recomputed at the ends, ``"independent of the data"``
    for a conclusion on the circuit alone, ``"no band"`` without bands."""
    for c in conclusions:
        if (c.get("data") or {}).get("statuses") == []:
            c["within_band"] = "independent of the data"
            continue
        if not by_end:
            c["within_band"] = "no band"
            continue
        at = {}
        for end, rows in by_end.items():
            hit = [
                r for r in rows if r["qram_model"] == c["qram_model"] and r["claim"] == c["claim"]
            ]
            if hit:
                at[end] = bool(hit[0]["holds"])
        if len(at) < len(by_end):
            c["within_band"] = "not re-evaluated"
        elif len({*at.values(), bool(c["holds"])}) > 1:
            c["within_band"] = (
                "changes ("
                + ", ".join(f"{end}: {'holds' if v else 'fails'}" for end, v in at.items())
                + ")"
            )
        else:
            c["within_band"] = "unchanged"


def _g(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3g}"
    return str(x)


def band_markdown(report: Mapping[str, Any]) -> list[str]:
    """Markdown lines of the ``data_band`` section."""
    B = report.get("data_band")
    if not B:
        return []
    L = ["", "## Data bands (95 %) and what they change", ""]
    if B["status"] != "ok":
        L.append(f"Bands: {B['status']}.")
        return L
    L.append(f"Method: {B['method']}. Propagated: {B['propagated']}.")
    L.append("")
    L.append("| quantity | status | low | value | high |")
    L.append("|---|---|---|---|---|")
    for k, q in B["quantities"].items():
        L.append(f"| {k} | {q['status']} | {_g(q['low'])} | {_g(q['value'])} | {_g(q['high'])} |")
    L.append("")
    L.append(
        "| band end | job runs | job Toffolis | job hours (Beverland) | budget met | crossover |"
    )
    L.append("|---|---|---|---|---|---|")
    for end, e in B["ends"].items():
        for qram, j in e["job"].items():
            eb = e.get("error_budget", {}).get("meets_target", "as in the report")
            x = e.get("crossover", {}).get(qram, {})
            xs = ", ".join(f"{m} {_g(v)}" for m, v in x.items()) or "-"
            L.append(
                f"| {end} ({qram}) | {_g(e['job_factor'])} | {_g(j['job_toffoli'])} | "
                f"{_g(j['job_hours_beverland'])} | {_g(eb)} | {xs} |"
            )
    return L
