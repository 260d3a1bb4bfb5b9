"""The sweep over n: the same costing at n = 2^10 … 2^40, as rows and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from resource_estimates.costing.concrete import (
    classical_baselines,
    job_factor,
    run_counts,
)
from resource_estimates.costing.parameters import ReportParameters, check_int, is_pow2
from resource_estimates.data_model import DataModel
from resource_estimates.logical.formatting import json_number
from resource_estimates.physical import models as physical
from resource_estimates.published.qram import data_access_figures
from resource_estimates.report.beside import DEFAULT_QUERY_BITSIZE


def default_sweep() -> list[int]:
    """n = 2^10, 2^11, …, 2^40."""
    return [2**k for k in range(10, 41)]


SWEEP_FIELDS = (
    "n",
    "qram_model",
    "run_toffoli",
    "run_t_count",
    "run_rotation",
    "run_qubits",
    "run_queries",
    "success_probability",
    "success_probability_status",
    "readout_overlap",
    "readout_overlap_status",
    "job_runs",
    "job_toffoli",
    "job_t_count",
    "gf_status",
    "gf_physical_qubits",
    "gf_run_hours",
    "beverland_status",
    "beverland_data_qubits",
    "beverland_run_hours",
    "job_hours_beverland",
    "classical_diagonal_seconds",
    "classical_exact_seconds",
    "classical_cg_seconds",
    "query_toffoli_depth",
    "query_routers_active",
)


def _query_columns(params: ReportParameters, n: int) -> dict[str, Any]:
    """Toffoli-depth and routers active of one bucket-brigade query over n cells (closed forms;
    empty for the other data accesses)."""
    if params.data_access != "bucket_brigade":
        return {"query_toffoli_depth": None, "query_routers_active": None}
    b = int(params.knobs.get("amplitude_bits", DEFAULT_QUERY_BITSIZE))
    f = data_access_figures("bucket_brigade", n, b)
    return {
        "query_toffoli_depth": f["toffoli_depth"],
        "query_routers_active": f["routers_active_per_query"],
    }


def sweep_rows(
    params: ReportParameters, data: DataModel, ns: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Counts over n (default :func:`default_sweep`), both QRAM models, from the sizes-only bloq
    at each n (shared cost caches; no n is enumerated).

    Physical columns: Gidney–Fowler with the default factory and the data distance from the
    error budget (``gidney_fowler_error_budget``; the grid search of the main report is too slow
    to repeat for every n) and Beverland et al. (data block only).
    """
    ns = list(ns or default_sweep())
    for n_ in ns:
        check_int("sweep n", n_, 2)
        if not is_pow2(n_):
            raise ValueError(f"sweep sizes must be powers of two, got {n_}")
    rows = []
    for qram in params.qram_models:
        for n_ in ns:
            run = run_counts(params, qram, n_)
            dq = data.at(n_)
            p = dq["success_probability"].value
            o = dq["readout_overlap"].value
            f = job_factor(params, data, n_)
            gf = physical.gidney_fowler_from_error_budget(run, params.physical)
            bv = physical.beverland(run, params.physical)
            cl = classical_baselines(params, n_)
            rows.append(
                {
                    "n": n_,
                    "qram_model": qram,
                    "run_toffoli": json_number(run.toffoli),
                    "run_t_count": json_number(run.t_count),
                    "run_rotation": json_number(run.rotation),
                    "run_qubits": json_number(run.qubits),
                    "run_queries": json_number(run.queries),
                    "success_probability": p,
                    "success_probability_status": dq["success_probability"].status,
                    "readout_overlap": o,
                    "readout_overlap_status": dq["readout_overlap"].status,
                    "job_runs": f,
                    "job_toffoli": float(run.toffoli) * f,
                    "job_t_count": float(run.t_count) * f,
                    "gf_status": gf["status"],
                    "gf_physical_qubits": gf.get("physical_qubits"),
                    "gf_run_hours": gf.get("runtime_hours"),
                    "beverland_status": bv["status"],
                    "beverland_data_qubits": bv.get("physical_qubits"),
                    "beverland_run_hours": bv.get("runtime_hours"),
                    "job_hours_beverland": (
                        bv["runtime_hours"] * f if bv["status"] == "ok" else None
                    ),
                    "classical_diagonal_seconds": cl["diagonal"]["seconds"],
                    "classical_exact_seconds": cl["exact"]["seconds"],
                    "classical_cg_seconds": cl["cg_sparse"]["seconds"],
                    **_query_columns(params, n_),
                }
            )
    return rows


def sweep_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SWEEP_FIELDS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in SWEEP_FIELDS})
    return buf.getvalue()
