"""Resource reports: one variant of Algorithm 1 at one n, costed under both QRAM models.

:func:`build_report` computes everything in memory (no I/O): logical counts per Algorithm-1 step,
for one coherent run and for the whole job, under circuit and unit-cost QRAM; their sympy formulas
(with LaTeX) in n, d and the bit precisions; the data-dependent quantities with their provenance;
physical estimates (Gidney–Fowler, Beverland et al., Microsoft) side by side with assumptions;
the classical baselines and the crossover n; the published figures beside ours; and the
conclusions with the QRAM model each one survives. :func:`sweep_rows` evaluates the same formulas
over n = 2^10 … 2^40. :func:`write_report` writes ``report.json`` (byte-identical for identical
inputs: sorted keys, no timestamps), ``report.md``, ``sweep.csv``, PNG plots when matplotlib is
installed, the call graph as DOT, a QREF export and the Microsoft estimator's logical counts.

Costing never enumerates n: bloqs are built from sizes only (``from_sizes``), concrete counts come
from the concrete-size bloq, formulas from the same class built with sympy symbols, and the sweep
substitutes into the formulas (tests check formulas == concrete counts at several sizes).
"""

from __future__ import annotations

import csv
import io
import json
import math
import platform
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import sympy
from qualtran import Bloq

from resource_estimates import classical, physical, published
from resource_estimates.data_model import DataModel
from resource_estimates.logical import (
    CONVENTIONS,
    POST_SELECTION_MODES,
    QRAM_MODELS,
    CostCaches,
    LogicalCounts,
    evaluate,
    logical_counts,
    post_selection_runs,
    readout_shots,
    step_counts,
    to_latex,
)

__all__ = [
    "SCHEMA",
    "Variant",
    "VARIANTS",
    "register_variant",
    "get_variant",
    "ReportParameters",
    "SYMBOLS",
    "build_report",
    "symbolic_costs",
    "refitted_steps",
    "concrete_costs",
    "sweep_rows",
    "default_sweep",
    "write_report",
    "report_json",
    "report_markdown",
    "OUTPUT_FILES",
]

SCHEMA = "qntk-compile-report/1"
DATA_ACCESS = ("qrom", "select_swap", "bucket_brigade")
KNOBS = ("amplitude_bits", "phase_bits", "median_copies", "kernel_bits")
GATE_FIELDS = ("toffoli", "t", "clifford", "rotation", "measurement", "queries")

#: Symbols of the formulas.
SYMBOLS: dict[str, sympy.Symbol] = {
    "n": sympy.Symbol("n", positive=True, integer=True),
    "d": sympy.Symbol("d", positive=True, integer=True),
    "amplitude_bits": sympy.Symbol("b_a", positive=True, integer=True),
    "phase_bits": sympy.Symbol("m", positive=True, integer=True),
    "median_copies": sympy.Symbol("k", positive=True, integer=True),
    "kernel_bits": sympy.Symbol("b_k", positive=True, integer=True),
    "success_probability": sympy.Symbol("p", positive=True),
    "readout_overlap": sympy.Symbol("o", positive=True),
}
SYMBOL_MEANING = {
    "n": "training-set size (padded to a power of two)",
    "d": "feature dimension (padded to a power of two)",
    "b_a": "amplitude_bits: angle bits of the Kerenidis-Prakash loader",
    "m": "phase_bits: amplitude-estimation phase register",
    "k": "median_copies: copies of amplitude estimation for the coherent median",
    "b_k": "kernel_bits: bits of the arccos angle of the kernel value",
    "p": "post-selection success probability P/n (data-dependent)",
    "o": "readout overlap <k*|v> (data-dependent)",
}


@dataclass(frozen=True)
class Variant:
    """A costable variant of Algorithm 1.

    Attributes:
        name: CLI name (``diagonal``, ``sparsified``).
        build: ``build(n=, d=, amplitude_bits=, phase_bits=, median_copies=, kernel_bits=,
            data_access=)`` → the bloq of one coherent run, from sizes only; must accept sympy
            symbols for ``n``, ``d`` and the knobs in ``symbolic_knobs``.
        steps: ``steps(bloq)`` → callee → Algorithm-1 step name (e.g. ``DiagonalNTK.steps()``).
        step_order: step names in report order.
        symbolic_knobs: knobs kept symbolic in the formulas (others fixed at their values).
        description: one line for reports.
        readout: which readout overlap the job needs (``diagonal`` or ``sparsified``).
    """

    name: str
    build: Callable[..., Bloq]
    steps: Callable[[Bloq], Any]
    step_order: tuple[str, ...] = ()
    symbolic_knobs: tuple[str, ...] = KNOBS
    description: str = ""
    readout: str = "diagonal"


VARIANTS: dict[str, Callable[[], Variant]] = {}


def register_variant(name: str, factory: Callable[[], Variant]) -> None:
    """Make a variant available to reports and the CLI (``factory`` imports lazily)."""
    VARIANTS[name] = factory


def get_variant(name: str) -> Variant:
    if name not in VARIANTS:
        known = ", ".join(sorted(VARIANTS)) or "none"
        raise ValueError(f"unknown variant {name!r}; available: {known}")
    return VARIANTS[name]()


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _is_pow2(x: int) -> bool:
    return x >= 1 and x & (x - 1) == 0


