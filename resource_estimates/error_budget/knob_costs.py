"""The run's cost as a function of the precision knobs, from the report's own formulas.

The error budget needs the Toffoli, T and rotation counts of one coherent run at many knob
values. The report's symbolic formulas (:func:`resource_estimates.costing.formulas.symbolic_costs`)
keep n, ``median_copies`` and ``kernel_bits`` symbolic but fix ``amplitude_bits`` and ``phase_bits``
(with concrete angles Qualtran compiles some rotations to Clifford+T), and building one takes
~1 s (its kernel table has 2^m entries). So :func:`formula_run_costs` builds the formula at a few
(b_a, m), solves each coefficient exactly as a bilinear form in (1, b_a) × (2^m, m², m, 1) — AE's
2^m Grover iterates, the inverse QFT's O(m²) rotations, O(m) arithmetic, each loader linear in
its angle bits — and checks the form against formulas built at other knob values (a mismatch is a
``ValueError``, never a silent extrapolation). n is substituted, never enumerated.

A variant with a linear solver (``Variant.qlsa_degree``: the sparsified NTK) is costed at its
sparsity and κ_eff, and its run cost is exactly affine in the QLSA degree D (the block encoding is
called D times): :func:`_qlsa_fitted` fits base + slope·D from the formulas at two ε and checks a
third, so the returned costs take ``qlsa_epsilon`` (any ε, vectorised) through
``qlsa_degree(κ_eff, ε)``.

The formulas are symbolic in n, so each (b_a, m) point is built once per code version and kept in
the on-disk cache of :mod:`resource_estimates.logical.formula_cache`: a report then fits the form
at its n from cached formulas in ~0.3 s instead of building twelve formulas (~3–13 s).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["FIXED_DEFAULTS", "RUN_FIELDS", "RunCosts", "formula_run_costs", "formula_run_counts"]

#: Today's fixed report knobs.
FIXED_DEFAULTS = {"amplitude_bits": 8, "phase_bits": 6, "median_copies": 3, "kernel_bits": 8}

#: Fields of the error budget's run cost (:func:`formula_run_costs`).
RUN_FIELDS = ("toffoli", "t", "rotation")

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


def _coefficients(
    variant, data_access, qram, d, n, amplitude_bits, phase_bits, extra=(), subs=()
) -> tuple:
    """The run's (toffoli, t, rotation) as polynomials in (k, b_k): tuples of
    ((power of k, power of b_k), coefficient), at n (and the knob values ``subs``)."""
    model = _fitted(variant, data_access, qram, d, n, extra, subs)
    return _at(model, amplitude_bits, phase_bits)


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
def _formula_terms(
    variant,
    data_access,
    qram,
    d,
    amplitude_bits,
    phase_bits,
    extra=(),
    symbolic=(),
    fields=RUN_FIELDS,
) -> tuple:
    """The run's (toffoli, t, rotation) from the report's symbolic formulas (bloq built at these
    knobs and the concrete variant knobs ``extra``, e.g. ``(("sparsity", 16),)``): per field an
    expression in n, k, b_k (and the variant's other symbolic knobs), polynomial in (k, b_k).
    Read from the on-disk cache when there (:mod:`resource_estimates.logical.formula_cache`), else
    built (~0.3–4 s) and stored. Left unexpanded: :func:`_built` expands it once n and the knobs are
    numbers (expanding it symbolically in n costs more than building it)."""
    import sympy

    from resource_estimates.logical import formula_cache

    key = f"{variant}|{data_access}|{qram}|{int(d)}|{int(amplitude_bits)}|{int(phase_bits)}"
    key += "".join(f"|{name}={value!r}" for name, value in extra)
    if fields != RUN_FIELDS:
        key += f"|fields={','.join(fields)}"
    stored = formula_cache.load("knob_costs_run", key)
    if stored is not None:
        return tuple(sympy.sympify(e) for e in stored)
    from resource_estimates.costing.formulas import symbolic_costs

    # ``symbolic``: values of knobs that stay symbolic in the formula (so not in the key), given
    # only so that the report's parameters validate (e.g. kappa_eff >= kappa)
    knobs = {**FIXED_DEFAULTS, **dict(symbolic), **dict(extra), "amplitude_bits": amplitude_bits}
    knobs["phase_bits"] = phase_bits
    run, _ = symbolic_costs(variant, data_access, qram, d, knobs)
    out = tuple(sympy.sympify(getattr(run, f)) for f in fields)
    formula_cache.store("knob_costs_run", key, [sympy.srepr(e) for e in out])
    return out


@lru_cache(maxsize=1024)
def _built(
    variant,
    data_access,
    qram,
    d,
    n,
    amplitude_bits,
    phase_bits,
    extra=(),
    subs=(),
    fields=RUN_FIELDS,
) -> tuple:
    """The run's cost polynomials in (k, b_k) at n and the knob values ``subs`` (e.g.
    ``(("kappa_eff", 2.0), ("qlsa_epsilon", 0.01))``), with integer coefficients: per field a
    sorted tuple of ((power of k, power of b_k), coefficient)."""
    import sympy

    from resource_estimates.costing.parameters import SYMBOLS
    from resource_estimates.variants.registry import get_variant

    symbolic = tuple((k, v) for k, v in subs if k != "qlsa_epsilon")
    exprs = _formula_terms(
        variant, data_access, qram, d, amplitude_bits, phase_bits, extra, symbolic, fields
    )
    spec = get_variant(variant).spec
    values = {SYMBOLS["n"]: n, **{spec(k).sympy_symbol(): sympy.Float(v, 30) for k, v in subs}}
    k, bk = SYMBOLS["median_copies"], SYMBOLS["kernel_bits"]
    out = []
    for expr in exprs:
        coefs = []
        for mon, v in sympy.Poly(expr.xreplace(values), k, bk).terms():
            if not v.is_Integer:
                raise ValueError(f"run cost coefficient {v} is not an integer at n = {n}")
            if v:
                coefs.append((mon, int(v)))
        out.append(tuple(sorted(coefs)))
    return tuple(out)


@lru_cache(maxsize=64)
def _fitted(variant, data_access, qram, d, n, extra=(), subs=(), fields=RUN_FIELDS) -> tuple:
    """Per cost field, monomial of (k, b_k) → its 8 coefficients on :func:`_basis`, solved
    exactly from the formulas at :data:`_FIT_POINTS` and checked at :data:`_CHECK_POINTS`
    (``ValueError`` on any mismatch: the cost is then not of this form)."""
    import sympy

    args = (variant, data_access, qram, d, n)
    fits = {pt: _built(*args, *pt, extra, subs, fields) for pt in _FIT_POINTS}
    mat = sympy.Matrix([_basis(*pt) for pt in _FIT_POINTS])
    model = []
    for i in range(len(fields)):
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
        if got != _built(*args, *pt, extra, subs, fields):
            raise ValueError(f"fitted run cost does not match the formula at (b_a, m) = {pt}")
    return model


def _poly_eval(terms: tuple, k: np.ndarray, bk: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(k, bk).shape)
    for (pk, pb), c in terms:
        out = out + float(c) * k**pk * bk**pb
    return out


def _variant_knobs(variant: str, values: Mapping[str, Any] | None) -> tuple:
    """(extra, subs, qlsa_degree) for a variant with knobs beyond the four budget knobs: the
    concrete ones the formula is built at (``extra``, e.g. sparsity), the symbolic ones
    substituted (``subs``, e.g. κ) and the variant's QLSA degree function (``None`` without)."""
    from resource_estimates.variants.registry import get_variant

    v = get_variant(variant)
    others = [k for k in v.knob_names if k not in FIXED_DEFAULTS]
    if not others:
        return (), (), None
    resolved = v.resolve_knobs({k: x for k, x in (values or {}).items() if k in others})
    degree = v.qlsa_degree
    if degree is not None and "kappa_eff" in resolved:
        # the circuit is built at κ_eff; κ(K̃) (``kappa``) only feeds the classical baseline and the
        # bloq's check κ_eff ≥ κ, which κ_eff left symbolic cannot satisfy at the probe sizes of
        # the report's formulas: build them at the default κ (one formula set for every κ)
        resolved["kappa"] = v.spec("kappa").default
    extra = tuple((k, resolved[k]) for k in others if k not in v.symbolic_knobs)
    subs = tuple(
        (k, float(resolved[k]))
        for k in others
        if k in v.symbolic_knobs and not (degree is not None and k == "qlsa_epsilon")
    )
    return extra, subs, degree


