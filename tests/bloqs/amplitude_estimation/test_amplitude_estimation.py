"""AmplitudeEstimation: simulated phase distribution vs Brassard et al.'s analytic one."""

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.amplitude_estimation.amplitude_estimation import (
    _AMPLITUDE_ESTIMATION_DOC,
    AE_SUCCESS_PROBABILITY,
    AmplitudeEstimation,
    _amplitude_estimation,
    _amplitude_estimation_symb,
    ae_error_bound,
    ae_estimate,
    ae_phase_distribution,
)
from bloqs.inner_product._example_preps import ToyRowPrep, example_symbolic_preps
from bloqs.inner_product.hadamard_test import HadamardTestOverlap
from tests.bloqs.amplitude_estimation.helpers import (
    assert_doc_examples_ok,
    generalize_data_angles,
    non_clifford,
    substitute,
)


def _ry_prep(ps):
    """|i>|0> -> |i>(sqrt(1-p_i)|0> + sqrt(p_i)|1>) on `target` (good = target 1)."""
    return ToyRowPrep.from_matrix([[np.sqrt(1 - p), np.sqrt(p)] for p in ps])


@pytest.mark.parametrize(
    "p, m", [(0.0, 3), (0.1, 3), (0.37, 3), (0.5, 3), (0.9, 3), (1.0, 3), (0.23, 2), (0.71, 4)]
)
def test_phase_distribution_single(p, m):
    ae = AmplitudeEstimation(_ry_prep([p]), m, good_register="target")
    out = ae.tensor_contract()[:, 0].reshape(2, 2**m)  # (target, phase)
    dist = np.sum(np.abs(out) ** 2, axis=0)
    np.testing.assert_allclose(dist, ae_phase_distribution(p, m), atol=1e-10)


def test_phase_distribution_passthrough_superposition():
    ps, m = (0.15, 0.8), 3
    ae = AmplitudeEstimation(_ry_prep(ps), m, good_register="target")
    u = ae.tensor_contract()  # (index, target, phase)
    big_m = 2**m
    state = (u[:, 0] + u[:, 2 * big_m]) / np.sqrt(2)  # index in |+>, target and phase |0>
    joint = np.sum(np.abs(state.reshape(2, 2, big_m)) ** 2, axis=1)
    for i, p in enumerate(ps):
        np.testing.assert_allclose(joint[i], ae_phase_distribution(p, m) / 2, atol=1e-10)


def test_on_hadamard_test_overlap():
    """AE of the inner-product test (Theorem III.5, eq. 26): p_i = (1 - <x_i|x*>)/2 per index."""
    rng = np.random.default_rng(4)
    rows, x = rng.normal(size=(2, 2)), rng.normal(size=(1, 2))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    x /= np.linalg.norm(x)
    m = 3
    ae = AmplitudeEstimation(
        HadamardTestOverlap(ToyRowPrep.from_matrix(rows), ToyRowPrep.from_matrix(x)), m
    )
    u = ae.tensor_contract()  # (index, target, flag, phase)
    for i in range(2):
        out = u[:, i * 4 * 2**m].reshape(2, 4, 2**m)
        assert np.allclose(out[1 - i], 0, atol=1e-10)
        p = (1 - rows[i] @ x[0]) / 2
        dist = np.sum(np.abs(out[i]) ** 2, axis=0)
        np.testing.assert_allclose(dist, ae_phase_distribution(p, m), atol=1e-10)


@pytest.mark.parametrize("m", [2, 3, 5, 8])
def test_analytic_distribution_meets_lemma_iii_2(m):
    for p in np.linspace(0, 1, 41):
        dist = ae_phase_distribution(p, m)
        assert abs(dist.sum() - 1) < 1e-12
        ok = np.abs(ae_estimate(np.arange(2**m), m) - p) <= ae_error_bound(p, m) + 1e-12
        assert dist[ok].sum() >= AE_SUCCESS_PROBABILITY - 1e-12
    for p in (0.0, 1.0):  # exact for p in {0, 1}
        assert ae_estimate(np.argmax(ae_phase_distribution(p, m)), m) == pytest.approx(p)
        assert ae_phase_distribution(p, m).max() == pytest.approx(1.0)


