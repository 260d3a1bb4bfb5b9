"""What both QRAM circuits of `bloqs.qram` must do: read the right word, cost what they say.

`BucketBrigadeQRAM` (routers and a bus) and `OneHotDecoderQRAM` (parallel decoder) share their
registers, checks and classical action (`QRAMBase`); each is simulated here against the table.
"""

import cirq
import numpy as np
import pytest
import sympy
from qualtran._infra.gate_with_registers import get_named_qubits
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
from bloqs.qram.one_hot_decoder import OneHotDecoderQRAM
from bloqs.qram.toffoli_depth import ToffoliDepth, circuit_toffoli_depth
from tests.bloqs.state_preparation.sim_utils import simulate_bloq

GEN = [ignore_split_join, ignore_alloc_free]
CLASSES = [BucketBrigadeQRAM, OneHotDecoderQRAM]


def _depth_formula(cls, n: int, controlled: bool) -> int:
    if cls is BucketBrigadeQRAM:
        return 4 * n - 2
    return n - 1 + int(controlled)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("N, b", [(2, 1), (4, 3), (8, 2), (16, 5), (64, 7)])
def test_classical_simulation_every_address(cls, N, b):
    data = np.random.default_rng(N * b).integers(0, 2**b, size=N)
    bloq = cls.build_from_data(data, b)
    cbloq = bloq.decompose_bloq()
    for x in range(N):
        t0 = int(data[(x * 7) % N])  # a nonzero starting target checks the XOR
        assert cbloq.call_classically(address=x, target=t0) == (x, t0 ^ data[x])
        assert bloq.call_classically(address=x, target=t0) == (x, t0 ^ data[x])
    if N <= 16:
        ctrl_cbloq = bloq.controlled().decompose_bloq()
        for x in range(N):
            t0 = int(data[(x * 7) % N])
            assert ctrl_cbloq.call_classically(ctrl=1, address=x, target=t0) == (1, x, t0 ^ data[x])
            assert ctrl_cbloq.call_classically(ctrl=0, address=x, target=t0) == (0, x, t0)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("N, b", [(2, 2), (4, 2), (8, 1), (8, 2)])
def test_cirq_superposition_of_addresses(cls, N, b):
    """sum_x |x>|D_x> / sqrt(N) with fidelity >= 1 - 1e-9; every router/flag back to |0>."""
    data = np.random.default_rng(N + b).integers(0, 2**b, size=N)
    bloq = cls.build_from_data(data, b)
    psi, leftover, circuit = simulate_bloq(bloq, ("address",))
    ideal = np.zeros(N * 2**b)
    ideal[np.arange(N) * 2**b + data] = 1 / np.sqrt(N)
    assert abs(np.vdot(ideal, psi)) ** 2 >= 1 - 1e-9
    assert leftover < 1e-9
    # the greedy qubit manager reaches Qualtran's QubitCount estimate (for N >= 4)
    width = len(circuit.all_qubits())
    assert width <= get_cost_value(bloq, QubitCount())
    if N >= 4:
        assert width == get_cost_value(bloq, QubitCount())


@pytest.mark.parametrize("cls", CLASSES)
def test_controlled_cirq_superposition(cls):
    N, b = 4, 2
    data = np.array([1, 3, 0, 2])
    ctrl = cls.build_from_data(data, b).controlled()
    assert isinstance(ctrl, cls) and ctrl.is_controlled
    psi, leftover, _ = simulate_bloq(ctrl, ("ctrl", "address"))
    ideal = np.zeros(2 * N * 2**b)
    for x in range(N):
        ideal[x * 2**b] = 1 / np.sqrt(2 * N)
        ideal[N * 2**b + x * 2**b + data[x]] = 1 / np.sqrt(2 * N)
    assert abs(np.vdot(ideal, psi)) ** 2 >= 1 - 1e-9 and leftover < 1e-9


