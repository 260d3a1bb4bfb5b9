"""Shared checks for the block-encoding tests: symbolic Toffoli-like cost == concrete cost."""

import sympy
from qualtran.resource_counting import QECGatesCost, get_cost_value


def toffoli_like(bloq) -> sympy.Expr:
    """And + Toffoli + CSwap of `bloq` (Qualtran `QECGatesCost`), as a sympy expression."""
    c = get_cost_value(bloq, QECGatesCost())
    return sympy.sympify(c.and_bloq + c.toffoli + c.cswap)


def assert_symbolic_equals_concrete(symbolic_bloq, make_concrete, subs_list) -> None:
    """For every substitution dict, the symbolic formula equals the concrete bloq's count."""
    formula = toffoli_like(symbolic_bloq)
    assert formula.free_symbols
    for subs in subs_list:
        expected = toffoli_like(make_concrete(**{str(k): v for k, v in subs.items()}))
        assert sympy.simplify(formula.subs(subs)) == expected, subs