#: QLSA ε at which the run cost is fitted as an affine function of the QLSA degree (the first and
#: the first later one of another degree) and checked (a third degree where there is one).
_QLSA_EPS = (1e-2, 1e-9, 1e-5, 1e-15, 0.3, 1e-3)


def _degree_kappa(subs: tuple) -> float:
    """κ_eff of the QLSA degree: the ``kappa_eff`` knob, else ``kappa``."""
    values = dict(subs)
    return values["kappa_eff"] if "kappa_eff" in values else values["kappa"]


@lru_cache(maxsize=16)
def _qlsa_fitted(variant, data_access, qram, d, n, extra, subs, fields=RUN_FIELDS) -> tuple:
    """(base, slope) models (as :func:`_fitted`'s) with run cost = base + slope·D, D the QLSA
    degree (a run calls the block encoding D times): solved from the formulas at two ε of
    different degrees and checked at a third ε (``ValueError`` if the cost is not affine in the
    variant's degree). Where the degree is the same at every ε tried (e.g. the Neumann degree 1 at
    κ_eff = 1) the slope is 0 and the check is that the cost does not change."""
    from fractions import Fraction

    degree = _variant_knob_degree(variant)
    kappa = _degree_kappa(subs)
    args = (variant, data_access, qram, d, n, extra)
    degs = {e: int(degree(kappa, e)) for e in _QLSA_EPS}
    e1 = _QLSA_EPS[0]
    e2 = next((e for e in _QLSA_EPS if degs[e] != degs[e1]), _QLSA_EPS[1])
    e3 = next((e for e in _QLSA_EPS if degs[e] not in (degs[e1], degs[e2])), _QLSA_EPS[2])
    d1, d2, d3 = degs[e1], degs[e2], degs[e3]
    m1, m2 = (_fitted(*args, (*subs, ("qlsa_epsilon", e)), fields) for e in (e1, e2))
    if d1 == d2 and m1 != m2:
        raise ValueError(f"run cost changes with epsilon at a fixed QLSA degree {d1}")
    base, slope = [], []
    for f1, f2 in zip(m1, m2, strict=True):
        b, s = {}, {}
        for mon in sorted(set(f1) | set(f2)):
            c1 = f1.get(mon, (0,) * 8)
            c2 = f2.get(mon, (0,) * 8)
            s[mon] = tuple(
                Fraction(y - x, d2 - d1) if d2 != d1 else Fraction(0)
                for x, y in zip(c1, c2, strict=True)
            )
            b[mon] = tuple(x - sl * d1 for x, sl in zip(c1, s[mon], strict=True))
        base.append(b)
        slope.append(s)
    pt = _CHECK_POINTS[0]
    got = _built(*args[:5], *pt, extra, (*subs, ("qlsa_epsilon", e3)), fields)
    want = [
        tuple((mon, c) for mon, c in _affine(b, s, d3) if c)
        for b, s in zip(_at(tuple(base), *pt), _at(tuple(slope), *pt), strict=True)
    ]
    if tuple(want) != got:
        raise ValueError(f"run cost is not affine in the QLSA degree (checked at epsilon {e3:g})")
    return tuple(base), tuple(slope)