def test_adjoint_is_inverse():
    ae = AmplitudeEstimation(_ry_prep([0.3]), 2, good_register="target")
    u = ae.tensor_contract()
    np.testing.assert_allclose(ae.adjoint().tensor_contract(), u.conj().T, atol=1e-10)


def test_decomposition_and_counts():
    ae = _amplitude_estimation.make()
    assert_valid_bloq_decomposition(ae)
    assert_equivalent_bloq_counts(ae, ignore_split_join)
    _, sigma = ae.call_graph(max_depth=1)
    assert sigma[ae.controlled_iterate] == 2**ae.phase_bits - 1


def test_symbolic_cost_matches_concrete():
    symb = AmplitudeEstimation(
        HadamardTestOverlap(*example_symbolic_preps()), sympy.Symbol("m", positive=True)
    )
    t = sympy.Symbol("t", positive=True, integer=True)
    cost = non_clifford(get_cost_value(symb, QECGatesCost()))
    rng = np.random.default_rng(8)
    for tb, m in ((1, 1), (1, 3), (2, 2), (3, 3)):
        a = HadamardTestOverlap(
            ToyRowPrep.from_matrix(rng.normal(size=(2, 2**tb))),
            ToyRowPrep.from_matrix(rng.normal(size=(1, 2**tb))),
        )
        cc = get_cost_value(
            AmplitudeEstimation(a, m), QECGatesCost(), generalizer=generalize_data_angles
        )
        assert non_clifford(cc) == substitute(cost, {t: tb, symb.phase_bits: m})


def test_bad_inputs():
    a = HadamardTestOverlap(*example_symbolic_preps())
    for bad in (0, -2, 1.5):
        with pytest.raises(ValueError, match="phase_bits"):
            AmplitudeEstimation(a, bad)
    with pytest.raises(ValueError, match="not a register"):
        AmplitudeEstimation(a, 3, good_register="success")
    with pytest.raises(ValueError, match="phase"):
        AmplitudeEstimation(AmplitudeEstimation(a, 2), 2)
    with pytest.raises(ValueError, match="p must be"):
        ae_phase_distribution(1.5, 3)


def _simulators():
    sims = ["cirq"]
    try:
        import qsimcirq  # noqa: F401

        sims.append("qsim")
    except ImportError:
        pass
    return sims


@pytest.mark.parametrize("sim", _simulators())
def test_gate_level_simulation_and_census(sim):
    """The flattened circuit (qntk_compile.simulation.runner, And-uncompute as Toffoli) reproduces
    the distribution at complex64 precision, returns its ancillas to |0>, and its gate census equals
    QECGatesCost of the bloq."""
    from qntk_compile.simulation.runner import simulate_bloq

    rng = np.random.default_rng(4)
    rows, x = rng.normal(size=(2, 2)), rng.normal(size=(1, 2))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    x /= np.linalg.norm(x)
    m, i = 3, 1
    ae = AmplitudeEstimation(
        HadamardTestOverlap(ToyRowPrep.from_matrix(rows), ToyRowPrep.from_matrix(x)), m
    )
    res = simulate_bloq(ae, {"index": i}, simulator=sim)
    p = (1 - rows[i] @ x[0]) / 2
    np.testing.assert_allclose(res.marginal("phase"), ae_phase_distribution(p, m), atol=2e-6)
    assert res.ancilla_leak < 1e-6
    assert res.marginal("index")[i] == pytest.approx(1, abs=1e-6)
    cost = get_cost_value(ae, QECGatesCost())
    assert res.census.toffoli_like == cost.and_bloq + cost.toffoli + cost.cswap
    assert res.census.rotations == cost.rotation
    assert res.census.t == cost.t


@pytest.mark.parametrize("doc", [_AMPLITUDE_ESTIMATION_DOC])
def test_bloq_examples(doc):
    assert_doc_examples_ok(doc)


@pytest.mark.parametrize("example", [_amplitude_estimation, _amplitude_estimation_symb])
def test_adjoint_costs_like_forward(example):
    """The uncomputation (AE^dagger, used by PrepareTestKernel) costs the same non-Cliffords."""
    ae = example.make()
    fwd, adj = (get_cost_value(b, QECGatesCost()) for b in (ae, ae.adjoint()))
    assert (fwd.and_bloq, fwd.toffoli, fwd.rotation, fwd.t) == (
        adj.and_bloq,
        adj.toffoli,
        adj.rotation,
        adj.t,
    )
