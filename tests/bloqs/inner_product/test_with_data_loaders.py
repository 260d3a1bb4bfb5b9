"""HadamardTestOverlap and AmplitudeEstimation on the real data loaders of bloqs.state_preparation
(RowAmplitudeLoader for x_i, VectorAmplitudeLoader for x*), simulated at gate level."""

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.amplitude_estimation.amplitude_estimation import (
    AmplitudeEstimation,
    ae_phase_distribution,
)
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from bloqs.state_preparation.kp_tree import kp_tree_angles, quantized_tree_state
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader
from qntk_compile.simulation.runner import simulate_bloq
from tests.bloqs.amplitude_estimation.helpers import (
    generalize_data_angles,
    non_clifford,
    substitute,
)


def _loaded(v, bits):
    """The state the Kerenidis-Prakash tree prepares from the b-bit angles of v."""
    v = np.asarray(v, dtype=float)
    return quantized_tree_state(kp_tree_angles(v / np.linalg.norm(v), bits), bits)


def _instance(n, d, bits, seed):
    rng = np.random.default_rng(seed)
    mat, x = rng.normal(size=(n, d)), rng.normal(size=d)
    hto = HadamardTestOverlap(
        RowAmplitudeLoader.from_matrix(mat, bits), VectorAmplitudeLoader.from_vector(x, bits)
    )
    return mat, x, hto


@pytest.mark.parametrize("n, d", [(2, 2), (4, 2), (2, 4)])
def test_hadamard_test_with_loaders(n, d):
    bits = 5
    mat, x, hto = _instance(n, d, bits, seed=n + 10 * d)
    assert_valid_bloq_decomposition(hto)
    assert_equivalent_bloq_counts(hto)
    cost = get_cost_value(hto, QECGatesCost())
    xq = _loaded(x, bits)
    for i in range(n):
        res = simulate_bloq(hto, {"index": i})
        p_ref = (1 - _loaded(mat[i], bits) @ xq) / 2  # same discretisation as the circuit
        assert res.marginal("flag")[1] == pytest.approx(p_ref, abs=1e-6)
        assert res.marginal("index")[i] == pytest.approx(1, abs=1e-6)
        assert res.ancilla_leak < 1e-6
    assert res.census.toffoli_like == cost.and_bloq + cost.toffoli + cost.cswap
    assert res.census.rotations == cost.rotation and res.census.t == cost.t


def test_amplitude_estimation_with_loaders():
    bits, m, i = 4, 3, 1
    mat, x, hto = _instance(2, 2, bits, seed=0)
    ae = AmplitudeEstimation(hto, m)
    res = simulate_bloq(ae, {"index": i})
    p = (1 - _loaded(mat[i], bits) @ _loaded(x, bits)) / 2
    np.testing.assert_allclose(res.marginal("phase"), ae_phase_distribution(p, m), atol=2e-6)
    assert res.ancilla_leak < 1e-6


def test_symbolic_cost_with_loaders_matches_concrete():
    n, d, b, m = sympy.symbols("n d b m", positive=True, integer=True)

    def ae(nn, dd, bb, mm):
        hto = HadamardTestOverlap(
            RowAmplitudeLoader.from_sizes(nn, dd, bb), VectorAmplitudeLoader.from_sizes(dd, bb)
        )
        return AmplitudeEstimation(hto, mm)

    symb = non_clifford(get_cost_value(ae(n, d, b, m), QECGatesCost()))
    for sizes in ((2, 2, 3, 2), (4, 4, 4, 3), (8, 2, 5, 2)):
        conc = get_cost_value(ae(*sizes), QECGatesCost(), generalizer=generalize_data_angles)
        assert non_clifford(conc) == substitute(symb, dict(zip((n, d, b, m), sizes, strict=True)))
