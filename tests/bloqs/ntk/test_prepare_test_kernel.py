import math

import numpy as np
import pytest
import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.ntk.amplified_test_kernel import (
    AmplifiedTestKernel,
    _amplified_test_kernel_symb,
    amplified_success_probability,
    amplitude_amplification_rounds,
    repeat_until_success_runs,
)
from bloqs.ntk.prepare_test_kernel import (
    PrepareTestKernel,
    _prepare_test_kernel,
    _prepare_test_kernel_symb,
    fold_table,
    linear_kernel_table,
)
from qntk_compile.classical.discretised_reference import ae_phase_distribution, loaded_state
from qntk_compile.simulation.runner import simulate_bloq
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)

GEN = [ignore_split_join, ignore_alloc_free]
X4 = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [-0.8, 0.6]])
XS = np.array([0.8, 0.6])


def reference_amplitudes(X, x_test, table, amplitude_bits, phase_bits, kernel_bits):
    """Independent classical model of PrepareTestKernel with k = 1.

    Per row: p_i = (1 - <x̃*|x̃_i>)/2 for the loaded (angle-rounded) states, the exact AE phase
    distribution Pr_i(y), the angle table a(y) and the rotation cos(π a/2^b). After
    uncomputation, the flag-0 amplitude with clean scratch is Σ_y Pr_i(y) cos θ_y / √n, the
    flag-0 probability Σ_y Pr_i(y) cos² θ_y / n.
    """
    n = len(X)
    cos_y = np.cos(np.pi * np.asarray(table) / 2**kernel_bits)
    star = loaded_state(x_test, amplitude_bits)
    kbar, q, sbar = [], [], []
    for x in X:
        p = (1 - float(loaded_state(x, amplitude_bits) @ star)) / 2
        pr = ae_phase_distribution(min(max(p, 0.0), 1.0), phase_bits)
        kbar.append(pr @ cos_y)
        q.append(pr @ cos_y**2)
        sbar.append(pr @ np.sqrt(1 - cos_y**2))
    return np.array(kbar) / math.sqrt(n), np.array(q) / n, np.array(sbar) / math.sqrt(n)


def _basis_index(res, values: dict[str, int]) -> int:
    bits = [0] * res.qubits
    for name, val in values.items():
        pos = res.registers[name]
        for j, p in enumerate(pos):
            bits[p] = (val >> (len(pos) - 1 - j)) & 1
    return int("".join(map(str, bits)), 2)


@pytest.fixture(scope="module")
def ptk_sim():
    bloq = _prepare_test_kernel.make()  # n = 4, d = 2, amplitude/kernel bits 3, phase bits 2
    return bloq, simulate_bloq(bloq, return_state=True)


def test_ptk_simulation_matches_discretised_reference(ptk_sim):
    bloq, res = ptk_sim
    assert res.qubits <= 16
    assert res.ancilla_leak < 1e-6  # internal ancillas (lookup, angle, loaders) are clean
    kbar, q, sbar = reference_amplitudes(X4, XS, linear_kernel_table(2, 3), 3, 2, 3)
    for i in range(4):
        amp = res.state[_basis_index(res, {"index": i, "flag": 0, "scratch": 0})]
        assert abs(amp - kbar[i]) < 2e-6, (i, amp, kbar[i])
        amp1 = res.state[_basis_index(res, {"index": i, "flag": 1, "scratch": 0})]
        assert abs(amp1 - sbar[i]) < 2e-6
    # flag-0 probability per row (garbage included) and the garbage leak
    joint = res.marginal("index", "flag")
    np.testing.assert_allclose(joint[:, 0], q, atol=2e-6)
    leak = 1 - res.probability_zero("scratch")
    assert abs(leak - float(np.sum(1 / 4 - kbar**2 - sbar**2))) < 2e-6
    # the k_i with a sharp AE distribution are reproduced exactly (row 1: x*.x_1 = 0.96 -> p̃=0)
    assert abs(np.cos(np.pi * linear_kernel_table(2, 3)[0] / 8) - 1.0) < 1e-12


def test_ptk_three_copies_median_simulation():
    # k = 3 AE copies + fold + coherent median at the smallest width (m = 1, 20 qubits): the
    # flag-0 clean amplitude is Σ_v Pr(median = v) cos θ_table[v], with the median of three
    # independent copies: Pr(med = 1) = P1³ + 3 P1² P0.
    X = np.array([[1.0, 0.0], [0.6, 0.8]])
    xs = np.array([-0.28, 0.96])
    table = np.array([0, 3])  # kernel_bits 2: cos 0 = 1, cos 3π/4 = -0.707
    bloq = PrepareTestKernel.from_data(X, xs, table, 3, 1, 3, 2)
    res = simulate_bloq(bloq, return_state=True)
    assert res.qubits <= 21 and res.ancilla_leak < 1e-6
    star = loaded_state(xs, 3)
    nontrivial = 0
    for i in range(2):
        p = (1 - float(loaded_state(X[i], 3) @ star)) / 2
        p0, p1 = ae_phase_distribution(p, 1)
        pm1 = p1**3 + 3 * p1**2 * p0
        ref = ((1 - pm1) + pm1 * math.cos(3 * math.pi / 4)) / math.sqrt(2)
        amp = res.state[_basis_index(res, {"index": i, "flag": 0, "scratch": 0})]
        assert abs(amp - ref) < 2e-6
        nontrivial += 0.01 < pm1 < 0.99 and abs(pm1 - p1) > 0.01  # the median changes things
    assert nontrivial >= 1


