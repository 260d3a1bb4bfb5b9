"""Converting a flattened bloq to a simulable Cirq circuit (second stage of
:mod:`qntk_compile.simulation.runner`): the cached build (each distinct sub-bloq converted once, see
:mod:`qntk_compile.simulation.circuit_cache`) or the reference build (the whole flattened graph at
once).
"""

from __future__ import annotations

from dataclasses import dataclass

import cirq
import numpy as np
from qualtran import Bloq, Register

from qntk_compile.simulation.circuit_cache import CacheStats
from qntk_compile.simulation.gate_census import (
    GateCensus,
    census_of_leaves,
    flatten_for_simulation,
    gate_census,
    is_qec_atom,
)

__all__ = ["ANCILLA_PREFIX", "BUILD_METHODS", "build_circuit"]

#: Prefix of the ancilla qubits allocated while converting to Cirq.
ANCILLA_PREFIX = "_sim_anc"


def _register_qubits(reg: Register) -> np.ndarray:
    """Named qubits for a register, shaped ``reg.shape + (reg.bitsize,)``."""
    n = int(reg.total_bits())
    qubits = cirq.NamedQubit.range(n, prefix=f"{reg.name}_") if n else []
    return np.array(qubits, dtype=object).reshape(tuple(reg.shape) + (int(reg.bitsize),))


def _unitary_and(op: cirq.Operation) -> cirq.Operation | None:
    """``And`` / ``And†`` as a controlled X with the gate's control values (see module doc)."""
    from qualtran.bloqs.mcmt import And

    gate = op.gate
    if isinstance(gate, And):
        c1, c2, target = op.qubits
        return cirq.X(target).controlled_by(c1, c2, control_values=[int(gate.cv1), int(gate.cv2)])
    return None


def _simulable(op: cirq.Operation) -> bool:
    from qualtran import Bloq as _Bloq
    from qualtran.bloqs.mcmt import And

    if isinstance(op.gate, And):
        return False  # replaced by its unitary equivalent, see ``_unitary_and``
    if isinstance(op.gate, _Bloq) and not isinstance(op.gate, cirq.Gate):
        return False
    return cirq.num_qubits(op) <= 3 and cirq.has_unitary(op)


@dataclass(frozen=True)
class _Circuit:
    circuit: cirq.Circuit
    in_quregs: dict[str, np.ndarray]
    out_quregs: dict[str, np.ndarray]
    census: GateCensus
    qubits: tuple[cirq.Qid, ...]
    cache: CacheStats | None = None


def _lower(op: cirq.Operation) -> list[cirq.Operation]:
    """Decompose one converted operation into simulable operations (``And`` -> Toffoli)."""
    return cirq.decompose(
        op, keep=_simulable, intercepting_decomposer=_unitary_and, on_stuck_raise=None
    )


BUILD_METHODS = ("cached", "reference")


def build_circuit(
    bloq: Bloq,
    *,
    ancilla_prefix: str = ANCILLA_PREFIX,
    allow_opaque: bool = False,
    method: str = "cached",
    on_template=None,
) -> _Circuit:
    """Flatten ``bloq`` and convert it to a simulable Cirq circuit (no state is allocated).

    Returns an object with ``circuit``, ``in_quregs``/``out_quregs`` (register name -> qubit array
    shaped like the register), ``census`` (:class:`GateCensus` of the flattened bloq),
    ``qubits`` (all qubits: output-register qubits first, in signature order, then the rest) and
    ``cache`` (:class:`~qntk_compile.simulation.circuit_cache.CacheStats`, ``None`` for the
    reference). Raises ``ValueError`` if some leaf is not gate level (see
    :attr:`GateCensus.opaque`) unless ``allow_opaque``.

    Args:
        method: ``"cached"`` (default): each distinct sub-bloq is decomposed and converted once
            (:mod:`qntk_compile.simulation.circuit_cache`); ``"reference"``:
            ``CompositeBloq.flatten`` of the whole bloq, then ``to_cirq_circuit_and_quregs``. Both
            give the same gates and the same state (tests compare them).
        on_template: with ``"cached"``, called with each newly converted sub-bloq template
            (used for progress).
    """
    if method not in BUILD_METHODS:
        raise ValueError(f"method must be one of {BUILD_METHODS}, not {method!r}")
    in_quregs = {reg.name: _register_qubits(reg) for reg in bloq.signature.lefts()}
    qm = cirq.GreedyQubitManager(prefix=ancilla_prefix, maximize_reuse=True)
    stats = None
    if method == "reference":
        flat = flatten_for_simulation(bloq)
        census = gate_census(flat)
        _refuse_opaque(census, allow_opaque)
        raw, out_quregs = flat.to_cirq_circuit_and_quregs(qubit_manager=qm, **in_quregs)
        ops = _lower(raw)
        stuck = [op for op in ops if not _simulable(op)]
    else:
        from qntk_compile.simulation.circuit_cache import CircuitCache

        cache = CircuitCache(is_qec_atom, _lower, on_template=on_template)
        template = cache.template(bloq)
        census = census_of_leaves(template.leaves)
        _refuse_opaque(census, allow_opaque)
        ops = []
        flat_in = [q for reg in bloq.signature.lefts() for q in in_quregs[reg.name].reshape(-1)]
        outs = template.instantiate(flat_in, qm, ops)
        out_quregs = {}
        pos = 0
        for reg in bloq.signature.rights():
            shape = template.out_shapes[reg.name]
            k = int(np.prod(shape))
            out_quregs[reg.name] = np.array(outs[pos : pos + k], dtype=object).reshape(shape)
            pos += k
        stats = cache.stats(template)
        stuck = [op for op in cache.leaf_operations() if not _simulable(op)]
    if stuck:
        names = sorted({str(op.gate) for op in stuck})
        raise ValueError(f"cannot simulate these operations at gate level: {', '.join(names)}")
    ordered: list[cirq.Qid] = []
    seen: set[cirq.Qid] = set()
    for reg in bloq.signature.rights():
        for q in np.asarray(out_quregs[reg.name]).reshape(-1):
            if q not in seen:
                ordered.append(q)
                seen.add(q)
    others = set()
    for arr in in_quregs.values():
        others.update(np.asarray(arr).reshape(-1))
    for op in ops:
        others.update(op.qubits)
    ordered.extend(sorted(others - seen))
    circuit = cirq.Circuit(ops)
    # Idle qubits (e.g. a register no gate touches) must still be part of the state.
    used = circuit.all_qubits()
    idle = [q for q in ordered if q not in used]
    if idle:
        circuit.append(cirq.I.on_each(*idle))
    return _Circuit(circuit, in_quregs, dict(out_quregs), census, tuple(ordered), stats)


def _refuse_opaque(census: GateCensus, allow_opaque: bool) -> None:
    if census.opaque and not allow_opaque:
        raise ValueError(
            "not a gate-level circuit: these leaf bloqs have no decomposition: "
            + ", ".join(census.opaque)
        )
