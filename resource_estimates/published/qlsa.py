"""Quantum linear-systems solvers side by side: block-encoding queries at the same κ_eff and ε.

`qlsa_comparison(kappa, epsilon)` returns, for one condition number κ (the one the solver sees,
κ_eff = α/λ_min) and target error ε, the query counts of our QSVT solver (the optimal Chebyshev
degree, one attempt, and — numeric κ only — with fixed-point amplitude amplification to success
≥ 2/3, `resource_estimates.logical.qlsa_amplification`), CKS, our HHL, and the published solvers.
All entries accept sympy symbols (the amplified count is then omitted). The like-for-like
constant-success table is `resource_estimates.published.qlsa_like_for_like.like_for_like`
(docs/qlsa_comparison.md). Queries count calls to the block
encoding U or U† (a walk step is one query).

Sources:

* Childs, Kothari, Somma, *Quantum linear systems algorithm with exponentially improved dependence
  on precision*, SIAM J. Comput. 46, 1920 (2017), [arXiv:1511.02306](https://arxiv.org/abs/1511.02306),
  Lemmas 17–19: degree 2j₀ + 1, b = ⌈κ² ln(κ/ε)⌉, j₀ = ⌈√(b ln(4b/ε))⌉.
* Dalzell, *A shortcut to an optimal quantum linear system solver* (2024),
  [arXiv:2406.12086](https://arxiv.org/abs/2406.12086): ≈ 56κ + 1.05κ ln(1/ε) + o(κ).
* Jennings, Lostaglio, Pallister, Sornborger, Subaşı, *Randomized adiabatic quantum linear solver
  algorithm with optimal complexity scaling and detailed running costs* (2023),
  [arXiv:2305.11352](https://arxiv.org/abs/2305.11352): expected calls ≈ 837κ at ε = 10⁻¹⁰ for
  Hermitian A (their closed formula is not reproduced here: the figure holds at ε = 10⁻¹⁰ only).
* Costa, An, Sanders, Su, Babbush, Berry, *Optimal scaling quantum linear systems solver via
  discrete adiabatic theorem*, PRX Quantum 3, 040303 (2022),
  [arXiv:2111.08152](https://arxiv.org/abs/2111.08152): ≤ 2305κ walk steps (bound) plus the
  filtering stage, counted here as κ ln(2/ε) queries.
* Costa, An, Babbush, Berry, *The discrete adiabatic quantum linear system solver has lower
  constant factors than the randomized adiabatic solver* (2023),
  [arXiv:2312.07690](https://arxiv.org/abs/2312.07690): ≈ 1.84κ walk steps measured on random
  matrices (same filtering term added).
"""

from __future__ import annotations

import math

import sympy
from qualtran.symbolics import SymbolicFloat, is_symbolic, ln

from bloqs.linear_systems.hhl import hhl_phase_bits, hhl_queries
from bloqs.linear_systems.inverse_polynomials import chebyshev_degree, cks_degree

JENNINGS_HERMITIAN_AT_1E_10 = 837
COSTA_WALK_STEPS_BOUND = 2305
COSTA_WALK_STEPS_MEASURED = 1.84


def amplification_rounds(success_amplitude: float) -> int:
    """Grover rounds r = ⌊π/(4θ)⌋, θ = arcsin(a): success sin²((2r+1)θ) ≥ 1 − a² after r rounds
    (Brassard, Høyer, Mosca, Tapp, quant-ph/0005055, Theorem 2)."""
    return math.floor(math.pi / (4 * math.asin(success_amplitude)))


def json_number(x: float, symbolic: bool):
    return sympy.nsimplify(x) if symbolic else x


def _entry(queries, formula: str, source: str, note: str = "") -> dict:
    return {"queries": queries, "formula": formula, "source": source, "note": note}


