"""The neural tangent kernel of the deep fully connected network with normalised erf activation.

The network is Eq. 1 of Zlokapa, Neven & Lloyd, *A quantum algorithm for training wide and
deep classical neural networks* (arXiv:2107.09200, 2021): ``L`` fully connected hidden layers,
inputs on the unit sphere, activation ``σ = erf/√c`` with ``c = (2/π)·arcsin(2/3)`` so that
``E[σ(X)] = 0`` and ``E[σ(X)²] = 1`` for ``X ~ N(0, 1)`` (Assumption I.3). With unit-norm inputs
the kernel depends only on ``ρ = x·x'``.

Dual activation and its derivative (Daniely et al. 2016; Remark I.2 item 4: the dual of the
derivative is the derivative of the dual)::

    σ̂(ρ)  = arcsin(2ρ/3) / arcsin(2/3)
    σ̇̂(ρ)  = 2 / (arcsin(2/3) · √(9 − 4ρ²))

Coefficient of nonlinearity (Definition I.4):
``μ = 1 − (E[Xσ(X)])² = 1 − σ̇̂(0) = 1 − 2/(3·arcsin(2/3)) ≈ 0.0864171572``.

**The recursion (and the Eq. 5 erratum).** We implement the standard NTK recursion of Jacot et al.
(2018) and Arora et al. (2019, arXiv:1904.11955, their Theorem 3.1), which is also what the
``neural-tangents`` package used for the paper's experiments computes::

    S ← ρ,  T ← ρ
    repeat L times:   T ← σ̂(S) + σ̇̂(S)·T ,   S ← σ̂(S)

i.e. ``K = Σ_{h=1}^{L+1} σ̂^(h−1)(ρ) · Π_{h'=h}^{L} σ̇̂(σ̂^(h'−1)(ρ))``. Eq. 5 of the paper's
supplement prints the product as ``Π σ̇̂(σ̂^(h')(ρ))`` — the derivative applied to one more
composition than the standard form. The two agree on the diagonal (``σ̂(1) = 1``, so every factor
is ``σ̇̂(1)``) and give ``K_ii = (σ̇̂(1)^(L+1) − 1)/(σ̇̂(1) − 1)`` (Theorem I.5), but off the diagonal
the printed form is not the NTK of Eq. 1 (ratios ``K_ij/K_ii`` differ by up to ~8 %). We follow
the standard form.

Depth: ``depth = L ≥ 0`` hidden layers. ``L = 0`` is allowed here and gives the linear kernel
``ρ``; a training :class:`~qntk_compile.data.problem.Problem` requires ``L ≥ 1``.

Large depth: ``σ̇̂(1) ≈ 1.2257``, so ``K_ii`` grows like ``1.2257^L`` and overflows float64 near
``L ≈ 3480``. :func:`ntk_normalized` returns ``K(ρ)/K_ii`` computed with a rescaled recursion that
never overflows; :func:`ntk_value` raises ``ValueError`` instead of returning ``inf``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "ERF_NORMALISATION",
    "convergence_depth",
    "default_depth",
    "dual_activation",
    "dual_derivative",
    "nonlinearity_mu",
    "ntk_diagonal",
    "ntk_normalized",
    "ntk_value",
    "activation",
    "activation_derivative",
]

_ASIN_2_3 = math.asin(2.0 / 3.0)

#: ``c`` in ``σ = erf/√c``: the variance of ``erf(X)`` for ``X ~ N(0, 1)``, ``(2/π)·arcsin(2/3)``.
ERF_NORMALISATION: float = (2.0 / math.pi) * _ASIN_2_3


def _as_rho(rho: ArrayLike, name: str = "rho") -> np.ndarray:
    arr = np.asarray(rho, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (got NaN or inf)")
    if np.any(np.abs(arr) > 1.0 + 1e-12):
        raise ValueError(f"{name} must lie in [-1, 1] (got max |{name}| = {np.max(np.abs(arr))!r})")
    return np.clip(arr, -1.0, 1.0)


def _as_depth(depth, minimum: int = 0) -> int:
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral):
        raise ValueError(f"depth must be an integer >= {minimum} (got {depth!r})")
    depth = int(depth)
    if depth < minimum:
        raise ValueError(f"depth must be an integer >= {minimum} (got {depth})")
    return depth


def _out(arr: np.ndarray, like: ArrayLike):
    return float(arr) if np.ndim(like) == 0 else arr


def activation(x: ArrayLike) -> np.ndarray:
    """The normalised erf activation ``σ(x) = erf(x)/√c`` (mean 0, variance 1 under N(0, 1))."""
    from math import erf

    x = np.asarray(x, dtype=float)
    return np.vectorize(erf, otypes=[float])(x) / math.sqrt(ERF_NORMALISATION)


def activation_derivative(x: ArrayLike) -> np.ndarray:
    """``σ'(x) = (2/√π)·exp(−x²)/√c``."""
    x = np.asarray(x, dtype=float)
    return 2.0 / math.sqrt(math.pi) * np.exp(-(x**2)) / math.sqrt(ERF_NORMALISATION)


