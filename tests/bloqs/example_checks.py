"""Checks every bloq module's tests run on its `@bloq_example`s (one copy, called by each test)."""

import sympy
from qualtran import BloqExample
from qualtran.resource_counting import QECGatesCost, get_cost_value
from qualtran.testing import assert_equivalent_bloq_example_counts


def assert_example_counts_pass(example: BloqExample) -> None:
    """Qualtran's call-graph vs decomposition check must PASS (not UNVERIFIED, not xfail)."""
    assert_equivalent_bloq_example_counts(example)


def assert_symbolic_example_cost_is_symbolic(example: BloqExample) -> None:
    """A `_symb` example costs, and its non-Clifford count is a formula in its symbols."""
    counts = get_cost_value(example.make(), QECGatesCost())
    assert sympy.sympify(
        counts.and_bloq + counts.toffoli + counts.cswap + counts.rotation
    ).free_symbols
