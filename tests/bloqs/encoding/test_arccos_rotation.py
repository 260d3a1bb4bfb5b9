import math

import cirq
import numpy as np
import pytest
import sympy
from qualtran._infra.gate_with_registers import get_named_qubits
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.encoding.arccos_rotation import (
    ArccosRotation,
    _arccos_rotation,
    _arccos_rotation_controlled,
    _arccos_rotation_symb,
    angle_integer,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)


def ry_matrix(phi):
    c, s = math.cos(phi / 2), math.sin(phi / 2)
    return np.array([[c, -s], [s, c]])


def ideal_unitary(b, controlled=False):
    """Σ_a |a><a| ⊗ Ry(2πa/2^b) (ctrl, angle big-endian, flag)."""
    u = np.zeros((2 ** (b + 1), 2 ** (b + 1)))
    for a in range(2**b):
        u[2 * a : 2 * a + 2, 2 * a : 2 * a + 2] = ry_matrix(2 * math.pi * a / 2**b)
    if controlled:
        return np.block([[np.eye(len(u)), np.zeros_like(u)], [np.zeros_like(u), u]])
    return u


@pytest.mark.parametrize("b", [1, 2, 3, 4])
def test_rotation_amplitudes_all_angles(b):
    u = ArccosRotation(b).tensor_contract()
    np.testing.assert_allclose(u, ideal_unitary(b), atol=1e-8)
    for a in range(2**b):
        amp0 = u[2 * a, 2 * a]
        assert abs(amp0 - math.cos(math.pi * a / 2**b)) < 1e-8


@pytest.mark.parametrize("b", [1, 2, 3])
def test_controlled_rotation_tensor(b):
    bloq = ArccosRotation(b).controlled()
    assert bloq == ArccosRotation(b, is_controlled=True)  # hand-written, via get_ctrl_system
    np.testing.assert_allclose(bloq.tensor_contract(), ideal_unitary(b, True), atol=1e-8)


@pytest.mark.parametrize("b", [2, 3])
def test_adjoint_inverts(b):
    for rot in (ArccosRotation(b), ArccosRotation(b, is_controlled=True)):
        u, ua = rot.tensor_contract(), rot.adjoint().tensor_contract()
        np.testing.assert_allclose(ua @ u, np.eye(len(u)), atol=1e-8)
        assert rot.adjoint().adjoint() == rot


def test_controlled_rotation_cirq():
    bloq = _arccos_rotation_controlled.make()  # b = 3
    quregs = get_named_qubits(bloq.signature.lefts())
    circuit = bloq.decompose_bloq().to_cirq_circuit(
        qubit_manager=cirq.GreedyQubitManager(prefix="anc", maximize_reuse=True), cirq_quregs=quregs
    )
    named = [*quregs["ctrl"].flatten(), *quregs["angle"].flatten(), *quregs["flag"].flatten()]
    ancillas = sorted(set(circuit.all_qubits()) - set(named))
    assert len(ancillas) == 1  # one And target, reused for every bit
    ideal = ideal_unitary(3, True)
    sim = cirq.Simulator(dtype=np.complex128)
    for col in range(32):
        state = sim.simulate(
            circuit, qubit_order=named + ancillas, initial_state=col << len(ancillas)
        ).final_state_vector
        amp = state.reshape(32, -1)
        np.testing.assert_allclose(amp[:, 0], ideal[:, col], atol=1e-6)  # ancilla back to |0>


def test_angle_integer_encodes_kernel_to_table_precision():
    for b in (2, 3, 5, 8):
        ks = np.linspace(-1, 1, 101)
        a = angle_integer(ks, b)
        assert a.min() >= 0 and a.max() < 2**b
        err = np.abs(np.cos(np.pi * a / 2**b) - ks)
        assert err.max() <= math.pi / 2 ** (b + 1) + 1e-12  # half an angle step
        # sign is kept: negative kernel values get angles > π/2
        assert np.all(np.cos(np.pi * a / 2**b)[ks < -math.pi / 2**b] < 0)
    with pytest.raises(ValueError):
        angle_integer([1.5], 3)
    with pytest.raises(ValueError):
        angle_integer([np.nan], 3)


def test_table_then_rotation_gives_kernel_amplitude():
    # lookup value a = angle_integer(k) fed to the rotation gives amplitude k to table precision
    b = 4
    u = ArccosRotation(b).tensor_contract()
    for k in [-0.95, -0.5, -0.1, 0.0, 0.3, 0.77, 1.0]:
        a = int(angle_integer(k, b))
        assert abs(u[2 * a, 2 * a] - k) <= math.pi / 2 ** (b + 1)


@pytest.mark.parametrize(
    "bloq", [ArccosRotation(1), _arccos_rotation.make(), _arccos_rotation_controlled.make()]
)
def test_decomposition_and_counts(bloq):
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, ignore_split_join)
    assert_valid_bloq_decomposition(bloq.adjoint())
    assert_equivalent_bloq_counts(bloq.adjoint(), ignore_split_join)


def test_symbolic_cost_equals_concrete():
    b = sympy.Symbol("b", positive=True, integer=True)
    for ctrl in (False, True):
        symb = get_cost_value(ArccosRotation(b, is_controlled=ctrl), QECGatesCost())
        for bv in (2, 3, 4, 6):
            conc = get_cost_value(ArccosRotation(bv, is_controlled=ctrl), QECGatesCost())
            assert conc.rotation == symb.rotation.subs(b, bv) == 2 * (bv - 2)
            assert conc.t == symb.t == 2
            assert conc.and_bloq == sympy.sympify(symb.and_bloq).subs(b, bv) == (bv if ctrl else 0)
            assert conc.toffoli == conc.cswap == 0
    assert isinstance(_arccos_rotation_symb.make(), ArccosRotation)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        ArccosRotation(bad)


@pytest.mark.parametrize("name", ["_arccos_rotation", "_arccos_rotation_controlled"])
def test_bloq_examples_counts_pass(name):
    import bloqs.encoding.arccos_rotation as module

    assert_example_counts_pass(getattr(module, name))


@pytest.mark.parametrize("name", ["_arccos_rotation_symb"])
def test_symbolic_examples_cost(name):
    import bloqs.encoding.arccos_rotation as module

    assert_symbolic_example_cost_is_symbolic(getattr(module, name))
