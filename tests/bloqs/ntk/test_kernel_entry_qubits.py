"""`KernelEntry.peak_qubits` (the static QubitCount used when sizes are symbolic) is the peak width
of the decomposition: equal at concrete sizes for every data access, and symbolic in n and d."""

import pytest
import sympy
from qualtran.resource_counting import QubitCount, get_cost_value

from bloqs.ntk.kernel_entry import KernelEntry
from bloqs.ntk.prepare_test_kernel import PrepareTestKernel
from bloqs.state_preparation.kp_tree import DATA_ACCESS_KINDS

SIZES = ((4, 2, 3, 2, 1, 3), (8, 4, 3, 3, 3, 4), (16, 2, 2, 2, 5, 2))


@pytest.mark.parametrize("data_access", DATA_ACCESS_KINDS)
def test_peak_formula_equals_decomposition(data_access):
    for n, d, ba, m, k, b in SIZES:
        entry = KernelEntry.from_sizes(n, d, ba, m, k, b, data_access)
        for bloq in (entry, entry.controlled()):
            assert bloq.decomposable
            assert bloq.peak_qubits() == get_cost_value(bloq, QubitCount()), (n, d, k)
    # a row loader against the test-point loader (PrepareTestKernel's entry) as well
    ptk = PrepareTestKernel.from_sizes(16, 4, 3, 3, 3, 4, data_access)
    assert ptk.entry.peak_qubits() == get_cost_value(ptk.entry, QubitCount())
    # PrepareTestKernel's peak is its entry's (the index layer spans only its registers): the
    # static count used for a controlled bloq with a symbolic index size
    for bloq in (ptk, ptk.controlled()):
        assert get_cost_value(bloq, QubitCount()) == get_cost_value(bloq.entry, QubitCount())


def test_symbolic_in_n_and_d_substitutes_to_the_decomposition():
    n, d = sympy.symbols("n d", positive=True, integer=True)
    ba, m, k, b = 3, 2, 3, 4
    symb = KernelEntry.from_sizes(n, d, ba, m, k, b)
    formula = sympy.sympify(get_cost_value(symb, QubitCount()))
    assert formula.free_symbols == {n, d}
    for nv, dv in ((4, 2), (16, 8), (2**10, 4)):
        conc = get_cost_value(KernelEntry.from_sizes(nv, dv, ba, m, k, b), QubitCount())
        assert formula.subs({n: nv, d: dv}) == conc, (nv, dv)


def test_symbolic_median_copies_uses_the_formula():
    """With k symbolic there is no decomposition: the static count is the same formula."""
    k = sympy.Symbol("k", positive=True, integer=True)
    bloq = KernelEntry.from_sizes(16, 4, 3, 2, k, 4)
    assert not bloq.decomposable
    assert get_cost_value(bloq, QubitCount()) == bloq.peak_qubits()
    assert k in sympy.sympify(bloq.peak_qubits()).free_symbols
