"""Odd polynomials p(x) ≈ scale/x on a window [a, b] ⊂ (0, 1], with |p| ≤ max_abs on [-1, 1].

Four degree choices of the same QSVT machinery (all classical, offline):

- `chebyshev_inverse_polynomial`: the minimax polynomial in closed form. With y = x², an odd p of
  degree 2k − 1 has x·p(x)/s = 1 − R(y) for a degree-k R with R(0) = 1, so the relative error on
  [1/κ, 1] is max_{y∈[1/κ², 1]} |R(y)|. By the Chebyshev min–max theorem (the classical bound of
  Chebyshev iteration / conjugate gradients: Saad, *Iterative Methods for Sparse Linear
  Systems*, 2nd ed., SIAM 2003, Sec. 6.11.3; Golub & Van Loan, *Matrix Computations*, 4th ed.,
  Sec. 11.3.4; in the QSVT setting the "Chebyshev iteration" polynomial compared by Sünderhauf,
  Németh, Walayat, Patterson & Berntson, arXiv:2507.15537, 2025) the unique minimiser is
  R(y) = T_k((κ² + 1 − 2κ²y)/(κ² − 1)) / T_k(z), z = (κ²+1)/(κ²−1), with error exactly
  1/T_k(z) = 1/cosh(k·arccosh z). So the smallest odd degree reaching relative error ε is
  d(κ, ε) = 2⌈arccosh(1/ε)/arccosh((κ²+1)/(κ²−1))⌉ − 1 (`chebyshev_degree`, symbolic-friendly;
  ≈ κ ln(2/ε) for large κ, since arccosh z = ln((κ+1)/(κ−1))).

- `minimax_inverse_polynomial`: the odd polynomial of smallest degree whose relative error
  max_{x∈[1/κ,1]} |x·p(x)/scale − 1| is ≤ ε, found by a linear program on a Chebyshev grid (the
  minimax fit; degree found by bisection, the error is nonincreasing in the degree). Kept as the
  independent check of `chebyshev_degree` (equal degrees, tested on 20 (κ, ε) pairs).
- `cks_inverse_polynomial`: the Childs–Kothari–Somma series (arXiv:1511.02306, 2017, Lemmas 17–19):
  g(x) = (1 − (1 − x²)^b)/x = 4 Σ_j (−1)^j [Σ_{i>j} C(2b, b+i)/2^{2b}] T_{2j+1}(x), truncated at
  j₀; b = ⌈κ² ln(κ/ε)⌉, j₀ = ⌈√(b ln(4b/ε))⌉, degree 2j₀ + 1 (`cks_degree`).
- `neumann_inverse_polynomial`: for A/α = c(I + E), eigenvalues in [c(1−γ), c(1+γ)], γ = ‖E‖:
  1/x = (x/x₀²) Σ_k u^k with u = 1 − x²/x₀², x₀² = c²(1+γ²), |u| ≤ η = 2γ/(1+γ²); truncating after
  K + 1 terms (degree 2K + 1) leaves relative error exactly ≤ η^{K+1}. K = 0 (degree 1, p ∝ x) is
  enough when η ≤ ε.
"""

import functools
import math

import attrs
import numpy as np
import sympy
from numpy.polynomial import chebyshev as C
from qualtran.symbolics import SymbolicFloat, SymbolicInt, is_symbolic
from scipy.optimize import linprog
from scipy.stats import binom

DEFAULT_MAX_ABS = 0.9  # sup |p| on [-1, 1]; Newton phase finding converges well below 1


def check_kappa_epsilon(kappa, epsilon) -> None:
    """One-line ValueError unless κ ≥ 1 and 0 < ε < 1 (symbols pass)."""
    if is_symbolic(kappa, epsilon):
        return
    if not (np.isfinite(kappa) and kappa >= 1):
        raise ValueError(f"kappa must be a finite number >= 1, got {kappa}")
    if not (np.isfinite(epsilon) and 0 < epsilon < 1):
        raise ValueError(f"epsilon must lie in (0, 1), got {epsilon}")


