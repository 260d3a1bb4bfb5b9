"""Qualtran cost keys of the two QRAM models (``docs/report_fields.md``, Conventions).

* :class:`UnitCostQRAMGates`: ``QECGatesCost`` with every data-access query's gates removed;
* :class:`CircuitQubits` / :class:`UnitCostQRAMQubits`: the peak width (``QubitCount``) of the
  circuit, and of the circuit with each query reduced to its registers;
* :class:`DataAccessQueries`: the number of data-access queries of a run.

Data-access bloqs are recognised by :func:`is_data_access`; :func:`arithmetic_width` gives the
closed-form widths of Qualtran arithmetic so that wide adders are not decomposed to be counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import sympy
from qualtran import Adjoint, Bloq, Controlled, DecomposeNotImplementedError, DecomposeTypeError
from qualtran.bloqs.data_loading.qroam_clean import QROAMCleanAdjointWrapper
from qualtran.bloqs.data_loading.qrom_base import QROMBase
from qualtran.resource_counting import (
    CostKey,
    GateCounts,
    QECGatesCost,
    QubitCount,
    get_bloq_callee_counts,
    get_cost_value,
)

# private Qualtran API: the peak width of a composite bloq given its callees' widths is what
# QubitCount computes internally, and qualtran 0.7 exposes no public function for it
from qualtran.resource_counting._qubit_counts import _cbloq_max_width
from qualtran.symbolics import SymbolicInt, is_symbolic

__all__ = [
    "CircuitQubits",
    "DataAccessQueries",
    "UnitCostQRAMGates",
    "UnitCostQRAMQubits",
    "arithmetic_width",
    "is_data_access",
    "symbolic_max",
]


def symbolic_max(a: Any, b: Any) -> Any:
    """max(a, b), as ``sympy.Max`` when either is symbolic."""
    if is_symbolic(a) or is_symbolic(b):
        return sympy.Max(a, b)
    return max(a, b)


def is_data_access(bloq: Bloq) -> bool:
    """Whether ``bloq`` is a data-access (QRAM) query: the unit of the unit-cost QRAM model."""
    if isinstance(bloq, (QROMBase, QROAMCleanAdjointWrapper)):
        return True
    if type(bloq).__name__ in ("BucketBrigadeQRAM", "OneHotDecoderQRAM"):
        return True
    if isinstance(bloq, (Adjoint, Controlled)):
        return is_data_access(bloq.subbloq)
    return False


def _static_or_compute(base: CostKey, bloq: Bloq, get_callee_cost: Callable[[Bloq], Any]) -> Any:
    """``base``'s cost of ``bloq``: its static annotation if any, else ``base.compute`` with our
    callee costs (so the unit-cost rule applies inside)."""
    static = bloq.my_static_costs(base)
    if static is not NotImplemented:
        return static
    return base.compute(bloq, get_callee_cost)


@attrs.frozen
class UnitCostQRAMGates(CostKey[GateCounts]):
    """``QECGatesCost`` where each data-access query costs no gates (unit-cost QRAM model).

    Not a subclass of ``QECGatesCost``, so that a data-access bloq's static cost annotation for
    ``QECGatesCost`` is not used in its place.
    """

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], GateCounts]) -> GateCounts:
        if is_data_access(bloq):
            return GateCounts()
        return _static_or_compute(QECGatesCost(), bloq, get_callee_cost)

    def zero(self) -> GateCounts:
        return GateCounts()

    def __str__(self):
        return "gate counts (unit-cost QRAM)"


def _adjoint_subbloq(bloq: Bloq) -> Bloq | None:
    """The bloq an adjoint inverts (same width), or None: the subbloq of an adjoint wrapper, or
    the forward form of a bloq that is its own class with ``is_adjoint=True``."""
    if isinstance(bloq, Adjoint) or type(bloq).__name__ == "AdjointWithSpecializedCtrl":
        return bloq.subbloq
    if getattr(bloq, "is_adjoint", None) is True:
        forward = bloq.adjoint()
        if getattr(forward, "is_adjoint", None) is False:
            return forward
    return None


def arithmetic_width(bloq: Bloq) -> int | None:
    """The peak width of a few Qualtran arithmetic bloqs in closed form, or None.

    Their decompositions (Cirq-style, rebuilt for every bit size) dominate the peak-qubit count of
    a report sweep; the widths are those of the decompositions, checked against Qualtran's
    ``QubitCount`` in the tests: ``Add`` of two k-bit unsigned integers 3k − 1;
    ``LinearDepthGreaterThan(k)`` 3k + 3 (signed: 3k); ``MultiAnd`` of k ≥ 3 controls 2k − 1;
    ``Swap(k)`` 2k; ``CSwap(k)`` 2k + 1; ``MultiControlX`` of k controls 2k; ``CtrlSpecAnd`` of one
    unshaped k-bit control register (k ≥ 2) 2k − 1.
    """
    from qualtran import QUInt
    from qualtran.bloqs.arithmetic import Add
    from qualtran.bloqs.arithmetic.comparison import LinearDepthGreaterThan
    from qualtran.bloqs.basic_gates import CSwap, Swap
    from qualtran.bloqs.mcmt import MultiAnd, MultiControlX
    from qualtran.bloqs.mcmt.ctrl_spec_and import CtrlSpecAnd

    kind = type(bloq)
    if kind is Add:
        k = bloq.a_dtype.bitsize
        same = bloq.a_dtype == bloq.b_dtype and isinstance(bloq.a_dtype, QUInt)
        return 3 * k - 1 if same and not is_symbolic(k) and k >= 2 else None
    if kind is LinearDepthGreaterThan:
        k = bloq.bitsize
        if is_symbolic(k) or k < 2:
            return None
        return 3 * k if bloq.signed else 3 * k + 3
    if kind is Swap or kind is CSwap:
        k = bloq.bitsize
        if is_symbolic(k) or k < 1:
            return None
        return 2 * k + (kind is CSwap)
    if kind is MultiControlX and isinstance(bloq.cvs, tuple):  # not HasLength (symbolic)
        return 2 * len(bloq.cvs) if len(bloq.cvs) >= 1 else None
    if kind is CtrlSpecAnd:
        spec = bloq.ctrl_spec
        if len(spec.qdtypes) != 1 or spec.shapes != ((),) or is_symbolic(spec.num_qubits):
            return None
        return 2 * spec.num_qubits - 1 if spec.num_qubits >= 2 else None
    if kind is MultiAnd and isinstance(bloq.cvs, tuple):  # not HasLength (symbolic)
        k = len(bloq.cvs)
        return 2 * k - 1 if k >= 3 else None
    return None


@attrs.frozen
class CircuitQubits(CostKey[SymbolicInt]):
    """Qualtran's ``QubitCount`` (peak width), with one shortcut: an adjoint has the width of the
    bloq it inverts, so it is not decomposed again (decomposing the adjoint of a large loader
    can take minutes; the value is the same)."""

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
        inner = _adjoint_subbloq(bloq)
        if inner is not None:
            return get_callee_cost(inner)
        known = arithmetic_width(bloq)
        if known is not None:
            return known
        return _static_or_compute(QubitCount(), bloq, get_callee_cost)

    def zero(self) -> SymbolicInt:
        return 0

    def __str__(self):
        return "qubit count"


@attrs.frozen
class UnitCostQRAMQubits(CostKey[SymbolicInt]):
    """``QubitCount`` where a data-access query occupies only its registers (unit-cost QRAM)."""

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
        if is_data_access(bloq):
            return bloq.signature.n_qubits()
        inner = _adjoint_subbloq(bloq)
        if inner is not None:
            return get_callee_cost(inner)
        known = arithmetic_width(bloq)  # no data access inside: same width in both models
        if known is not None:
            return known
        # Prefer the decomposition: a static QubitCount annotation (e.g. of a loader) includes the
        # data-access ancillae that this model removes.
        try:
            cbloq = bloq.decompose_bloq()
        except (DecomposeNotImplementedError, DecomposeTypeError):
            static = bloq.my_static_costs(QubitCount())
            if static is not NotImplemented and not get_cost_value(bloq, DataAccessQueries()):
                return static
            # No decomposition but data access inside: Qualtran's fallback rule, the maximum of
            # the signature and the callees' widths (each callee under this model).
            width: SymbolicInt = bloq.signature.n_qubits()
            for callee, _ in get_bloq_callee_counts(bloq):
                width = symbolic_max(width, get_callee_cost(callee))
            return width
        return _cbloq_max_width(cbloq._binst_graph, get_callee_cost)

    def zero(self) -> SymbolicInt:
        return 0

    def __str__(self):
        return "qubit count (unit-cost QRAM)"


@attrs.frozen
class DataAccessQueries(CostKey[SymbolicInt]):
    """Number of data-access queries (QROM / QROAM / bucket-brigade calls) a bloq makes."""

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
        if is_data_access(bloq):
            return 1
        total: SymbolicInt = 0
        try:
            callees = get_bloq_callee_counts(bloq, ignore_decomp_failure=False)
        except (DecomposeTypeError, DecomposeNotImplementedError):
            return 0  # an atomic gate
        for callee, n_times in callees:
            total += n_times * get_callee_cost(callee)
        return total

    def zero(self) -> SymbolicInt:
        return 0

    def __str__(self):
        return "data-access queries"