def _affine(base_terms, slope_terms, degree) -> list:
    out = dict(base_terms)
    for mon, c in slope_terms:
        out[mon] = out.get(mon, 0) + c * degree
    return sorted(out.items())


def _variant_knob_degree(variant: str):
    from resource_estimates.variants.registry import get_variant

    return get_variant(variant).qlsa_degree


def formula_run_costs(
    n: int,
    d: int,
    variant: str = "diagonal",
    data_access: str = "qrom",
    qram: str = "unit_cost",
    variant_knobs: Mapping[str, Any] | None = None,
) -> RunCosts:
    """Run costs from the report's cached symbolic formulas
    (:func:`~resource_estimates.costing.formulas.symbolic_costs`) with n substituted (never
    enumerates n), fitted once as an exact form in the amplitude and phase bits and verified at
    other values (:func:`_fitted`).

    A variant with more knobs (the sparsified NTK: sparsity, κ, the QLSA's ε) is costed at
    ``variant_knobs`` (defaults where missing); if it declares a ``qlsa_degree`` the returned
    function takes the keyword ``qlsa_epsilon`` (a float or an array, broadcast against the
    median copies and kernel bits) and the cost is base + slope·``qlsa_degree(κ, ε)``, both
    fitted from the formulas (:func:`_qlsa_fitted`)."""
    extra, subs, degree = _variant_knobs(variant, variant_knobs)
    key = (variant, data_access, qram, int(d), int(n))

    def costs(amplitude_bits, phase_bits, median_copies, kernel_bits, **other_knobs):
        if degree is not None and set(other_knobs) != {"qlsa_epsilon"}:
            raise ValueError(f"variant {variant!r}: give the run cost its qlsa_epsilon")
        if degree is None and other_knobs:  # e.g. a QLSA's epsilon of a variant without one
            raise ValueError(
                f"run cost as a function of {', '.join(sorted(other_knobs))} is not fitted "
                "(knob_costs fits amplitude and phase bits, median copies, kernel bits)"
            )
        k = np.asarray(median_copies, dtype=float)
        bk = np.asarray(kernel_bits, dtype=float)
        ba, m = int(amplitude_bits), int(phase_bits)
        if degree is None:
            polys = _at(_fitted(*key, extra, subs), ba, m)
            return tuple(_poly_eval(p, k, bk) for p in polys)
        base, slope = _qlsa_fitted(*key, extra, subs)
        kappa = _degree_kappa(subs)
        eps = np.asarray(other_knobs["qlsa_epsilon"], dtype=float)
        deg = np.vectorize(lambda e: float(degree(kappa, float(e))), otypes=[float])(eps)
        return tuple(
            _poly_eval(b, k, bk) + _poly_eval(s, k, bk) * deg
            for b, s in zip(_at(base, ba, m), _at(slope, ba, m), strict=True)
        )

    return costs


