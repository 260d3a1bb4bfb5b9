"""Tests of the generic gate-level simulator (qntk_compile.simulation.runner) on Qualtran's own
bloqs."""

from functools import cached_property

import attrs
import cirq
import numpy as np
import pytest
import sympy
from qualtran import Bloq, BloqBuilder, QAny, QUInt, Register, Signature
from qualtran.bloqs.arithmetic import Add, LessThanEqual
from qualtran.bloqs.basic_gates import CNOT, CSwap, Hadamard, Rx, Ry, Rz, Toffoli
from qualtran.bloqs.data_loading.qrom import QROM
from qualtran.bloqs.mcmt import And
from qualtran.resource_counting import QECGatesCost, get_cost_value

from qntk_compile.simulation import runner as simulation
from qntk_compile.simulation.runner import (
    SimulationTooLargeError,
    build_circuit,
    check_width,
    simulate_bloq,
    state_vector_bytes,
)

try:
    import qsimcirq
except ImportError:  # pragma: no cover - qsimcirq is in the [sim] / [all] extras
    qsimcirq = None

needs_qsim = pytest.mark.skipif(qsimcirq is None, reason="qsimcirq not installed")
SIMULATORS = ["cirq", pytest.param("qsim", marks=needs_qsim)]


def _mixer() -> Bloq:
    """Hadamards, rotations, an adder, a CSwap and a Toffoli on 3 + 3 + 1 qubits."""
    bb = BloqBuilder()
    x = bb.add_register("x", 3)
    y = bb.add_register("y", 3)
    c = bb.add_register("c", 1)
    xs = bb.split(x)
    for j in range(3):
        xs[j] = bb.add(Hadamard(), q=xs[j])
    xs[0] = bb.add(Rz(0.3), q=xs[0])
    xs[1] = bb.add(Ry(0.7), q=xs[1])
    c = bb.add(Rx(1.1), q=c)
    x = bb.join(xs)
    x, y = bb.add(Add(QUInt(3)), a=x, b=y)
    c, x, y = bb.add(CSwap(3), ctrl=c, x=x, y=y)
    ys = bb.split(y)
    (ys[0], ys[1]), ys[2] = bb.add(Toffoli(), ctrl=[ys[0], ys[1]], target=ys[2])
    y = bb.join(ys)
    return bb.finalize(x=x, y=y, c=c)


def _basis_index(bloq: Bloq, values: dict) -> int:
    bits = []
    for reg in bloq.signature.lefts():
        v = int(values.get(reg.name, 0))
        n = int(reg.total_bits())
        bits += [(v >> (n - 1 - j)) & 1 for j in range(n)]
    return int("".join(map(str, bits)) or "0", 2)


def _clean_output_state(res) -> np.ndarray:
    """Amplitudes over the output registers with every ancilla in |0>."""
    n_out = res.qubits - len(res.ancilla_positions)
    assert list(res.ancilla_positions) == list(range(n_out, res.qubits))
    psi = res.state.reshape(2**n_out, 2 ** len(res.ancilla_positions))
    return psi[:, 0]


CASES = [
    (QROM.build_from_data(np.array([1, 2, 3, 0, 5])), {"selection": 4}),
    (QROM.build_from_data(np.array([7, 0, 2, 6])), {"selection": 2}),
    (And(1, 0), {"ctrl": 0b10}),
    (Add(QUInt(3)), {"a": 5, "b": 6}),
    (LessThanEqual(3, 3), {"x": 3, "y": 5}),
]


@pytest.mark.parametrize("bloq,inputs", CASES)
@pytest.mark.parametrize("sim", SIMULATORS)
def test_state_equals_tensor_contraction_on_basis_inputs(bloq, inputs, sim):
    res = simulate_bloq(bloq, inputs, simulator=sim, return_state=True)
    assert res.ancilla_leak < 1e-6
    expected = bloq.tensor_contract()[:, _basis_index(bloq, inputs)]
    np.testing.assert_allclose(_clean_output_state(res), expected, atol=1e-5)


@pytest.mark.parametrize("sim", SIMULATORS)
def test_superposition_bloq_equals_tensor_contraction(sim):
    bloq = _mixer()
    inputs = {"x": 0, "y": 3, "c": 0}
    res = simulate_bloq(bloq, inputs, simulator=sim, return_state=True)
    expected = bloq.tensor_contract()[:, _basis_index(bloq, inputs)]
    got = _clean_output_state(res)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # Marginals of named registers follow from the same amplitudes.
    joint = (np.abs(expected) ** 2).reshape(8, 8, 2)
    np.testing.assert_allclose(res.marginal("x"), joint.sum(axis=(1, 2)), atol=1e-6)
    np.testing.assert_allclose(res.marginal("c", "y"), joint.sum(axis=0).T, atol=1e-6)
    assert res.probability_zero("c") == pytest.approx(joint[:, :, 0].sum(), abs=1e-6)


