import math

import numpy as np
import pytest
import sympy
from qualtran import BloqBuilder, QBit, Register
from qualtran.bloqs.basic_gates import Hadamard
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.resource_counting.generalizers import ignore_alloc_free, ignore_split_join
from qualtran.symbolics import Shaped
from qualtran.testing import assert_equivalent_bloq_counts, assert_valid_bloq_decomposition

from bloqs.ntk.kernel_entry import (
    KernelEntry,
    _kernel_entry,
    _kernel_entry_symb,
    linear_kernel_table,
)
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel
from bloqs.ntk.renamed_registers import RenamedRegisters
from bloqs.state_preparation.kp_tree import DATA_ACCESS_KINDS
from bloqs.state_preparation.row_amplitude_loader import RowAmplitudeLoader
from bloqs.state_preparation.vector_amplitude_loader import VectorAmplitudeLoader
from qntk_compile.classical.discretised_reference import ae_phase_distribution, loaded_state
from qntk_compile.simulation.runner import simulate_bloq
from tests.bloqs.example_checks import (
    assert_example_counts_pass,
    assert_symbolic_example_cost_is_symbolic,
)

GEN = [ignore_split_join, ignore_alloc_free]
X2 = np.array([[1.0, 0.0], [0.6, 0.8]])


def test_signature_has_the_callers_register_names():
    entry = _kernel_entry.make()
    assert [r.name for r in entry.signature] == ["j", "k", "flag", "scratch"]
    assert entry.scratch_bits == 1 * (1 + 1 + 2)
    other = KernelEntry.from_sizes(16, 4, 3, 2, 3, 3, index_names=("row", "col"))
    assert [r.name for r in other.signature] == ["row", "col", "flag", "scratch"]
    assert other.signature.get_left("row").total_bits() == 4
    assert other.scratch_bits == 3 * (2 + 1 + 2)
    assert [r.name for r in other.controlled().signature] == [
        "ctrl",
        "row",
        "col",
        "flag",
        "scratch",
    ]
    # a row loader against a single-vector loader: only the row's index is exposed
    ptk = PrepareTestKernel.from_sizes(16, 4, 3, 2, 3, 3)
    assert [r.name for r in ptk.entry.signature] == ["index", "flag", "scratch"]


@pytest.mark.parametrize("k", [1, 3])
def test_decomposition_valid_and_counts_equal_call_graph(k):
    entry = KernelEntry.from_data(X2, linear_kernel_table(2, 3), 2, 2, k, 3)
    for b in (entry, entry.controlled()):
        assert_valid_bloq_decomposition(b)
        assert_equivalent_bloq_counts(b, GEN)


@pytest.mark.parametrize("name", ["_kernel_entry"])
def test_bloq_examples_counts_pass(name):
    import bloqs.ntk.kernel_entry as module

    assert_example_counts_pass(getattr(module, name))


def test_symbolic_example_is_symbolic():
    assert_symbolic_example_cost_is_symbolic(_kernel_entry_symb)


def test_symbolic_cost_equals_concrete_at_three_sizes():
    n, d, ba, m, b = sympy.symbols("n d b_a m b", positive=True, integer=True)
    for k in (1, 3):
        symb = get_cost_value(KernelEntry.from_sizes(n, d, ba, m, k, b), QECGatesCost())
        for nv, dv, bav, mv, bv in ((4, 2, 3, 2, 3), (8, 4, 2, 3, 4), (32, 8, 3, 2, 2)):
            conc = get_cost_value(KernelEntry.from_sizes(nv, dv, bav, mv, k, bv), QECGatesCost())
            subs = {n: nv, d: dv, ba: bav, m: mv, b: bv}
            for field in ("and_bloq", "toffoli", "cswap"):
                got = sympy.simplify(sympy.sympify(getattr(symb, field)).subs(subs))
                assert got == getattr(conc, field), (k, nv, dv, field)
            assert conc.and_bloq > 0


@pytest.mark.parametrize("data_access", DATA_ACCESS_KINDS)
def test_sizes_only_qubits_equal_data_built_qubits(data_access):
    rng = np.random.default_rng(5)
    for n, d, k in ((4, 2, 1), (8, 4, 3), (16, 2, 5)):
        X = rng.normal(size=(n, d))
        data = KernelEntry.from_data(X, linear_kernel_table(2, 3), 3, 2, k, 3, data_access)
        sizes = KernelEntry.from_sizes(n, d, 3, 2, k, 3, data_access)
        assert get_cost_value(sizes, QubitCount()) == get_cost_value(data, QubitCount())
        # registers + one AE copy at least, and the k fold registers when k > 1
        assert get_cost_value(sizes, QubitCount()) > sizes.signature.n_qubits()


def test_prepare_test_kernel_costs_are_the_flat_pipeline():
    """PrepareTestKernel = index Hadamards + KernelEntry; its cost is the flat sum of the
    pipeline it had before the extraction (k AE + k AE†, 2k folds, median and adjoint, two
    kernel lookups, the rotation, the Hadamards)."""
    for k in (1, 3):
        ptk = PrepareTestKernel.from_sizes(16, 4, 3, 3, k, 4)
        e = ptk.entry
        parts = [
            (ptk.index_prep, 1),
            (e.amplitude_estimation, k),
            (e.amplitude_estimation.adjoint(), k),
        ]
        parts += [(e.kernel_lookup, 2), (e.rotation, 1)]
        if k > 1:
            parts += [(e.fold_lookup, 2 * k), (e.median, 1), (e.median.adjoint(), 1)]
        flat = sum((get_cost_value(b, QECGatesCost()) * c for b, c in parts[1:]),
                   get_cost_value(parts[0][0], QECGatesCost()))  # fmt: skip
        assert get_cost_value(ptk, QECGatesCost()) == flat
        assert ptk.build_call_graph(None) == {ptk.index_prep: 1, e: 1}


