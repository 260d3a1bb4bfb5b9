"""`ToffoliDepth`: a Qualtran cost key for the Toffoli-depth of a bloq.

Qualtran 0.7 has gate counts and qubit counts but no depth. This cost key adds one the Qualtran
way (`CostKey.compute(bloq, get_callee_cost)`, usable with `get_cost_value`, caching and static
costs):

* leaves: `And` (compute), `Toffoli`, `TwoBitCSwap` weigh 1; `And†` (measurement-based
  uncompute) and every other leaf (Cliffords, rotations, measurements) weigh 0 — a Toffoli-depth
  counts only the Toffoli-like layers;
* a bloq that decomposes: the longest path through its decomposition, each sub-bloq occupying all
  of its wires for its own Toffoli-depth (ASAP scheduling of sub-bloqs as blocks). This is exact
  when the sub-bloqs are leaves and an upper bound otherwise (sub-bloqs cannot interleave);
* a bloq that does not decompose (e.g. built from sizes): the serial sum of its callees'
  depths times their counts (an upper bound), unless the bloq states its own value through
  `my_static_costs(ToffoliDepth())` — `BucketBrigadeQRAM` and `OneHotDecoderQRAM` do, with
  formulas checked against the layered depth of their Cirq circuits.

References:
    [Fault-tolerant resource estimation of quantum random-access memories](
    https://arxiv.org/abs/1902.01329). Di Matteo, Gheorghiu, Mosca 2020 (T-depth of bucket
    brigades, the comparison figure).
"""

from collections.abc import Callable

import attrs
import cirq
import networkx as nx
from qualtran import Bloq, CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError
from qualtran.bloqs.basic_gates import Toffoli, TwoBitCSwap
from qualtran.bloqs.mcmt import And
from qualtran.resource_counting import CostKey, get_bloq_callee_counts
from qualtran.symbolics import SymbolicInt, smax


def _leaf_weight(bloq: Bloq) -> int:
    if isinstance(bloq, And):
        return 0 if bloq.uncompute else 1
    if isinstance(bloq, (Toffoli, TwoBitCSwap)):
        return 1
    return 0


def _cbloq_depth(cbloq: CompositeBloq, get_callee_cost: Callable[[Bloq], SymbolicInt]):
    graph = cbloq._binst_graph
    finish: dict = {}
    best: SymbolicInt = 0
    for node in nx.topological_sort(graph):
        start: SymbolicInt = 0
        for pred in graph.predecessors(node):
            start = smax(start, finish.get(pred, 0))
        if hasattr(node, "bloq"):
            finish[node] = start + get_callee_cost(node.bloq)
        else:
            finish[node] = start
        best = smax(best, finish[node])
    return best


@attrs.frozen
class ToffoliDepth(CostKey[SymbolicInt]):
    """Toffoli-depth: the number of Toffoli-like layers on the critical path.

    See the module docstring for the counting rules (And/Toffoli/CSWAP weigh 1, And† 0).
    """

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
        if isinstance(bloq, (And, Toffoli, TwoBitCSwap)):
            return _leaf_weight(bloq)
        if isinstance(bloq, CompositeBloq):
            return _cbloq_depth(bloq, get_callee_cost)
        try:
            return _cbloq_depth(bloq.decompose_bloq(), get_callee_cost)
        except (DecomposeNotImplementedError, DecomposeTypeError):
            pass
        total: SymbolicInt = 0
        for callee, n in get_bloq_callee_counts(bloq):
            total = total + n * get_callee_cost(callee)
        return total

    def zero(self) -> SymbolicInt:
        return 0

    def __str__(self):
        return "Toffoli depth"


def circuit_toffoli_depth(circuit: cirq.AbstractCircuit) -> int:
    """ASAP Toffoli-depth of a Cirq circuit: 3-qubit gates (CCX, CSWAP, Qualtran `And`) weigh 1.

    An independent check of `ToffoliDepth`: walks the operations in order, keeping per qubit the
    number of Toffoli layers before it. Measurement-based `And†` appears in Cirq as
    measurements and classically controlled Cliffords, so it weighs 0 here too.
    """
    depth: dict = {}
    for op in circuit.all_operations():
        qs = op.qubits
        d = max((depth.get(q, 0) for q in qs), default=0)
        gate = op.gate
        is_toffoli_like = len(qs) == 3 and not cirq.is_measurement(op)
        if gate is not None and hasattr(gate, "uncompute") and gate.uncompute:
            is_toffoli_like = False
        d += int(is_toffoli_like)
        for q in qs:
            depth[q] = d
    return max(depth.values(), default=0)
