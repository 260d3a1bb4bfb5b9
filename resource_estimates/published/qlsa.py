"""Quantum linear-systems solvers side by side: block-encoding queries at the same κ_eff and ε.

`qlsa_comparison(kappa, epsilon)` returns, for one condition number κ (the one the solver sees,
κ_eff = α/λ_min) and target error ε, the query counts of our QSVT solver (CKS degree; the minimax
degree when κ is a number small enough to fit), our HHL, and the published solvers. All entries
accept sympy symbols (the minimax degree is then omitted). Queries count calls to the block
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
from bloqs.linear_systems.inverse_polynomials import cks_degree, minimax_inverse_polynomial

#: Largest κ for which `qlsa_comparison` fits the minimax polynomial (the LP takes seconds there).
MINIMAX_MAX_KAPPA = 8.0

JENNINGS_HERMITIAN_AT_1E_10 = 837
COSTA_WALK_STEPS_BOUND = 2305
COSTA_WALK_STEPS_MEASURED = 1.84


def amplification_rounds(success_amplitude: float) -> int:
    """Grover rounds r = ⌊π/(4θ)⌋, θ = arcsin(a): success sin²((2r+1)θ) ≥ 1 − a² after r rounds
    (Brassard, Høyer, Mosca, Tapp, quant-ph/0005055, Theorem 2)."""
    return math.floor(math.pi / (4 * math.asin(success_amplitude)))


def _num(x: float, symbolic: bool):
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
            56 * kappa + _num(1.05, symbolic) * kappa * ln(1 / epsilon),
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
            _num(COSTA_WALK_STEPS_MEASURED, symbolic) * kappa + filtering,
            "1.84*kappa + kappa*ln(2/eps)",
            "Costa, An, Babbush, Berry 2023 (arXiv:2312.07690)",
            "walk steps measured on random matrices, plus filtering",
        ),
    }
    if not symbolic and kappa <= MINIMAX_MAX_KAPPA:
        poly = minimax_inverse_polynomial(kappa, epsilon)
        solvers["qsvt_minimax"] = _entry(
            poly.degree,
            "smallest odd degree with minimax relative error <= eps (LP fit)",
            "our QSVT with a minimax fit of 1/x on [1/kappa, 1]",
            f"one attempt; kappa*scale = {kappa * poly.scale:.3f}, not amplified",
        )
        rounds = amplification_rounds(poly.scale)
        solvers["qsvt_minimax_amplified"] = _entry(
            poly.degree * (2 * rounds + 1),
            "d*(2r+1), r = floor(pi/(4*asin(scale))) amplitude-amplification rounds",
            "our QSVT (minimax) with amplitude amplification of the success flag",
            "worst case: success probability >= scale^2 since ||(A/alpha)^-1 y|| >= 1",
        )
    return {
        "kappa": kappa,
        "epsilon": epsilon,
        "unit": "block-encoding queries (U or U^dagger; one walk step = one query)",
        "solvers": solvers,
    }
