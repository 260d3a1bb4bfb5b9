"""The cached Cirq conversion (qntk_compile.simulation.circuit_cache) against the reference flatten
path."""

from collections import Counter

import cirq
import numpy as np
import pytest
from qualtran import BloqBuilder, QUInt
from qualtran.bloqs.arithmetic import Add, LessThanEqual
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.bloqs.data_loading.qrom import QROM
from qualtran.bloqs.mcmt import And

from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from qntk_compile.simulation.runner import build_circuit, simulate_bloq

X = np.array([[0.5, -0.1, 0.3, 0.2], [-1.0, 0.4, 0.0, 0.7]])


def _and_pair():
    """And, a CNOT-free use of the target, And† (measurement-based uncomputation in Qualtran)."""
    bb = BloqBuilder()
    a = bb.add_register("a", 1)
    b = bb.add_register("b", 1)
    a = bb.add(Hadamard(), q=a)
    b = bb.add(Hadamard(), q=b)
    (a, b), t = bb.add(And(), ctrl=[a, b])
    t = bb.add(Hadamard(), q=t)
    t = bb.add(Hadamard(), q=t)
    a, b = bb.add(And().adjoint(), ctrl=[a, b], target=t)
    return bb.finalize(a=a, b=b)


BLOQS = {
    "qrom": (QROM.build_from_data(np.array([1, 2, 3, 0, 5])), {"selection": 4}),
    "add": (Add(QUInt(3)), {"a": 5, "b": 6}),
    "leq": (LessThanEqual(3, 3), {"x": 3, "y": 5}),
    "and_pair": (_and_pair(), {}),
    "loader_qrom": (RowAmplitudeLoader.from_matrix(X, amplitude_bits=3), {"index": 1}),
    "loader_bucket_brigade": (
        RowAmplitudeLoader.from_matrix(X, amplitude_bits=3, data_access="bucket_brigade"),
        {"index": 1},
    ),
    "controlled_loader": (
        RowAmplitudeLoader.from_matrix(X, amplitude_bits=2).controlled(),
        {"ctrl": 1, "index": 1},
    ),
    "controlled_add": (Add(QUInt(2)).controlled(), {"ctrl": 1, "a": 1, "b": 2}),
}


def _gates(circuit: cirq.Circuit) -> Counter:
    return Counter(op.gate for op in circuit.all_operations() if op.gate != cirq.I)


@pytest.mark.parametrize("name", list(BLOQS))
def test_cached_build_equals_reference(name):
    bloq, inputs = BLOQS[name]
    ref = build_circuit(bloq, method="reference")
    new = build_circuit(bloq, method="cached")
    assert new.census == ref.census
    assert _gates(new.circuit) == _gates(ref.circuit)
    assert len(new.qubits) <= len(ref.qubits)
    assert new.cache is not None and ref.cache is None
    a = simulate_bloq(bloq, inputs, simulator="cirq", return_state=True, build_method="reference")
    b = simulate_bloq(bloq, inputs, simulator="cirq", return_state=True)
    assert a.registers.keys() == b.registers.keys()
    assert b.ancilla_leak < 1e-6 and a.ancilla_leak < 1e-6
    # Amplitudes of the output registers with all ancillas in |0>: equal to 1e-6.
    psi = []
    for res in (a, b):
        out = [p for name in res.registers for p in res.registers[name]]
        st = res.state.reshape((2,) * res.qubits)
        st = np.transpose(st, out + list(res.ancilla_positions))
        psi.append(st.reshape(2 ** len(out), -1)[:, 0])
    np.testing.assert_allclose(psi[1], psi[0], atol=1e-6)


def test_flat_bloq_gives_the_identical_circuit():
    """One level of decomposition: same operations on the same qubits in the same order."""
    bloq = QROM.build_from_data(np.array([1, 2, 3, 0, 5]))
    ref = build_circuit(bloq, method="reference")
    new = build_circuit(bloq, method="cached")
    assert list(new.circuit.all_operations()) == list(ref.circuit.all_operations())
    assert new.qubits == ref.qubits


def test_repeated_sub_bloq_is_converted_once():
    bb = BloqBuilder()
    a = bb.add_register("a", 3)
    b = bb.add_register("b", 3)
    for _ in range(4):
        a, b = bb.add(Add(QUInt(3)), a=a, b=b)
    bloq = bb.finalize(a=a, b=b)
    built = build_circuit(bloq)
    stats = built.cache
    assert stats.by_class["Add"] == {"distinct": 1, "instances": 4}
    assert 0 < stats.hit_rate < 1
    assert built.census == build_circuit(bloq, method="reference").census
    res = simulate_bloq(bloq, {"a": 3, "b": 1}, simulator="cirq")
    assert res.marginal("b")[(1 + 4 * 3) % 8] == pytest.approx(1.0, abs=1e-6)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        build_circuit(Add(QUInt(2)), method="fast")