def _reference(X, table, amplitude_bits, phase_bits, kernel_bits):
    """Independent model: flag amplitudes (clean scratch) Σ_y Pr_jk(y) cos/sin(π a(y)/2^b),
    with Pr_jk the exact AE phase distribution of p = (1 - <x̃_j|x̃_k>)/2 (loaded states)."""
    theta = np.pi * np.asarray(table) / 2**kernel_bits
    loaded = [loaded_state(x, amplitude_bits) for x in X]
    cos, sin = {}, {}
    for j, a in enumerate(loaded):
        for k, b in enumerate(loaded):
            p = min(max((1 - float(a @ b)) / 2, 0.0), 1.0)
            pr = ae_phase_distribution(p, phase_bits)
            cos[j, k], sin[j, k] = pr @ np.cos(theta), pr @ np.sin(theta)
    return cos, sin


def _basis_index(res, values: dict[str, int]) -> int:
    bits = [0] * res.qubits
    for name, val in values.items():
        pos = res.registers[name]
        for i, q in enumerate(pos):
            bits[q] = (val >> (len(pos) - 1 - i)) & 1
    return int("".join(map(str, bits)), 2)


def test_two_row_simulation_flag_amplitude_is_the_rotation():
    """|+>_j|+>_k|0>: one simulation covers the four entries (j, k) of the 2 × 2 kernel."""
    entry = _kernel_entry.make()  # X2, linear kernel, amplitude_bits 3, m = 2, k = 1, b = 3
    bb = BloqBuilder()
    soqs = {r.name: bb.add_register(r) for r in entry.signature}
    for name in ("j", "k"):
        soqs[name] = bb.add(Hadamard(), q=soqs[name])
    circuit = bb.finalize(**bb.add_d(entry, **soqs))
    res = simulate_bloq(circuit, return_state=True)
    assert res.qubits <= 14 and res.ancilla_leak < 1e-6
    table = linear_kernel_table(2, 3)
    cos, sin = _reference(X2, table, 3, 2, 3)
    for (j, k), c in cos.items():
        a0 = res.state[_basis_index(res, {"j": j, "k": k, "flag": 0, "scratch": 0})]
        a1 = res.state[_basis_index(res, {"j": j, "k": k, "flag": 1, "scratch": 0})]
        assert abs(a0 - c / 2) < 2e-6, (j, k, a0, c)
        assert abs(a1 - sin[j, k] / 2) < 2e-6, (j, k, a1, sin[j, k])
    # diagonal entries are sharp (p = 0, phase 0): exactly the ideal rotation cos(π a(0)/2^b)
    for j in range(2):
        a0 = res.state[_basis_index(res, {"j": j, "k": j, "flag": 0, "scratch": 0})]
        assert abs(a0 - math.cos(math.pi * table[0] / 8) / 2) < 2e-6
    # the off-diagonal entry is not sharp: the AE distribution matters (and is reproduced)
    assert abs(cos[0, 1] - math.cos(math.pi * table[1] / 8)) > 1e-3


def test_controlled_entry_rotates_only_when_ctrl_is_one():
    entry = _kernel_entry.make().controlled()
    off = simulate_bloq(entry, {"ctrl": 0, "j": 0, "k": 1})
    assert off.probability_zero("flag", "scratch") > 1 - 1e-6
    on = simulate_bloq(entry, {"ctrl": 1, "j": 0, "k": 1})
    cos, sin = _reference(X2, linear_kernel_table(2, 3), 3, 2, 3)
    assert abs(on.probability_zero("scratch") - cos[0, 1] ** 2 - sin[0, 1] ** 2) < 2e-6


def test_bad_input_is_a_value_error():
    row = RowAmplitudeLoader.from_sizes(4, 2, 3)
    vec = VectorAmplitudeLoader.from_sizes(2, 3)
    table = Shaped((4,))
    with pytest.raises(ValueError, match="taken"):
        KernelEntry(row, row, 2, 1, 3, table, rename_a={"index": "flag"})
    with pytest.raises(ValueError, match="taken"):
        KernelEntry(row, row, 2, 1, 3, table, rename_a={"target": "t"})
    with pytest.raises(ValueError, match="median_copies"):
        KernelEntry(row, vec, 2, 2, 3, table)
    with pytest.raises(ValueError, match="target"):
        KernelEntry(RenamedRegisters(vec, {"target": "x"}), vec, 2, 1, 3, table)
    with pytest.raises(ValueError):  # shared name, different sizes: 2 vs 4 index qubits
        KernelEntry(row, RowAmplitudeLoader.from_sizes(16, 2, 3), 2, 1, 3, table)
    with pytest.raises(ValueError):  # table of the wrong length
        KernelEntry(row, row, 2, 1, 3, (0, 1, 2), rename_b={"index": "k"})


def test_ctrl_named_index_is_rejected():
    row = RowAmplitudeLoader.from_sizes(4, 2, 3)
    with pytest.raises(ValueError, match="taken"):
        KernelEntry(row, row, 2, 1, 3, Shaped((4,)), rename_b={"index": "ctrl"})
    assert Register("ctrl", QBit()) in list(
        KernelEntry(
            row, row, 2, 1, 3, Shaped((4,)), rename_b={"index": "k"}, is_controlled=True
        ).signature
    )
