"""Cirq conversion that decomposes and converts each distinct sub-bloq once.

The reference conversion (:func:`qntk_compile.simulation.runner.build_circuit` with
``method="reference"``) flattens the whole bloq with ``CompositeBloq.flatten`` and converts the
flat graph with ``to_cirq_circuit_and_quregs``: every copy of a sub-bloq (each loader, QROM,
amplitude-estimation iterate, median copy) is decomposed, wired and converted again, at about
1.8 ms per gate.

Here every distinct bloq is turned into a :class:`CircuitTemplate` once: its Cirq operations on
*local* qubits ``cirq.LineQubit(i)`` (its left-register qubits first, row-major per register in
signature order), interleaved with the qubit-manager calls that the reference makes while
converting it (``alloc`` / ``free`` of local ancillas) and with calls of the templates of its
composite sub-bloqs. Instantiating a template replays these events in order on the caller's
``cirq.GreedyQubitManager`` and renames the local qubits to the allocated ones, so

* the ancillas of ``And`` / QROM / adders ... are allocated and freed by the same greedy manager
  (qubits are reused across sub-bloqs exactly as the manager decides, never one fresh qubit per
  copy);
* ``And†`` is converted exactly as in the reference (its target is freed by the manager after
  the unitary uncomputation, see :mod:`qntk_compile.simulation.runner`).

Leaves are the same as the reference's: ``QECGatesCost`` atoms (:func:`is_qec_atom`) and bloqs
without a decomposition. Each decomposition is traversed in Qualtran's own greedy topological
order; the reference instead orders the *flattened* graph globally, so the two circuits have the
same gates (same census) and the same output state, while the order of commuting operations and
the names of the ancillas may differ. Tests compare both paths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import cirq
import numpy as np
from qualtran import Bloq, CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError, Side

__all__ = ["CircuitTemplate", "CircuitCache", "CacheStats"]

_OP, _ALLOC, _FREE, _CALL, _OPX = range(5)


class _RecordingQubitManager(cirq.QubitManager):
    """Hands out fresh local qubits and records every ``qalloc`` / ``qfree`` as an event."""

    def __init__(self, template: _Builder):
        self._t = template

    def qalloc(self, n: int, dim: int = 2) -> list[cirq.Qid]:
        qs = self._t.fresh(n)
        self._t.events.append((_ALLOC, tuple(q.x for q in qs)))
        return qs

    def qborrow(self, n: int, dim: int = 2) -> list[cirq.Qid]:
        return self.qalloc(n, dim)

    def qfree(self, qubits: Iterable[cirq.Qid]) -> None:
        self._t.events.append((_FREE, tuple(q.x for q in qubits)))


@dataclass
class CircuitTemplate:
    """The converted operations of one distinct bloq, on local qubits.

    Attributes:
        bloq: the bloq.
        n_in: number of left-register qubits (local qubits ``0 .. n_in - 1``).
        n_local: number of local qubits (inputs, ancillas, outputs of called templates).
        events: ``(_OP, gate, ids)``, ``(_OPX, op)``, ``(_ALLOC, ids)``, ``(_FREE, ids)``,
            ``(_CALL, template, in_ids, out_ids)`` in conversion order.
        out_ids: local qubits of the right registers, flattened in signature order.
        out_shapes: right register name -> shape ``reg.shape + (bitsize,)``.
        leaves: leaf bloq -> number of copies in the full expansion.
        sub_bloqs: composite sub-bloq -> number of copies in the full expansion.
        operations: number of Cirq operations of the full expansion.
    """

    bloq: Bloq
    n_in: int
    n_local: int
    events: list[tuple]
    out_ids: tuple[int, ...]
    out_shapes: dict[str, tuple[int, ...]]
    leaves: Counter = field(default_factory=Counter)
    sub_bloqs: Counter = field(default_factory=Counter)
    operations: int = 0

    def instantiate(
        self, in_qubits: list[cirq.Qid], qm: cirq.QubitManager, ops: list[cirq.Operation]
    ) -> list[cirq.Qid]:
        """Append this bloq's operations on ``in_qubits`` to ``ops``, allocating ancillas with
        ``qm``; return the qubits of the right registers (flattened in signature order)."""
        m: list = [None] * self.n_local
        m[: self.n_in] = in_qubits
        append = ops.append
        for ev in self.events:
            kind = ev[0]
            if kind == _OP:
                append(ev[1].on(*[m[i] for i in ev[2]]))
            elif kind == _ALLOC:
                for i, q in zip(ev[1], qm.qalloc(len(ev[1])), strict=True):
                    m[i] = q
            elif kind == _FREE:
                qm.qfree([m[i] for i in ev[1]])
            elif kind == _CALL:
                outs = ev[1].instantiate([m[i] for i in ev[2]], qm, ops)
                for i, q in zip(ev[3], outs, strict=True):
                    m[i] = q
            else:
                append(ev[1].transform_qubits(lambda q: m[q.x] if _is_local(q) else q))
        return [m[i] for i in self.out_ids]


def _is_local(q: cirq.Qid) -> bool:
    return type(q) is cirq.LineQubit


class _Builder:
    """Mutable state while one template is built."""

    def __init__(self) -> None:
        self.n = 0
        self.events: list[tuple] = []
        self.leaves: Counter = Counter()
        self.sub_bloqs: Counter = Counter()
        self.operations = 0

    def fresh(self, k: int) -> list[cirq.LineQubit]:
        qs = [cirq.LineQubit(self.n + j) for j in range(k)]
        self.n += k
        return qs

    def add_ops(self, ops: Iterable[cirq.Operation]) -> None:
        for op in ops:
            self.operations += 1
            if isinstance(op, cirq.GateOperation) and all(_is_local(q) for q in op.qubits):
                self.events.append((_OP, op.gate, tuple(q.x for q in op.qubits)))
            else:
                self.events.append((_OPX, op))


@dataclass
class CacheStats:
    """What the cache did: distinct bloqs converted and copies in the expansion.

    Attributes:
        distinct: distinct composite sub-bloqs decomposed and converted (top bloq included).
        instances: composite sub-bloq copies in the full expansion (top bloq included); the
            reference path decomposes and converts each of them.
        distinct_leaves: distinct leaf bloqs converted.
        leaf_instances: leaf copies in the full expansion (bookkeeping included).
        by_class: bloq class name -> ``{"distinct": .., "instances": ..}`` for composite bloqs.
    """

    distinct: int
    instances: int
    distinct_leaves: int
    leaf_instances: int
    by_class: dict[str, dict[str, int]]

    @property
    def hit_rate(self) -> float:
        """Fraction of bloq copies (composite and leaf) served from the cache."""
        total = self.instances + self.leaf_instances
        if total == 0:
            return 0.0
        return 1.0 - (self.distinct + self.distinct_leaves) / total

    def as_dict(self) -> dict:
        return {
            "distinct_sub_bloqs": self.distinct,
            "sub_bloq_instances": self.instances,
            "distinct_leaves": self.distinct_leaves,
            "leaf_instances": self.leaf_instances,
            "cache_hit_rate": self.hit_rate,
            "sub_bloq_census": self.by_class,
        }


class CircuitCache:
    """Builds and memoises :class:`CircuitTemplate` s (one per distinct bloq).

    Args:
        is_leaf: bloqs converted directly instead of decomposed (``QECGatesCost`` atoms).
        lower: turns the Cirq operation of a leaf into simulable operations (the same
            ``cirq.decompose`` the reference applies to the whole circuit).
        on_template: called with each newly built composite template (progress reporting).
    """

    def __init__(
        self,
        is_leaf: Callable[[Bloq], bool],
        lower: Callable[[cirq.Operation], list[cirq.Operation]],
        on_template: Callable[[CircuitTemplate], None] | None = None,
    ):
        self._is_leaf = is_leaf
        self._lower = lower
        self._on_template = on_template
        self._templates: dict[Bloq, CircuitTemplate] = {}
        self._leaves: dict[Bloq, CircuitTemplate] = {}

    # -- public -------------------------------------------------------------------------------

    def template(self, bloq: Bloq) -> CircuitTemplate:
        """The template of ``bloq`` (built on first use)."""
        t = self._templates.get(bloq)
        if t is None:
            t = self._leaves.get(bloq)
        if t is not None:
            return t
        if self._is_leaf(bloq):
            return self._leaf(bloq)
        try:
            cbloq = bloq if isinstance(bloq, CompositeBloq) else bloq.decompose_bloq()
        except (DecomposeTypeError, DecomposeNotImplementedError):
            return self._leaf(bloq)
        t = self._composite(bloq, cbloq)
        self._templates[bloq] = t
        if self._on_template is not None:
            self._on_template(t)
        return t

    def leaf_operations(self) -> list[cirq.Operation]:
        """The operations of every distinct leaf converted so far (on local qubits)."""
        out: list[cirq.Operation] = []
        for t in self._leaves.values():
            for ev in t.events:
                if ev[0] == _OP:
                    out.append(ev[1].on(*(cirq.LineQubit(i) for i in ev[2])))
                elif ev[0] == _OPX:
                    out.append(ev[1])
        return out

    def stats(self, top: CircuitTemplate) -> CacheStats:
        """Distinct vs expanded copies for the expansion of ``top``."""
        instances = 1 + sum(top.sub_bloqs.values()) if top.bloq in self._templates else 0
        by_class: dict[str, dict[str, int]] = {}
        expanded = Counter(top.sub_bloqs)
        if top.bloq in self._templates:
            expanded[top.bloq] += 1
        for b, k in expanded.items():
            row = by_class.setdefault(type(b).__name__, {"distinct": 0, "instances": 0})
            row["distinct"] += 1
            row["instances"] += k
        return CacheStats(
            distinct=len(expanded),
            instances=instances,
            distinct_leaves=len(top.leaves),
            leaf_instances=sum(top.leaves.values()),
            by_class=dict(sorted(by_class.items())),
        )

    # -- building -----------------------------------------------------------------------------

    def _leaf(self, bloq: Bloq) -> CircuitTemplate:
        b = _Builder()
        in_quregs = {
            reg.name: np.array(b.fresh(int(reg.total_bits())), dtype=object).reshape(
                tuple(reg.shape) + (int(reg.bitsize),)
            )
            for reg in bloq.signature.lefts()
        }
        n_in = b.n
        out_quregs = self._convert_leaf(b, bloq, in_quregs)
        t = self._finish(b, bloq, n_in, out_quregs)
        t.leaves = Counter({bloq: 1})
        self._leaves[bloq] = t
        return t

    def _convert_leaf(self, b: _Builder, bloq: Bloq, in_quregs: dict) -> dict:
        op, out_quregs = bloq.as_cirq_op(qubit_manager=_RecordingQubitManager(b), **in_quregs)
        if op is not None:
            b.add_ops(self._lower(op))
        return out_quregs

    def _finish(self, b: _Builder, bloq: Bloq, n_in: int, out_quregs: dict) -> CircuitTemplate:
        out_ids: list[int] = []
        shapes: dict[str, tuple[int, ...]] = {}
        for reg in bloq.signature.rights():
            arr = np.asarray(out_quregs[reg.name])
            shapes[reg.name] = tuple(reg.shape) + (int(reg.bitsize),)
            out_ids.extend(q.x for q in arr.reshape(-1))
        return CircuitTemplate(
            bloq=bloq,
            n_in=n_in,
            n_local=b.n,
            events=b.events,
            out_ids=tuple(out_ids),
            out_shapes=shapes,
            leaves=b.leaves,
            sub_bloqs=b.sub_bloqs,
            operations=b.operations,
        )

    def _composite(self, bloq: Bloq, cbloq) -> CircuitTemplate:
        from qualtran import LeftDangle, RightDangle

        # private Qualtran API: qualtran 0.7 has no public iterator over a composite bloq's
        # instances with their connections in the topological order its own Cirq conversion
        # uses; replaying that order is what makes the cached circuit equal the uncached one
        from qualtran._infra.binst_graph_iterators import greedy_topological_sort
        from qualtran._infra.composite_bloq import _binst_to_cxns

        b = _Builder()
        graph = cbloq._binst_graph
        wires: dict = {}  # soquet -> tuple of local qubits
        for reg in cbloq.signature.lefts():
            arr = np.array(b.fresh(int(reg.total_bits())), dtype=object).reshape(
                tuple(reg.shape) + (int(reg.bitsize),)
            )
            for idx in reg.all_idxs():
                wires[_soq(LeftDangle, reg, idx)] = tuple(arr[idx])
        n_in = b.n
        out_quregs: dict = {}
        for binst in greedy_topological_sort(graph):
            if binst is LeftDangle:
                continue
            preds, succs = _binst_to_cxns(binst, binst_graph=graph)
            for cxn in preds:
                wires[cxn.right] = wires.pop(cxn.left)
            if binst is RightDangle:
                for reg in cbloq.signature.rights():
                    arr = np.empty(tuple(reg.shape) + (int(reg.bitsize),), dtype=object)
                    for idx in reg.all_idxs():
                        arr[idx] = wires[_soq(RightDangle, reg, idx)]
                    out_quregs[reg.name] = arr
                continue
            sub = binst.bloq
            in_quregs = {
                reg.name: np.empty(tuple(reg.shape) + (int(reg.bitsize),), dtype=object)
                for reg in sub.signature.lefts()
            }
            for cxn in preds:
                soq = cxn.right
                in_quregs[soq.reg.name][soq.idx] = wires[soq]
                if soq.reg.side == Side.LEFT:
                    del wires[soq]
            outs = self._add_sub(b, sub, in_quregs)
            for cxn in succs:
                soq = cxn.left
                if soq.reg.side == Side.RIGHT:
                    wires[soq] = tuple(np.asarray(outs[soq.reg.name])[soq.idx].reshape(-1))
        return self._finish(b, bloq, n_in, out_quregs)

    def _add_sub(self, b: _Builder, sub: Bloq, in_quregs: dict) -> dict:
        """Add one sub-bloq to the template under construction; return its output quregs."""
        t = self.template(sub)
        in_ids = [q.x for reg in sub.signature.lefts() for q in in_quregs[reg.name].reshape(-1)]
        if sub in self._leaves:
            # Leaves are inlined: their events are renamed into the parent's local qubits.
            m = list(in_ids) + [None] * (t.n_local - t.n_in)
            for ev in t.events:
                if ev[0] == _ALLOC:
                    new = b.fresh(len(ev[1]))
                    for i, q in zip(ev[1], new, strict=True):
                        m[i] = q.x
                    b.events.append((_ALLOC, tuple(q.x for q in new)))
                elif ev[0] == _FREE:
                    b.events.append((_FREE, tuple(m[i] for i in ev[1])))
                elif ev[0] == _OP:
                    b.events.append((_OP, ev[1], tuple(m[i] for i in ev[2])))
                else:
                    op = ev[1].transform_qubits(
                        lambda q: cirq.LineQubit(m[q.x]) if _is_local(q) else q
                    )
                    b.events.append((_OPX, op))
            b.leaves[sub] += 1
            b.operations += t.operations
            out_ids = [m[i] for i in t.out_ids]
        else:
            out_new = b.fresh(len(t.out_ids))
            out_ids = [q.x for q in out_new]
            b.events.append((_CALL, t, tuple(in_ids), tuple(out_ids)))
            b.leaves.update(t.leaves)
            b.sub_bloqs.update(t.sub_bloqs)
            b.sub_bloqs[sub] += 1
            b.operations += t.operations
        outs: dict = {}
        pos = 0
        for reg in sub.signature.rights():
            shape = tuple(reg.shape) + (int(reg.bitsize),)
            k = int(np.prod(shape))
            ids = out_ids[pos : pos + k]
            pos += k
            outs[reg.name] = np.array([cirq.LineQubit(i) for i in ids], dtype=object).reshape(shape)
        return outs


def _soq(binst, reg, idx):
    from qualtran import Soquet

    return Soquet(binst, reg, idx=idx)
