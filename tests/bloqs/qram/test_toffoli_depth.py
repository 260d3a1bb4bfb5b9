import cirq
import numpy as np
import sympy
from qualtran import BloqBuilder
from qualtran._infra.gate_with_registers import get_named_qubits
from qualtran.bloqs.basic_gates import CNOT, Toffoli, TwoBitCSwap
from qualtran.bloqs.data_loading import QROM
from qualtran.bloqs.mcmt import And
from qualtran.resource_counting import get_cost_value

from bloqs.qram.bucket_brigade import BucketBrigadeQRAM
from bloqs.qram.one_hot_decoder import OneHotDecoderQRAM
from bloqs.qram.toffoli_depth import ToffoliDepth, circuit_toffoli_depth
from bloqs.state_preparation.angle_register_ry import AngleRegisterRy
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader


def _cirq_depth(bloq):
    cbloq = bloq.decompose_bloq().flatten()
    circuit, _ = cbloq.to_cirq_circuit_and_quregs(
        qubit_manager=cirq.SimpleQubitManager(), **get_named_qubits(bloq.signature.lefts())
    )
    return circuit_toffoli_depth(circuit)


def test_leaves():
    assert get_cost_value(And(), ToffoliDepth()) == 1
    assert get_cost_value(And().adjoint(), ToffoliDepth()) == 0
    assert get_cost_value(Toffoli(), ToffoliDepth()) == 1
    assert get_cost_value(TwoBitCSwap(), ToffoliDepth()) == 1
    assert get_cost_value(CNOT(), ToffoliDepth()) == 0


def test_serial_and_parallel():
    bb = BloqBuilder()
    q = [bb.add_register(f"q{i}", 1) for i in range(6)]
    (q[0], q[1]), q[2] = bb.add(Toffoli(), ctrl=[q[0], q[1]], target=q[2])
    (q[3], q[4]), q[5] = bb.add(Toffoli(), ctrl=[q[3], q[4]], target=q[5])
    parallel = bb.finalize(**{f"q{i}": q[i] for i in range(6)})
    assert get_cost_value(parallel, ToffoliDepth()) == 1
    bb = BloqBuilder()
    q = [bb.add_register(f"q{i}", 1) for i in range(4)]
    (q[0], q[1]), q[2] = bb.add(Toffoli(), ctrl=[q[0], q[1]], target=q[2])
    (q[2], q[1]), q[3] = bb.add(Toffoli(), ctrl=[q[2], q[1]], target=q[3])
    serial = bb.finalize(**{f"q{i}": q[i] for i in range(4)})
    assert get_cost_value(serial, ToffoliDepth()) == 2


def test_controlled_rotation_ands_share_the_control():
    bloq = AngleRegisterRy(5, is_controlled=True)
    assert get_cost_value(bloq, ToffoliDepth()) == 5 == _cirq_depth(bloq)


def test_block_model_is_an_upper_bound_and_exact_on_flat_circuits():
    X = np.random.default_rng(0).normal(size=(4, 4))
    loader = RowAmplitudeLoader.from_matrix(X, 3)
    exact = _cirq_depth(loader)
    assert get_cost_value(loader.decompose_bloq().flatten(), ToffoliDepth()) == exact
    assert get_cost_value(loader, ToffoliDepth()) >= exact


def test_symbolic():
    N = sympy.Symbol("N", positive=True, integer=True)
    # no decomposition from sizes: serial upper bound N - 2 for QROM
    assert get_cost_value(QROM.build_from_bitsize((N,), (3,)), ToffoliDepth()) == N - 2
    # the QRAMs state their own (checked) formulas
    n = sympy.ceiling(sympy.log(N, 2))
    assert get_cost_value(BucketBrigadeQRAM.build_from_bitsize(N, 3), ToffoliDepth()) == 4 * n - 2
    assert get_cost_value(OneHotDecoderQRAM.build_from_bitsize(N, 3), ToffoliDepth()) == n - 1
