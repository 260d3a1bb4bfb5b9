"""The figures of one data-access query, each beside the published figure of its own kind.

For the data-access kinds of the loaders (`bloqs.state_preparation.kp_tree.DATA_ACCESS_KINDS`)
over N cells of b bits, :func:`data_access_figures` gives the Toffoli-like count (And + Toffoli +
CSWAP, as in :mod:`resource_estimates.logical.counts`), its parts, the T-count, Cliffords, qubits
and Toffoli-depth, and for the bucket brigade the routers in the tree and the routers active per
query. N may be an int or a sympy expression (the figures are then formulas); nothing is
enumerated, so N = 2^40 costs as fast as N = 16.

Published figures sit beside the form they describe: the bucket brigade (routers, CSWAP routing)
beside Di Matteo, Gheorghiu, Mosca 2020 (arXiv:1902.01329); the one-hot decoder and QROM beside
unary iteration, N − 2 Toffolis (Babbush et al. 2018, arXiv:1805.03662). Select-swap (Qualtran's
dirty-ancilla QROAM) has no published figure here.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from bloqs.qram.toffoli_depth import ToffoliDepth
from bloqs.state_preparation.kp_tree import check_data_access, data_access_bloq
from resource_estimates.published import figures as published

__all__ = ["data_access_figures", "bucket_brigade_figures"]


def _plain(value: Any) -> Any:
    """An int where the value is a concrete integer (JSON-friendly), else the sympy value."""
    if is_symbolic(value):
        return value
    return int(value)


def _cells(bloq) -> SymbolicInt:
    """N of a data-access bloq (`QROM` and `SelectSwapQROM` hold it as `data_shape`)."""
    return bloq.N if hasattr(bloq, "N") else bloq.data_shape[0]


def _published_beside(kind: str, bloq) -> dict[str, Any] | None:
    if kind == "bucket_brigade":
        figures = asdict(published.bucket_brigade_di_matteo(bloq.address_bitsize))
        return {
            **{k: _plain(v) for k, v in figures.items()},
            "source": published.CITATIONS["bucket_brigade"],
        }
    if kind in ("one_hot_decoder", "qrom"):
        return {
            "toffoli": _plain(published.qrom_unary_iteration_toffolis(_cells(bloq))),
            "source": published.CITATIONS["qrom"],
        }
    return None


def data_access_figures(kind: str, n_cells: SymbolicInt, bitsize: SymbolicInt = 1) -> dict:
    """Costs of one uncontrolled query of data-access `kind` over `n_cells` words of `bitsize`.

    Returns a dict: `kind`, `n_cells`, `bitsize`; `toffoli_like` = `and` + `toffoli` + `cswap`;
    `t_count` (4 T per Toffoli-like gate); `clifford`; `qubits` (Qualtran `QubitCount`);
    `toffoli_depth` and `toffoli_depth_exact` (exact for the circuits of `bloqs.qram`, whose
    formula is checked against their decomposition; Qualtran's QROMs built from sizes have no
    decomposition, so theirs is the serial upper bound); `routers` and
    `routers_active_per_query` (bucket brigade only, else `None`); `published`: the published
    figure of the same kind with its source, or `None`.
    """
    check_data_access(kind)
    bloq, _, _ = data_access_bloq(kind, n_cells, bitsize)
    gc = get_cost_value(bloq, QECGatesCost())
    is_router = kind == "bucket_brigade"
    return {
        "kind": kind,
        "n_cells": _plain(n_cells),
        "bitsize": _plain(bitsize),
        "toffoli_like": _plain(gc.and_bloq + gc.toffoli + gc.cswap),
        "and": _plain(gc.and_bloq),
        "toffoli": _plain(gc.toffoli),
        "cswap": _plain(gc.cswap),
        "t_count": _plain(gc.total_t_count(ts_per_cswap=4)),
        "clifford": _plain(gc.clifford),
        "qubits": _plain(get_cost_value(bloq, QubitCount())),
        "toffoli_depth": _plain(get_cost_value(bloq, ToffoliDepth())),
        "toffoli_depth_exact": kind in ("bucket_brigade", "one_hot_decoder"),
        "routers": _plain(bloq.num_routers) if is_router else None,
        "routers_active_per_query": _plain(bloq.routers_active_per_query) if is_router else None,
        "published": _published_beside(kind, bloq),
    }


def bucket_brigade_figures(n_cells: SymbolicInt, bitsize: SymbolicInt = 1) -> dict:
    """:func:`data_access_figures` of the bucket brigade (routers, CSWAP routing, bus): its
    counts, Toffoli-depth 4n − 2, N − 1 routers of which n are active per query, beside
    Di Matteo et al.'s Clifford+T figures."""
    return data_access_figures("bucket_brigade", n_cells, bitsize)
