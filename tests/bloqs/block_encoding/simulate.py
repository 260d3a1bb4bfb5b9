"""Tensor-contraction helpers for block encodings (small instances only)."""

import numpy as np
from qualtran import BloqBuilder


def block_of(block_encoding) -> np.ndarray:
    """⟨0|_anc U |0⟩_anc, contracting U with its ancilla allocated in |0⟩ (n × n)."""
    k, a = int(block_encoding.system_bitsize), int(block_encoding.ancilla_bitsize)
    bb = BloqBuilder()
    system = bb.add_register("system", k)
    ancilla = bb.allocate(a)
    system, ancilla = bb.add(block_encoding, system=system, ancilla=ancilla)
    v = bb.finalize(system=system, ancilla=ancilla).flatten().tensor_contract()
    n = 2**k
    return v.reshape(n, 2**a, n)[:, 0, :]


def block_by_cirq(block_encoding) -> tuple[np.ndarray, int]:
    """⟨0|U|0⟩ by Cirq state-vector simulation of the flattened circuit (and the qubit count)."""
    import cirq

    k, a = int(block_encoding.system_bitsize), int(block_encoding.ancilla_bitsize)
    bb = BloqBuilder()
    system, ancilla = bb.add_register("system", k), bb.add_register("ancilla", a)
    system, ancilla = bb.add(block_encoding, system=system, ancilla=ancilla)
    cbloq = bb.finalize(system=system, ancilla=ancilla).flatten()
    sys_q, anc_q = cirq.LineQubit.range(k), cirq.LineQubit.range(k, k + a)
    circuit, _ = cbloq.to_cirq_circuit_and_quregs(
        qubit_manager=cirq.GreedyQubitManager(prefix="_be", maximize_reuse=True),
        system=np.array(sys_q),
        ancilla=np.array(anc_q),
    )
    others = sorted(set(circuit.all_qubits()) - set(sys_q) - set(anc_q))
    shift = a + len(others)
    n = 2**k
    block = np.zeros((n, n), dtype=complex)
    for j in range(n):
        psi = (
            cirq.Simulator(dtype=np.complex128)
            .simulate(circuit, qubit_order=sys_q + anc_q + others, initial_state=j << shift)
            .final_state_vector
        )
        block[:, j] = psi[np.arange(n) << shift]
    return block, len(circuit.all_qubits())
