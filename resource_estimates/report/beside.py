"""The report's ``published`` section: published figures beside ours, each form beside its own
kind.

The data-access query is set beside the published figure of the same architecture
(:func:`resource_estimates.published.qram.data_access_figures`): the bucket brigade (routers, CSWAP
routing, a bus) beside Di Matteo, Gheorghiu, Mosca 2020; the one-hot decoder and QROM beside unary
iteration, N − 2 Toffolis (Babbush et al. 2018); select-swap beside the clean-ancilla QROAM of
Berry et al. 2019. Nothing is enumerated: the figures are closed forms or Qualtran's static costs
of a sizes-only bloq.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from qualtran.resource_counting import QECGatesCost, get_cost_value

from bloqs.state_preparation.kp_tree import data_access_bloq
from resource_estimates.costing.parameters import ReportParameters
from resource_estimates.logical.formatting import json_number
from resource_estimates.published import figures as published
from resource_estimates.published.qram import data_access_figures

#: Word size of the reference query when the variant has no ``amplitude_bits`` knob.
DEFAULT_QUERY_BITSIZE = 1


def _qroam_clean(n: int, b: int) -> dict[str, Any]:
    block = 2 ** max(0, round(math.log2(max(1.0, math.sqrt(n / b)))))
    return {
        "toffoli": json_number(published.qroam_clean_toffolis(n, b, block)),
        "block_size": block,
        "source": published.CITATIONS["qroam_clean"],
    }


def data_access_query(params: ReportParameters) -> dict[str, Any]:
    """Our data access over N = n cells of b bits (b = ``amplitude_bits``, else 1) beside the
    published figure of its own kind.

    ``ours`` holds the Toffoli-like count, T-count, Toffoli-depth and, for the bucket brigade,
    the routers in the tree and the routers active per query. Select-swap (Qualtran's
    ``SelectSwapQROM``) gets its gate counts only: Qualtran's qubit count and Toffoli-depth of it
    decompose the swap network (over two minutes at N = 2^40).
    """
    n = params.n
    b = int(params.knobs.get("amplitude_bits", DEFAULT_QUERY_BITSIZE))
    kind = params.data_access
    out: dict[str, Any] = {"kind": kind, "n_cells": n, "bitsize": b}
    if kind == "select_swap":
        bloq, _, _ = data_access_bloq(kind, n, b)
        gc = get_cost_value(bloq, QECGatesCost())
        out["ours"] = {
            "toffoli_like": json_number(gc.and_bloq + gc.toffoli + gc.cswap),
            "t_count": json_number(gc.total_t_count(ts_per_cswap=4)),
            "block_sizes": [int(x) for x in bloq.block_sizes],
        }
        out["published"] = _qroam_clean(n, b)
        return out
    figures = data_access_figures(kind, n, b)
    beside = figures.pop("published")
    for k in ("kind", "n_cells", "bitsize"):
        figures.pop(k)
    out["ours"] = {k: v for k, v in figures.items() if v is not None}
    out["published"] = beside
    return out


def published_beside(params: ReportParameters, per_query: Mapping[str, Any]) -> dict:
    """Published figures at this n; those that need a knob (phase or kernel bits) appear when the
    variant has that knob."""
    knobs = params.knobs
    kappa = knobs.get("kappa_eff", params.kappa)
    out: dict[str, Any] = {
        "data_access_query_ours": per_query,
        "data_access_query_n_cells": data_access_query(params),
        "ross_selinger_t_per_rotation_eps_1e-10": {
            "value": published.ross_selinger_t_count(1e-10),
            "source": published.CITATIONS["ross_selinger"],
        },
        "qlsa_queries": {  # at the kappa the solver sees (kappa_eff) when the variant has it
            "kappa": kappa,
            "epsilon": params.qlsa_epsilon,
            "costa": json_number(published.qlsa_costa_queries(kappa, params.qlsa_epsilon)),
            "dalzell": json_number(published.qlsa_dalzell_queries(kappa, params.qlsa_epsilon)),
            "source": published.CITATIONS["qlsa_costa"]
            + "; "
            + published.CITATIONS["qlsa_dalzell"],
            "note": "QLSA block-encoding queries (sparsified variant; not in a diagonal run)",
        },
    }
    if "phase_bits" in knobs:
        m = knobs["phase_bits"]
        out["amplitude_estimation_error_bound_p_half"] = {
            "value": published.amplitude_estimation_error_bound(0.5, 2**m),
            "evaluations": 2**m,
            "success_probability": published.amplitude_estimation_success_probability(1),
            "source": published.CITATIONS["amplitude_estimation"],
        }
    if "kernel_bits" in knobs:
        out["phase_gradient_rotation_toffolis"] = {
            "value": published.phase_gradient_rotation_toffolis(knobs["kernel_bits"]),
            "bits": knobs["kernel_bits"],
            "source": published.CITATIONS["phase_gradient"],
        }
    return out
