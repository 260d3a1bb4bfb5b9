"""Logical resource counts: per bloq, per Algorithm-1 step, per coherent run and per job.

Conventions (``docs/report_fields.md``, Conventions; every report quotes :data:`CONVENTIONS`):

* **Toffoli-like** = ``And`` + ``Toffoli`` + ``CSwap`` of Qualtran's ``QECGatesCost``.
* **T-count** = ``GateCounts.total_t_count()`` with its defaults: 4 T per Toffoli-like gate, bare T
  gates as they are, 11 T per arbitrary rotation (Qualtran's default, "mixed fallback" synthesis
  at 10⁻³; Ross–Selinger would be ≈ 3·log2(1/ε), see :mod:`resource_estimates.published.figures`).
* **Qubits** = Qualtran's ``QubitCount`` (peak width of the sequential decomposition).
* **QRAM models**, both always computed:

  - ``"circuit"``: every gate of the data-access circuit (QROM, QROAM, bucket brigade) counted,
    O(N) gates per query;
  - ``"unit_cost"``: each data-access query counted as one oracle call (the paper's assumption):
    its gates are removed from the gate counts, its qubits from the width (only its registers
    remain), and the number of queries is reported instead.

Data-access bloqs are recognised by :func:`is_data_access`: Qualtran's ``QROMBase`` family
(``QROM``, ``SelectSwapQROM``, ``QROAMClean`` and adjoints), the QRAMs of ``bloqs.qram``
(``BucketBrigadeQRAM``, ``OneHotDecoderQRAM``; by class name, so this module does not import
``bloqs``), and ``Adjoint`` / ``Controlled`` wrappers of any of them.

Whole-job counts (:func:`job_counts`) multiply one coherent run by

* the post-selection factor: ``"repeat"`` — expected n/P runs per success (the paper's count,
  Algorithm 1 step 4), or ``"amplitude_amplification"`` — 2⌈(π/4)·√(n/P)⌉ + 1 applications of the
  run (the reflections' own O(log n) gates are not counted);
* the readout shots ≈ 1/⟨k*|v⟩² (sign estimation, Algorithm 1 step 11/19).

Amplitude estimation and the median copies are inside the coherent run (they are bloqs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import sympy
from qualtran import (
    Bloq,
)
from qualtran.resource_counting import (
    CostKey,
    GateCounts,
    QECGatesCost,
    get_bloq_callee_counts,
    get_cost_value,
)
from qualtran.symbolics import SymbolicInt, is_symbolic

from resource_estimates.logical.cost_keys import (  # noqa: F401  (re-exported: older import path)
    CircuitQubits,
    DataAccessQueries,
    UnitCostQRAMGates,
    UnitCostQRAMQubits,
    arithmetic_width,
    is_data_access,
)
from resource_estimates.logical.cost_keys import symbolic_max as _smax

__all__ = [
    "CONVENTIONS",
    "QRAM_MODELS",
    "POST_SELECTION_MODES",
    "COUNT_FIELDS",
    "LogicalCounts",
    "DataAccessQueries",
    "UnitCostQRAMGates",
    "UnitCostQRAMQubits",
    "is_data_access",
    "logical_counts",
    "step_counts",
    "post_selection_runs",
    "readout_shots",
    "job_counts",
    "evaluate",
    "to_latex",
]

QRAM_MODELS = ("circuit", "unit_cost")
POST_SELECTION_MODES = ("repeat", "amplitude_amplification")

#: Names of the Toffoli-like gate classes.
TOFFOLI_LIKE = ("And", "Toffoli", "CSwap")
T_PER_TOFFOLI = 4
T_PER_ROTATION = 11

CONVENTIONS: dict[str, str] = {
    "toffoli": "Toffoli-like = And + Toffoli + CSwap (Qualtran QECGatesCost)",
    "t_count": (
        "GateCounts.total_t_count() defaults: 4 T per Toffoli-like gate, 11 T per rotation "
        "(Qualtran's mixed-fallback synthesis at 1e-3), bare T gates as counted"
    ),
    "rotation_synthesis": (
        "arbitrary rotations are counted separately (field 'rotation'); the T-count charges 11 T "
        "each; Ross-Selinger would charge ~3 log2(1/eps) T (arXiv:1403.2975)"
    ),
    "qubits": (
        "Qualtran QubitCount: peak width of the sequential decomposition (an adjoint is given "
        "the width of the bloq it inverts)"
    ),
    "qram_circuit": (
        "circuit QRAM: every gate of each data-access query (QROM / QROAM / bucket brigade) "
        "counted, O(N) gates per query"
    ),
    "qram_unit_cost": (
        "unit-cost QRAM: each data-access query counted as one oracle call (the paper's "
        "assumption); its gates and internal qubits are excluded, 'queries' counts the calls; a "
        "bloq without decomposition that calls a data access is sized by Qualtran's fallback "
        "rule max(signature, callees)"
    ),
    "post_selection_repeat": "repeat until success: expected n/P coherent runs per success",
    "post_selection_amplitude_amplification": (
        "amplitude amplification: 2*ceil((pi/4) sqrt(n/P)) + 1 coherent runs per success; the "
        "reflections' own O(log n) gates are not counted"
    ),
    "readout_shots": "sign estimation: 1/<k*|v>^2 shots (Algorithm 1 steps 11, 19)",
}

#: The fields of :class:`LogicalCounts` in report order.
COUNT_FIELDS = (
    "toffoli",
    "t",
    "t_count",
    "clifford",
    "rotation",
    "measurement",
    "qubits",
    "queries",
)


def _simplify(x: Any) -> Any:
    if isinstance(x, sympy.Basic):
        if not x.free_symbols:
            v = sympy.nsimplify(x) if not x.is_Integer else x
            return int(v) if v.is_Integer else float(v)
        return x
    return x


@dataclass(frozen=True)
class LogicalCounts:
    """Logical counts of one bloq (or step, run or job) under one QRAM model.

    Attributes:
        toffoli: Toffoli-like gates (And + Toffoli + CSwap).
        t: bare T gates (not from Toffolis or rotations).
        clifford: Clifford gates.
        rotation: arbitrary single-qubit rotations.
        measurement: measurements (including measurement-based uncomputation of ``And``).
        qubits: peak logical qubits.
        queries: data-access (QRAM) queries.
    """

    toffoli: SymbolicInt = 0
    t: SymbolicInt = 0
    clifford: SymbolicInt = 0
    rotation: SymbolicInt = 0
    measurement: SymbolicInt = 0
    qubits: SymbolicInt = 0
    queries: SymbolicInt = 0

    @property
    def t_count(self) -> SymbolicInt:
        """T-count with Qualtran's ``total_t_count()`` defaults (see :data:`CONVENTIONS`)."""
        return self.t + T_PER_TOFFOLI * self.toffoli + T_PER_ROTATION * self.rotation

    @classmethod
    def from_gate_counts(
        cls, gc: GateCounts, qubits: SymbolicInt, queries: SymbolicInt
    ) -> LogicalCounts:
        return cls(
            toffoli=gc.and_bloq + gc.toffoli + gc.cswap,
            t=gc.t,
            clifford=gc.clifford,
            rotation=gc.rotation,
            measurement=gc.measurement,
            qubits=qubits,
            queries=queries,
        )

    def gate_counts(self) -> GateCounts:
        """As a Qualtran ``GateCounts`` (all Toffoli-like gates reported as ``toffoli``)."""
        return GateCounts(
            t=self.t,
            toffoli=self.toffoli,
            clifford=self.clifford,
            rotation=self.rotation,
            measurement=self.measurement,
        )

    def __add__(self, other: LogicalCounts) -> LogicalCounts:
        """Sequential composition: gates add, peak qubits is the maximum."""
        return LogicalCounts(
            toffoli=self.toffoli + other.toffoli,
            t=self.t + other.t,
            clifford=self.clifford + other.clifford,
            rotation=self.rotation + other.rotation,
            measurement=self.measurement + other.measurement,
            qubits=_smax(self.qubits, other.qubits),
            queries=self.queries + other.queries,
        )

    def repeated(self, times: Any) -> LogicalCounts:
        """``times`` sequential repetitions: gates and queries scale, qubits do not."""
        return LogicalCounts(
            toffoli=times * self.toffoli,
            t=times * self.t,
            clifford=times * self.clifford,
            rotation=times * self.rotation,
            measurement=times * self.measurement,
            qubits=self.qubits,
            queries=times * self.queries,
        )

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}

    def map(self, fn: Callable[[Any], Any]) -> LogicalCounts:
        return LogicalCounts(**{f.name: fn(getattr(self, f.name)) for f in fields(self)})

    def subs(self, values: Mapping[Any, Any]) -> LogicalCounts:
        """Substitute symbol values; fully numeric results become ``int`` (or ``float``)."""
        return self.map(lambda x: evaluate(x, values))