@pytest.mark.parametrize("cls", CLASSES)
def test_tensor_simulation_of_controlled(cls):
    bloq = cls.build_from_data([1, 0], 1)
    U = bloq.controlled().tensor_contract()
    np.testing.assert_allclose(U[:4, :4], np.eye(4), atol=1e-12)
    np.testing.assert_allclose(U[4:, 4:], bloq.tensor_contract(), atol=1e-12)
    # 2 x 2 block: address 0 flips the target, address 1 leaves it
    np.testing.assert_allclose(
        bloq.tensor_contract(),
        np.kron(np.diag([1, 0]), [[0, 1], [1, 0]]) + np.kron(np.diag([0, 1]), np.eye(2)),
        atol=1e-12,
    )


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("controlled", [False, True])
@pytest.mark.parametrize("N", [2, 4, 8, 32])
def test_decomposition_and_counts(cls, controlled, N):
    bloq = cls.build_from_data(np.arange(N) % 4, 2)
    if controlled:
        bloq = bloq.controlled()
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, generalizer=GEN)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("controlled", [False, True])
def test_symbolic_costs_equal_concrete(cls, controlled):
    Ns, bs = sympy.symbols("N b", positive=True, integer=True)
    symb = cls.build_from_bitsize(Ns, bs)
    if controlled:
        symb = symb.controlled()
    gs = get_cost_value(symb, QECGatesCost())
    qs = get_cost_value(symb, QubitCount())
    ds = get_cost_value(symb, ToffoliDepth())
    for N, b in [(2, 3), (4, 2), (8, 3), (32, 4), (128, 1)]:
        # all-ones words: the data-free count (every bit set) is then exact for the Cliffords too
        conc = cls.build_from_data(np.full(N, 2**b - 1), b)
        if controlled:
            conc = conc.controlled()
        sub = {Ns: N, bs: b}
        gc = get_cost_value(conc, QECGatesCost())
        for field in ["and_bloq", "toffoli", "cswap", "clifford", "measurement", "t"]:
            assert sympy.sympify(getattr(gs, field)).subs(sub) == getattr(gc, field), field
        assert sympy.sympify(qs).subs(sub) == get_cost_value(conc, QubitCount())
        assert sympy.sympify(ds).subs(sub) == get_cost_value(conc.decompose_bloq(), ToffoliDepth())


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("controlled", [False, True])
@pytest.mark.parametrize("N", [2, 4, 8, 16])
def test_toffoli_depth_formula_vs_decomposition_and_cirq_layers(cls, controlled, N):
    """The static depth formula == the depth of the flattened decomposition (`ToffoliDepth`) ==
    ASAP Toffoli layers of the Cirq circuit (fresh ancillas)."""
    bloq = cls.build_from_data(np.arange(N) % 2, 1)
    if controlled:
        bloq = bloq.controlled()
    flat = bloq.decompose_bloq().flatten()
    circuit, _ = flat.to_cirq_circuit_and_quregs(
        qubit_manager=cirq.SimpleQubitManager(), **get_named_qubits(bloq.signature.lefts())
    )
    expect = _depth_formula(cls, N.bit_length() - 1, controlled)
    assert bloq.toffoli_depth() == expect
    assert get_cost_value(bloq, ToffoliDepth()) == expect
    assert get_cost_value(flat, ToffoliDepth()) == expect
    assert circuit_toffoli_depth(circuit) == expect


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(data=[0, 4], target_bitsize=2), "wider"),
        (dict(data=[0, -1], target_bitsize=2), "non-negative"),
        (dict(data=[0, 1, 2], target_bitsize=2), "power of two"),
        (dict(data=[1], target_bitsize=2), "power of two"),
        (dict(data=[0.5, 1.0], target_bitsize=2), "integers"),
        (dict(data=[np.nan, 1.0], target_bitsize=2), "integers"),
        (dict(data=[[0, 1]], target_bitsize=2), "1D"),
        (dict(data=[0, 1], target_bitsize=0), "target_bitsize"),
    ],
)
def test_bad_input(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls.build_from_data(**kwargs)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "data, match",
    [
        ((0, 1.5), "integers"),
        ((float("nan"), 1), "integers"),
        (("a", "b"), "integers"),
        ((True, False), "integers"),
        (np.array([0, 1]), "tuple of words"),
        ([0, 1], "tuple of words"),
    ],
)
def test_bad_words_direct_construction(cls, data, match):
    """The constructor itself (not only build_from_data) rejects words that are not integers."""
    with pytest.raises(ValueError, match=match):
        cls(data, 2)
    assert cls((np.int64(3), 1), 2).call_classically(address=0, target=0) == (0, 3)


@pytest.mark.parametrize("cls", CLASSES)
def test_bad_sizes(cls):
    with pytest.raises(ValueError, match="power of two"):
        cls.build_from_bitsize(12, 3)
