"""The data-access queries of one coherent run, grouped by size, with the figures of one query of
each size (Toffoli-like count, T-count, Toffoli-depth; for the bucket brigade the routers and the
routers active per query).

The inventory walks the call graph of the sizes-only bloq over distinct bloqs (memoised), so it
never enumerates n; the figures are :func:`resource_estimates.published.qram.data_access_figures`
(closed forms or Qualtran's static costs of a sizes-only bloq).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualtran import Adjoint, Bloq, Controlled, DecomposeNotImplementedError, DecomposeTypeError
from qualtran.resource_counting import get_bloq_callee_counts

from bloqs.state_preparation.kp_tree import DATA_ACCESS_KINDS, normalize_data_access
from resource_estimates.logical.counts import is_data_access
from resource_estimates.logical.formatting import json_number
from resource_estimates.published.qram import data_access_figures

#: Figures of one query kept in ``data_access.by_size`` (when the data access has them).
QUERY_FIGURES = (
    "toffoli_like",
    "t_count",
    "toffoli_depth",
    "toffoli_depth_exact",
    "routers",
    "routers_active_per_query",
)


def _base(bloq: Bloq) -> Bloq:
    while isinstance(bloq, (Adjoint, Controlled)):
        bloq = bloq.subbloq
    return bloq


def _size_key(bloq: Bloq) -> tuple[str, int, int]:
    """(kind, N cells, bits per cell) of a data-access query (its adjoint or controlled form
    counts as the same query)."""
    base = _base(bloq)
    try:
        kind = normalize_data_access(type(base))
    except ValueError:  # a data access outside DATA_ACCESS_KINDS (e.g. Qualtran's QROAMClean)
        kind = type(base).__name__
    if hasattr(base, "N"):
        return kind, int(base.N), int(base.target_bitsize)
    shape = getattr(base, "data_shape", (0,))
    return kind, int(shape[0]) if shape else 0, int(sum(getattr(base, "target_bitsizes", ())))


def query_inventory(bloq: Bloq) -> dict[tuple[str, int, int], Any]:
    """{(kind, N, b): calls in one application of ``bloq``} over its call graph."""
    memo: dict[Bloq, dict[tuple[str, int, int], Any]] = {}

    def walk(b: Bloq) -> dict[tuple[str, int, int], Any]:
        if b in memo:
            return memo[b]
        if is_data_access(b):
            out = {_size_key(b): 1}
        else:
            out = {}
            try:
                callees = get_bloq_callee_counts(b, ignore_decomp_failure=False)
            except (DecomposeTypeError, DecomposeNotImplementedError):
                callees = []  # an atomic gate
            for callee, n_times in callees:
                for key, calls in walk(callee).items():
                    out[key] = out.get(key, 0) + n_times * calls
        memo[b] = out
        return out

    return walk(bloq)


def data_access_section(bloq: Bloq, kind: str) -> dict[str, Any]:
    """The run's queries by size, each with the figures of one query of that size; the largest
    query of the report's data access ``kind`` and the call-weighted means of its per-query
    figures (fixed tables, e.g. the kernel lookup, stay QROMs whatever ``kind`` is)."""
    inventory = query_inventory(bloq)
    rows = []
    for (k, n_cells, bits), calls in sorted(inventory.items()):
        row: dict[str, Any] = {"kind": k, "n_cells": n_cells, "bitsize": bits}
        row["calls_per_run"] = json_number(calls)
        # Qualtran's depth and width of SelectSwapQROM decompose it (minutes at N = 2^40)
        if k in DATA_ACCESS_KINDS and k != "select_swap":
            figures = data_access_figures(k, n_cells, bits)
            row.update({f: figures[f] for f in QUERY_FIGURES if figures.get(f) is not None})
        rows.append(row)
    own = [r for r in rows if r["kind"] == kind]
    total = sum(r["calls_per_run"] for r in rows)
    total_own = sum(r["calls_per_run"] for r in own)
    return {
        "kind": kind,
        "queries_per_run": json_number(total),
        "queries_per_run_of_kind": json_number(total_own),
        "by_size": rows,
        "largest_query": max(own, key=lambda r: (r["n_cells"], r["bitsize"])) if own else None,
        "mean_per_query": _weighted_means(own, total_own),
    }


def _weighted_means(rows: list[Mapping[str, Any]], total: Any) -> dict[str, Any]:
    means: dict[str, Any] = {}
    if not total:
        return means
    for f in ("toffoli_like", "toffoli_depth", "routers_active_per_query"):
        if rows and all(f in r for r in rows):
            means[f] = float(sum(r[f] * r["calls_per_run"] for r in rows) / total)
    return means
