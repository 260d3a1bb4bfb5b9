import numpy as np
import pytest
import sympy
from qualtran.resource_counting import GateCounts, QECGatesCost, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.ntk.amplified_test_kernel import AmplifiedTestKernel
from bloqs.ntk.diagonal_ntk import STEPS, DiagonalNTK, LabelState, _diagonal_ntk, _diagonal_ntk_symb
from bloqs.ntk.kernel_entry import linear_kernel_table
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader
from qntk_compile.classical.discretised_reference import loaded_state
from qntk_compile.simulation.runner import simulate_bloq
from tests.bloqs.example_checks import assert_example_counts_pass
from tests.bloqs.ntk.test_prepare_test_kernel import X4, XS, reference_amplitudes

GEN = [ignore_split_join, ignore_alloc_free]
Y4 = np.array([1.0, 1.0, -1.0, -1.0])


def test_diagonal_ntk_simulation_readout_semantics():
    bloq = _diagonal_ntk.make()
    res = simulate_bloq(bloq)
    assert res.qubits <= 16
    assert res.ancilla_leak < 1e-6
    kbar, q, sbar = reference_amplitudes(X4, XS, linear_kernel_table(2, 3), 3, 2, 3)  # /√n included
    label = loaded_state(Y4, 3)
    overlap = float(kbar @ label)  # Re<s|y> = Σ_i k̄_i y_i / n for y_i = ±1
    big_q = float(q.sum())  # total flag-0 weight of PrepareTestKernel: the discretised P/n
    joint = res.marginal("ancilla", "flag")
    # Pr(a=0, f=0) - Pr(a=1, f=0) = Σ k_i y_i / n, read out without knowing P
    assert abs(joint[0, 0] - joint[1, 0] - overlap) < 2e-6
    p_readout = joint[0, 0] / (joint[0, 0] + joint[1, 0])
    assert abs(p_readout - (big_q + 1 + 2 * overlap) / (2 * (big_q + 1))) < 2e-6
    p_success = 2 * (joint[0, 0] + joint[1, 0]) - 1
    assert abs(p_success - big_q) < 2e-6
    # garbage left in the scratch registers: half of PrepareTestKernel's leak (ancilla-0 branch)
    leak = 1 - res.probability_zero("scratch")
    assert abs(leak - float(np.sum(1 / 4 - kbar**2 - sbar**2)) / 2) < 2e-6
    # the sign agrees with the exact linear-kernel prediction of this toy problem
    exact = np.clip(X4 @ XS, -1, 1) @ Y4
    assert np.sign(joint[0, 0] - joint[1, 0]) == np.sign(exact)


@pytest.mark.parametrize("ctrl", [None, 0, 1])
def test_label_state(ctrl):
    y = np.array([1.0, -1.0, -1.0, 1.0, 1.0, 1.0, -1.0, 0.0])
    loader = VectorAmplitudeLoader.from_vector(y, 4)
    bloq = LabelState(loader) if ctrl is None else LabelState(loader).controlled()
    res = simulate_bloq(bloq, None if ctrl is None else {"ctrl": ctrl})
    probs = res.marginal("index")
    if ctrl == 0:
        assert probs[0] > 1 - 1e-6
    else:
        np.testing.assert_allclose(probs, loaded_state(y, 4) ** 2, atol=1e-5)
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, GEN)


def test_diagonal_ntk_counts_and_decomposition():
    bloq = _diagonal_ntk.make()
    assert_valid_bloq_decomposition(bloq)
    assert_equivalent_bloq_counts(bloq, GEN)
    assert_equivalent_bloq_counts(bloq.readout, GEN)
    amp = DiagonalNTK(bloq.prepare, bloq.label_loader, amplification_rounds=2)
    assert isinstance(amp.kernel_state, AmplifiedTestKernel)
    assert_valid_bloq_decomposition(amp)
    assert_equivalent_bloq_counts(amp, GEN)


def _sum(counts: dict) -> GateCounts:
    total = GateCounts()
    for c in counts.values():
        total = total + c
    return total


def test_steps_partition_the_cost():
    bloq = _diagonal_ntk.make()
    costs = bloq.step_costs()
    assert _sum(costs) == get_cost_value(bloq, QECGatesCost())
    assert set(costs) <= set(STEPS)
    assert {"data loading", "amplitude estimation", "kernel lookup", "arccos rotation"} <= set(
        costs
    )
    assert {"label state", "readout", "inner-product test"} <= set(costs)
    steps = bloq.steps()
    assert steps[bloq.prepare.rotation.controlled()] == "arccos rotation"
    assert any(isinstance(b, RowAmplitudeLoader) for b, s in steps.items() if s == "data loading")
    # k = 3: the median step appears
    med = DiagonalNTK.from_sizes(4, 2, 3, 2, 3, 3)
    mc = med.step_costs()
    assert mc["median"].and_bloq > 0 and mc["median"].cswap > 0
    assert _sum(mc) == get_cost_value(med, QECGatesCost())
    # amplified: a separate amplitude-amplification step
    amp = DiagonalNTK.from_sizes(4, 2, 3, 2, 1, 3, amplification_rounds=2)
    ac = amp.step_costs()
    assert "amplitude amplification" in ac
    assert _sum(ac) == get_cost_value(amp, QECGatesCost())


