import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Ry
from qualtran.resource_counting import (
    QECGatesCost,
    QubitCount,
    get_bloq_call_graph,
    get_cost_value,
)
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import (
    assert_equivalent_bloq_counts,
    assert_equivalent_bloq_example_counts,
    assert_valid_bloq_decomposition,
)

from bloqs.state_preparation.kp_tree import kp_tree_angles, quantized_tree_state
from bloqs.state_preparation.vector_amplitude_loader import (
    VectorAmplitudeLoader,
    _vector_amplitude_loader,
    _vector_amplitude_loader_symb,
)
from tests.bloqs.state_preparation.sim_utils import simulate_bloq

GEN = [ignore_split_join, ignore_alloc_free]


@pytest.mark.parametrize("d", [2, 4, 8])
def test_fidelity_against_amplitude_bits(d):
    x = np.random.default_rng(d).normal(size=d)
    x /= np.linalg.norm(x)
    infid = {}
    for b in [2, 4, 6, 8, 10]:
        bloq = VectorAmplitudeLoader.from_vector(x, b)
        psi, leftover, _ = simulate_bloq(bloq)
        assert leftover < 1e-9
        want = quantized_tree_state(kp_tree_angles(x, b), b)
        assert abs(np.vdot(want, psi)) ** 2 > 1 - 1e-9
        infid[b] = 1 - abs(np.vdot(x, psi)) ** 2
    print(f"\nVectorAmplitudeLoader d={d}: infidelity per amplitude_bits", infid)
    assert infid[10] < 1e-4 and infid[10] < infid[2] / 100


def test_label_state_with_zeros_and_signs():
    """|y> = sum_i y_i |i>/sqrt(n) for labels +-1 (and 0 for padding rows) is exact at b = 4."""
    y = np.array([1, -1, -1, 1, 1, -1, 0, 0], dtype=float)
    for kind in ["qrom", "select_swap"]:
        psi, leftover, _ = simulate_bloq(VectorAmplitudeLoader.from_vector(y, 6, data_access=kind))
        assert leftover < 1e-9
        assert abs(np.vdot(y / np.linalg.norm(y), psi)) ** 2 > 0.999
    # four +-1 entries: every angle is a multiple of pi/2, exact with 3 bits
    y4 = np.array([1, -1, -1, 1], dtype=float)
    psi, _, _ = simulate_bloq(VectorAmplitudeLoader.from_vector(y4, 3))
    np.testing.assert_allclose(psi.real, y4 / 2, atol=1e-12)


def test_controlled_version():
    x = np.array([0.1, -0.5, 0.3, 0.2, -0.7, 0.0, 0.25, 0.4])
    x /= np.linalg.norm(x)
    b = 6
    bloq = VectorAmplitudeLoader.from_vector(x, b)
    ctrl = bloq.controlled()
    assert isinstance(ctrl, VectorAmplitudeLoader) and ctrl.is_controlled
    assert [r.name for r in ctrl.signature] == ["ctrl", "target"]
    assert_valid_bloq_decomposition(ctrl)
    assert_equivalent_bloq_counts(ctrl, generalizer=GEN)
    want = quantized_tree_state(kp_tree_angles(x, b), b)
    psi1, left1, _ = simulate_bloq(ctrl, basis={"ctrl": 1})
    psi0, left0, _ = simulate_bloq(ctrl, basis={"ctrl": 0})
    assert left0 < 1e-9 and left1 < 1e-9
    assert abs(np.vdot(want, psi1[8:])) ** 2 > 1 - 1e-9
    assert abs(psi0[0]) ** 2 > 1 - 1e-9
    # tensor simulation of controlled and controlled-adjoint
    small = VectorAmplitudeLoader.from_vector(x[:4], 3)
    U = small.controlled().tensor_contract()
    np.testing.assert_allclose(U[:4, :4], np.eye(4), atol=1e-12)
    np.testing.assert_allclose(U[4:, 4:], small.tensor_contract(), atol=1e-12)
    np.testing.assert_allclose(
        small.adjoint().controlled().tensor_contract(), U.conj().T, atol=1e-12
    )


def _toffolis(gc):
    return gc.and_bloq + gc.toffoli + gc.cswap


def _ry_count(bloq):
    _, sigma = get_bloq_call_graph(bloq)
    return sum(c for k, c in sigma.items() if isinstance(k, Ry))


@pytest.mark.parametrize("controlled", [False, True])
def test_symbolic_costs_equal_concrete(controlled):
    ds, bs = sympy.symbols("d b", positive=True, integer=True)
    symb = VectorAmplitudeLoader.from_sizes(ds, bs)
    if controlled:
        symb = symb.controlled()
    gs = get_cost_value(symb, QECGatesCost())
    qs = get_cost_value(symb, QubitCount())
    rys = _ry_count(symb)
    for d, b in [(4, 12), (8, 12), (16, 13), (32, 12)]:
        x = np.random.default_rng(d).normal(size=d)
        conc = VectorAmplitudeLoader.from_vector(x, b)
        by_size = VectorAmplitudeLoader.from_sizes(d, b)
        if controlled:
            conc, by_size = conc.controlled(), by_size.controlled()
        sub = {ds: d, bs: b}
        gc = get_cost_value(conc, QECGatesCost())
        assert sympy.sympify(_toffolis(gs)).subs(sub) == _toffolis(gc)
        assert _toffolis(get_cost_value(by_size, QECGatesCost())) == _toffolis(gc)
        assert sympy.sympify(qs).subs(sub) == get_cost_value(conc, QubitCount())
        assert get_cost_value(by_size, QubitCount()) == get_cost_value(conc, QubitCount())
        assert sympy.sympify(rys).subs(sub) == _ry_count(conc)


@pytest.mark.parametrize(
    "x, match",
    [
        (np.zeros(4), "zero"),
        (np.array([1.0, np.nan, 0.0, 0.0]), "non-finite"),
        (np.ones(3), "power of two"),
        (np.ones(1), "power of two"),
        (np.ones((2, 2)), "1D"),
    ],
)
def test_bad_input(x, match):
    with pytest.raises(ValueError, match=match):
        VectorAmplitudeLoader.from_vector(x, 4)


def test_bad_angle_table_direct_construction():
    with pytest.raises(ValueError, match="must lie in"):
        VectorAmplitudeLoader(4, 2, "qrom", ((4,), (0, 1)))
    with pytest.raises(ValueError, match="must be integers"):
        VectorAmplitudeLoader(4, 2, "qrom", ((1.5,), (0, 1)))
    assert VectorAmplitudeLoader(4, 2, "qrom", ((3,), (0, 1))).d == 4


def test_examples():
    ex = _vector_amplitude_loader()
    assert_valid_bloq_decomposition(ex)
    assert_equivalent_bloq_counts(ex, generalizer=GEN)
    assert get_cost_value(_vector_amplitude_loader_symb(), QECGatesCost()).and_bloq != 0


def test_bloq_example_counts_pass_qualtran_check():
    assert_equivalent_bloq_example_counts(_vector_amplitude_loader)
