"""HHL and its controlled walk: walk eigenphases, end-to-end HHL state, counts, symbolic costs."""

import math

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Hadamard, Ry
from qualtran.bloqs.block_encoding import Unitary
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.simulation.tensor import initialize_from_zero

from bloqs.linear_systems.hhl import (
    HHL,
    ControlledBlockEncodingWalk,
    _controlled_block_encoding_walk,
    _controlled_block_encoding_walk_symb,
    _hhl,
    _hhl_symb,
    hhl_phase_bits,
    hhl_queries,
    inversion_angle_table,
)
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)
from tests.bloqs.linear_systems.dense_block_encoding import (
    dense_block_encoding,
    dense_state_prep,
)


@pytest.mark.parametrize("seed", [0, 1])
def test_walk_is_controlled_and_has_arccos_phases(seed):
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.1, 0.95, size=2)
    q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
    be = dense_block_encoding(q @ np.diag(lam) @ q.T, ancilla_bits=1, seed=seed, alpha=1.0)
    u = ControlledBlockEncodingWalk(be).tensor_contract().reshape(2, 4, 2, 4)
    np.testing.assert_allclose(u[0, :, 0, :], np.eye(4), atol=1e-10)  # ctrl = 0: identity
    np.testing.assert_allclose(u[0, :, 1, :], 0, atol=1e-10)
    phases = np.sort(np.angle(np.linalg.eigvals(u[1, :, 1, :])))
    want = np.sort(np.concatenate([2 * np.arccos(lam), -2 * np.arccos(lam)]))
    np.testing.assert_allclose(phases, want, atol=1e-8)


def test_hhl_state_fidelity_and_success_probability():
    t, b = 3, 6
    lam = np.cos(np.pi * np.array([1, 3]) / 2**t)  # eigenphases exact multiples of 2π/2^t
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(2, 2)))
    a, y = q @ np.diag(lam) @ q.T, np.array([0.6, 0.8])
    be = dense_block_encoding(a, ancilla_bits=1, seed=0, alpha=1.0)
    kappa = 1 / lam.min()
    hhl = HHL(be, dense_state_prep(y), t, b, kappa=kappa)
    psi = initialize_from_zero(hhl).tensor_contract().reshape(2, 2, 2**t, 2**b, 2)
    x = psi[:, 0, 0, 0, 1]  # ancilla 0, phase 0, angle 0, flag 1
    target = np.linalg.solve(a, y)
    fidelity = abs(np.vdot(target / np.linalg.norm(target), x / np.linalg.norm(x))) ** 2
    assert fidelity >= 0.99
    table = inversion_angle_table(t, b, kappa)
    ys = [1, 3]  # phase-register values of the two eigenvalues (±θ give the same |cos|)
    beta = q.T @ y
    predicted = sum(beta[i] ** 2 * math.sin(math.pi * table[ys[i]] / 2**b) ** 2 for i in range(2))
    assert np.isclose(np.linalg.norm(x) ** 2, predicted, atol=1e-9)
    ideal = np.linalg.norm(np.linalg.solve(a, y) / kappa) ** 2
    assert abs(np.linalg.norm(x) ** 2 - ideal) < 0.02  # b = 6 angle bits
    assert hhl.queries == hhl_queries(t) == 28
    counts = hhl.bloq_counts()
    assert counts[hhl.walk] == counts[hhl.walk.adjoint()] == 2**t - 1


def test_phase_bits_and_queries_formula():
    assert hhl_phase_bits(2, 1e-2) == math.ceil(math.log2(math.pi * 200))
    k, e = sympy.symbols("kappa epsilon", positive=True)
    assert hhl_phase_bits(k, e).subs({k: 10, e: 1e-3}) == hhl_phase_bits(10, 1e-3)
    assert hhl_queries(5) == 4 * 31


def test_symbolic_cost_equals_concrete():
    be, prep = Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.3)
    t, b = sympy.symbols("t b", positive=True, integer=True)
    kappa = sympy.Symbol("kappa", positive=True)
    symb = get_cost_value(HHL(be, prep, t, b, kappa), QECGatesCost())
    for tv, bv in ((1, 2), (2, 3), (3, 4)):
        conc = get_cost_value(HHL(be, prep, tv, bv, 2.0), QECGatesCost())
        subs = {t: tv, b: bv}
        # a concrete table prunes equal branches (the sizes-only lookup is an upper bound), and
        # concrete angles that are multiples of π/4 count as Clifford/T, not as rotations
        assert sympy.sympify(symb.and_bloq).subs(subs) >= conc.and_bloq
        assert sympy.sympify(symb.rotation).subs(subs) >= conc.rotation + conc.t
        concrete = HHL(be, prep, tv, bv, 2.0)
        symbolic = HHL(be, prep, t, b, kappa).bloq_counts()
        for bloq in (concrete.walk, concrete.walk.adjoint()):
            assert sympy.sympify(symbolic[bloq]).subs(subs) == concrete.bloq_counts()[bloq]
        assert 2 * sum(concrete.bloq_counts()[w] for w in (concrete.walk,)) * 2 == hhl_queries(tv)


def test_walk_symbolic_cost_equals_concrete():
    m = sympy.Symbol("m", positive=True, integer=True)
    symb = get_cost_value(_controlled_block_encoding_walk_symb.make(), QECGatesCost())
    for mv in (1, 2, 4):
        conc = get_cost_value(
            ControlledBlockEncodingWalk(Unitary(Hadamard(), ancilla_bitsize=mv)), QECGatesCost()
        )
        assert sympy.sympify(symb.and_bloq).subs(m, mv) == conc.and_bloq