def dual_activation(rho: ArrayLike):
    """``σ̂(ρ) = E[σ(u)σ(v)] = arcsin(2ρ/3)/arcsin(2/3)`` for unit Gaussians of correlation ρ."""
    r = _as_rho(rho)
    return _out(np.arcsin(2.0 * r / 3.0) / _ASIN_2_3, rho)


def dual_derivative(rho: ArrayLike):
    """``σ̇̂(ρ) = E[σ'(u)σ'(v)] = 2/(arcsin(2/3)·√(9 − 4ρ²))`` (the derivative of ``σ̂``)."""
    r = _as_rho(rho)
    return _out(2.0 / (_ASIN_2_3 * np.sqrt(9.0 - 4.0 * r * r)), rho)


def nonlinearity_mu() -> float:
    """Coefficient of nonlinearity ``μ = 1 − 2/(3·arcsin(2/3)) ≈ 0.0864171572`` (Def. I.4)."""
    return 1.0 - 2.0 / (3.0 * _ASIN_2_3)


_A1 = 2.0 / (_ASIN_2_3 * math.sqrt(5.0))  # σ̇̂(1)


def ntk_diagonal(depth: int) -> float:
    """``K_ii = Σ_{h=0}^{L} σ̇̂(1)^h = (σ̇̂(1)^(L+1) − 1)/(σ̇̂(1) − 1)`` (Theorem I.5).

    Raises ``ValueError`` if the value overflows float64 (depth above ≈ 3480).
    """
    depth = _as_depth(depth)
    try:
        val = (_A1 ** (depth + 1) - 1.0) / (_A1 - 1.0)
    except OverflowError:
        val = math.inf
    if not math.isfinite(val):
        raise ValueError(f"depth {depth} overflows float64 in K_ii; use ntk_normalized")
    return val


def ntk_normalized(rho: ArrayLike, depth: int):
    """``k̂(ρ)/k̂(1) = K(ρ)/K_ii`` for ``depth`` hidden layers, stable for any depth (vectorised).

    Values lie in [-1, 1]; ``ρ = 1`` gives exactly 1.
    """
    depth = _as_depth(depth)
    r = _as_rho(rho)
    return _out(_normalized_exact(r, depth), rho)