def qlsa_comparison(kappa: SymbolicFloat, epsilon: SymbolicFloat) -> dict:
    """Block-encoding queries of QLSAs at condition number `kappa` and error `epsilon`.

    Returns ``{"kappa": κ, "epsilon": ε, "unit": ..., "solvers": {name: {"queries", "formula",
    "source", "note"}}}``. Raises `ValueError` for κ < 1 or ε ∉ (0, 1) (numbers).
    """
    symbolic = is_symbolic(kappa, epsilon)
    if not symbolic:
        if not (math.isfinite(kappa) and kappa >= 1):
            raise ValueError(f"kappa must be a finite number >= 1, got {kappa}")
        if not (math.isfinite(epsilon) and 0 < epsilon < 1):
            raise ValueError(f"epsilon must lie in (0, 1), got {epsilon}")
    filtering = kappa * ln(2 / epsilon)
    solvers = {
        "qsvt_cks": _entry(
            cks_degree(kappa, epsilon),
            "2*ceil(sqrt(b*ln(4b/eps)))+1, b = ceil(kappa^2 ln(kappa/eps))",
            "Childs, Kothari, Somma 2017 (arXiv:1511.02306) via our QSVT",
            "one attempt; success probability ~ (scale*||A^-1 y||)^2, not amplified",
        ),
        "hhl": _entry(
            hhl_queries(hhl_phase_bits(kappa, epsilon)),
            "4*(2^t - 1), t = ceil(log2(pi*kappa/eps))",
            "Harrow, Hassidim, Lloyd 2009 (arXiv:0811.3171) via our walk R0 U^dag R0 U",
            "phase estimation and its uncompute; one attempt, not amplified",
        ),
        "dalzell_2024": _entry(
            56 * kappa + json_number(1.05, symbolic) * kappa * ln(1 / epsilon),
            "56*kappa + 1.05*kappa*ln(1/eps) + o(kappa)",
            "Dalzell 2024 (arXiv:2406.12086)",
        ),
        "jennings_2023": _entry(
            JENNINGS_HERMITIAN_AT_1E_10 * kappa,
            "837*kappa (Hermitian, at eps = 1e-10)",
            "Jennings et al. 2023 (arXiv:2305.11352)",
            "published at eps = 1e-10 only; other eps not reproduced",
        ),
        "costa_2022_bound": _entry(
            COSTA_WALK_STEPS_BOUND * kappa + filtering,
            "2305*kappa + kappa*ln(2/eps)",
            "Costa et al. 2022 (PRX Quantum 3, 040303; arXiv:2111.08152)",
            "upper bound on adiabatic walk steps, plus filtering",
        ),
        "costa_2023_measured": _entry(
            json_number(COSTA_WALK_STEPS_MEASURED, symbolic) * kappa + filtering,
            "1.84*kappa + kappa*ln(2/eps)",
            "Costa, An, Babbush, Berry 2023 (arXiv:2312.07690)",
            "walk steps measured on random matrices, plus filtering",
        ),
    }
    solvers["qsvt_optimal"] = _entry(
        chebyshev_degree(kappa, epsilon),
        "2*ceil(acosh(1/eps)/acosh((kappa^2+1)/(kappa^2-1))) - 1",
        "our QSVT, Chebyshev min-max polynomial (optimal odd degree for relative error eps)",
        "one attempt; success probability ~ (scale*||(A/alpha)^-1 y||)^2, not amplified",
    )
    if not symbolic:
        from resource_estimates.logical.qlsa_amplification import (
            DEFAULT_SUCCESS,
            amplified_qsvt_queries,
        )

        amp = amplified_qsvt_queries(kappa, epsilon)
        solvers["qsvt_optimal_amplified"] = _entry(
            amp["queries"],
            "d*L, L = smallest odd >= acosh(1/delta)/acosh(1/sqrt(1-a_min^2)), "
            "a_min = scale*(1-eps), delta^2 = 1 - success",
            "our QSVT with fixed-point amplitude amplification (Yoder, Low, Chuang 2014, "
            "arXiv:1409.3305)",
            f"success >= {DEFAULT_SUCCESS:.3g} for every y (worst case a_min); L = {amp['calls']}",
        )
    return {
        "kappa": kappa,
        "epsilon": epsilon,
        "unit": "block-encoding queries (U or U^dagger; one walk step = one query)",
        "solvers": solvers,
    }