def evaluate(expr: Any, values: Mapping[Any, Any]) -> Any:
    """Substitute ``values`` (symbol or symbol name → number) into ``expr``; numbers pass through.

    A result free of symbols is returned as ``int`` when integral, else ``float``.
    """
    if not isinstance(expr, sympy.Basic):
        return expr
    sub = {}
    for sym in expr.free_symbols:
        if sym in values:
            sub[sym] = values[sym]
        elif sym.name in values:
            sub[sym] = values[sym.name]
    out = expr.xreplace({k: sympy.sympify(v) for k, v in sub.items()}) if sub else expr
    if out.free_symbols:
        return out
    out = sympy.simplify(out) if not out.is_number else out
    if out.is_Integer:
        return int(out)
    if out.is_Rational and out.q == 1:
        return int(out.p)
    val = sympy.N(out, 30)
    if val.is_real and val == sympy.floor(val):
        return int(sympy.floor(val))
    return float(val)


class CostCaches:
    """Shared Qualtran cost caches (one dict per cost key), so that the total, the steps and
    bloqs of other sizes reuse the costs of common sub-bloqs. Valid for one QRAM model each."""

    def __init__(self):
        self._caches: dict[str, dict] = {}

    def get(self, key: str) -> dict:
        return self._caches.setdefault(key, {})


