"""The run's cost as a function of the precision knobs, from the report's own formulas.

The error budget needs the Toffoli, T and rotation counts of one coherent run at many knob
values. The report's symbolic formulas (:func:`resource_estimates.report.symbolic_costs`) keep
n, ``median_copies`` and ``kernel_bits`` symbolic but fix ``amplitude_bits`` and ``phase_bits``
(with concrete angles Qualtran compiles some rotations to Clifford+T), and building one takes
~1 s (its kernel table has 2^m entries). So :func:`formula_run_costs` builds the formula at a few
(b_a, m), solves each coefficient exactly as a bilinear form in (1, b_a) × (2^m, m², m, 1) — AE's
2^m Grover iterates, the inverse QFT's O(m²) rotations, O(m) arithmetic, each loader linear in
its angle bits — and checks the form against formulas built at other knob values (a mismatch is a
``ValueError``, never a silent extrapolation). n is substituted, never enumerated.

The formulas are symbolic in n, so each (b_a, m) point is built once per code version and kept in
the on-disk cache of :mod:`resource_estimates.formula_cache`: a report then fits the form at its n
from cached formulas in ~0.3 s instead of building twelve formulas (~3–13 s).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["FIXED_DEFAULTS", "RunCosts", "formula_run_costs"]

#: Today's fixed report knobs.
FIXED_DEFAULTS = {"amplitude_bits": 8, "phase_bits": 6, "median_copies": 3, "kernel_bits": 8}

#: (toffoli, t, rotation) of one coherent run as a function of (amplitude_bits, phase_bits,
#: median_copies, kernel_bits), vectorised over the last two.
RunCosts = Callable[..., tuple[Any, Any, Any]]

#: The run's cost is fitted once per (variant, access, QRAM model, d, n) — building the formula at
#: each knob value takes ~0.3–1 s (cached on disk) and its kernel table has 2^m entries — as exact
#: bilinear forms in (1, b_a) × (2^m, m², m, 1) and verified at other knob values; see _fitted.
_FIT_POINTS = tuple((ba, m) for ba in (8, 9) for m in (9, 10, 11, 12))
_CHECK_POINTS = ((6, 9), (24, 10), (10, 13), (8, 4))


def _basis(ba: int, m: int) -> list[int]:
    return [f * g for f in (1, ba) for g in (2**m, m * m, m, 1)]


def _coefficients(variant, data_access, qram, d, n, amplitude_bits, phase_bits) -> tuple:
    """The run's (toffoli, t, rotation) as polynomials in (k, b_k): tuples of
    ((power of k, power of b_k), coefficient), at n."""
    return _at(_fitted(variant, data_access, qram, d, n), amplitude_bits, phase_bits)


def _at(model: tuple, amplitude_bits: int, phase_bits: int) -> tuple:
    basis = _basis(amplitude_bits, phase_bits)
    out = []
    for field_coefs in model:
        terms = []
        for mon, coef in sorted(field_coefs.items()):
            v = sum(c * b for c, b in zip(coef, basis, strict=True))
            if v:
                terms.append((mon, v))
        out.append(tuple(terms))
    return tuple(out)


@lru_cache(maxsize=64)
def _formula_terms(variant, data_access, qram, d, amplitude_bits, phase_bits) -> tuple:
    """The run's (toffoli, t, rotation) from the report's symbolic formulas (bloq built at these
    knobs) as polynomials in (k, b_k) whose coefficients are expressions in n: per field a tuple
    of ((power of k, power of b_k), coefficient). Read from the on-disk cache when there
    (:mod:`resource_estimates.formula_cache`), else built (~0.3–1 s) and stored."""
    import sympy

    from resource_estimates import formula_cache

    key = f"{variant}|{data_access}|{qram}|{int(d)}|{int(amplitude_bits)}|{int(phase_bits)}"
    stored = formula_cache.load("knob_costs", key)
    if stored is not None:
        return tuple(tuple((tuple(mon), sympy.sympify(c)) for mon, c in field) for field in stored)
    from resource_estimates import report  # late: report will import this module

    knobs = {**FIXED_DEFAULTS, "amplitude_bits": amplitude_bits, "phase_bits": phase_bits}
    run, _ = report.symbolic_costs(variant, data_access, qram, d, knobs)
    k, bk = report.SYMBOLS["median_copies"], report.SYMBOLS["kernel_bits"]
    out = []
    for f in ("toffoli", "t", "rotation"):
        poly = sympy.Poly(sympy.expand(sympy.sympify(getattr(run, f))), k, bk)
        out.append(tuple(sorted(poly.terms())))
    formula_cache.store(
        "knob_costs", key, [[[list(mon), sympy.srepr(c)] for mon, c in f] for f in out]
    )
    return tuple(out)


@lru_cache(maxsize=256)
def _built(variant, data_access, qram, d, n, amplitude_bits, phase_bits) -> tuple:
    """The run's cost polynomials in (k, b_k) at n (integer coefficients)."""
    from resource_estimates.report import SYMBOLS

    terms = _formula_terms(variant, data_access, qram, d, amplitude_bits, phase_bits)
    out = []
    for field_terms in terms:
        coefs = []
        for mon, c in field_terms:
            v = c.xreplace({SYMBOLS["n"]: n}) if c.free_symbols else c
            if not v.is_Integer:
                raise ValueError(f"run cost coefficient {c} is not an integer at n = {n}")
            if v:
                coefs.append((mon, int(v)))
        out.append(tuple(sorted(coefs)))
    return tuple(out)


