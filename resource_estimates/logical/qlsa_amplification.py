"""Success amplification of our QSVT solver, costed, and the like-for-like QLSA table.

**Which amplification, and why: fixed-point amplitude amplification** (Yoder, Low & Chuang,
*Fixed-point quantum search with an optimal number of queries*, PRL 113, 210501 (2014),
[arXiv:1409.3305](https://arxiv.org/abs/1409.3305)). The QSVT solver's success amplitude is
a = ‖p(A/α)|y⟩‖ ≈ scale·‖(A/α)⁻¹y‖, known only to lie in [scale(1 − ε), scale·κ(1 + ε)]: it
depends on y. Textbook amplitude amplification (Brassard, Høyer, Mosca & Tapp,
quant-ph/0005055) needs a itself or overshoots; oblivious amplitude amplification (Berry, Childs,
Cleve, Kothari & Somma, arXiv:1312.1414, 2014) needs an amplitude that does not depend on the
input state (a block encoding of a unitary/isometry), which 1/x is not. Fixed-point AA needs only
the lower bound a_min and never overshoots: with L = 2l + 1 calls of the solver circuit W or W†
(l iterations, each W† and W once, plus the first W) the success probability is
1 − δ²·T_L(T_{1/L}(1/δ)·√(1 − a²))², ≥ 1 − δ² for every a ≥ a_min once
L ≥ arccosh(1/δ)/arccosh(1/√(1 − a_min²)) (YLC Eq. (3) and the bound after it; ≈ ln(2/δ)/a_min).
The output conditioned on the flag is unchanged (only the flagged component is amplified).

Queries (block-encoding calls) for success ≥ 1 − δ²: d·L, d the QSVT degree, a_min =
scale·(1 − ε) (worst case: y along the largest eigenvalue, ‖(A/α)⁻¹y‖ ≥ 1). The default target
is success ≥ 2/3 (`DEFAULT_SUCCESS`), the usual "constant success" of complexity statements.
"""

from __future__ import annotations

import math

from bloqs.linear_systems.inverse_polynomials import (
    DEFAULT_MAX_ABS,
    chebyshev_degree,
    chebyshev_scale,
)

DEFAULT_SUCCESS = 2 / 3
#: Largest CKS degree whose polynomial (hence scale) `like_for_like` builds (sup-norm: seconds).
CKS_SCALE_MAX_DEGREE = 800


def fixed_point_calls(a_min: float, success: float = DEFAULT_SUCCESS) -> int:
    """Smallest odd L = 2l + 1 with L ≥ arccosh(1/δ)/arccosh(1/√(1 − a_min²)), δ² = 1 − success:
    calls of the flagged circuit (or its inverse) that make fixed-point amplitude amplification
    succeed with probability ≥ `success` for every amplitude ≥ a_min (Yoder, Low & Chuang 2014)."""
    if not (0 < a_min <= 1):
        raise ValueError(f"a_min must lie in (0, 1], got {a_min}")
    if not (0 < success < 1):
        raise ValueError(f"success must lie in (0, 1), got {success}")
    if a_min**2 >= success:
        return 1
    delta = math.sqrt(1 - success)
    ratio = math.acosh(1 / delta) / math.acosh(1 / math.sqrt(1 - a_min**2))
    lo = max(1, math.ceil(ratio - 1e-12))
    return lo if lo % 2 == 1 else lo + 1


def fixed_point_success(calls: int, amplitude: float, success: float = DEFAULT_SUCCESS) -> float:
    """Success probability 1 − δ² T_L(T_{1/L}(1/δ)√(1 − a²))² after L = `calls` (odd) calls at
    amplitude a, the YLC sequence designed for target `success` (δ² = 1 − success)."""
    if calls < 1 or calls % 2 == 0:
        raise ValueError(f"calls must be odd and >= 1, got {calls}")
    delta = math.sqrt(1 - success)
    gamma_inv = math.cosh(math.acosh(1 / delta) / calls)  # T_{1/L}(1/δ)
    arg = gamma_inv * math.sqrt(1 - amplitude**2)
    t = math.cos(calls * math.acos(arg)) if arg <= 1 else math.cosh(calls * math.acosh(arg))
    return 1 - delta**2 * t**2


def amplified_qsvt_queries(
    kappa: float, epsilon: float, success: float = DEFAULT_SUCCESS
) -> dict[str, float]:
    """Our QSVT solver (optimal Chebyshev degree) with fixed-point amplification: degree,
    scale, a_min = scale(1 − ε), calls L and queries d·L for success ≥ `success`."""
    d = chebyshev_degree(kappa, epsilon)
    scale = chebyshev_scale(kappa, epsilon, DEFAULT_MAX_ABS)
    a_min = scale * (1 - epsilon)
    calls = fixed_point_calls(a_min, success)
    return {"degree": d, "scale": scale, "a_min": a_min, "calls": calls, "queries": d * calls}