@dataclass(frozen=True)
class ReportParameters:
    """Everything a report depends on (besides the data model and the code versions).

    ``n`` and ``d`` are padded sizes (powers of two). ``depth``, ``sparsity``, ``kappa`` and
    ``qlsa_epsilon`` feed the classical baselines (the quantum circuit tabulates the NTK, so the
    depth costs nothing quantum).
    """

    n: int
    d: int
    variant: str = "diagonal"
    data_access: str = "qrom"
    amplitude_bits: int = 8
    phase_bits: int = 6
    median_copies: int = 3
    kernel_bits: int = 8
    post_selection: str = "repeat"
    depth: int = 10
    sparsity: int = 16
    kappa: float = 1.0
    qlsa_epsilon: float = 0.01
    physical: physical.PhysicalAssumptions = field(default_factory=physical.PhysicalAssumptions)
    machine: classical.MachineModel = field(default_factory=classical.MachineModel)
    qram_models: tuple[str, ...] = QRAM_MODELS

    def __post_init__(self):
        _check_int("n", self.n, 2)
        _check_int("d", self.d, 1)
        if not _is_pow2(self.n) or not _is_pow2(self.d):
            raise ValueError(
                f"n and d must be powers of two (padded sizes), got {self.n}, {self.d}"
            )
        for k in ("amplitude_bits", "phase_bits", "kernel_bits"):
            _check_int(k, getattr(self, k), 1)
        _check_int("median_copies", self.median_copies, 1)
        if self.median_copies % 2 == 0:
            raise ValueError(f"median_copies must be odd, got {self.median_copies}")
        _check_int("depth", self.depth, 1)
        _check_int("sparsity", self.sparsity, 1)
        if self.data_access not in DATA_ACCESS:
            raise ValueError(f"unknown data access {self.data_access!r}; choose from {DATA_ACCESS}")
        if self.post_selection not in POST_SELECTION_MODES:
            raise ValueError(
                f"unknown post-selection {self.post_selection!r}; "
                f"choose from {POST_SELECTION_MODES}"
            )
        if (
            not (isinstance(self.kappa, (int, float)) and math.isfinite(self.kappa))
            or self.kappa < 1
        ):
            raise ValueError(f"kappa must be >= 1, got {self.kappa!r}")
        if not 0 < self.qlsa_epsilon < 1:
            raise ValueError(f"qlsa_epsilon must be in (0, 1), got {self.qlsa_epsilon!r}")
        if not self.qram_models or any(m not in QRAM_MODELS for m in self.qram_models):
            raise ValueError(f"qram models must be a non-empty subset of {QRAM_MODELS}")

    def sizes(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "d": self.d,
            "amplitude_bits": self.amplitude_bits,
            "phase_bits": self.phase_bits,
            "median_copies": self.median_copies,
            "kernel_bits": self.kernel_bits,
            "data_access": self.data_access,
        }

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["physical"] = self.physical.as_dict()
        out["machine"] = self.machine.as_dict()
        out["qram_models"] = list(self.qram_models)
        return out


# ---------------------------------------------------------------- costing


@lru_cache(maxsize=16)
def _caches(name: str, data_access: str, d: int, knobs: tuple, qram: str) -> CostCaches:
    """Cost caches shared by every size of one configuration (sub-bloqs independent of n are
    costed once per process)."""
    return CostCaches()


def _knob_tuple(params: ReportParameters) -> tuple:
    return tuple((k, getattr(params, k)) for k in KNOBS)


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
    sizes = params.sizes()
    if n is not None:
        sizes["n"] = n
    bloq = variant.build(**sizes)
    caches = _caches(params.variant, params.data_access, params.d, _knob_tuple(params), qram)
    run = logical_counts(bloq, qram, caches=caches, qubits=qubits)
    per_step = None
    if steps:
        per_step = step_counts(
            bloq, variant.steps(bloq), qram, order=variant.step_order, caches=caches, qubits=qubits
        )
    return bloq, run, per_step


#: Sizes at which a symbolic step formula is compared with the concrete counts (log2 n), the
#: sizes a replacement polynomial in log2 n is fitted on, and the sizes it is verified at.
_PROBE_LOG2N = (5, 9, 12)
_FIT_LOG2N = (4, 5, 6, 7, 8, 9)
_VERIFY_LOG2N = (12, 20, 30, 40)
_DEFAULT_SYMBOLIC_KNOBS = {
    "amplitude_bits": 8,
    "phase_bits": 6,
    "median_copies": 3,
    "kernel_bits": 8,
}
_OTHER_SYMBOLIC_KNOBS = {"amplitude_bits": 6, "phase_bits": 4, "median_copies": 5, "kernel_bits": 6}


def _concrete_fields(
    name, data_access, qram, d, knobs, n, only: frozenset | None = None
) -> dict[str, dict[str, int]]:
    """Concrete gate counts per step at n (only the steps in ``only``, when the variant gives a
    step partition)."""
    variant = get_variant(name)
    params = ReportParameters(n=n, d=d, variant=name, data_access=data_access, **knobs)
    bloq = variant.build(**params.sizes())
    partition = variant.steps(bloq)
    if only is not None and isinstance(partition, Mapping):
        partition = {k: v for k, v in partition.items() if k in only}
    caches = _caches(name, data_access, d, _knob_tuple(params), qram)
    steps = step_counts(
        bloq, partition, qram, order=variant.step_order, caches=caches, qubits=False
    )
    return {step: {f: getattr(c, f) for f in GATE_FIELDS} for step, c in steps.items()}