@attrs.frozen
class InversePolynomial:
    """An odd polynomial p = Σ c_k T_k with p(x) ≈ scale/x (relative error ≤ error) on window.

    Attributes:
        method: 'minimax', 'cks' or 'neumann'.
        chebyshev_coefficients: c_0..c_d (even ones zero).
        scale: p(x) ≈ scale/x on the window.
        window: (a, b), where the approximation holds (a = 1/κ_eff, b = 1 for minimax/CKS).
        error: max relative error |x·p(x)/scale − 1| on the window (measured on a fine grid).
        epsilon: the requested relative error.
    """

    method: str
    chebyshev_coefficients: tuple[float, ...] = attrs.field(converter=tuple)
    scale: float
    window: tuple[float, float]
    error: float
    epsilon: float

    @property
    def degree(self) -> int:
        return len(self.chebyshev_coefficients) - 1

    @property
    def kappa(self) -> float:
        return self.window[1] / self.window[0]

    def __call__(self, x):
        return C.chebval(x, np.asarray(self.chebyshev_coefficients))


def _window_grid(a: float, b: float, n: int = 4000) -> np.ndarray:
    t = np.cos(np.linspace(0, np.pi, n))
    return np.sort(a + (b - a) * (t + 1) / 2)


def sup_norm(coeffs) -> float:
    """max_{[-1, 1]} |p| for p = Σ c_k T_k: at the real critical points and the end points."""
    crit = C.chebroots(C.chebder(coeffs)) if len(coeffs) > 2 else np.array([])
    crit = crit.real[(np.abs(crit.imag) < 1e-7) & (np.abs(crit.real) <= 1)]
    pts = np.concatenate([crit, np.linspace(-1, 1, 2001)])
    return float(np.max(np.abs(C.chebval(pts, coeffs))))


def _finish(method, coeffs, window, epsilon, max_abs) -> InversePolynomial:
    """Scale so sup_[0,1] |p| = max_abs, and measure the relative error on the window."""
    coeffs = np.asarray(coeffs, dtype=float)
    coeffs[0::2] = 0.0
    sup = sup_norm(coeffs)
    coeffs = coeffs * (max_abs / sup)
    xs = _window_grid(*window)
    scale = float(np.exp(np.mean(np.log(xs * C.chebval(xs, coeffs)))))
    rel = xs * C.chebval(xs, coeffs) / scale - 1
    scale *= 1 + (rel.max() + rel.min()) / 2  # centre the relative error
    rel = xs * C.chebval(xs, coeffs) / scale - 1
    return InversePolynomial(method, coeffs, scale, window, float(np.abs(rel).max()), epsilon)


