"""Tight worst-case pieces of the error budget: AE tails, the median's tail charge, the shell LP,
the one-sided readout margin and the exact binomial shot count.

Derivations and sources: ``docs/error_budget.md`` §3–§4. Pure numerics (numpy/scipy); every
function is a bound valid for every data set with the stated post-selection probability q,
readout overlap o and kernel (δ̂), never a typical case.

* :func:`ae_tail`: one canonical amplitude estimation with M = 2^m iterations misses the phase by
  more than t/M with probability ≤ 1 − 8/π² (t = 1) and ≤ 1/(2(t − 1)) (t ≥ 2) (Brassard, Høyer,
  Mosca, Tapp 2002, quant-ph/0005055, Thm 11; the paper's Lemma III.2 is its t = 1 case).
* :func:`median_tail`: the median of k i.i.d. folded copies is more than t/M off only if at least
  (k + 1)/2 copies are (exact binomial tail of the per-copy bound; Lemma III.3).
* :func:`tail_charge`: a failed median is charged what it can move — the kernel's modulus at the
  window the median actually reaches, layer by layer (t = 1, 2, 4, …), not the whole table range.
* :func:`share_lp_max`: the largest Σ_j w_j x_j over row shares w_j ≥ 0 of shells with
  Σ_j w_j ≤ 1 and Σ_j w_j k_j² ≤ q (P = Σ_i k_i² = nq), solved exactly at the vertices.
* :func:`readout_margin`: the smallest |õ| the Hadamard test can have, one-sided.
* :func:`binomial_sign_failure` / :func:`binomial_shots_for` / :class:`ShotTable`: the exact
  majority-vote tail and the fewest odd shots meeting it.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special, stats

__all__ = [
    "AE_SUCCESS",
    "ae_tail",
    "median_tail",
    "tail_charge",
    "share_lp_max",
    "readout_margin",
    "binomial_sign_failure",
    "hoeffding_shots",
    "binomial_shots_for",
    "ShotTable",
    "shot_table",
]

#: Success probability of one canonical amplitude estimation (Brassard et al. 2002, Thm 12).
AE_SUCCESS = 8 / math.pi**2


def ae_tail(t) -> np.ndarray:
    """Bound on P(d(ω̃, ω) > t/M) of one AE (t ≥ 1 integer grid steps; Brassard et al. Thm 11)."""
    t = np.asarray(t, dtype=float)
    bad = 1.0 - AE_SUCCESS
    with np.errstate(divide="ignore"):
        far = np.where(t >= 2, 1.0 / (2.0 * np.maximum(t - 1.0, 1e-300)), 1.0)
    return np.where(t < 1, 1.0, np.minimum(bad, far))


def median_tail(copies, t) -> np.ndarray:
    """Bound on P(median of ``copies`` folded AE outputs is > t/M from the phase):
    ``P[Bin(k, ae_tail(t)) ≥ (k + 1)/2]`` (broadcast over ``copies`` and ``t``)."""
    k = np.asarray(copies, dtype=float)
    return stats.binom.sf((k - 1) / 2, k, ae_tail(t))


def tail_charge(moduli: np.ndarray, copies) -> tuple[np.ndarray, np.ndarray]:
    """(E[A] − A_0, E[A²] − A_0²) bounds of a row's kernel error A from the AE phase error D.

    ``moduli[..., s]`` is the kernel's modulus at phase window 2^s/M (s = 0, 1, …; non-decreasing
    in s; the last one at least the whole range). With T_s = P(D > 2^s) (:func:`median_tail`),
    ``E[A] ≤ A_0 + Σ_s T_s (A_{s+1} − A_s)`` and the same with squares (summation by parts over
    the layers 2^s < D ≤ 2^(s+1)). ``copies`` broadcasts against the leading axes of ``moduli``
    ``moduli`` is (J, S) (shells × windows); the result is (*copies.shape, J).
    """
    a = np.maximum.accumulate(np.asarray(moduli, dtype=float), axis=-1)
    s = np.arange(a.shape[-1] - 1)
    tails = median_tail(np.asarray(copies, dtype=float)[..., None, None], 2.0**s)  # (..., 1, S-1)
    d1 = np.diff(a, axis=-1)
    d2 = np.diff(a * a, axis=-1)
    return np.sum(tails * d1, axis=-1), np.sum(tails * d2, axis=-1)


def share_lp_max(x, a, q: float) -> np.ndarray:
    """max Σ_j w_j x_j over w ≥ 0 with Σ_j w_j ≤ 1 and Σ_j w_j a_j ≤ q (x ≥ 0; last axis j).

    The feasible set is a polytope cut by two constraints, so the maximum sits at a vertex with
    at most two nonzero shares: one shell at w_j = min(1, q/a_j), or two shells j (a_j > q) and
    l (a_l ≤ q) with both constraints tight.
    """
    x = np.asarray(x, dtype=float)
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore"):
        cap = np.where(a > q, q / np.where(a > 0, a, 1.0), 1.0)
    best = np.max(x * cap, axis=-1)
    hi, lo = np.flatnonzero(a > q), np.flatnonzero(a <= q)
    if hi.size and lo.size:
        ah, al = a[hi][:, None], a[lo][None, :]
        wh = (q - al) / (ah - al)
        pair = x[..., hi][..., :, None] * wh + x[..., lo][..., None, :] * (1.0 - wh)
        best = np.maximum(best, np.max(pair, axis=(-2, -1)))
    return best


def readout_margin(x0, d_num, d_q, q: float, state_error=0.0, qlsa_error=0.0):
    """Smallest |õ| of the Hadamard test: ``(|X0| − D_num − s)/(√(q + ΔQ) + s) − e_v``.

    õ = X/√Q (Lemma III.7) with X within D_num of X0 = o√q, Q ≤ q + ΔQ, a state error s moving
    X and √Q by ≤ s each and a readout vector error e_v (QLSA: 2ε). Negative: no bound.
    """
    s = np.asarray(state_error, dtype=float)
    num = abs(x0) - np.asarray(d_num, dtype=float) - s
    den = np.sqrt(q + np.maximum(np.asarray(d_q, dtype=float), 0.0)) + s
    out = num / den - np.asarray(qlsa_error, dtype=float)
    return float(out) if np.ndim(out) == 0 else out


def binomial_sign_failure(shots, p_right) -> np.ndarray | float:
    """Exact P(at most half of ``shots`` (odd) Bernoulli(p_right) outcomes are right).

    By the regularised incomplete beta, P(X ≤ h) = I_(1−p)(S − h, h + 1) (Abramowitz & Stegun
    26.5.24), which stays finite and accurate at 10¹¹ shots and more, where ``special.bdtr``
    returns NaN (and at 10⁹ already differs in the seventh digit)."""
    s = np.asarray(shots, dtype=float)
    p = np.clip(np.asarray(p_right, dtype=float), 0.0, 1.0)
    h = np.floor((s - 1) / 2)
    out = special.betainc(s - h, h + 1, 1.0 - p)
    return float(out) if np.ndim(out) == 0 else out


def hoeffding_shots(failure: float, margin) -> np.ndarray:
    """Fewest odd S with exp(−S·margin²/2) ≤ failure (margin > 0; Hoeffding 1963)."""
    m = np.asarray(margin, dtype=float)
    s = np.maximum(1.0, np.ceil(2 * math.log(1 / failure) / (m * m)))
    return s + (s % 2 == 0)


def binomial_shots_for(failure: float, margin) -> np.ndarray | float:
    """Fewest odd S whose majority of ±1 shots of mean ≥ ``margin`` is wrong with probability
    ≤ ``failure`` (exact binomial tail at p = (1 + margin)/2; never more than Hoeffding's S: the
    tail decreases along odd S and Hoeffding bounds it)."""
    m = np.atleast_1d(np.asarray(margin, dtype=float))
    p = (1.0 + m) / 2.0
    lo = np.zeros(m.shape)  # S = 2h + 1
    hi = (hoeffding_shots(failure, m) - 1) / 2
    while np.any(hi > lo):
        mid = np.floor((lo + hi) / 2)
        ok = binomial_sign_failure(2 * mid + 1, p) <= failure
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid + 1)
    out = 2 * hi + 1
    return float(out[0]) if np.ndim(margin) == 0 else out


class ShotTable:
    """Exact binomial shots on a fine logarithmic grid of margins, for vectorised searches.

    ``shots(m)`` returns the exact count at the largest grid margin ≤ m: never fewer shots than
    the exact minimum at m (a smaller margin needs at least as many), at most ~0.5 % more.
    Below the grid (margin < 1e-4, ≳ 10⁹ shots) Hoeffding's count.
    """

    def __init__(self, failure: float, points: int = 2000):
        self.failure = failure
        self.grid = np.geomspace(1e-4, 1.0, points)
        self.values = binomial_shots_for(failure, self.grid)

    def shots(self, margin) -> np.ndarray:
        m = np.asarray(margin, dtype=float)
        idx = np.searchsorted(self.grid, m, side="right") - 1
        safe = np.clip(idx, 0, self.grid.size - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            below = hoeffding_shots(self.failure, np.where(m > 0, m, np.nan))
        return np.where(m <= 0, np.nan, np.where(idx >= 0, self.values[safe], below))


@lru_cache(maxsize=32)
def shot_table(failure: float) -> ShotTable:
    """The cached :class:`ShotTable` of a failure probability."""
    return ShotTable(failure)