def test_ptk_controlled_simulation():
    bloq = _prepare_test_kernel.make().controlled()
    assert bloq.is_controlled
    off = simulate_bloq(bloq, {"ctrl": 0})
    assert off.probability_zero("index", "flag", "scratch") > 1 - 1e-6  # identity
    on = simulate_bloq(bloq, {"ctrl": 1})
    kbar, q, _ = reference_amplitudes(X4, XS, linear_kernel_table(2, 3), 3, 2, 3)
    np.testing.assert_allclose(on.marginal("index", "flag")[:, 0], q, atol=2e-6)
    assert on.ancilla_leak < 1e-6


def test_amplified_kernel_simulation_follows_grover_rotation(ptk_sim):
    _, res = ptk_sim
    p0 = res.probability_zero("flag")  # total flag-0 weight of one PrepareTestKernel
    amp = AmplifiedTestKernel(_prepare_test_kernel.make(), 1)
    out = simulate_bloq(amp)
    theta = math.asin(math.sqrt(p0))
    assert abs(out.probability_zero("flag") - math.sin(3 * theta) ** 2) < 1e-5
    assert out.ancilla_leak < 1e-6


def test_fold_table():
    assert fold_table(3) == (0, 1, 2, 3, 4, 3, 2, 1)
    for m in (1, 2, 4):
        ft = fold_table(m)
        for y in range(2**m):
            assert math.isclose(
                math.sin(math.pi * y / 2**m) ** 2, math.sin(math.pi * ft[y] / 2**m) ** 2
            )


@pytest.mark.parametrize("k", [1, 3])
def test_ptk_decomposition_and_counts(k):
    bloq = PrepareTestKernel.from_data(
        X4,
        XS,
        linear_kernel_table(2, 3),
        amplitude_bits=2,
        phase_bits=2,
        median_copies=k,
        kernel_bits=3,
    )
    for b in (bloq, bloq.controlled()):
        assert_valid_bloq_decomposition(b)
        assert_equivalent_bloq_counts(b, GEN)
    assert bloq.scratch_bits == k * (1 + 1 + 2)


def _get(c, field):
    return getattr(c, field)


def _toffoli_like(c):
    return c.and_bloq + c.toffoli + c.cswap


SIZES = [(4, 2, 3, 2, 1, 3), (8, 4, 2, 3, 3, 4), (16, 2, 3, 2, 3, 2)]


def test_ptk_symbolic_cost_equals_concrete():
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    rng = np.random.default_rng(3)
    for k in (1, 3):
        symb = get_cost_value(PrepareTestKernel.from_sizes(n, d, ba, m, k, b), QECGatesCost())
        for nv, dv, bav, mv, kv, bv in SIZES:
            if kv != k:
                continue
            subs = {n: nv, d: dv, ba: bav, m: mv, b: bv}
            sizes_bloq = PrepareTestKernel.from_sizes(nv, dv, bav, mv, kv, bv)
            sizes = get_cost_value(sizes_bloq, QECGatesCost())
            # Toffoli-like counts exactly. (T/rotation counts are not compared here: the loaders'
            # and the inverse QFT's symbolic call graphs count every angle as a rotation, while
            # at concrete sizes some angles are Clifford or T; ArccosRotation's own symbolic
            # T/rotation counts are exact and tested in tests/bloqs/encoding.)
            for field in ("and_bloq", "toffoli", "cswap"):
                s_val = sympy.sympify(_get(symb, field)).subs(subs)
                assert sympy.simplify(s_val - _get(sizes, field)) == 0, field
            # From data: identical except where Qualtran's QROM cost depends on the data (it
            # costs concrete tables by their unary-iteration circuit). Everything this bloq adds
            # is data independent: the whole difference is the loaders' difference times the
            # 2k(2^(m+1) - 1) controlled calls of each loader (one per Hadamard test), plus twice
            # the kernel lookup's difference (a concrete QROM prunes branches with equal data).
            X = rng.normal(size=(nv, dv))
            xt = rng.normal(size=dv)
            table = rng.integers(0, 2**bv, size=2**mv)
            data_bloq = PrepareTestKernel.from_data(X, xt, table, bav, mv, kv, bv)
            data = get_cost_value(data_bloq, QECGatesCost())
            calls = 2 * kv * (2 ** (mv + 1) - 1)
            for field in ("and_bloq", "toffoli", "cswap", "t", "rotation"):
                loader_diff = sum(
                    getattr(get_cost_value(lo_d.controlled(), QECGatesCost()), field)
                    - getattr(get_cost_value(lo_s.controlled(), QECGatesCost()), field)
                    for lo_d, lo_s in [
                        (data_bloq.row_loader, sizes_bloq.row_loader),
                        (data_bloq.test_loader, sizes_bloq.test_loader),
                    ]
                )
                lookup_diff = getattr(
                    get_cost_value(data_bloq.kernel_lookup, QECGatesCost()), field
                ) - getattr(get_cost_value(sizes_bloq.kernel_lookup, QECGatesCost()), field)
                assert (
                    getattr(data, field) - getattr(sizes, field)
                    == calls * loader_diff + 2 * lookup_diff
                ), field
            assert _toffoli_like(data) > 0