@lru_cache(maxsize=32)
def _symbolic_cached(name: str, data_access: str, qram: str, d: int, fixed: tuple):
    """Formulas of the run and its steps; see :func:`symbolic_costs`."""
    variant = get_variant(name)
    sizes = {"n": SYMBOLS["n"], "d": d, "data_access": data_access}
    for k in KNOBS:
        sizes[k] = SYMBOLS[k] if k in variant.symbolic_knobs else dict(fixed)[k]
    bloq = variant.build(**sizes)
    caches = CostCaches()
    run = logical_counts(bloq, qram, caches=caches, qubits=False)
    steps = step_counts(
        bloq, variant.steps(bloq), qram, order=variant.step_order, caches=caches, qubits=False
    )
    fitted = _refit_mismatched(name, data_access, qram, d, dict(fixed), variant, steps)
    if fitted:
        steps = {**steps, **fitted}
        total = LogicalCounts()
        for c in steps.values():
            total = total + replace(c, qubits=0)
        run = replace(total, qubits=None)
    return run, steps, tuple(sorted(fitted))


def _knobs_for(variant: Variant, fixed: Mapping[str, int], symbolic_values: Mapping[str, int]):
    return {k: (symbolic_values[k] if k in variant.symbolic_knobs else fixed[k]) for k in KNOBS}


def _refit_mismatched(name, data_access, qram, d, fixed, variant, steps) -> dict:
    """Replace step formulas that do not equal the concrete counts by exact polynomials in
    ⌈log2 n⌉, fitted on small n and verified at large n and at other knob values.

    Why: a loader over n rows has log2 n levels, symbolic when n is; its symbolic call graph sums
    the per-level data accesses in closed form by inlining their gates, so those accesses are
    invisible to the unit-cost model and to the query count (the concrete bloq is exact). Only
    counts that are polynomials in log2 n independent of the symbolic knobs can be repaired; any
    other mismatch is left as is (and flagged in the report).
    """
    base = _knobs_for(variant, fixed, _DEFAULT_SYMBOLIC_KNOBS)
    subs_base = {SYMBOLS[k]: v for k, v in base.items()}
    probes = {e: _concrete_fields(name, data_access, qram, d, base, 2**e) for e in _PROBE_LOG2N}
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
    fits = {e: _concrete_fields(name, data_access, qram, d, base, 2**e, only) for e in _FIT_LOG2N}
    other = _knobs_for(variant, fixed, _OTHER_SYMBOLIC_KNOBS)
    checks = [(base, e) for e in _VERIFY_LOG2N] + [(other, e) for e in (10, 30)]
    check_vals = {
        (tuple(sorted(kn.items())), e): _concrete_fields(name, data_access, qram, d, kn, 2**e, only)
        for kn, e in checks
    }
    out = {}
    for step, fields_bad in bad.items():
        new = {}
        for f in fields_bad:
            poly = sympy.expand(sympy.interpolate([(e, fits[e][step][f]) for e in _FIT_LOG2N], ell))
            ok = all(poly.subs(ell, e) == vals[step][f] for (kn, e), vals in check_vals.items())
            if not ok:
                break
            new[f] = poly.subs(ell, log2n)
        else:
            out[step] = replace(steps[step], **new)
    return out


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
    fixed = tuple(sorted((k, int(knobs[k])) for k in KNOBS if k not in v.symbolic_knobs))
    return _symbolic_cached(variant, data_access, qram, int(d), fixed)


def _subs_values(params: ReportParameters, n: int | None = None) -> dict[sympy.Symbol, int]:
    vals = {SYMBOLS["n"]: params.n if n is None else n, SYMBOLS["d"]: params.d}
    for k in KNOBS:
        vals[SYMBOLS[k]] = getattr(params, k)
    return vals


def _num(x: Any) -> Any:
    """JSON-ready number: int when integral (exact), else float."""
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, sympy.Basic):
        x = evaluate(x, {})
        if isinstance(x, sympy.Basic):
            return str(x)
        return _num(x)
    if isinstance(x, float):
        if math.isfinite(x) and x == int(x) and abs(x) < 2**53:
            return int(x)
        return x
    return x


def _counts_dict(c: LogicalCounts) -> dict[str, Any]:
    d = {k: _num(v) for k, v in c.as_dict().items()}
    return d


def _formula(expr: Any) -> dict[str, str]:
    return dict(_formula_cached(sympy.sympify(expr)))


@lru_cache(maxsize=4096)
def _formula_cached(e: sympy.Basic) -> tuple:
    """Printing is slow (~2 ms an expression) and formulas do not depend on n: cache it."""
    return (("expr", str(e)), ("latex", to_latex(e)))


def _formula_dict(c: LogicalCounts) -> dict[str, dict[str, str]]:
    return {k: _formula(v) for k, v in c.as_dict().items() if v is not None}


def _job_factor_symbolic(mode: str):
    p = SYMBOLS["success_probability"]
    o = SYMBOLS["readout_overlap"]
    return readout_shots(o) * post_selection_runs(p, mode)


# ---------------------------------------------------------------- report


