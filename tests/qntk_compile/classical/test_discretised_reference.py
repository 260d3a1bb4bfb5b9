"""Tests of the discretised classical reference (qntk_compile.classical.discretised_reference).

Every formula is checked against an independent brute-force computation: explicit multiplexed
rotations for the loader, an explicit Grover-iterate phase estimation for the AE distribution,
enumeration of all k-tuples for the median, and an explicit state-vector model of
"prepare, rotate, uncompute, Hadamard-test readout" for the readout/leak formulas.
"""

import itertools
import math

import numpy as np
import pytest

from qntk_compile.classical.discretised_reference import (
    ae_phase_distribution,
    amplification_scales,
    discretised_diagonal_reference,
    fold_distribution,
    loaded_state,
    median_distribution,
)
from qntk_compile.kernel.ntk import ntk_value
from qntk_compile.kernel.table import angle_to_kernel, kernel_angle_table


def _ry(theta):
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -s], [s, c]])


def _tree_by_gates(v, b):
    """Apply the KP tree as explicit multiplexed Ry gates to |0...0> (qubit 0 most significant)."""
    v = np.asarray(v, float) / np.linalg.norm(v)
    m = int(math.log2(v.size))
    state = np.zeros(v.size)
    state[0] = 1.0
    for level in range(m):
        for prefix in range(2**level):
            seg = v.reshape(2**level, -1)[prefix]
            if level == m - 1:
                theta, span = (2 * math.atan2(seg[1], seg[0])) % (4 * math.pi), 4 * math.pi
            else:
                w, w0 = np.sum(seg**2), np.sum(seg[: seg.size // 2] ** 2)
                theta = 0.0 if w == 0 else 2 * math.acos(math.sqrt(min(1.0, w0 / w)))
                span = 2 * math.pi
            a = round(theta / span * 2**b) % 2**b
            gate = _ry(a * span / 2**b)
            # act on qubit `level` of the basis states whose first `level` bits equal `prefix`
            psi = state.reshape(2**level, 2, -1)
            psi[prefix] = np.einsum("ij,jk->ik", gate, psi[prefix])
            state = psi.reshape(-1)
    return state


@pytest.mark.parametrize("b", [2, 3, 5, 8])
@pytest.mark.parametrize("seed", [0, 1])
def test_loaded_state_equals_explicit_rotation_tree(b, seed):
    v = np.random.default_rng(seed).normal(size=8)
    np.testing.assert_allclose(loaded_state(v, b), _tree_by_gates(v, b), atol=1e-12)
    assert np.linalg.norm(loaded_state(v, b)) == pytest.approx(1.0)


def test_loaded_state_converges_and_handles_zeros():
    v = np.array([0.3, -0.2, 0.0, 0.9])
    np.testing.assert_allclose(loaded_state(v, 24), v / np.linalg.norm(v), atol=1e-6)
    np.testing.assert_allclose(loaded_state([1, 0, 0, 0], 2), [1, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(loaded_state([0, 0, 0, -1], 3), [0, 0, 0, -1], atol=1e-12)
    for bad in ([0, 0], [1, 2, 3], [np.nan, 1.0]):
        with pytest.raises(ValueError):
            loaded_state(bad, 4)


def _qpe_distribution(p, m):
    """Textbook QPE on the Grover iterate of A = Ry(2θ) (flag = the qubit), by explicit matrices."""
    theta = math.asin(math.sqrt(p))
    a = _ry(2 * theta)  # A|0> = cos θ|0> + sin θ|1>
    s_good = np.diag([1.0, -1.0])  # reflect the good (flag = 1) part
    s_zero = np.diag([-1.0, 1.0])  # S0 = I - 2|0><0|
    q = -a @ s_zero @ a.T @ s_good  # Q = -A S0 A† Sχ (Brassard et al. 2002)
    big_m = 2**m
    state = np.zeros((big_m, 2))
    psi0 = a[:, 0]
    for j in range(big_m):  # after H^m and controlled-Q^j: Σ_j |j> Q^j A|0> / √M
        state[j] = np.linalg.matrix_power(q, j) @ psi0
    state = state / math.sqrt(big_m)
    dft = np.exp(-2j * np.pi * np.outer(np.arange(big_m), np.arange(big_m)) / big_m)
    out = dft @ state / math.sqrt(big_m)  # inverse QFT on the phase register
    return np.sum(np.abs(out) ** 2, axis=1)


@pytest.mark.parametrize("p", [0.0, 0.05, 0.3, 0.5, 0.77, 1.0])
@pytest.mark.parametrize("m", [2, 4, 5])
def test_ae_distribution_equals_explicit_phase_estimation(p, m):
    np.testing.assert_allclose(ae_phase_distribution(p, m), _qpe_distribution(p, m), atol=1e-10)


def test_ae_distribution_edge_cases():
    np.testing.assert_allclose(ae_phase_distribution(0.0, 3), np.eye(8)[0], atol=1e-15)
    np.testing.assert_allclose(ae_phase_distribution(1.0, 3), np.eye(8)[4], atol=1e-15)
    with pytest.raises(ValueError):
        ae_phase_distribution(1.5, 3)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_median_distribution_by_enumeration(k):
    pmf = np.array([0.1, 0.4, 0.2, 0.3])
    brute = np.zeros(4)
    for tup in itertools.product(range(4), repeat=k):
        brute[sorted(tup)[(k - 1) // 2]] += np.prod(pmf[list(tup)])
    np.testing.assert_allclose(median_distribution(pmf, k), brute, atol=1e-12)


def test_median_rejects_even_copies():
    with pytest.raises(ValueError):
        median_distribution([0.5, 0.5], 2)


def _explicit_readout(med_pmf, cos_y, label, rng):
    """State-vector model of rows i: random unitary U_i with Pr(median = y) = med_pmf[i, y] and a
    random garbage register, flag rotation by θ_y, U_i†, then the Hadamard-test readout."""
    n_rows, big_m = med_pmf.shape
    g = 2  # garbage dimension
    theta = np.arccos(cos_y)
    dim = big_m * g
    # amplitudes of the final (ancilla, index, scratch, flag) state
    final = np.zeros((2, n_rows, dim, 2))
    for i in range(n_rows):
        # U_i|0> = Σ_y √P(y) |y>|g_y> with random garbage; complete it to a unitary via QR.
        col = np.zeros(dim)
        for y in range(big_m):
            gv = rng.normal(size=g)
            col[y * g : (y + 1) * g] = math.sqrt(med_pmf[i, y]) * gv / np.linalg.norm(gv)
        basis = np.linalg.qr(np.column_stack([col, rng.normal(size=(dim, dim - 1))]))[0]
        u = basis * np.sign(basis[:, 0] @ col)
        # rotate the flag by θ_y on U_i|0>|0>
        psi = np.zeros((dim, 2))
        for y in range(big_m):
            sl = slice(y * g, (y + 1) * g)
            psi[sl, 0] = u[sl, 0] * math.cos(theta[y])
            psi[sl, 1] = u[sl, 0] * math.sin(theta[y])
        s_branch = u.T @ psi  # U_i† on the scratch, flag untouched
        y_branch = np.zeros((dim, 2))
        y_branch[0, 0] = label[i]
        final[0, i] = (s_branch / math.sqrt(n_rows) + y_branch) / 2
        final[1, i] = (s_branch / math.sqrt(n_rows) - y_branch) / 2
    prob = final**2
    p_flag0 = prob[..., 0].sum()
    p_read = prob[0, ..., 0].sum() / p_flag0
    leak = prob[:, :, 1:, :].sum()
    return p_read, 2 * p_flag0 - 1, leak


def test_readout_and_leak_formulas_against_explicit_state_vector():
    rng = np.random.default_rng(7)
    n_rows, m, b, depth = 4, 3, 4, 2
    X = rng.normal(size=(n_rows, 4))
    x_test = rng.normal(size=4)
    labels = np.array([1.0, -1.0, 1.0, 1.0])
    k_max = float(ntk_value(0.9, depth))
    ref = discretised_diagonal_reference(
        X,
        labels,
        x_test,
        depth=depth,
        k_max=k_max,
        amplitude_bits=3,
        phase_bits=m,
        median_copies=3,
        kernel_bits=b,
    )
    cos_y = angle_to_kernel(kernel_angle_table(depth, k_max, m, b), b)
    p_read, p_succ, leak = _explicit_readout(ref.median_pmf, cos_y, ref.label_state, rng)
    assert ref.p_readout == pytest.approx(p_read, abs=1e-10)
    assert ref.p_success == pytest.approx(p_succ, abs=1e-10)
    assert ref.leak == pytest.approx(leak, abs=1e-10)
    assert ref.leak > 1e-4  # a few phase bits: the median is not deterministic, garbage remains


def test_high_precision_approaches_ideal():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4, 4))
    x_test = X[0] + 0.3 * rng.normal(size=4)
    labels = np.array([1.0, -1.0, -1.0, 1.0])
    depth = 3
    k_max = float(ntk_value(0.5, depth))
    coarse = discretised_diagonal_reference(
        X,
        labels,
        x_test,
        depth=depth,
        k_max=k_max,
        amplitude_bits=3,
        phase_bits=3,
        median_copies=1,
        kernel_bits=3,
    )
    fine = discretised_diagonal_reference(
        X,
        labels,
        x_test,
        depth=depth,
        k_max=k_max,
        amplitude_bits=20,
        phase_bits=11,
        median_copies=5,
        kernel_bits=16,
    )
    assert abs(fine.p_readout - fine.p_readout_ideal) < 2e-3
    assert abs(fine.p_success - fine.p_success_ideal) < 2e-3
    assert fine.leak < 1e-3
    assert abs(coarse.p_readout - coarse.p_readout_ideal) > abs(
        fine.p_readout - fine.p_readout_ideal
    )
    np.testing.assert_allclose(fine.kernel_mean, fine.kernel_ideal, atol=1e-2)


def test_ideal_readout_formula():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(4, 2))
    x_test = rng.normal(size=2)
    labels = np.array([1.0, 1.0, -1.0, 0.0])  # a padding row has label 0
    depth, k_max = 2, float(ntk_value(0.8, 2))
    ref = discretised_diagonal_reference(
        X,
        labels,
        x_test,
        depth=depth,
        k_max=k_max,
        amplitude_bits=4,
        phase_bits=3,
        median_copies=3,
        kernel_bits=4,
    )
    k = ref.kernel_ideal
    big_n = 4
    pn = np.sum(k**2) / big_n
    yn = labels / np.linalg.norm(labels)
    expected = (pn + 1 + 2 * np.dot(k, yn) / math.sqrt(big_n)) / (2 * (pn + 1))
    assert ref.p_readout_ideal == pytest.approx(expected)
    assert ref.p_success_ideal == pytest.approx(pn)
    assert ref.sign_ideal == np.sign(np.dot(k, labels))
    assert ref.as_dict()["sign"] in (-1, 0, 1)


def test_shape_errors():
    with pytest.raises(ValueError, match="shapes"):
        discretised_diagonal_reference(
            np.ones((4, 2)),
            np.ones(3),
            np.ones(2),
            depth=1,
            k_max=1.0,
            amplitude_bits=3,
            phase_bits=3,
            median_copies=1,
            kernel_bits=3,
        )


def test_fold_distribution_by_enumeration():
    pmf = np.array([0.05, 0.1, 0.2, 0.15, 0.1, 0.05, 0.25, 0.1])
    folded = fold_distribution(pmf)
    brute = np.zeros(8)
    for y, p in enumerate(pmf):
        brute[min(y, 8 - y)] += p
    np.testing.assert_allclose(folded, brute)
    assert folded[5:].sum() == 0 and folded.sum() == pytest.approx(1.0)


def test_median_copies_fold_the_phases():
    """k > 1 folds y -> min(y, M - y) before the median (as PrepareTestKernel does)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(2, 2))
    x_test = rng.normal(size=2)
    kw = dict(depth=2, k_max=float(ntk_value(0.8, 2)), amplitude_bits=5, phase_bits=3)
    ref = discretised_diagonal_reference(
        X, np.array([1.0, -1.0]), x_test, median_copies=3, kernel_bits=4, **kw
    )
    for i, x in enumerate(X):
        p = (1 - loaded_state(x, 5) @ loaded_state(x_test, 5)) / 2
        expected = median_distribution(fold_distribution(ae_phase_distribution(p, 3)), 3)
        np.testing.assert_allclose(ref.median_pmf[i], expected, atol=1e-12)
        assert ref.median_pmf[i][5:].sum() == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError, match="odd"):
        discretised_diagonal_reference(
            X, np.array([1.0, -1.0]), x_test, median_copies=2, kernel_bits=4, **kw
        )


@pytest.mark.parametrize("success", [0.05, 0.3, 0.6])
@pytest.mark.parametrize("rounds", [0, 1, 2, 3])
def test_amplification_scales_are_grover_rotations(success, rounds):
    g, b = amplification_scales(success, rounds)
    theta = math.asin(math.sqrt(success))
    assert g**2 * success == pytest.approx(math.sin((2 * rounds + 1) * theta) ** 2)
    assert b**2 * (1 - success) == pytest.approx(math.cos((2 * rounds + 1) * theta) ** 2)
    # The 2-D rotation by explicit matrices: Q = -A S0 A^† S_good on span{|G>, |B>}.
    a = np.array([[math.sin(theta), math.cos(theta)], [math.cos(theta), -math.sin(theta)]])
    s_good = np.diag([-1.0, 1.0])
    s_zero = np.eye(2) - 2 * np.outer([1, 0], [1, 0])
    q = -a @ s_zero @ a.T @ s_good
    vec = np.linalg.matrix_power(q, rounds) @ a[:, 0]  # A|0> = sinθ|G> + cosθ|B>
    assert vec[0] == pytest.approx(g * math.sin(theta))
    assert vec[1] == pytest.approx(b * math.cos(theta))


def test_amplified_reference_reduces_to_plain_at_zero_rounds():
    rng = np.random.default_rng(2)
    X, x_test = rng.normal(size=(4, 2)), rng.normal(size=2)
    kw = dict(
        depth=2,
        k_max=float(ntk_value(0.8, 2)),
        amplitude_bits=4,
        phase_bits=3,
        median_copies=1,
        kernel_bits=4,
    )
    y = np.array([1.0, -1.0, 1.0, -1.0])
    a = discretised_diagonal_reference(X, y, x_test, **kw)
    b = discretised_diagonal_reference(X, y, x_test, amplification_rounds=0, **kw)
    assert a.as_dict() == b.as_dict()
    with pytest.raises(ValueError):
        discretised_diagonal_reference(X, y, x_test, amplification_rounds=-1, **kw)
