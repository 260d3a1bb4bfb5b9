"""Flattening a bloq to the gates ``QECGatesCost`` counts, and the census of those gates.

The first stage of the simulation pipeline (:mod:`qntk_compile.simulation.runner`): every operation
of the simulated circuit is one item of the cost model, so :func:`gate_census` of the flattened bloq
is compared with ``get_cost_value(bloq, QECGatesCost())`` by the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from qualtran import Bloq, BloqInstance, CompositeBloq

__all__ = ["GateCensus", "census_of_leaves", "flatten_for_simulation", "gate_census", "is_qec_atom"]


def is_qec_atom(bloq: Bloq) -> bool:
    """Whether ``QECGatesCost`` counts ``bloq`` directly instead of recursing into its callees.

    This mirrors the leaf cases of ``qualtran.resource_counting.QECGatesCost.compute`` (Qualtran
    0.7.0): T-like gates, ``Toffoli``, Z/X measurements, ``And`` (either direction),
    ``TwoBitCSwap``, ``MultiTargetCNOT``, Cliffords, states/effects, bookkeeping, global phases,
    identities, discards and rotations (including singly controlled rotations).
    """
    from qualtran.bloqs.basic_gates import (
        Discard,
        GlobalPhase,
        Identity,
        MeasureX,
        MeasureZ,
        Toffoli,
        TwoBitCSwap,
    )

    # private Qualtran API: qualtran 0.7 exports no base class or predicate for its bookkeeping
    # bloqs (Split, Join, Partition, Cast, ...), which carry no gates and must not be counted
    from qualtran.bloqs.bookkeeping._bookkeeping_bloq import _BookkeepingBloq
    from qualtran.bloqs.mcmt import And, MultiTargetCNOT
    from qualtran.resource_counting.classify_bloqs import (
        bloq_is_clifford,
        bloq_is_rotation,
        bloq_is_state_or_effect,
        bloq_is_t_like,
    )

    atoms = (
        Toffoli,
        MeasureZ,
        MeasureX,
        And,
        TwoBitCSwap,
        MultiTargetCNOT,
        _BookkeepingBloq,
        GlobalPhase,
        Identity,
        Discard,
    )
    return (
        isinstance(bloq, atoms)
        or bloq_is_t_like(bloq)
        or bloq_is_clifford(bloq)
        or bloq_is_state_or_effect(bloq)
        or bloq_is_rotation(bloq)
    )


def flatten_for_simulation(bloq: Bloq) -> CompositeBloq:
    """Decompose ``bloq`` recursively until only ``QECGatesCost`` atoms (or undecomposable bloqs)
    remain. The result is what :func:`simulate_bloq` runs and :func:`gate_census` counts."""
    cbloq = bloq.as_composite_bloq()

    def _pred(binst: BloqInstance) -> bool:
        return not is_qec_atom(binst.bloq)

    return cbloq.flatten(_pred)


@dataclass(frozen=True)
class GateCensus:
    """Operation counts of a flattened circuit (bookkeeping bloqs excluded).

    Attributes:
        gates: number of operations: leaf bloqs other than bookkeeping (Split/Join/Partition/
            Allocate/Free...), identities and global phases.
        toffoli_like: ``And`` (compute direction) + ``Toffoli`` + ``TwoBitCSwap`` — the
            Toffoli-like count of ``QECGatesCost`` (``and_bloq + toffoli + cswap``).
        rotations: non-Clifford, non-T single-qubit rotations and singly controlled rotations.
        t: T and T† gates.
        cliffords: Clifford gates, ``And†`` (measurement-based, Clifford + measurement in
            ``QECGatesCost``) included.
        measurements: measurements, ``And†`` included (as ``QECGatesCost`` counts it).
        by_type: operations per bloq class name.
        opaque: names of leaf bloqs that are no ``QECGatesCost`` atom and have no decomposition
            (a simulation of them would not be gate level); empty for a fully compiled bloq.
    """

    gates: int
    toffoli_like: int
    rotations: int
    t: int
    cliffords: int
    measurements: int
    by_type: dict[str, int] = field(default_factory=dict)
    opaque: tuple[str, ...] = ()


def gate_census(cbloq: CompositeBloq) -> GateCensus:
    """Count the operations of a flattened composite bloq (see :class:`GateCensus`)."""
    return census_of_leaves(Counter(binst.bloq for binst in cbloq.bloq_instances))


def census_of_leaves(leaves: Mapping[Bloq, int]) -> GateCensus:
    """:class:`GateCensus` of a circuit made of ``count`` copies of each leaf ``bloq``."""
    from qualtran.bloqs.basic_gates import (
        GlobalPhase,
        Identity,
        MeasureX,
        MeasureZ,
        Toffoli,
        TwoBitCSwap,
    )

    # private Qualtran API: qualtran 0.7 exports no base class or predicate for its bookkeeping
    # bloqs (Split, Join, Partition, Cast, ...), which carry no gates and must not be counted
    from qualtran.bloqs.bookkeeping._bookkeeping_bloq import _BookkeepingBloq
    from qualtran.bloqs.mcmt import And
    from qualtran.resource_counting.classify_bloqs import (
        bloq_is_clifford,
        bloq_is_rotation,
        bloq_is_state_or_effect,
        bloq_is_t_like,
    )

    gates = toffoli_like = rotations = t = cliffords = measurements = 0
    by_type: Counter[str] = Counter()
    opaque: set[str] = set()
    for b, k in leaves.items():
        if isinstance(b, (_BookkeepingBloq, Identity, GlobalPhase)) or bloq_is_state_or_effect(b):
            continue
        gates += k
        by_type[type(b).__name__] += k
        if isinstance(b, And):
            if b.uncompute:
                cliffords += k
                measurements += k
            else:
                toffoli_like += k
        elif isinstance(b, (Toffoli, TwoBitCSwap)):
            toffoli_like += k
        elif bloq_is_t_like(b):
            t += k
        elif isinstance(b, (MeasureZ, MeasureX)):
            measurements += k
        elif bloq_is_rotation(b):
            rotations += k
        elif bloq_is_clifford(b) or is_qec_atom(b):
            cliffords += k * int(bloq_is_clifford(b) or type(b).__name__ == "MultiTargetCNOT")
        else:
            opaque.add(str(b))
    return GateCensus(
        gates=gates,
        toffoli_like=toffoli_like,
        rotations=rotations,
        t=t,
        cliffords=cliffords,
        measurements=measurements,
        by_type=dict(sorted(by_type.items())),
        opaque=tuple(sorted(opaque)),
    )