def _versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {"python": platform.python_version()}
    for dist in ("qntk-compile", "qualtran", "sympy", "qdk"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def _git_revision() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        if rev.returncode != 0:
            return {"revision": "unknown", "dirty": None}
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return {"revision": rev.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"revision": "unknown", "dirty": None}


def _per_query(circuit: LogicalCounts, unit: LogicalCounts) -> dict[str, Any]:
    """Average gates of one data-access query in the circuit model."""
    q = circuit.queries
    if not q:
        return {"queries": 0}
    return {
        "queries": _num(q),
        "toffoli_per_query": _num(sympy.Rational(circuit.toffoli - unit.toffoli, q)),
        "t_count_per_query": _num(sympy.Rational(circuit.t_count - unit.t_count, q)),
    }


def _published_beside(params: ReportParameters, per_query: Mapping[str, Any]) -> dict:
    n = params.n
    b = params.amplitude_bits
    block = 2 ** max(0, round(math.log2(max(1.0, math.sqrt(n / b)))))
    out: dict[str, Any] = {
        "data_access_query_ours": per_query,
        "qrom_unary_iteration_toffolis_n_items": {
            "value": published.qrom_unary_iteration_toffolis(n),
            "source": published.CITATIONS["qrom"],
        },
        "qroam_clean_toffolis_n_items": {
            "value": _num(published.qroam_clean_toffolis(n, b, block)),
            "block_size": block,
            "bitsize": b,
            "source": published.CITATIONS["qroam_clean"],
        },
        "bucket_brigade_n_cells": {
            **{
                k: _num(v)
                for k, v in asdict(published.bucket_brigade_di_matteo(int(math.log2(n)))).items()
            },
            "source": published.CITATIONS["bucket_brigade"],
        },
        "amplitude_estimation_error_bound_p_half": {
            "value": published.amplitude_estimation_error_bound(0.5, 2**params.phase_bits),
            "evaluations": 2**params.phase_bits,
            "success_probability": published.amplitude_estimation_success_probability(1),
            "source": published.CITATIONS["amplitude_estimation"],
        },
        "phase_gradient_rotation_toffolis": {
            "value": published.phase_gradient_rotation_toffolis(params.kernel_bits),
            "bits": params.kernel_bits,
            "source": published.CITATIONS["phase_gradient"],
        },
        "ross_selinger_t_per_rotation_eps_1e-10": {
            "value": published.ross_selinger_t_count(1e-10),
            "source": published.CITATIONS["ross_selinger"],
        },
        "qlsa_queries": {
            "kappa": params.kappa,
            "epsilon": params.qlsa_epsilon,
            "costa": _num(published.qlsa_costa_queries(params.kappa, params.qlsa_epsilon)),
            "dalzell": _num(published.qlsa_dalzell_queries(params.kappa, params.qlsa_epsilon)),
            "source": published.CITATIONS["qlsa_costa"]
            + "; "
            + published.CITATIONS["qlsa_dalzell"],
            "note": "QLSA block-encoding queries (sparsified variant; not in a diagonal run)",
        },
    }
    return out


def _slope(a: float, b: float, n1: int, n2: int) -> float | None:
    if not a or not b or a <= 0 or b <= 0:
        return None
    return math.log(b / a) / math.log(n2 / n1)


def _job_factor(data: DataModel, n: int, mode: str) -> float:
    dq = data.at(n)
    return readout_shots(dq["readout_overlap"].value) * post_selection_runs(
        dq["success_probability"].value, mode
    )


def _formula_check(sym: LogicalCounts, conc: LogicalCounts, subs) -> dict[str, bool]:
    got = sym.subs(subs)
    return {f: got.as_dict()[f] == conc.as_dict()[f] for f in GATE_FIELDS}


def build_report(
    params: ReportParameters, data: DataModel, sweep: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (deterministic for identical inputs).

    ``sweep`` (rows of :func:`sweep_rows`) adds the crossover n against the classical baselines
    on the sweep's grid; without it the crossover is reported as not computed.
    """
    variant = get_variant(params.variant)
    dq = data.at(params.n)
    p = dq["success_probability"].value
    o = dq["readout_overlap"].value
    runs = post_selection_runs(p, params.post_selection)
    shots = readout_shots(o)
    factor = shots * runs
    knobs = {k: getattr(params, k) for k in KNOBS}
    subs = _subs_values(params)

    logical: dict[str, Any] = {}
    formulas: dict[str, Any] = {
        "symbols": {str(s): SYMBOL_MEANING[str(s)] for s in SYMBOLS.values() if str(s) != "d"},
        "symbolic_knobs": list(variant.symbolic_knobs),
        "fixed": {
            "d": params.d,
            **{k: knobs[k] for k in KNOBS if k not in variant.symbolic_knobs},
        },
        "qubits": "concrete only (see symbolic_costs)",
        "job_factor": _formula(_job_factor_symbolic(params.post_selection)),
    }
    physical_out: dict[str, Any] = {"assumptions": params.physical.as_dict()}
    runs_counts: dict[str, LogicalCounts] = {}
    conclusions: list[dict[str, Any]] = []
    bloq = None
    for qram in params.qram_models:
        bloq, run, steps = concrete_costs(params, qram)
        runs_counts[qram] = run
        job = run.repeated(factor)
        total = sum((c.toffoli for c in steps.values()), 0)
        logical[qram] = {
            "run": _counts_dict(run),
            "steps": {
                name: {
                    **_counts_dict(c),
                    "toffoli_share": float(c.toffoli / total) if total else 0.0,
                }
                for name, c in steps.items()
            },
            "job": _counts_dict(job),
        }
        try:
            s_run, s_steps = symbolic_costs(
                params.variant, params.data_access, qram, params.d, knobs
            )
        except (ValueError, TypeError) as exc:
            # e.g. SelectSwapQROM over a symbolic number of loader levels cannot be summed
            formulas[qram] = {"status": "unavailable", "reason": " ".join(str(exc).split())}
        else:
            formulas[qram] = {
                "status": "ok",
                "fitted_steps": list(
                    refitted_steps(params.variant, params.data_access, qram, params.d, knobs)
                ),
                "run": _formula_dict(s_run),
                "steps": {name: _formula_dict(c) for name, c in s_steps.items()},
                "job": _formula_dict(s_run.repeated(_job_factor_symbolic(params.post_selection))),
                "matches_concrete_at_parameters": {
                    "run": _formula_check(s_run, run, subs),
                    "steps": {
                        name: _formula_check(s_steps[name], c, subs)
                        for name, c in steps.items()
                        if name in s_steps
                    },
                },
            }
        est = physical.physical_estimates(run, params.physical)
        for res in est.values():
            if res.get("status") == "ok":
                res["job_runtime_hours"] = res["runtime_hours"] * factor
        physical_out[qram] = {"run": est, "runs_in_job": _num(factor)}
        conclusions.extend(_scaling_conclusions(params, data, qram))
        gf = est["gidney_fowler"]
        conclusions.append(
            {
                "qram_model": qram,
                "claim": f"one coherent run at n = 2^{int(math.log2(params.n))} has a valid "
                "Gidney-Fowler surface-code layout",
                "holds": gf.get("status") == "ok",
                "evidence": gf.get("message", "") or f"{gf.get('physical_qubits')} physical qubits",
            }
        )

    classical_out = classical.classical_costs(
        params.n,
        params.d,
        params.depth,
        params.sparsity,
        params.kappa,
        params.qlsa_epsilon,
        params.machine,
    )
    classical_out["machine"] = params.machine.as_dict()
    formulas["classical_flops"] = _classical_formulas()
    classical_out["crossover"] = _crossover(params, sweep)
    for qram, x in classical_out["crossover"].get("n", {}).items():
        for method, n_x in x.items():
            conclusions.append(
                {
                    "qram_model": qram,
                    "claim": f"the quantum job beats the classical {method} NTK within the sweep",
                    "holds": n_x is not None,
                    "evidence": (
                        f"first at n = 2^{int(math.log2(n_x))}" if n_x else "not in the sweep"
                    )
                    + f" ({params.machine.name}; Beverland runtime model)",
                }
            )
    per_query = (
        _per_query(runs_counts["circuit"], runs_counts["unit_cost"])
        if {"circuit", "unit_cost"} <= set(runs_counts)
        else {}
    )
    return {
        "schema": SCHEMA,
        "tool": {"versions": _versions(), "git": _git_revision()},
        "parameters": params.as_dict(),
        "variant": {"name": variant.name, "description": variant.description},
        "data": {
            "source": data.source,
            **{k: v.as_dict() for k, v in dq.items()},
            "post_selection_runs": _num(runs),
            "readout_shots": _num(shots),
        },
        "conventions": dict(CONVENTIONS),
        "logical": logical,
        "formulas": formulas,
        "physical": physical_out,
        "classical": classical_out,
        "published": _published_beside(params, per_query),
        "conclusions": conclusions,
        "call_graph_root": str(bloq),
    }


@lru_cache(maxsize=1)
def _classical_formulas_cached() -> tuple:
    n, d = SYMBOLS["n"], sympy.Symbol("d", positive=True, integer=True)
    L, s_, kappa, eps = sympy.symbols("L s kappa epsilon", positive=True)
    return (
        ("exact", _formula(classical.exact_ntk_flops(n, d, L))),
        ("cg_sparse", _formula(classical.cg_sparse_flops(n, d, L, s_, kappa, eps))),
        ("diagonal", _formula(classical.diagonal_ntk_flops(n, d, L))),
    )


def _classical_formulas() -> dict[str, Any]:
    """Classical flop counts as formulas in n, d, the depth L, s, kappa and epsilon."""
    return {k: dict(v) for k, v in _classical_formulas_cached()}


def _scaling_conclusions(params: ReportParameters, data: DataModel, qram: str) -> list[dict]:
    """Polylog claims, judged by the growth exponent between n = 2^30 and 2^40 (concrete)."""
    n1, n2 = 2**30, 2**40
    r1 = concrete_costs(params, qram, n1, steps=False, qubits=False)[1].toffoli
    r2 = concrete_costs(params, qram, n2, steps=False, qubits=False)[1].toffoli
    j1 = r1 * _job_factor(data, n1, params.post_selection)
    j2 = r2 * _job_factor(data, n2, params.post_selection)
    sr, sj = _slope(r1, r2, n1, n2), _slope(j1, j2, n1, n2)
    return [
        {
            "qram_model": qram,
            "claim": "one coherent run costs polylog(n) Toffolis",
            "holds": bool(sr is not None and sr < 0.1),
            "evidence": f"Toffolis per run grow as n^{sr:.3f} between n = 2^30 and 2^40",
        },
        {
            "qram_model": qram,
            "claim": "the whole job (post-selection x readout shots x run) costs polylog(n)",
            "holds": bool(sj is not None and sj < 0.1),
            "evidence": f"job Toffolis grow as n^{sj:.3f} between n = 2^30 and 2^40 "
            f"(data: {data.source})",
        },
    ]


def _crossover(params: ReportParameters, sweep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "quantum_time_model": (
            "job = readout shots x post-selection runs x one coherent run; run time from the "
            "Beverland et al. model (Qualtran) at that n, data quantities at that n"
        ),
    }
    if not sweep:
        out["status"] = "not computed (no sweep)"
        return out
    out["status"] = "ok"
    ns = sorted({r["n"] for r in sweep})
    out["grid"] = [ns[0], ns[-1]]
    out["n"] = {}
    for qram in params.qram_models:
        rows = {r["n"]: r for r in sweep if r["qram_model"] == qram}
        out["n"][qram] = {}
        for method, col in (
            ("diagonal", "classical_diagonal_seconds"),
            ("cg_sparse", "classical_cg_seconds"),
            ("exact", "classical_exact_seconds"),
        ):
            hit = None
            for n_ in ns:
                r = rows.get(n_)
                q = r and r["job_hours_beverland"]
                if q is not None and q * 3600 < r[col]:
                    hit = n_
                    break
            out["n"][qram][method] = hit
    return out


# ---------------------------------------------------------------- sweep


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
)


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
        _check_int("sweep n", n_, 2)
        if not _is_pow2(n_):
            raise ValueError(f"sweep sizes must be powers of two, got {n_}")
    rows = []
    for qram in params.qram_models:
        for n_ in ns:
            run = concrete_costs(params, qram, n_, steps=False)[1]
            dq = data.at(n_)
            p = dq["success_probability"].value
            o = dq["readout_overlap"].value
            f = readout_shots(o) * post_selection_runs(p, params.post_selection)
            gf = physical.gidney_fowler_from_error_budget(run, params.physical)
            bv = physical.beverland(run, params.physical)
            cl = classical.classical_costs(
                n_,
                params.d,
                params.depth,
                params.sparsity,
                params.kappa,
                params.qlsa_epsilon,
                params.machine,
            )
            rows.append(
                {
                    "n": n_,
                    "qram_model": qram,
                    "run_toffoli": _num(run.toffoli),
                    "run_t_count": _num(run.t_count),
                    "run_rotation": _num(run.rotation),
                    "run_qubits": _num(run.qubits),
                    "run_queries": _num(run.queries),
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


# ---------------------------------------------------------------- writers


def report_json(report: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, two-space indent, trailing newline."""
    return (
        json.dumps(report, sort_keys=True, indent=2, allow_nan=False, default=_json_default) + "\n"
    )


def _json_default(x):
    if isinstance(x, sympy.Basic):
        return str(x)
    if isinstance(x, (set, tuple)):
        return list(x)
    raise TypeError(f"not JSON serialisable: {type(x).__name__}")


def _fmt(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}" if abs(x) < 10**15 else f"{x:.3e}"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def report_markdown(report: Mapping[str, Any]) -> str:
    """A human-readable summary of ``report.json`` (same numbers)."""
    P = report["parameters"]
    L = []
    L.append(f"# QNTK resource report: {report['variant']['name']} NTK, n = {_fmt(P['n'])}")
    L.append("")
    L.append(report["variant"]["description"])
    L.append("")
    L.append(
        f"n = {_fmt(P['n'])} (2^{int(math.log2(P['n']))}), d = {P['d']}, data access "
        f"`{P['data_access']}`, amplitude_bits = {P['amplitude_bits']}, phase_bits = "
        f"{P['phase_bits']}, median_copies = {P['median_copies']}, kernel_bits = "
        f"{P['kernel_bits']}, post-selection `{P['post_selection']}`."
    )
    git = report["tool"]["git"]
    L.append(
        f"Code: qntk-compile {report['tool']['versions']['qntk-compile']}, "
        f"Qualtran {report['tool']['versions']['qualtran']}, git {git['revision'][:12]}."
    )
    L.append("")
    L.append("## Data-dependent quantities")
    L.append("")
    L.append("| quantity | value | status | detail |")
    L.append("|---|---|---|---|")
    D = report["data"]
    for k in ("success_probability", "readout_overlap", "delta"):
        L.append(f"| {k} | {_fmt(D[k]['value'])} | {D[k]['status']} | {D[k]['detail']} |")
    L.append(f"| post-selection runs per success | {_fmt(D['post_selection_runs'])} | | |")
    L.append(f"| readout shots | {_fmt(D['readout_shots'])} | | |")
    L.append("")
    L.append("## Logical counts")
    for qram, block in report["logical"].items():
        L.append("")
        L.append(f"### {qram.replace('_', '-')} QRAM")
        L.append("")
        L.append(
            "| step | Toffoli | T-count | rotations | measurements | qubits | queries | "
            "Toffoli share |"
        )
        L.append("|---|---|---|---|---|---|---|---|")
        for name, c in block["steps"].items():
            L.append(
                f"| {name} | {_fmt(c['toffoli'])} | {_fmt(c['t_count'])} | {_fmt(c['rotation'])} "
                f"| {_fmt(c['measurement'])} | {_fmt(c['qubits'])} | {_fmt(c['queries'])} | "
                f"{c['toffoli_share']:.1%} |"
            )
        for label in ("run", "job"):
            c = block[label]
            L.append(
                f"| **{label}** | {_fmt(c['toffoli'])} | {_fmt(c['t_count'])} | "
                f"{_fmt(c['rotation'])} | {_fmt(c['measurement'])} | {_fmt(c['qubits'])} | "
                f"{_fmt(c['queries'])} | |"
            )
        F = report["formulas"][qram]
        L.append("")
        if F["status"] != "ok":
            L.append(f"Formulas unavailable: {F['reason']}")
            continue
        L.append("Formulas (one coherent run):")
        L.append("")
        if F.get("fitted_steps"):
            L.append(
                f"(steps {', '.join(F['fitted_steps'])}: exact polynomials in log2 n fitted to the "
                "concrete counts and verified up to n = 2^40, see report_fields.md)"
            )
            L.append("")
        chk = F["matches_concrete_at_parameters"]
        for f in ("toffoli", "t_count", "rotation", "queries"):
            ok = chk["run"].get(
                f, all(chk["run"].get(g, False) for g in ("toffoli", "t", "rotation"))
            )
            flag = "" if ok else " (does not equal the concrete count here: see report_fields.md)"
            L.append(f"- {f}{flag}: $${F['run'][f]['latex']}$$")
    L.append("")
    L.append("## Physical estimates (one coherent run; job = runs in job x run)")
    for qram, block in report["physical"].items():
        if qram == "assumptions":
            continue
        L.append("")
        L.append(f"### {qram.replace('_', '-')} QRAM (runs in job: {_fmt(block['runs_in_job'])})")
        L.append("")
        L.append(
            "| model | status | physical qubits | run hours | job hours | code distance | note |"
        )
        L.append("|---|---|---|---|---|---|---|")
        for m, r in block["run"].items():
            note = r.get("message") or r.get("physical_qubits_note") or ""
            L.append(
                f"| {m} | {r['status']} | {_fmt(r.get('physical_qubits'))} | "
                f"{_fmt(r.get('runtime_hours'))} | {_fmt(r.get('job_runtime_hours'))} | "
                f"{_fmt(r.get('code_distance'))} | {note} |"
            )
    A = report["physical"]["assumptions"]
    L.append("")
    L.append(
        f"Assumptions: physical error rate {A['physical_error_rate']}, cycle time "
        f"{A['cycle_time_us']} us (Gidney-Fowler), error budget {A['error_budget']} per run, "
        f"Microsoft qubit model `{A['msft_qubit']}`."
    )
    C = report["classical"]
    L.append("")
    L.append(f"## Classical baseline ({C['machine']['name']})")
    L.append("")
    L.append("| method | flops | seconds | memory bytes | fits |")
    L.append("|---|---|---|---|---|")
    for m in classical.METHODS:
        c = C[m]
        L.append(
            f"| {m} | {_fmt(c['flops'])} | {_fmt(c['seconds'])} | "
            f"{_fmt(c['memory_bytes'])} | {_fmt(c['fits_in_memory'])} |"
        )
    L.append("")
    X = C["crossover"]
    if X["status"] != "ok":
        L.append(f"Crossover: {X['status']}.")
    for qram, x in X.get("n", {}).items():
        L.append(
            f"- first n where the quantum job is faster ({qram} QRAM): vs diagonal "
            f"{_fmt(x['diagonal'])}, vs CG on the sparsified NTK {_fmt(x['cg_sparse'])}, vs exact "
            f"{_fmt(x['exact'])} (grid {X['grid']})"
        )
    L.append("")
    L.append("## Conclusions and the QRAM model they survive")
    L.append("")
    L.append("| QRAM model | claim | holds | evidence |")
    L.append("|---|---|---|---|")
    for c in report["conclusions"]:
        L.append(f"| {c['qram_model']} | {c['claim']} | {_fmt(c['holds'])} | {c['evidence']} |")
    L.append("")
    L.append("## Published figures beside ours")
    L.append("")
    for k, v in report["published"].items():
        L.append(f"- {k}: {json.dumps(v, sort_keys=True, default=str)}")
    L.append("")
    L.append("## Conventions")
    L.append("")
    for k, v in report["conventions"].items():
        L.append(f"- {k}: {v}")
    L.append("")
    L.append("Every field is explained in `docs/report_fields.md`.")
    return "\n".join(L) + "\n"


OUTPUT_FILES = (
    "report.json",
    "report.md",
    "sweep.csv",
    "callgraph.dot",
    "qref.json",
    "msft_logical_counts.json",
)


def call_graph_dot(bloq: Bloq, max_depth: int = 3) -> str:
    """The call graph of ``bloq`` (to ``max_depth``) as Graphviz DOT, deterministic order."""
    from qualtran.resource_counting import get_bloq_call_graph

    g, _ = get_bloq_call_graph(bloq, max_depth=max_depth)
    names = sorted({str(b) for b in g.nodes})
    ids = {name: f"b{i}" for i, name in enumerate(names)}
    lines = ["digraph callgraph {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for name in names:
        label = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'  {ids[name]} [label="{label}"];')
    edges = sorted(
        {(str(a), str(b), str(g.edges[a, b].get("n", ""))) for a, b in g.edges},
    )
    for a, b, k in edges:
        k = k.replace('"', '\\"')
        lines.append(f'  {ids[a]} -> {ids[b]} [label="{k}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def qref_json(bloq: Bloq) -> str:
    from qualtran.qref_interop import bloq_to_qref

    return bloq_to_qref(bloq).model_dump_json(indent=1) + "\n"


def write_report(
    report: Mapping[str, Any],
    out: str | Path,
    *,
    force: bool = False,
    sweep: Sequence[Mapping[str, Any]] | None = None,
    bloq: Bloq | None = None,
    plots: bool = True,
) -> list[Path]:
    """Write the report files into ``out``; refuses an existing ``out`` unless ``force``.

    Everything is rendered in memory first, so a failure writes nothing.
    """
    out = Path(out)
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; use --force to overwrite")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a directory")
    files: dict[str, str] = {
        "report.json": report_json(report),
        "report.md": report_markdown(report),
    }
    if sweep is not None:
        files["sweep.csv"] = sweep_csv(sweep)
    from resource_estimates.physical import msft_logical_counts

    files["msft_logical_counts.json"] = (
        json.dumps(
            {
                qram: msft_logical_counts(
                    LogicalCounts(
                        **{
                            k: v
                            for k, v in report["logical"][qram]["run"].items()
                            if k
                            in (
                                "toffoli",
                                "t",
                                "clifford",
                                "rotation",
                                "measurement",
                                "qubits",
                                "queries",
                            )
                        }
                    )
                )
                for qram in report["logical"]
            },
            sort_keys=True,
            indent=2,
        )
        + "\n"
    )
    if bloq is not None:
        files["callgraph.dot"] = call_graph_dot(bloq)
        files["qref.json"] = qref_json(bloq)
    images = _render_plots(report, sweep) if plots else {}
    out.mkdir(parents=True, exist_ok=True)
    # --force over an earlier report: drop its outputs that this run does not rewrite (e.g. PNGs
    # after --no-plots), so the directory never mixes two reports. Other files are left alone.
    for name in REPORT_FILES:
        if name not in files and name not in images and (out / name).is_file():
            (out / name).unlink()
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    for name, data in images.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


PLOT_FILES = (
    "counts_vs_n.png",
    "step_shares.png",
    "physical_qubits_vs_runtime.png",
    "quantum_vs_classical.png",
)
REPORT_FILES = (
    "report.json",
    "report.md",
    "sweep.csv",
    "msft_logical_counts.json",
    "callgraph.dot",
    "qref.json",
) + PLOT_FILES


def _render_plots(report, sweep) -> dict[str, bytes]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}
    out = {}
    meta = {"Software": None}

    def save(fig, name):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata=meta)
        plt.close(fig)
        out[name] = buf.getvalue()

    models = list(report["logical"])
    if sweep:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for qram in models:
            rows = [r for r in sweep if r["qram_model"] == qram]
            ns = [r["n"] for r in rows]
            ax.loglog(ns, [max(r["run_toffoli"], 1) for r in rows], "-", label=f"run, {qram}")
            ax.loglog(ns, [max(r["job_toffoli"], 1) for r in rows], "--", label=f"job, {qram}")
        ax.set_xlabel("n")
        ax.set_ylabel("Toffoli-like gates")
        ax.set_title("Logical counts vs n")
        ax.legend()
        save(fig, "counts_vs_n.png")

        fig, ax = plt.subplots(figsize=(7, 4.5))
        for qram in models:
            rows = [r for r in sweep if r["qram_model"] == qram and r["gf_status"] == "ok"]
            if rows:
                ax.loglog(
                    [r["gf_run_hours"] for r in rows],
                    [r["gf_physical_qubits"] for r in rows],
                    "o-",
                    label=f"Gidney-Fowler, {qram}",
                )
            rows = [r for r in sweep if r["qram_model"] == qram and r["beverland_status"] == "ok"]
            if rows:
                ax.loglog(
                    [r["beverland_run_hours"] for r in rows],
                    [r["beverland_data_qubits"] for r in rows],
                    "s--",
                    label=f"Beverland (data only), {qram}",
                )
        ax.set_xlabel("one coherent run, hours")
        ax.set_ylabel("physical qubits")
        ax.set_title("Physical qubits vs runtime over the sweep")
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
        save(fig, "physical_qubits_vs_runtime.png")

        fig, ax = plt.subplots(figsize=(7, 4.5))
        ns = sorted({r["n"] for r in sweep})
        first = [r for r in sweep if r["qram_model"] == models[0]]
        ax.loglog(
            ns, [r["classical_diagonal_seconds"] for r in first], "k-", label="classical diagonal"
        )
        ax.loglog(ns, [r["classical_exact_seconds"] for r in first], "k--", label="classical exact")
        for qram in models:
            rows = [r for r in sweep if r["qram_model"] == qram and r["job_hours_beverland"]]
            if rows:
                ax.loglog(
                    [r["n"] for r in rows],
                    [r["job_hours_beverland"] * 3600 for r in rows],
                    "o-",
                    label=f"quantum job, {qram}",
                )
        ax.set_xlabel("n")
        ax.set_ylabel("seconds")
        ax.set_title("Quantum (Beverland runtime) vs classical")
        ax.legend()
        save(fig, "quantum_vs_classical.png")

    fig, axes = plt.subplots(1, len(models), figsize=(6 * len(models), 4.5), squeeze=False)
    for ax, qram in zip(axes[0], models, strict=True):
        steps = report["logical"][qram]["steps"]
        names = list(steps)
        ax.barh(names, [steps[s]["toffoli_share"] for s in names])
        ax.set_xlim(0, 1)
        ax.set_title(f"Toffoli share per step, {qram} QRAM")
    fig.tight_layout()
    save(fig, "step_shares.png")
    return out