def cks_degree(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicInt:
    """Childs–Kothari–Somma degree 2j₀ + 1 (arXiv:1511.02306 Lemma 19); symbolic-friendly."""
    check_kappa_epsilon(kappa, epsilon)
    if is_symbolic(kappa, epsilon):
        b = sympy.ceiling(kappa**2 * sympy.log(kappa / epsilon))
        return 2 * sympy.ceiling(sympy.sqrt(b * sympy.log(4 * b / epsilon))) + 1
    b = math.ceil(kappa**2 * math.log(kappa / epsilon))
    return 2 * math.ceil(math.sqrt(b * math.log(4 * b / epsilon))) + 1


def cks_inverse_polynomial(
    kappa: float, epsilon: float, max_abs: float = DEFAULT_MAX_ABS
) -> InversePolynomial:
    """The CKS Chebyshev series for 1/x on [1/κ, 1], degree `cks_degree(kappa, epsilon)`."""
    check_kappa_epsilon(kappa, epsilon)
    b = max(1, math.ceil(kappa**2 * math.log(kappa / epsilon)))
    j0 = (cks_degree(kappa, epsilon) - 1) // 2
    coeffs = np.zeros(2 * j0 + 2)
    for j in range(j0 + 1):
        coeffs[2 * j + 1] = 4 * (-1) ** j * binom.sf(b + j, 2 * b, 0.5)  # P(X ≥ b + j + 1)
    return _finish("cks", coeffs, (1 / kappa, 1.0), epsilon, max_abs)


def _minimax_fit(kappa: float, degree: int, max_abs: float) -> np.ndarray:
    """LP: minimise t with |x p(x)/s − 1| ≤ t on [1/κ, 1], |p| ≤ max_abs on [0, 1]."""
    n_free = (degree + 1) // 2
    xs = _window_grid(1 / kappa, 1.0, 60 * n_free + 200)
    ys = _window_grid(0.0, 1.0, 60 * n_free + 200)
    odd = np.eye(degree + 1)[1::2]  # rows: T_1, T_3, ...
    basis_x = np.stack([C.chebval(xs, e) for e in odd], axis=1)
    basis_y = np.stack([C.chebval(ys, e) for e in odd], axis=1)
    # target scale/x at half the bound at x = 1/κ: room for the fit (rescaled in `_finish`)
    s = 0.5 * max_abs / kappa
    rel = basis_x * (xs / s)[:, None]
    ones_x, ones_y = np.ones((len(xs), 1)), np.zeros((len(ys), 1))
    a_ub = np.block([[rel, -ones_x], [-rel, -ones_x], [basis_y, ones_y], [-basis_y, ones_y]])
    b_ub = np.concatenate([np.ones(len(xs)), -np.ones(len(xs)), np.full(2 * len(ys), max_abs)])
    cost = np.zeros(n_free + 1)
    cost[-1] = 1
    bounds = [(None, None)] * n_free + [(0, None)]
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if not res.success:
        raise ValueError(f"minimax LP failed at degree {degree}: {res.message}")
    coeffs = np.zeros(degree + 1)
    coeffs[1::2] = res.x[:n_free]
    return coeffs


def minimax_inverse_polynomial(
    kappa: float,
    epsilon: float,
    degree: int | None = None,
    max_abs: float = DEFAULT_MAX_ABS,
    max_degree: int = 601,
) -> InversePolynomial:
    """Smallest odd degree whose minimax fit of 1/x on [1/κ, 1] has relative error ≤ ε.

    With `degree` given, that degree is used and a `ValueError` raised if it cannot reach ε.
    """
    check_kappa_epsilon(kappa, epsilon)

    def fit(d):
        return _finish(
            "minimax", _minimax_fit(kappa, d, max_abs), (1 / kappa, 1.0), epsilon, max_abs
        )

    if degree is not None:
        if degree < 1 or degree % 2 == 0:
            raise ValueError(f"degree must be odd and >= 1, got {degree}")
        poly = fit(degree)
        if poly.error > epsilon:
            raise ValueError(f"degree {degree} reaches relative error {poly.error:.3g} > {epsilon}")
        return poly
    lo, hi = 1, 1
    poly_hi = fit(hi)
    while poly_hi.error > epsilon:
        lo, hi = hi, 2 * hi + 1
        if hi > max_degree:
            raise ValueError(f"no odd degree <= {max_degree} reaches epsilon {epsilon}")
        poly_hi = fit(hi)
    while hi - lo > 2:  # invariant: fit(hi) reaches ε, fit(lo) does not (or lo = hi = 1)
        mid = (lo + hi) // 2
        mid += 1 - mid % 2
        poly_mid = fit(mid)
        if poly_mid.error <= epsilon:
            hi, poly_hi = mid, poly_mid
        else:
            lo = mid
    return poly_hi


def chebyshev_degree(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicInt:
    """Smallest odd degree 2k − 1 whose minimax relative error on [1/κ, 1] is ≤ ε (module doc):
    2⌈arccosh(1/ε)/arccosh((κ²+1)/(κ²−1))⌉ − 1; 1 at κ = 1. Symbolic-friendly."""
    check_kappa_epsilon(kappa, epsilon)
    if is_symbolic(kappa, epsilon):
        k2 = kappa**2
        ratio = sympy.acosh(1 / epsilon) / sympy.acosh((k2 + 1) / (k2 - 1))
        return 2 * sympy.Max(1, sympy.ceiling(ratio)) - 1
    if kappa == 1:
        return 1
    z = (kappa**2 + 1) / (kappa**2 - 1)
    return 2 * max(1, math.ceil(math.acosh(1 / epsilon) / math.acosh(z) - 1e-12)) - 1


def chebyshev_relative_error(kappa: float, degree: int) -> float:
    """The minimax relative error 1/T_k((κ²+1)/(κ²−1)), k = (degree+1)/2, of the best odd
    degree-`degree` approximation of 1/x on [1/κ, 1] (exact; 0 at κ = 1). Use it to bound the
    solver's error at a given margin (e.g. to pick ε from a readout margin)."""
    if degree < 1 or degree % 2 == 0:
        raise ValueError(f"degree must be odd and >= 1, got {degree}")
    check_kappa_epsilon(kappa, 0.5)
    if kappa == 1:
        return 0.0
    k = (degree + 1) // 2
    x = k * math.acosh((kappa**2 + 1) / (kappa**2 - 1))
    return 0.0 if x > 700 else 1 / math.cosh(x)


def chebyshev_scale(kappa: float, epsilon: float, max_abs: float = DEFAULT_MAX_ABS) -> float:
    """`chebyshev_inverse_polynomial(kappa, epsilon, max_abs).scale` without building it: with
    q(x) = (1 − R(x²))/x (x·q(x) ∈ [1 − e, 1 + e] on [1/κ, 1], already centred) scaled to
    sup_[0,1] |p| = max_abs, scale = max_abs / sup q (sup on a fine grid of the closed form)."""
    check_kappa_epsilon(kappa, epsilon)
    if kappa == 1:
        return max_abs
    k, k2 = (chebyshev_degree(kappa, epsilon) + 1) // 2, kappa**2
    z_arg = k * math.acosh((k2 + 1) / (k2 - 1))
    x = np.concatenate([np.linspace(1e-9, 1 / kappa, 20001), np.linspace(1 / kappa, 1, 20001)])
    t = (k2 + 1 - 2 * k2 * x**2) / (k2 - 1)
    inside = np.abs(t) <= 1
    # T_k(t)/T_k(z) without overflow: cosh(k·acosh t)/cosh(k·acosh z) for t > 1
    ratio = np.where(
        inside,
        np.cos(k * np.arccos(np.clip(t, -1, 1))) / math.cosh(z_arg),
        np.exp(k * np.arccosh(np.maximum(t, 1)) - z_arg)
        * (1 + np.exp(-2 * k * np.arccosh(np.maximum(t, 1))))
        / (1 + math.exp(-2 * z_arg)),
    )
    return float(max_abs / np.max(np.abs((1 - ratio) / x)))


def chebyshev_inverse_polynomial(
    kappa: float, epsilon: float, max_abs: float = DEFAULT_MAX_ABS
) -> InversePolynomial:
    """The minimax odd p ≈ scale/x on [1/κ, 1] in closed form, degree `chebyshev_degree`:
    p(x) = s(1 − T_k(t(x²))/T_k(z))/x, t(y) = (κ²+1−2κ²y)/(κ²−1) (module doc), interpolated at
    Chebyshev points, then scaled to sup |p| = `max_abs` like the other constructions."""
    check_kappa_epsilon(kappa, epsilon)
    degree = chebyshev_degree(kappa, epsilon)
    if kappa == 1:
        return _finish("chebyshev", [0.0, 1.0], (1.0, 1.0), epsilon, max_abs)
    k, k2 = (degree + 1) // 2, kappa**2
    tk_z = math.cosh(k * math.acosh((k2 + 1) / (k2 - 1)))

    def p(x):
        t = (k2 + 1 - 2 * k2 * x**2) / (k2 - 1)
        inside = np.abs(t) <= 1
        tk = np.where(
            inside,
            np.cos(k * np.arccos(np.clip(t, -1, 1))),
            np.cosh(k * np.arccosh(np.maximum(t, 1))),  # x < 1/κ: t in (1, z]
        )
        return (1 - tk / tk_z) / x

    coeffs = C.chebinterpolate(p, degree)
    return _finish("chebyshev", coeffs, (1 / kappa, 1.0), epsilon, max_abs)


def neumann_terms(gamma: float, epsilon: float) -> int:
    """Number K + 1 of Neumann terms so that η^{K+1} ≤ ε, η = 2γ/(1+γ²)."""
    eta = 2 * gamma / (1 + gamma**2)
    if eta == 0:
        return 1
    return max(1, math.ceil(math.log(epsilon) / math.log(eta)))


def neumann_inverse_polynomial(
    center: float,
    gamma: float,
    epsilon: float,
    degree: int | None = None,
    max_abs: float = DEFAULT_MAX_ABS,
) -> InversePolynomial:
    """Odd Neumann series for 1/x on [c(1−γ), c(1+γ)] (see module doc); degree 2K+1.

    With `degree` given, a `ValueError` is raised if its bound η^{(d+1)/2} exceeds ε.
    """
    if not (np.isfinite(gamma) and 0 <= gamma < 1):
        raise ValueError(f"gamma = ||E|| must lie in [0, 1), got {gamma}")
    if not (np.isfinite(center) and center > 0 and center * (1 + gamma) <= 1):
        raise ValueError(f"need 0 < center and center*(1+gamma) <= 1, got {center}, {gamma}")
    check_kappa_epsilon((1 + gamma) / (1 - gamma), epsilon)
    eta = 2 * gamma / (1 + gamma**2)
    if degree is None:
        terms = neumann_terms(gamma, epsilon)
    else:
        if degree < 1 or degree % 2 == 0:
            raise ValueError(f"degree must be odd and >= 1, got {degree}")
        terms = (degree + 1) // 2
        if eta**terms > epsilon:
            raise ValueError(
                f"Neumann degree {degree} bounds the error by {eta**terms:.3g} > {epsilon}"
            )
    x0_sq = center**2 * (1 + gamma**2)
    u = C.Chebyshev([1.0]) - C.Chebyshev([0.5, 0, 0.5]) / x0_sq  # 1 − x²/x₀²  (x² = (T0+T2)/2)
    series = sum((u**k for k in range(terms)), C.Chebyshev([0.0]))
    poly = C.Chebyshev([0.0, 1.0 / x0_sq]) * series
    coeffs = np.zeros(2 * terms)
    coeffs[: len(poly.coef)] = poly.coef
    window = (center * (1 - gamma), center * (1 + gamma))
    return _finish("neumann", coeffs, window, epsilon, max_abs)


#: κ_eff up to which `qlsa_degree(..., method="minimax")` runs the minimax LP (≲ 1 s each at
#: ε ≥ 1e-5; at κ 10, ε 1e-3 it takes ~15 s).
MINIMAX_MAX_KAPPA = 5.0
QLSA_DEGREE_METHODS = ("auto", "neumann", "chebyshev", "cks", "minimax")


def neumann_degree(kappa_eff: SymbolicFloat, epsilon: SymbolicFloat) -> SymbolicInt:
    """Degree 2K + 1 of the Neumann series for 1/x on [1/κ_eff, 1] with relative error ≤ ε.

    The window [1/κ, 1] is [c(1−γ), c(1+γ)] with γ = (κ−1)/(κ+1), c = (κ+1)/(2κ) — for the
    weighted block encoding A/α = (I + E)/(1 + γ), ‖E‖ ≤ γ = (s−1)·e_max, this is the Gershgorin
    bound κ_eff ≤ (1+γ)/(1−γ). Then η = 2γ/(1+γ²) = (κ²−1)/(κ²+1) and K + 1 =
    max(1, ⌈ln(1/ε)/ln(1/η)⌉) terms suffice (module doc); degree 1 iff η ≤ ε, i.e.
    κ_eff² ≤ (1+ε)/(1−ε). Symbolic-friendly (the closed form used in formulas).
    """
    check_kappa_epsilon(kappa_eff, epsilon)
    if is_symbolic(kappa_eff, epsilon):
        k2 = kappa_eff**2
        ratio = sympy.log(1 / epsilon) / sympy.log((k2 + 1) / (k2 - 1))
        return 2 * sympy.Max(1, sympy.ceiling(ratio)) - 1
    eta = (kappa_eff**2 - 1) / (kappa_eff**2 + 1)
    if eta <= epsilon:
        return 1
    return 2 * max(1, math.ceil(math.log(1 / epsilon) / math.log(1 / eta))) - 1


@functools.lru_cache(maxsize=256)
def _minimax_degree(kappa_eff: float, epsilon: float) -> int:
    return minimax_inverse_polynomial(kappa_eff, epsilon).degree


def qlsa_degree(
    kappa_eff: SymbolicFloat, epsilon: SymbolicFloat, method: str = "auto"
) -> tuple[SymbolicInt, str]:
    """(degree, method) of the odd polynomial ≈ 1/x on [1/κ_eff, 1] with relative error ≤ ε.

    The one degree rule of the QLSA (the sparsified report, `SparsifiedNTK.from_sizes` and the
    error budget read it). `method`:

    - ``"auto"`` (default): the smaller of the two closed forms `neumann_degree` (ties to
      Neumann; degree 1 in the deep-NTK regime κ_eff → 1, where ln(1/ε) < arccosh(1/ε) makes it
      smaller) and `chebyshev_degree` (the optimal odd degree for relative error ε — equal to the
      minimax LP's degree). Symbolic input gives ``Min(neumann, chebyshev)`` as one sympy
      expression, equal to the numeric choice after substitution; the method returned is then
      ``"min(neumann, chebyshev)"``.
    - ``"neumann"``, ``"chebyshev"``, ``"cks"``: that closed form (symbolic or numeric); CKS
      (Childs–Kothari–Somma) is kept for comparison only.
    - ``"minimax"``: the smallest degree of the minimax fit (linear program; numeric only, and
      only for κ_eff ≤ `MINIMAX_MAX_KAPPA`, where a fit takes ≲ 1 s): the check of
      ``"chebyshev"``.
    """
    if method not in QLSA_DEGREE_METHODS:
        raise ValueError(f"method must be one of {QLSA_DEGREE_METHODS}, got {method!r}")
    check_kappa_epsilon(kappa_eff, epsilon)
    if method == "neumann":
        return neumann_degree(kappa_eff, epsilon), "neumann"
    if method == "cks":
        return cks_degree(kappa_eff, epsilon), "cks"
    if method == "chebyshev":
        return chebyshev_degree(kappa_eff, epsilon), "chebyshev"
    if method == "minimax":
        if is_symbolic(kappa_eff, epsilon):
            raise ValueError(
                "the LP minimax degree is numeric only; its closed form is 'chebyshev'"
            )
        if kappa_eff > MINIMAX_MAX_KAPPA:
            raise ValueError(
                f"minimax fit only for kappa_eff <= {MINIMAX_MAX_KAPPA:g} (got {kappa_eff:g})"
            )
        return _minimax_degree(float(kappa_eff), float(epsilon)), "minimax"
    dn, dc = neumann_degree(kappa_eff, epsilon), chebyshev_degree(kappa_eff, epsilon)
    if is_symbolic(kappa_eff, epsilon):
        return sympy.Min(dn, dc), "min(neumann, chebyshev)"
    return (dn, "neumann") if dn <= dc else (dc, "chebyshev")