@pytest.mark.parametrize(
    "call",
    [
        lambda: HHL(Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.1), 0, 3, 2.0),
        lambda: HHL(Unitary(Hadamard(), ancilla_bitsize=1), Ry(0.1), 3, 3, 0.5),
        lambda: HHL(Unitary(Hadamard(), ancilla_bitsize=1), Hadamard().controlled(), 3, 3, 2.0),
        lambda: ControlledBlockEncodingWalk(Unitary(Hadamard())),
        lambda: hhl_phase_bits(0.5, 1e-2),
        lambda: hhl_phase_bits(2.0, 1.5),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("ex", [_controlled_block_encoding_walk, _hhl], ids=lambda e: e.name)
def test_bloq_examples_counts_pass(ex):
    assert_example_counts_pass(ex)


@pytest.mark.parametrize(
    "ex", [_controlled_block_encoding_walk_symb, _hhl_symb], ids=lambda e: e.name
)
def test_symbolic_examples_cost(ex):
    assert_symbolic_example_cost_is_symbolic(ex)


def _off_grid_model(a, y, lam, q, t, b, kappa):
    """HHL's output classically, for eigenphases off the 2^t grid: each walk eigenphase ±θ_j
    (θ_j = 2 arccos λ_j) spreads over the phase register with the Fejér kernel
    |c_k(θ)|² = |2^−t Σ_m e^{im(θ − 2πk/2^t)}|²; the flag-1, phase-0 branch keeps
    β_j · ½ Σ_± Σ_k |c_k(±θ_j)|² sin(π·table[k]/2^b) of eigenvector j."""
    table = np.asarray(inversion_angle_table(t, b, kappa))
    s = np.sin(np.pi * table / 2**b)
    m, k = np.arange(2**t), np.arange(2**t)[:, None]
    beta = q.T @ y
    amps = []
    for lam_j, beta_j in zip(lam, beta, strict=True):
        theta = 2 * math.acos(lam_j)
        weight = sum(
            np.abs(np.exp(1j * m * (sign * theta - 2 * np.pi * k / 2**t)).sum(axis=1) / 2**t) ** 2
            for sign in (1, -1)
        )
        amps.append(beta_j * 0.5 * float(weight @ s))
    return q @ np.array(amps)


def test_hhl_off_the_phase_grid_matches_the_fejer_model():
    """Eigenvalues 0.8 and 0.35 are not on the t = 3 grid: the state's fidelity with A⁻¹y drops
    from the on-grid 0.99975 to 0.98837 (0.99618 at t = 4, 0.99424 at t = 5 — the textbook QPE
    has no window, so it is not monotone in t); the simulated amplitudes equal the Fejér model."""
    t, b = 3, 6
    lam = np.array([0.8, 0.35])
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(2, 2)))
    a, y = q @ np.diag(lam) @ q.T, np.array([0.6, 0.8])
    kappa = 1 / lam.min()
    be = dense_block_encoding(a, ancilla_bits=1, seed=0, alpha=1.0)
    hhl = HHL(be, dense_state_prep(y), t, b, kappa=kappa)
    psi = initialize_from_zero(hhl).tensor_contract().reshape(2, 2, 2**t, 2**b, 2)
    x = psi[:, 0, 0, 0, 1]
    model = _off_grid_model(a, y, lam, q, t, b, kappa)
    np.testing.assert_allclose(x, model, atol=1e-9)  # signed amplitudes, not only |x|²
    target = np.linalg.solve(a, y)
    fidelity = abs(np.vdot(target / np.linalg.norm(target), x / np.linalg.norm(x))) ** 2
    assert fidelity == pytest.approx(0.98837, abs=1e-5)
    for t_model, want in ((4, 0.99618), (5, 0.99424)):  # the model beyond what we simulate
        xm = _off_grid_model(a, y, lam, q, t_model, b, kappa)
        f = abs(np.vdot(target / np.linalg.norm(target), xm / np.linalg.norm(xm))) ** 2
        assert f == pytest.approx(want, abs=1e-5)


def test_walk_reflects_about_ancilla_and_resource_on_linear_combination():
    """Qualtran's LinearCombination leaves weight in ancilla = 0, resource ≠ 0: the walk must
    reflect about both being zero. On each eigenvector v of the block B = ⟨0|U|0⟩ (Bv = σv) the
    walk's two eigenphases ±2 arccos σ give ⟨0, v|W|0, v⟩ = cos(2 arccos σ) = 2σ² − 1; a walk
    reflecting about `ancilla` alone misses it."""
    from qualtran.bloqs.basic_gates import Identity, ZGate
    from qualtran.bloqs.block_encoding import LinearCombination

    be = LinearCombination((Unitary(Identity()), Unitary(ZGate())), (0.6, 0.3), lambd_bits=2)
    s, m, r = be.system_bitsize, be.ancilla_bitsize, be.resource_bitsize
    assert r > 0
    u = be.tensor_contract().reshape(2**s, 2**m, 2**r, 2**s, 2**m, 2**r)
    block = u[:, 0, 0, :, 0, 0]  # out, in
    sigma, vecs = np.linalg.eigh((block + block.T.conj()) / 2)
    np.testing.assert_allclose(block, np.diag(np.diag(block)), atol=1e-9)  # diag(1, 1/3)/α·…
    w = ControlledBlockEncodingWalk(be).tensor_contract()
    w = w.reshape(2, 2**s, 2**m, 2**r, 2, 2**s, 2**m, 2**r)[1, :, 0, 0, 1, :, 0, 0]
    for sig, v in zip(sigma, vecs.T, strict=True):
        assert np.vdot(v, w @ v).real == pytest.approx(2 * sig**2 - 1, abs=1e-8)