# ---------------------------------------------------------------- variants


def _diagonal_variant() -> Variant:
    from bloqs.ntk.diagonal_ntk import STEPS, DiagonalNTK

    return Variant(
        name="diagonal",
        build=lambda **sizes: DiagonalNTK.from_sizes(**sizes),
        steps=lambda bloq: bloq.step_counts(),
        step_order=tuple(STEPS),
        # amplitude_bits and phase_bits stay concrete: with concrete angles Qualtran compiles
        # some rotations (Ry of the tree, the inverse QFT's phases) to T/Clifford gates, with
        # symbolic ones it counts them as rotations, so those formulas would not equal the
        # concrete counts (the Toffoli counts would).
        symbolic_knobs=("median_copies", "kernel_bits"),
        description=(
            "Algorithm 1 lines 7-12 (DiagonalNTK): PrepareTestKernel (amplitude estimation of the "
            "Hadamard-test overlap x*.x_i, coherent median, kernel lookup, arccos rotation) and "
            "the Hadamard-test readout against the label state; one coherent run = one readout "
            "shot with post-selection on the kernel flag."
        ),
    )


def _sparsified_variant() -> Variant:
    import importlib.util

    if importlib.util.find_spec("bloqs.ntk.sparsified_ntk") is None:
        raise ValueError("variant 'sparsified' is not available yet (bloqs.ntk.sparsified_ntk)")
    raise ValueError("variant 'sparsified' is not wired into reports yet")


register_variant("diagonal", _diagonal_variant)
register_variant("sparsified", _sparsified_variant)