def _keys(qram_model: str) -> tuple[CostKey, CostKey]:
    if qram_model == "circuit":
        return QECGatesCost(), CircuitQubits()
    if qram_model == "unit_cost":
        return UnitCostQRAMGates(), UnitCostQRAMQubits()
    raise ValueError(f"unknown QRAM model {qram_model!r}; choose one of {QRAM_MODELS}")


def logical_counts(
    bloq: Bloq,
    qram_model: str = "circuit",
    *,
    caches: CostCaches | None = None,
    qubits: bool = True,
) -> LogicalCounts:
    """Logical counts of ``bloq`` (symbolic if its sizes are) under a QRAM model.

    Args:
        bloq: any Qualtran bloq (concrete or symbolic sizes).
        qram_model: ``"circuit"`` (every gate counted) or ``"unit_cost"`` (a data-access query
            = one oracle call, its gates and internal qubits removed).
        caches: shared cost caches (see :class:`CostCaches`); a fresh set if ``None``.
        qubits: compute the peak qubits (the slowest cost); ``qubits`` is ``None`` otherwise.
    """
    gate_key, qubit_key = _keys(qram_model)
    caches = caches or CostCaches()
    gc = get_cost_value(bloq, gate_key, costs_cache=caches.get(f"gates/{qram_model}"))
    nq = (
        get_cost_value(bloq, qubit_key, costs_cache=caches.get(f"qubits/{qram_model}"))
        if qubits
        else None
    )
    queries = get_cost_value(bloq, DataAccessQueries(), costs_cache=caches.get("queries"))
    return LogicalCounts.from_gate_counts(gc, nq, queries)


StepMap = Mapping[Bloq, str] | Mapping[str, Mapping[Bloq, Any]] | Callable[[Bloq], str | None]