@needs_qsim
def test_qsim_and_cirq_agree():
    bloq = _mixer()
    a = simulate_bloq(bloq, {"y": 5, "c": 1}, simulator="cirq", return_state=True)
    b = simulate_bloq(bloq, {"y": 5, "c": 1}, simulator="qsim", return_state=True)
    assert a.qubits == b.qubits and a.gates == b.gates
    np.testing.assert_allclose(a.probabilities, b.probabilities, atol=1e-6)
    overlap = abs(np.vdot(a.state, b.state))
    assert overlap == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(
    "bloq",
    [
        QROM.build_from_data(np.array([1, 2, 3, 0, 5])),
        QROM.build_from_data(np.arange(16) % 5, num_controls=1),
        Add(QUInt(4)),
        LessThanEqual(3, 4),
        _mixer(),
    ],
)
def test_census_matches_qec_gates_cost(bloq):
    census = build_circuit(bloq).census
    cost = get_cost_value(bloq, QECGatesCost())
    assert census.toffoli_like == cost.and_bloq + cost.toffoli + cost.cswap
    assert census.rotations == cost.rotation
    assert census.t == cost.t
    assert census.measurements == cost.measurement
    assert census.gates >= census.toffoli_like + census.rotations
    assert not census.opaque


def test_census_counts_every_operation_of_the_mixer():
    census = build_circuit(_mixer()).census
    assert census.rotations == 3
    assert census.by_type["Hadamard"] == 3
    assert census.by_type["Toffoli"] == 1
    assert census.by_type["TwoBitCSwap"] == 3
    assert census.gates == sum(census.by_type.values())


def test_check_width_message_names_qubits_and_bytes():
    with pytest.raises(SimulationTooLargeError, match=r"40 qubits.*bytes"):
        check_width(40, memory_bytes=10**9)
    with pytest.raises(SimulationTooLargeError, match=r"12 qubits.*limit of 10"):
        check_width(12, max_qubits=10)
    check_width(12, memory_bytes=10**9)  # 3 * 32 KiB fits
    assert state_vector_bytes(30) == 8 * 2**30
    assert issubclass(SimulationTooLargeError, ValueError)


def test_refuses_before_allocating(monkeypatch):
    def _boom(*args, **kwargs):
        raise AssertionError("a simulator was constructed")

    monkeypatch.setattr(cirq, "Simulator", _boom)
    if qsimcirq is not None:
        monkeypatch.setattr(qsimcirq, "QSimSimulator", _boom)
    bloq = QROM.build_from_data(np.arange(8))  # 3 + 3 register qubits + 2 ancillas
    with pytest.raises(SimulationTooLargeError, match="8 qubits"):
        simulate_bloq(bloq, max_qubits=7)
    with pytest.raises(SimulationTooLargeError, match="bytes"):
        simulate_bloq(bloq, memory_bytes=1000)


def test_refuses_wide_signature_before_flattening(monkeypatch):
    monkeypatch.setattr(
        simulation, "build_circuit", lambda *a, **k: pytest.fail("flattened a too-wide bloq")
    )
    with pytest.raises(SimulationTooLargeError, match="64 qubits"):
        simulate_bloq(Add(QUInt(32)))


def test_refuses_on_qubit_count_estimate_before_flattening(monkeypatch):
    monkeypatch.setattr(
        simulation, "build_circuit", lambda *a, **k: pytest.fail("flattened a too-wide bloq")
    )
    bloq = Add(QUInt(8))  # 16 register qubits, QubitCount estimate 23 (7 And ancillas)
    with pytest.raises(SimulationTooLargeError, match="QubitCount estimates.*23 qubits"):
        simulate_bloq(bloq, max_qubits=20)


def test_refuses_too_many_gates_before_flattening(monkeypatch):
    monkeypatch.setattr(
        simulation, "build_circuit", lambda *a, **k: pytest.fail("flattened a too-deep bloq")
    )
    with pytest.raises(SimulationTooLargeError, match="gates"):
        simulate_bloq(Add(QUInt(4)), max_gates=5)


def test_symbolic_bloq_is_rejected():
    with pytest.raises(ValueError, match="symbolic"):
        simulate_bloq(Add(QUInt(sympy.Symbol("n"))))


@attrs.frozen
class _Opaque(Bloq):
    """A bloq with a call graph but no decomposition."""

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("q", QAny(2))])

    def build_call_graph(self, ssa):
        return {Toffoli(): 1}


def test_non_gate_level_leaf_is_refused():
    with pytest.raises(ValueError, match="no decomposition"):
        simulate_bloq(_Opaque())


def test_dirty_ancilla_is_reported_as_leak():
    bb = BloqBuilder()
    q = bb.add_register("q", 1)
    anc = bb.allocate(1)
    q = bb.add(Hadamard(), q=q)
    q, anc = bb.add(CNOT(), ctrl=q, target=anc)  # the ancilla copies q ...
    bb.free(anc, dirty=True)  # ... and is released dirty
    bloq = bb.finalize(q=q)
    res = simulate_bloq(bloq, simulator="cirq")
    assert res.ancilla_leak == pytest.approx(0.5, abs=1e-6)
    np.testing.assert_allclose(res.marginal("q"), [0.5, 0.5], atol=1e-6)


def test_bad_inputs():
    bloq = Add(QUInt(3))
    with pytest.raises(ValueError, match="no input register"):
        simulate_bloq(bloq, {"z": 1})
    with pytest.raises(ValueError, match="does not fit"):
        simulate_bloq(bloq, {"a": 8})
    with pytest.raises(ValueError, match="simulator"):
        simulate_bloq(bloq, simulator="gpu")
    res = simulate_bloq(bloq, {"a": 1, "b": 2}, simulator="cirq")
    with pytest.raises(ValueError, match="no output register"):
        res.marginal("c")
    assert np.argmax(res.marginal("b")) == 3
    assert res.marginal("a", "b").shape == (8, 8)
