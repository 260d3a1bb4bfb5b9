"""Symbolic cost formulas in n and the symbolic knobs (with exact refits in log2 n), printed as
sympy text and LaTeX."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import sympy

from resource_estimates.costing.concrete import cost_caches, knob_tuple, shared_caches
from resource_estimates.costing.parameters import GATE_FIELDS, SYMBOLS, ReportParameters
from resource_estimates.logical.counts import (
    LogicalCounts,
    logical_counts,
    step_counts,
)
from resource_estimates.logical.formatting import formula_strings
from resource_estimates.published import classical
from resource_estimates.variants import Variant, get_variant, knob_symbol

#: Sizes at which a symbolic step formula is compared with the concrete counts (log2 n), the
#: sizes a replacement polynomial in log2 n is fitted on, and the sizes it is verified at.
_PROBE_LOG2N = (5, 9, 12)
_FIT_LOG2N = (4, 5, 6, 7, 8, 9)
_VERIFY_LOG2N = (12, 20, 30, 40)


#: Symbolic knobs are probed at their defaults and verified at their alternative values.
def _default_values(variant: Variant) -> dict[str, Any]:
    return {k.name: k.default for k in variant.knobs}


def _alternative_values(variant: Variant) -> dict[str, Any]:
    return {k.name: k.default if k.alternative is None else k.alternative for k in variant.knobs}


def _concrete_fields(
    name, data_access, qram, d, knobs, n, only: frozenset | None = None
) -> dict[str, dict[str, int]]:
    """Concrete gate counts per step at n (only the steps in ``only``, when the variant gives a
    step partition)."""
    variant = get_variant(name)
    params = ReportParameters(n=n, d=d, variant=name, data_access=data_access, knobs=knobs)
    bloq = variant.build(**variant.sizes(params))
    partition, order = variant.step_partition(bloq)
    if only is not None and isinstance(partition, Mapping):
        partition = {k: v for k, v in partition.items() if k in only}
    caches = cost_caches(name, data_access, d, knob_tuple(params), qram)
    steps = step_counts(bloq, partition, qram, order=order, caches=caches, qubits=False)
    return {step: {f: getattr(c, f) for f in GATE_FIELDS} for step, c in steps.items()}


@lru_cache(maxsize=32)
def _symbolic_cached(name: str, data_access: str, qram: str, d: int, fixed: tuple):
    """Formulas of the run and its steps; see :func:`symbolic_costs`."""
    variant = get_variant(name)
    knobs = {
        k: knob_symbol(k) if k in variant.symbolic_knobs else dict(fixed)[k]
        for k in variant.knob_names
    }
    bloq = variant.build(**variant.size_map(SYMBOLS["n"], d, data_access, knobs))
    caches = shared_caches(qram)
    run = logical_counts(bloq, qram, caches=caches, qubits=False)
    partition, order = variant.step_partition(bloq)
    steps = step_counts(bloq, partition, qram, order=order, caches=caches, qubits=False)
    fitted = _refit_mismatched(name, data_access, qram, d, dict(fixed), variant, steps)
    if fitted:
        steps = {**steps, **fitted}
        total = LogicalCounts()
        for c in steps.values():
            total = total + replace(c, qubits=0)
        run = replace(total, qubits=None)
    return run, steps, tuple(sorted(fitted))


def _knobs_for(variant: Variant, fixed: Mapping[str, int], symbolic_values: Mapping[str, int]):
    return {
        k: (symbolic_values[k] if k in variant.symbolic_knobs else fixed[k])
        for k in variant.knob_names
    }


def _refit_mismatched(name, data_access, qram, d, fixed, variant, steps) -> dict:
    """Replace step formulas that do not equal the concrete counts by exact polynomials in
    ⌈log2 n⌉, fitted on small n and verified at large n and at other knob values.

    Why: a loader over n rows has log2 n levels, symbolic when n is; its symbolic call graph sums
    the per-level data accesses in closed form by inlining their gates, so those accesses are
    invisible to the unit-cost model and to the query count (the concrete bloq is exact). Only
    counts that are polynomials in log2 n independent of the symbolic knobs can be repaired; any
    other mismatch is left as is (and flagged in the report).
    """
    base = _knobs_for(variant, fixed, _default_values(variant))
    other = _knobs_for(variant, fixed, _alternative_values(variant))
    subs_base = {knob_symbol(k): v for k, v in base.items()}
    shift = _size_shift(base, other)
    probe_log2n = tuple(e + shift for e in _PROBE_LOG2N)
    fit_log2n = tuple(e + shift for e in _FIT_LOG2N)
    probes = {e: _concrete_fields(name, data_access, qram, d, base, 2**e) for e in probe_log2n}
    bad: dict[str, set[str]] = {}
    for step, counts in steps.items():
        for e, conc in probes.items():
            got = counts.subs({**subs_base, SYMBOLS["n"]: 2**e})
            for f in GATE_FIELDS:
                if step in conc and getattr(got, f) != conc[step][f]:
                    bad.setdefault(step, set()).add(f)
    if not bad:
        return {}
    ell = sympy.Symbol("ell")
    log2n = sympy.ceiling(sympy.log(SYMBOLS["n"], 2))
    only = frozenset(bad)
    fits = {e: _concrete_fields(name, data_access, qram, d, base, 2**e, only) for e in fit_log2n}
    checks = [(base, e) for e in _VERIFY_LOG2N] + [(other, max(e, 4 + shift)) for e in (10, 30)]
    check_vals = {
        (tuple(sorted(kn.items())), e): _concrete_fields(name, data_access, qram, d, kn, 2**e, only)
        for kn, e in checks
    }
    out = {}
    for step, fields_bad in bad.items():
        new = {}
        for f in fields_bad:
            poly = sympy.expand(sympy.interpolate([(e, fits[e][step][f]) for e in fit_log2n], ell))
            ok = all(poly.subs(ell, e) == vals[step][f] for (kn, e), vals in check_vals.items())
            if not ok:
                break
            new[f] = poly.subs(ell, log2n)
        else:
            out[step] = replace(steps[step], **new)
    return out


def _size_shift(*knob_sets: Mapping[str, Any]) -> int:
    """How far the probe and fit sizes move up so that n ≥ the sparsity s of every knob set (an
    s-sparse n × n matrix needs s ≤ n); 0 without a ``sparsity`` knob."""
    s = max((int(k["sparsity"]) for k in knob_sets if "sparsity" in k), default=1)
    return max(0, (s - 1).bit_length() - min(_FIT_LOG2N))


def symbolic_costs(
    variant: str, data_access: str, qram: str, d: int, knobs: Mapping[str, int]
) -> tuple[LogicalCounts, dict[str, LogicalCounts]]:
    """(run, steps) gate and query counts as formulas in n and the variant's symbolic knobs.

    ``d`` is fixed (the loaders' tree depth log2 d must be concrete for the data-access bloqs to
    stay visible in the call graph); qubits are not symbolic (``None``): Qualtran's symbolic
    ``QubitCount`` of the whole algorithm is slow (~15 s) and differs from the concrete
    decomposition's peak, so peak qubits are reported from the concrete-size bloq only. A step
    whose formula does not equal the concrete counts at probe sizes is replaced by an exact
    polynomial in ⌈log2 n⌉ when one fits and verifies (see :func:`refitted_steps`). Cached per
    process.
    """
    run, steps, _ = _symbolic(variant, data_access, qram, d, knobs)
    return run, steps


def refitted_steps(
    variant: str, data_access: str, qram: str, d: int, knobs: Mapping[str, int]
) -> tuple[str, ...]:
    """Steps whose formulas are fitted polynomials in ⌈log2 n⌉ (see :func:`_refit_mismatched`)."""
    return _symbolic(variant, data_access, qram, d, knobs)[2]


def _symbolic(variant, data_access, qram, d, knobs):
    v = get_variant(variant)
    resolved = v.resolve_knobs({k: val for k, val in knobs.items() if k in v.knob_names})
    fixed = tuple(sorted((k, resolved[k]) for k in v.knob_names if k not in v.symbolic_knobs))
    return _symbolic_cached(variant, data_access, qram, int(d), fixed)


def formula_dict(c: LogicalCounts) -> dict[str, dict[str, str]]:
    return {k: formula_strings(v) for k, v in c.as_dict().items() if v is not None}


def job_factor_symbolic(variant: str, mode: str):
    """The variant's job factor (coherent runs of the whole job) as a formula."""
    v = get_variant(variant)
    values = {
        "success_probability": SYMBOLS["success_probability"],
        "readout_overlap": SYMBOLS["readout_overlap"],
        **{k: knob_symbol(k) for k in v.knob_names},
    }
    return v.job_factor(values, mode)


def formula_check(sym: LogicalCounts, conc: LogicalCounts, subs) -> dict[str, bool]:
    got = sym.subs(subs)
    return {f: got.as_dict()[f] == conc.as_dict()[f] for f in GATE_FIELDS}


@lru_cache(maxsize=1)
def _classical_formulas_cached() -> tuple:
    n, d = SYMBOLS["n"], sympy.Symbol("d", positive=True, integer=True)
    L, s_, kappa, eps = sympy.symbols("L s kappa epsilon", positive=True)
    return (
        ("exact", formula_strings(classical.exact_ntk_flops(n, d, L))),
        ("cg_sparse", formula_strings(classical.cg_sparse_flops(n, d, L, s_, kappa, eps))),
        ("diagonal", formula_strings(classical.diagonal_ntk_flops(n, d, L))),
    )


def classical_formulas() -> dict[str, Any]:
    """Classical flop counts as formulas in n, d, the depth L, s, kappa and epsilon."""
    return {k: dict(v) for k, v in _classical_formulas_cached()}
