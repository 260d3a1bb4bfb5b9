"""Concrete logical counts of the sizes-only bloq, and JSON-ready numbers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from typing import Any

import sympy
from qualtran import Bloq

from resource_estimates.costing.parameters import SYMBOLS, ReportParameters
from resource_estimates.data_model import DataModel
from resource_estimates.logical import formula_cache
from resource_estimates.logical.counts import (
    CostCaches,
    LogicalCounts,
    logical_counts,
    step_counts,
)
from resource_estimates.logical.formatting import json_number
from resource_estimates.published import classical
from resource_estimates.variants import get_variant, knob_symbol


def cost_caches(name: str, data_access: str, d: int, knobs: tuple, qram: str) -> CostCaches:
    """Cost caches shared by every size and configuration under one QRAM model (sub-bloqs
    independent of n and of the knob being varied are costed once per process)."""
    return shared_caches(qram)


@lru_cache(maxsize=4)
def shared_caches(qram: str) -> CostCaches:
    """The process's cost caches for one QRAM model. A Qualtran cost cache maps a bloq (a frozen
    value: every field that changes its decomposition is part of its equality) to its cost, so
    one cache serves every bloq size, variant and knob value: the error budget's formulas at
    twelve (amplitude bits, phase bits) and the sweep's sizes share their common sub-bloqs."""
    return CostCaches()


def knob_tuple(params: ReportParameters) -> tuple:
    return tuple(sorted(params.knobs.items()))


def concrete_costs(
    params: ReportParameters,
    qram: str,
    n: int | None = None,
    *,
    steps: bool = True,
    qubits: bool = True,
) -> tuple[Bloq, LogicalCounts, dict[str, LogicalCounts] | None]:
    """(bloq, run counts, per-step counts) of the sizes-only bloq at n (default ``params.n``)."""
    variant = get_variant(params.variant)
    bloq = variant.build(**variant.sizes(params, n))
    caches = cost_caches(params.variant, params.data_access, params.d, knob_tuple(params), qram)
    run = logical_counts(bloq, qram, caches=caches, qubits=qubits)
    per_step = None
    if steps:
        partition, order = variant.step_partition(bloq)
        per_step = step_counts(bloq, partition, qram, order=order, caches=caches, qubits=qubits)
    return bloq, run, per_step


def run_counts(
    params: ReportParameters, qram: str, n: int | None = None, *, qubits: bool = True
) -> LogicalCounts:
    """One run's counts of the sizes-only bloq at n (default ``params.n``), as
    :func:`concrete_costs` gives them, stored in the on-disk cache of
    :mod:`resource_estimates.logical.formula_cache` (per code version) under the variant, the
    bloq's sizes and the QRAM model: a report's sweep, and every later report with the same
    sizes and knobs, reads them back instead of costing the bloq again."""
    variant = get_variant(params.variant)
    sizes = variant.sizes(params, n)
    key = hashlib.sha256(
        json.dumps(
            [params.variant, qram, qubits, sorted((k, repr(v)) for k, v in sizes.items())]
        ).encode()
    ).hexdigest()[:24]
    stored = formula_cache.load("run_counts", key)
    if stored is not None:
        return LogicalCounts(**stored)
    run = concrete_costs(params, qram, n, steps=False, qubits=qubits)[1]
    values = {f.name: getattr(run, f.name) for f in fields(run)}
    if all(v is None or isinstance(v, int) for v in values.values()):
        formula_cache.store("run_counts", key, values)
    return run


def job_factor(params: ReportParameters, data: DataModel, n: int | None = None) -> Any:
    """Coherent runs of the whole job at n (default ``params.n``): the variant's job factor of
    the data-dependent quantities at n and the knobs."""
    dq = data.at(params.n if n is None else n)
    values = {
        "success_probability": dq["success_probability"].value,
        "readout_overlap": dq["readout_overlap"].value,
        **params.knobs,
    }
    return get_variant(params.variant).job_factor(values, params.post_selection)


def classical_baselines(params: ReportParameters, n: int | None = None) -> dict[str, Any]:
    """The classical baselines at n (default ``params.n``) with the report's inputs."""
    return classical.classical_costs(
        params.n if n is None else n,
        params.d,
        params.depth,
        params.sparsity,
        params.kappa,
        params.qlsa_epsilon,
        params.machine,
    )


def subs_values(params: ReportParameters, n: int | None = None) -> dict[sympy.Symbol, int]:
    vals = {SYMBOLS["n"]: params.n if n is None else n, SYMBOLS["d"]: params.d}
    for k, v in params.knobs.items():
        vals[knob_symbol(k)] = v
    return vals


def counts_json(c: LogicalCounts) -> dict[str, Any]:
    d = {k: json_number(v) for k, v in c.as_dict().items()}
    return d
