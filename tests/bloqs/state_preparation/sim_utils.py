"""Cirq state-vector simulation of a bloq's flattened decomposition (test helper)."""

import cirq
import numpy as np
from qualtran import Bloq, CompositeBloq
from qualtran._infra.gate_with_registers import get_named_qubits


def simulate_bloq(
    bloq: Bloq, hadamard_registers: tuple[str, ...] = (), basis: dict[str, int] | None = None
):
    """Run `bloq` on |0...0> (with H on `hadamard_registers`, X per `basis` values).

    Returns (state of the register qubits, norm left outside "all other qubits |0>", circuit).
    The register qubits are ordered as in the signature, big-endian within each register.
    """
    basis = basis or {}
    cbloq = (bloq if isinstance(bloq, CompositeBloq) else bloq.decompose_bloq()).flatten()
    in_quregs = get_named_qubits(bloq.signature.lefts())
    qm = cirq.GreedyQubitManager(prefix="_anc", maximize_reuse=True)
    circuit, out_quregs = cbloq.to_cirq_circuit_and_quregs(qubit_manager=qm, **in_quregs)
    prep = []
    for name in hadamard_registers:
        prep += [cirq.H(q) for q in np.asarray(in_quregs[name]).flatten()]
    for name, val in basis.items():
        qs = np.asarray(in_quregs[name]).flatten()
        for k, q in enumerate(qs):
            if (val >> (len(qs) - 1 - k)) & 1:
                prep.append(cirq.X(q))
    full = cirq.Circuit(prep) + circuit
    sys_qubits = [
        q for reg in bloq.signature.rights() for q in np.asarray(out_quregs[reg.name]).flatten()
    ]
    others = sorted(set(full.all_qubits()) - set(sys_qubits))
    order = sys_qubits + others
    res = cirq.Simulator(dtype=np.complex128, seed=1234).simulate(full, qubit_order=order)
    psi = res.final_state_vector.reshape(2 ** len(sys_qubits), 2 ** len(others))
    return psi[:, 0], float(np.linalg.norm(psi[:, 1:])), circuit
