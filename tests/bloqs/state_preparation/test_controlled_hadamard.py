"""ControlledHadamard: unitary of CH, counts (2 T-like R_y(±π/4), 1 CNOT), self-adjoint."""

import cirq
import numpy as np
from qualtran.bloqs.basic_gates import CHadamard
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.testing import assert_valid_bloq_decomposition

from bloqs.state_preparation.controlled_hadamard import (
    ControlledHadamard,
    _controlled_hadamard,
    _controlled_hadamard_symb,
)
from qntk_compile.simulation.gate_census import flatten_for_simulation, gate_census
from tests.bloqs.example_checks import assert_example_counts_pass


def test_unitary_is_controlled_hadamard():
    u = ControlledHadamard().decompose_bloq().tensor_contract()
    h = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    expected = np.block([[np.eye(2), np.zeros((2, 2))], [np.zeros((2, 2)), h]])
    np.testing.assert_allclose(u, expected, atol=1e-12)
    np.testing.assert_allclose(u, cirq.unitary(cirq.ControlledGate(cirq.H)), atol=1e-12)
    # the same unitary as Qualtran's (undecomposed) CHadamard
    np.testing.assert_allclose(u, CHadamard().tensor_contract(), atol=1e-12)


def test_self_adjoint():
    b = ControlledHadamard()
    assert b.adjoint() == b
    u = b.decompose_bloq().tensor_contract()
    np.testing.assert_allclose(u @ u, np.eye(4), atol=1e-12)


def test_decomposition_counts_and_census():
    b = ControlledHadamard()
    assert_valid_bloq_decomposition(b)
    assert_example_counts_pass(_controlled_hadamard)
    assert_example_counts_pass(_controlled_hadamard_symb)
    cost = get_cost_value(b, QECGatesCost())
    assert (cost.t, cost.rotation, cost.clifford, cost.and_bloq) == (2, 0, 1, 0)
    census = gate_census(flatten_for_simulation(b))
    assert census.opaque == ()
    assert (census.t, census.rotations, census.cliffords) == (2, 0, 1)