def test_ptk_symbolic_is_symbolic_in_n():
    symb = get_cost_value(_prepare_test_kernel_symb.make(), QECGatesCost())
    n = sympy.Symbol("n", positive=True, integer=True)
    assert n in sympy.sympify(symb.and_bloq).free_symbols
    big = PrepareTestKernel.from_sizes(2**40, 2**10, 8, 10, 25, 12)  # never enumerates n
    assert _toffoli_like(get_cost_value(big, QECGatesCost())) > 2**40


def test_success_costs():
    assert repeat_until_success_runs(16, 4.0) == 4.0
    for n, P in [(64, 1.0), (1024, 3.7), (4, 2.0), (16, 1.0)]:
        r = amplitude_amplification_rounds(n, P)
        if P / n < 0.1:
            assert abs(r - math.pi / 4 * math.sqrt(n / P)) <= 1.0
        assert amplified_success_probability(n, P, r) >= 1 - P / n - 1e-12
        assert amplified_success_probability(n, P, 0) == pytest.approx(P / n)
    n_s, p_s = sympy.symbols("n P", positive=True)
    assert amplitude_amplification_rounds(n_s, p_s) == sympy.pi / 4 * sympy.sqrt(n_s / p_s)
    with pytest.raises(ValueError):
        repeat_until_success_runs(4, 0.0)
    with pytest.raises(ValueError):
        amplitude_amplification_rounds(4, 5.0)


def test_amplified_costs():
    ptk = _prepare_test_kernel.make()
    c1 = get_cost_value(ptk, QECGatesCost())
    for r in (0, 1, 3):
        ca = get_cost_value(AmplifiedTestKernel(ptk, r), QECGatesCost())
        # each round: PrepareTestKernel + its adjoint (same Toffoli-like count) + reflection
        assert _toffoli_like(ca) >= (2 * r + 1) * _toffoli_like(c1)
        assert ca.rotation == (2 * r + 1) * c1.rotation
    symb = get_cost_value(_amplified_test_kernel_symb.make(), QECGatesCost())
    assert sympy.Symbol("P", positive=True) in sympy.sympify(symb.and_bloq).free_symbols
    assert_valid_bloq_decomposition(AmplifiedTestKernel(ptk, 2))
    assert_equivalent_bloq_counts(AmplifiedTestKernel(ptk, 2), GEN)
    assert_equivalent_bloq_counts(AmplifiedTestKernel(ptk, 1).controlled(), GEN)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(median_copies=2), "odd"),
        (dict(median_copies=0), "odd"),
        (dict(angle_table=np.arange(3)), "entries"),
        (dict(angle_table=np.array([0, 1, 2, 8])), "range"),
        (dict(angle_table=np.array([0.5, 1, 2, 3])), "integers"),
        (dict(phase_bits=0), "phase_bits"),
        (dict(x_test=np.array([1.0, 0.0, 0.0])), "x_test"),
        (dict(x_test=np.array([0.0, 0.0])), "x_test"),
        (dict(x_test=np.array([np.nan, 1.0])), "x_test"),
    ],
)
def test_ptk_bad_input(kwargs, match):
    args = dict(
        X=X4,
        x_test=XS,
        angle_table=linear_kernel_table(2, 3),
        amplitude_bits=3,
        phase_bits=2,
        median_copies=1,
        kernel_bits=3,
    )
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        PrepareTestKernel.from_data(**args)


def test_ptk_bad_rows():
    with pytest.raises(ValueError):  # 3 rows: not a power of two
        PrepareTestKernel.from_data(X4[:3], XS, linear_kernel_table(2, 3), 3, 2, 1, 3)
    with pytest.raises(ValueError):
        AmplifiedTestKernel(_prepare_test_kernel.make(), -1)
    with pytest.raises(ValueError, match="uncontrolled"):
        AmplifiedTestKernel(_prepare_test_kernel.make().controlled(), 1)


_EXAMPLE_MODULES = {"_prepare_test_kernel": "prepare_test_kernel"}


def _example(name):
    import importlib

    module = _EXAMPLE_MODULES.get(name.removesuffix("_symb"), "amplified_test_kernel")
    return getattr(importlib.import_module(f"bloqs.ntk.{module}"), name)


@pytest.mark.parametrize("name", ["_prepare_test_kernel", "_amplified_test_kernel"])
def test_bloq_examples_counts_pass(name):
    assert_example_counts_pass(_example(name))


@pytest.mark.parametrize("name", ["_prepare_test_kernel_symb", "_amplified_test_kernel_symb"])
def test_symbolic_examples_cost(name):
    assert_symbolic_example_cost_is_symbolic(_example(name))