def formula_run_counts(
    n: int,
    d: int,
    knobs: Mapping[str, Any],
    variant: str = "diagonal",
    data_access: str = "qrom",
    qram: str = "unit_cost",
    fields: tuple[str, ...] = (*RUN_FIELDS, "measurement"),
) -> dict[str, int]:
    """One coherent run's counts (``fields`` of
    :class:`~resource_estimates.logical.counts.LogicalCounts`) at ``knobs`` (the four budget knobs,
    the variant's others, and ``qlsa_epsilon`` for a variant with a linear solver), from the same
    fitted exact forms as :func:`formula_run_costs`: used where the concrete bloq cannot be built
    (its kernel table has 2^m entries, so m = 27 phase bits is out of reach) — e.g. the report's
    configuration at the error budget's knobs."""
    from resource_estimates.variants.registry import get_variant

    v = get_variant(variant)
    extra, subs, degree = _variant_knobs(variant, knobs)
    key = (variant, data_access, qram, int(d), int(n))
    ba, m = int(knobs["amplitude_bits"]), int(knobs["phase_bits"])
    k, bk = int(knobs["median_copies"]), int(knobs["kernel_bits"])
    if degree is None:
        polys = _at(_fitted(*key, extra, subs, tuple(fields)), ba, m)
        vals = [_exact_eval(p, k, bk) for p in polys]
    else:
        eps = float(knobs.get("qlsa_epsilon", v.spec("qlsa_epsilon").default))
        deg = int(degree(_degree_kappa(subs), eps))
        base, slope = _qlsa_fitted(*key, extra, subs, tuple(fields))
        vals = [
            _exact_eval(b, k, bk) + _exact_eval(s, k, bk) * deg
            for b, s in zip(_at(base, ba, m), _at(slope, ba, m), strict=True)
        ]
    out = {}
    for f, x in zip(fields, vals, strict=True):
        if x != int(x):
            raise ValueError(f"run {f} count {x} is not an integer at these knobs")
        out[f] = int(x)
    return out


def _exact_eval(terms: tuple, k: int, bk: int):
    """A polynomial of :func:`_at` at integer (k, b_k), exactly (Fractions where fitted so)."""
    return sum((c * k**pk * bk**pb for (pk, pb), c in terms), 0)
