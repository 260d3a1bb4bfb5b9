"""Shared test helpers: a generalizer for comparing symbolic with concrete costs."""

import sympy
from qualtran import Bloq
from qualtran.bloqs.basic_gates import CZPowGate, Ry

_ANGLE = sympy.Symbol("angle")


def generalize_data_angles(b: Bloq) -> Bloq | None:
    """Replace the data-dependent angles (Ry of the loaders, CZPowGate of the inverse QFT) by a
    symbol, so that a concrete instance costs what the symbolic one does (a concrete angle that
    happens to be a Clifford/T angle would otherwise be classified differently). Other gates,
    e.g. the Z of a controlled global phase, are left alone."""
    if isinstance(b, Ry):
        return Ry(_ANGLE)
    if isinstance(b, CZPowGate):
        return CZPowGate(exponent=_ANGLE)
    return b


def non_clifford(counts) -> dict:
    """`GateCounts.asdict()` without the Clifford entry: Qualtran's `MultiControlZ` (inside
    `ReflectionUsingPrepare`) counts its Cliffords differently for symbolic and concrete sizes
    (e.g. 17 vs n + 3 = 5 at n = 2), so symbolic/concrete comparisons use the non-Clifford
    counts (Toffoli-like, T, rotations, measurements)."""
    return {k: v for k, v in counts.asdict().items() if k != "clifford"}


def substitute(counts: dict, subs: dict) -> dict:
    """Evaluate a symbolic count dict at concrete sizes."""
    out = {k: int(sympy.sympify(v).subs(subs)) for k, v in counts.items()}
    return {k: v for k, v in out.items() if v != 0}


def assert_doc_examples_ok(doc) -> None:
    """Every `@bloq_example` of a `BloqDocSpec`: makes; decomposes validly (or is symbolic: NA);
    call graph == decomposition counts (PASS; UNVERIFIED only for `_symb` examples); strict
    register types along the decomposition."""
    from qualtran.testing import (
        BloqCheckResult,
        check_bloq_example_decompose,
        check_bloq_example_make,
        check_bloq_example_qtyping,
        check_equivalent_bloq_example_counts,
    )

    ok = BloqCheckResult.PASS
    for ex in doc.examples:
        symb = ex.name.endswith("_symb")
        res, msg = check_bloq_example_make(ex)
        assert res == ok, msg
        res, msg = check_bloq_example_decompose(ex)
        assert res in ((ok, BloqCheckResult.NA) if symb else (ok,)), msg
        res, msg = check_equivalent_bloq_example_counts(ex)
        assert res in ((ok, BloqCheckResult.UNVERIFIED) if symb else (ok,)), msg
        res, msg = check_bloq_example_qtyping(ex)
        assert res in ((ok, BloqCheckResult.NA) if symb else (ok,)), msg