def _normalized_exact(r: np.ndarray, depth: int) -> np.ndarray:
    # T_h = σ̂(S_{h-1}) + σ̇̂(S_{h-1}) T_{h-1}. Define u_h = T_h / D_h with D_h = K_ii at depth h,
    # D_h = 1 + a D_{h-1}. Then u_h = (σ̂(S) + σ̇̂(S) D_{h-1} u_{h-1}) / D_h, and D_{h-1}/D_h < 1/a·(…)
    # stays bounded; D_h itself is tracked as the ratio q_h = D_{h-1}/D_h = D_{h-1}/(1 + a D_{h-1}).
    s = r.copy()
    u = r.copy()
    inv_d = 1.0  # 1 / D_{h-1}, starting with D_0 = 1
    for _ in range(depth):
        sd = np.arcsin(2.0 * s / 3.0) / _ASIN_2_3
        dd = 2.0 / (_ASIN_2_3 * np.sqrt(9.0 - 4.0 * s * s))
        # D_h = 1 + a D_{h-1}  =>  D_{h-1}/D_h = 1/(inv_d + a), 1/D_h = inv_d·D_{h-1}/D_h.
        # q is computed directly (not as a ratio of two tiny numbers): once 1/D_h underflows
        # (depth ≳ 3480) q → 1/a and 1/D_h → 0 stay exact, with no 0/0.
        q = 1.0 / (inv_d + _A1)  # D_{h-1}/D_h
        new_inv_d = inv_d / (inv_d + _A1)
        new_u = sd * new_inv_d + dd * q * u
        sd = np.clip(sd, -1.0, 1.0)  # σ̂ maps [-1, 1] into itself; stops ±1 ± ulp oscillating
        # An exact fixed point: more layers change nothing. Entries whose S is stuck at (or within
        # rounding of) ±1 — ρ = ±1 or a computed self inner product 1 − ulp — only drift by an
        # ulp a layer (u·fl(a·q)); their u is left out of the test (S itself must be fixed).
        ok = np.abs(sd) < 1.0 - 1e-9
        if new_inv_d == inv_d and np.array_equal(sd, s) and np.array_equal(new_u[ok], u[ok]):
            break
        u, inv_d, s = new_u, new_inv_d, sd
    # k̂(±1)/k̂(1) = ±1 exactly (σ̂ is odd and σ̂(1) = 1); do not leave it to rounding
    u = np.where(np.abs(r) == 1.0, r, u)
    return np.clip(u, -1.0, 1.0)


def ntk_value(rho: ArrayLike, depth: int):
    """The NTK ``k̂(ρ)`` of a depth-``depth`` network at inner product ``ρ`` (vectorised over ρ).

    Standard recursion (see the module docstring for why not Eq. 5 as printed). Returns a float for
    scalar input, an array of the same shape otherwise. ``ValueError`` on ρ outside [-1, 1] or
    non-finite, a depth that is not an integer ≥ 0, or a result that overflows float64.
    """
    depth = _as_depth(depth)
    r = _as_rho(rho)
    s = r.copy()
    t = r.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(depth):
            sd = np.arcsin(2.0 * s / 3.0) / _ASIN_2_3
            dd = 2.0 / (_ASIN_2_3 * np.sqrt(9.0 - 4.0 * s * s))
            new_t = sd + dd * t
            if not np.all(np.isfinite(new_t)):
                t = new_t
                break
            if np.array_equal(sd, s) and np.array_equal(new_t, t):
                break  # an exact fixed point of the iteration: more layers change nothing
            t, s = new_t, sd
    if not np.all(np.isfinite(t)):
        raise ValueError(f"depth {depth} overflows float64; use ntk_normalized")
    return _out(t, rho)


def convergence_depth(n, delta) -> float:
    """``L_conv = 8·ln(n/δ)/μ`` (Eq. 4 / Eq. 6), real-valued; round up for an integer depth.

    Args:
        n: number of training points (≥ 1).
        delta: separability δ = min_{i≠j} (1 − |x_i·x_j|), in (0, 1].
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Real) or not math.isfinite(n) or n < 1:
        raise ValueError(f"n must be a finite number >= 1 (got {n!r})")
    if (
        isinstance(delta, bool)
        or not isinstance(delta, numbers.Real)
        or not math.isfinite(delta)
        or not 0.0 < delta <= 1.0
    ):
        raise ValueError(f"delta must be in (0, 1] (got {delta!r})")
    return 8.0 * math.log(n / delta) / nonlinearity_mu()


def default_depth(n, delta, fraction: float = 0.1) -> int:
    """The depth of the paper's experiments: ``⌈fraction · L_conv⌉`` (fraction 1/10), at least 1."""
    if not (isinstance(fraction, numbers.Real) and math.isfinite(fraction) and fraction > 0):
        raise ValueError(f"depth fraction must be a positive number (got {fraction!r})")
    return max(1, math.ceil(fraction * convergence_depth(n, delta) - 1e-9))