@lru_cache(maxsize=16)
def _fitted(variant, data_access, qram, d, n) -> tuple:
    """Per cost field, monomial of (k, b_k) → its 8 coefficients on :func:`_basis`, solved
    exactly from the formulas at :data:`_FIT_POINTS` and checked at :data:`_CHECK_POINTS`
    (``ValueError`` on any mismatch: the cost is then not of this form)."""
    import sympy

    args = (variant, data_access, qram, d, n)
    fits = {pt: _built(*args, *pt) for pt in _FIT_POINTS}
    mat = sympy.Matrix([_basis(*pt) for pt in _FIT_POINTS])
    model = []
    for i in range(3):
        mons = sorted({mon for f in fits.values() for mon, _ in f[i]})
        coefs = {}
        for mon in mons:
            ys = sympy.Matrix([dict(fits[pt][i]).get(mon, 0) for pt in _FIT_POINTS])
            sol = mat.LUsolve(ys)
            if any(not v.is_Integer for v in sol):
                raise ValueError("run cost is not an integer bilinear form in b_a and 2^m, m², m")
            coefs[mon] = tuple(int(v) for v in sol)
        model.append(coefs)
    model = tuple(model)
    for pt in _CHECK_POINTS:
        got = _at(model, *pt)
        if got != _built(*args, *pt):
            raise ValueError(f"fitted run cost does not match the formula at (b_a, m) = {pt}")
    return model


def _poly_eval(terms: tuple, k: np.ndarray, bk: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(k, bk).shape)
    for (pk, pb), c in terms:
        out = out + float(c) * k**pk * bk**pb
    return out


def formula_run_costs(
    n: int, d: int, variant: str = "diagonal", data_access: str = "qrom", qram: str = "unit_cost"
) -> RunCosts:
    """Run costs from the report's cached symbolic formulas (:func:`report.symbolic_costs`)
    with n substituted (never enumerates n), fitted once as an exact form in the amplitude and
    phase bits and verified at other values (:func:`_fitted`)."""

    def costs(amplitude_bits, phase_bits, median_copies, kernel_bits, **other_knobs):
        if other_knobs:  # e.g. a QLSA's epsilon: its effect on the run is not fitted here
            raise ValueError(
                f"run cost as a function of {', '.join(sorted(other_knobs))} is not fitted "
                "(knob_costs fits amplitude and phase bits, median copies, kernel bits)"
            )
        polys = _coefficients(
            variant, data_access, qram, int(d), int(n), int(amplitude_bits), int(phase_bits)
        )
        k = np.asarray(median_copies, dtype=float)
        bk = np.asarray(kernel_bits, dtype=float)
        return tuple(_poly_eval(p, k, bk) for p in polys)

    return costs