def test_steps_symbolic():
    bloq = _diagonal_ntk_symb.make()
    total = get_cost_value(bloq, QECGatesCost())
    costs = bloq.step_costs()
    s = _sum(costs)
    for field in ("and_bloq", "cswap", "toffoli", "rotation", "t"):
        assert sympy.simplify(sympy.sympify(getattr(s, field) - getattr(total, field))) == 0
    n = sympy.Symbol("n", positive=True, integer=True)
    assert n in sympy.sympify(costs["data loading"].and_bloq).free_symbols
    assert n in sympy.sympify(costs["label state"].and_bloq).free_symbols
    assert n not in sympy.sympify(costs["median"].and_bloq).free_symbols


def test_diagonal_ntk_symbolic_cost_equals_concrete():
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    for k in (1, 3):
        symb = get_cost_value(DiagonalNTK.from_sizes(n, d, ba, m, k, b), QECGatesCost())
        for nv, dv, bav, mv, bv in [(4, 2, 3, 2, 3), (8, 4, 2, 3, 4), (32, 8, 4, 2, 2)]:
            conc = get_cost_value(DiagonalNTK.from_sizes(nv, dv, bav, mv, k, bv), QECGatesCost())
            subs = {n: nv, d: dv, ba: bav, m: mv, b: bv}
            for field in ("and_bloq", "toffoli", "cswap"):
                val = sympy.sympify(getattr(symb, field)).subs(subs)
                assert sympy.simplify(val - getattr(conc, field)) == 0, (k, nv, field)
    big = DiagonalNTK.from_sizes(2**30, 2**10, 10, 12, 25, 12)  # costing never enumerates n
    assert get_cost_value(big, QECGatesCost()).and_bloq > 2**30


def test_from_data_matches_example_registers():
    bloq = DiagonalNTK.from_data(X4, Y4, XS, linear_kernel_table(2, 3), 3, 2, 1, 3)
    names = [r.name for r in bloq.signature]
    assert names == ["index", "flag", "scratch", "ancilla"]
    assert bloq == _diagonal_ntk.make()


def test_diagonal_ntk_bad_input():
    with pytest.raises(ValueError):  # labels of the wrong length
        DiagonalNTK.from_data(X4, Y4[:2], XS, linear_kernel_table(2, 3), 3, 2, 1, 3)
    with pytest.raises(ValueError, match="labels"):  # all-zero labels
        DiagonalNTK.from_data(X4, 0 * Y4, XS, linear_kernel_table(2, 3), 3, 2, 1, 3)
    with pytest.raises(ValueError, match="labels"):
        DiagonalNTK.from_data(X4, Y4 * np.inf, XS, linear_kernel_table(2, 3), 3, 2, 1, 3)
    with pytest.raises(ValueError):  # label loader of the wrong size
        DiagonalNTK(_diagonal_ntk.make().prepare, VectorAmplitudeLoader.from_sizes(8, 3))
    with pytest.raises(ValueError):
        DiagonalNTK(_diagonal_ntk.make().prepare.controlled(), _diagonal_ntk.make().label_loader)
    with pytest.raises(ValueError):
        DiagonalNTK(_diagonal_ntk.make().prepare, _diagonal_ntk.make().label_loader, -1)
    with pytest.raises(ValueError):
        LabelState(RowAmplitudeLoader.from_sizes(4, 2, 3))


@pytest.mark.parametrize(
    "name", ["_diagonal_ntk", "_diagonal_ntk_symb", "_label_state", "_label_state_symb"]
)
def test_bloq_examples_counts_pass(name):
    import bloqs.ntk.diagonal_ntk
    import bloqs.state_preparation.label_state

    module = bloqs.state_preparation.label_state if "label" in name else bloqs.ntk.diagonal_ntk
    assert_example_counts_pass(getattr(module, name))


@pytest.mark.parametrize("data_access", ["qrom", "select_swap", "bucket_brigade"])
def test_data_access_is_passed_to_every_loader(data_access):
    sizes = DiagonalNTK.from_sizes(16, 4, 3, 2, 1, 3, data_access=data_access)
    data = DiagonalNTK.from_data(X4, Y4, XS, linear_kernel_table(2, 3), 3, 2, 1, 3, data_access)
    for bloq in (sizes, data):
        for loader in (bloq.prepare.row_loader, bloq.prepare.test_loader, bloq.label_loader):
            assert loader.data_access == data_access
        assert get_cost_value(bloq, QECGatesCost()).and_bloq > 0


def test_label_state_symbolic_cost_equals_concrete():
    from bloqs.state_preparation.label_state import _label_state_symb

    n, b = sympy.symbols("n b", positive=True, integer=True)
    symb = get_cost_value(_label_state_symb.make(), QECGatesCost())
    for nv, bv in ((4, 3), (16, 4), (64, 5)):
        conc = get_cost_value(LabelState(VectorAmplitudeLoader.from_sizes(nv, bv)), QECGatesCost())

        subs = {n: nv, b: bv}
        assert sympy.simplify(sympy.sympify(symb.and_bloq).subs(subs)) == conc.and_bloq
        # the symbolic graph files every angle as a rotation; concrete angles π, π/2 are
        # Clifford and π/4 is T: the number of single-qubit gates is the same
        single = sympy.sympify(symb.rotation + symb.clifford + symb.t).subs(subs)
        assert sympy.simplify(single) == conc.rotation + conc.clifford + conc.t
