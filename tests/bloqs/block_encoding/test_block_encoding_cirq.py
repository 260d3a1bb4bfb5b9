"""The gate-level path a QSVT simulation takes: flatten, to Cirq, state-vector simulation."""

import numpy as np

from bloqs.block_encoding.weighted_sparse_block_encoding import (
    _weighted_sparse_block_encoding,
    example_matrix,
)
from tests.bloqs.block_encoding.simulate import block_by_cirq


def test_cirq_simulation_of_the_flattened_circuit():
    a, _ = example_matrix()
    be = _weighted_sparse_block_encoding.make()
    block, qubits = block_by_cirq(be)
    assert np.allclose(block.imag, 0)
    assert np.max(np.abs(be.alpha * block.real - a)) <= be.epsilon
    assert qubits == 15  # GreedyQubitManager with reuse


def test_cirq_simulation_of_the_adjoint():
    a, _ = example_matrix()
    be = _weighted_sparse_block_encoding.make().adjoint()
    block, _ = block_by_cirq(be)
    assert np.max(np.abs(be.alpha * block.real - a.T)) <= be.epsilon