def step_counts(
    bloq: Bloq,
    steps: StepMap,
    qram_model: str = "circuit",
    order: Iterable[str] | None = None,
    unassigned: str = "other",
    *,
    caches: CostCaches | None = None,
    qubits: bool = True,
) -> dict[str, LogicalCounts]:
    """Counts of ``bloq`` grouped by Algorithm-1 step.

    ``steps`` is one of

    * a partition ``{step name: {bloq: number of calls}}`` of the bloq's call graph (e.g.
      ``DiagonalNTK.step_counts()``, which attributes bloqs at any depth): a step's gates are
      Σ calls × cost(bloq);
    * a mapping ``{callee: step name}`` or a function callee → step name (or ``None``) over the
      *direct* callees of ``bloq`` (its ``build_call_graph``); callees without a step go to
      ``unassigned``.

    A step's qubits are the peak over its bloqs. The gate counts of all steps add up to
    :func:`logical_counts` of ``bloq`` when the partition is complete (tested).

    Args:
        bloq: the bloq to break down.
        steps: the partition or the callee → step map.
        qram_model: as in :func:`logical_counts`.
        order: step names in report order (steps not listed follow, in first-seen order).
        unassigned: name of the bucket for callees without a step.
        caches: shared cost caches.
        qubits: also compute per-step peak qubits.
    """
    caches = caches or CostCaches()
    totals: dict[str, LogicalCounts] = {name: LogicalCounts() for name in (order or ())}

    def add(name: str, callee: Bloq, n_times: Any) -> None:
        counts = logical_counts(callee, qram_model, caches=caches, qubits=qubits).repeated(n_times)
        if not qubits:
            counts = replace(counts, qubits=0)
        totals[name] = totals[name] + counts if name in totals else counts

    def done(out: dict[str, LogicalCounts]) -> dict[str, LogicalCounts]:
        return out if qubits else {k: replace(v, qubits=None) for k, v in out.items()}

    is_partition = (
        isinstance(steps, Mapping)
        and bool(steps)
        and all(isinstance(k, str) for k in steps)
        and all(isinstance(v, Mapping) for v in steps.values())
    )
    if is_partition:
        for name, calls in steps.items():
            for callee, n_times in calls.items():
                add(name, callee, n_times)
        return done({k: v for k, v in totals.items() if k in steps or v != LogicalCounts()})
    if callable(steps) and not isinstance(steps, Mapping):
        lookup = steps
    else:
        lookup = dict(steps).get
    for callee, n_times in get_bloq_callee_counts(bloq):
        add(lookup(callee) or unassigned, callee, n_times)
    return done(totals)


def post_selection_runs(success_probability: Any, mode: str = "repeat") -> Any:
    """Coherent runs per successful post-selection, for success probability p = P/n.

    ``"repeat"``: 1/p (= n/P, Algorithm 1 step 4). ``"amplitude_amplification"``:
    2⌈(π/4)/√p⌉ + 1 (each round applies the run and its inverse once).
    """
    if not is_symbolic(success_probability) and not 0 < success_probability <= 1:
        raise ValueError(f"success probability must be in (0, 1], got {success_probability!r}")
    if mode == "repeat":
        return (
            1 / sympy.sympify(success_probability)
            if is_symbolic(success_probability)
            else (1 / success_probability)
        )
    if mode == "amplitude_amplification":
        rounds = sympy.ceiling(sympy.pi / (4 * sympy.sqrt(success_probability)))
        out = 2 * rounds + 1
        return out if is_symbolic(success_probability) else int(out)
    raise ValueError(f"unknown post-selection mode {mode!r}; choose one of {POST_SELECTION_MODES}")


def readout_shots(overlap: Any) -> Any:
    """Shots to estimate the sign of ⟨k*|v⟩: 1/⟨k*|v⟩² (Algorithm 1 steps 11 and 19)."""
    if not is_symbolic(overlap) and (overlap == 0 or abs(overlap) > 1):
        raise ValueError(f"readout overlap must be in [-1, 1] and nonzero, got {overlap!r}")
    return 1 / overlap**2


def job_counts(
    run: LogicalCounts, success_probability: Any, overlap: Any, mode: str = "repeat"
) -> LogicalCounts:
    """Counts of the whole job: shots × (runs per post-selection success) × one coherent run."""
    factor = readout_shots(overlap) * post_selection_runs(success_probability, mode)
    return run.repeated(factor)


def to_latex(expr: Any) -> str:
    """LaTeX of a count (``str`` of a number for concrete values)."""
    if isinstance(expr, sympy.Basic):
        return sympy.latex(expr)
    return str(expr)
