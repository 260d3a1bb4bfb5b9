"""The exact classical model of Algorithm 1 that every circuit is tested against.

Normalisation. All kernel matrices here are divided by the common diagonal ``K_ii = k̂(1)``
(Theorem I.5), so ``K`` has unit diagonal and never overflows at large depth. Every prediction is
invariant under this common scale: ``k*ᵀK⁻¹y`` (exact), ``k*ᵀK̃⁻¹y`` (sparsified) and the diagonal
approximation ``k*ᵀ(K_11·I)⁻¹y = k*ᵀy/K_11`` (Theorem II.2, Corollary II.3) are the same numbers
as with the raw kernel.

The quantum state quantities follow the paper (Theorem III.5, Lemma III.7, Algorithm 1):

* ``k_i = k̂(x*·x_i)/k_max`` clipped to ``[−1, 1]``, with ``k_max = k̂(1 − δ̂)``
  (:func:`test_kernel_vector`, length ``n_padded``; padding rows included, see
  :mod:`qntk_compile.data.problem`);
* post-selection success probability ``P/n_padded`` with ``P = Σ k_i²`` (the circuit starts from the
  uniform superposition over ``n_padded`` indices); the paper's measurement count is its inverse
  ``n/P`` (:func:`post_selection_count`);
* readout: the Hadamard test's ancilla is 0 with probability ``(1 + ⟨k*|v⟩)/2``, sign estimation
  needs ``~1/⟨k*|v⟩²`` shots, for ``v = y`` (diagonal NTK) or ``v = K̃⁻¹y`` (sparsified NTK), both
  normalised (:func:`readout_overlap`, :func:`readout_count`).

The δ(n) power law ``δ ≈ a1·n^(−a2)`` is fitted by least squares in log-log space
(:func:`fit_power_law`), as in Suppl. Sec. IV (Fig. S1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from qntk_compile.data.problem import Problem, separability
from qntk_compile.data.sparsity import CirculantPattern, PseudorandomPattern
from qntk_compile.kernel.ntk import ntk_normalized, ntk_value

__all__ = [
    "batch_counts",
    "accuracy",
    "condition_number",
    "diagonal_prediction",
    "exact_prediction",
    "fit_power_law",
    "k_max",
    "k_max_normalized",
    "kernel_matrix",
    "max_nonzeros",
    "padded_sparsified_kernel_matrix",
    "post_selection_count",
    "post_selection_probability",
    "predictions",
    "readout_count",
    "readout_overlap",
    "separability",
    "sparsified_kernel_matrix",
    "sparsified_prediction",
    "sparsity_pattern",
    "summarize",
    "test_kernel_vector",
    "test_kernel_values",
]


def _gram(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    return np.clip(A @ B.T, -1.0, 1.0)


def kernel_matrix(problem: Problem, normalized: bool = True) -> np.ndarray:
    """Exact NTK over the ``n`` real rows, normalised to unit diagonal (``K/K_11``).

    ``normalized=False`` returns the raw ``k̂(x_i·x_j)`` (``ValueError`` if the depth overflows).
    """
    X = problem.X_real
    if not normalized:
        return ntk_value(_gram(X, X), problem.depth)
    K = ntk_normalized(_gram(X, X), problem.depth)
    np.fill_diagonal(K, 1.0)
    return K


def sparsity_pattern(
    problem: Problem, kind: str | None = None, cross_class: bool = False
) -> CirculantPattern | PseudorandomPattern:
    """The sparsity map ν over ``n_padded`` indices for the problem's knobs.

    ``kind`` defaults to ``problem.sparsity_pattern``; ``cross_class`` zeroes cross-class pairs
    (pseudorandom pattern only; padding rows then couple to nothing).
    """
    kind = problem.sparsity_pattern if kind is None else kind
    if kind == "circulant":
        if cross_class:
            raise ValueError("cross_class zeroing applies to the pseudorandom pattern only")
        s = problem.sparsity
        if s % 2 == 0 and problem.n_padded % 2:
            s -= 1
        return CirculantPattern.from_sparsity(problem.n_padded, s)
    if kind == "pseudorandom":
        return PseudorandomPattern.from_seed(
            problem.n_padded,
            problem.sparsity,
            seed=problem.pattern_seed,
            labels=problem.y if cross_class else None,
        )
    raise ValueError(f"sparsity pattern must be 'circulant' or 'pseudorandom' (got {kind!r})")


def sparsified_kernel_matrix(problem: Problem, pattern=None, K: np.ndarray | None = None):
    """``K̃`` over the real rows: ``K`` restricted to the pattern's structural nonzeros.

    ``K`` (the exact normalised kernel matrix) may be passed to avoid recomputing it.
    """
    pattern = sparsity_pattern(problem) if pattern is None else pattern
    if pattern.n != problem.n_padded:
        raise ValueError(f"pattern size {pattern.n} != n_padded {problem.n_padded}")
    n = problem.n
    K = kernel_matrix(problem) if K is None else K
    return K * pattern.mask()[:n, :n]


def padded_sparsified_kernel_matrix(problem: Problem, pattern=None) -> np.ndarray:
    """``K̃_pad = K̃ ⊕ I`` over ``n_padded`` indices (padding rows decoupled, unit diagonal)."""
    n, N = problem.n, problem.n_padded
    out = np.eye(N)
    out[:n, :n] = sparsified_kernel_matrix(problem, pattern)
    return out


def k_max(problem: Problem) -> float:
    """``k_max = k̂(1 − δ̂)`` in the raw NTK scale (``ValueError`` if the depth overflows)."""
    return float(ntk_value(1.0 - problem.delta_hat, problem.depth))


def k_max_normalized(problem: Problem) -> float:
    """``k̂(1 − δ̂)/k̂(1)``."""
    return float(ntk_normalized(1.0 - problem.delta_hat, problem.depth))


def test_kernel_values(problem: Problem, x_test=None) -> np.ndarray:
    """Unclipped ``k̂(x*·x_i)/k̂(1)`` over the ``n`` real rows (test point(s) as rows)."""
    xt = problem.x_test if x_test is None else _as_test_points(problem, x_test)
    rho = _gram(np.atleast_2d(xt), problem.X_real)
    vals = ntk_normalized(rho, problem.depth)
    return vals[0] if np.ndim(xt) == 1 else vals


def test_kernel_vector(problem: Problem) -> np.ndarray:
    """The amplitudes ``k_i = k̂(x*·x_i)/k_max`` clipped to [−1, 1], length ``n_padded``.

    Padding rows are included (their ``ρ`` is ``x*·e_{d_pad−1} = 0``), as the circuit sees them.
    Not normalised: ``|k*⟩ = k/√P``.
    """
    rho = _gram(problem.x_test[None, :], problem.X)[0]
    return np.clip(ntk_normalized(rho, problem.depth) / k_max_normalized(problem), -1.0, 1.0)


test_kernel_vector.__test__ = False  # not a pytest test despite its name
test_kernel_values.__test__ = False


def post_selection_probability(problem: Problem) -> float:
    """``P/n_padded`` with ``P = Σ k_i²``: the success probability of step 4 of Algorithm 1."""
    k = test_kernel_vector(problem)
    return float(np.sum(k * k) / problem.n_padded)


def post_selection_count(problem: Problem) -> float:
    """``n/P`` (with ``n = n_padded``): the paper's post-selection measurement count (Fig. 1a).

    Amplitude amplification needs about ``(π/4)·√(n/P)`` rounds instead.
    """
    p = post_selection_probability(problem)
    return math.inf if p == 0 else 1.0 / p


def _unit(v: np.ndarray) -> np.ndarray:
    nrm = float(np.linalg.norm(v))
    if nrm == 0:
        raise ValueError("cannot normalise a zero vector")
    return v / nrm


def readout_overlap(problem: Problem, which: str = "diagonal", pattern=None) -> float:
    """``⟨k*|v⟩`` with both states normalised, over ``n_padded`` indices.

    ``which="diagonal"``: ``v = y`` (DiagonalNTK); ``"sparsified"``: ``v = K̃_pad⁻¹ y``
    (SparsifiedNTK); ``"exact"``: ``v = K⁻¹ y`` (padding decoupled the same way).
    """
    k = test_kernel_vector(problem)
    if which == "diagonal":
        v = problem.y
    elif which in ("sparsified", "exact"):
        n = problem.n
        v = np.zeros(problem.n_padded)
        M = sparsified_kernel_matrix(problem, pattern) if which == "sparsified" else None
        if M is None:
            M = kernel_matrix(problem)
        v[:n] = np.linalg.solve(M, problem.y_real)
    else:
        raise ValueError(f"which must be 'diagonal', 'sparsified' or 'exact' (got {which!r})")
    return float(_unit(k) @ _unit(v))


def readout_count(problem: Problem, which: str = "diagonal", pattern=None) -> float:
    """``1/⟨k*|v⟩²``: the sign-estimation shot count of the readout (Fig. 1b)."""
    o = readout_overlap(problem, which, pattern)
    return math.inf if o == 0 else 1.0 / (o * o)


def _as_test_points(problem: Problem, x_test) -> np.ndarray:
    xt = np.asarray(x_test, dtype=float)
    single = xt.ndim == 1
    xt = np.atleast_2d(xt)
    if xt.ndim != 2 or xt.shape[1] not in (problem.d, problem.d_padded):
        raise ValueError(f"x_test: shape {np.shape(x_test)} does not match d={problem.d}")
    if not np.all(np.isfinite(xt)):
        raise ValueError("x_test: contains NaN or inf")
    norms = np.linalg.norm(xt, axis=1)
    if np.any(norms <= 1e-300):
        raise ValueError(f"x_test: row {int(np.flatnonzero(norms <= 1e-300)[0])} is zero")
    out = np.zeros((xt.shape[0], problem.d_padded))
    out[:, : xt.shape[1]] = xt / norms[:, None]
    return out[0] if single else out


def exact_prediction(problem: Problem, x_test=None) -> np.ndarray | float:
    """``k*ᵀK⁻¹y`` (the trained infinite-width network's mean output, Eq. 2 of the supplement)."""
    k = test_kernel_values(problem, x_test)
    return k @ np.linalg.solve(kernel_matrix(problem), problem.y_real)


def sparsified_prediction(problem: Problem, x_test=None, pattern=None) -> np.ndarray | float:
    """``k*ᵀK̃⁻¹y``."""
    k = test_kernel_values(problem, x_test)
    return k @ np.linalg.solve(sparsified_kernel_matrix(problem, pattern), problem.y_real)


def diagonal_prediction(problem: Problem, x_test=None) -> np.ndarray | float:
    """``k*ᵀy/K_11`` (diagonal NTK, Corollary II.3)."""
    return test_kernel_values(problem, x_test) @ problem.y_real


def predictions(problem: Problem, x_test=None, pattern=None, K=None) -> dict[str, np.ndarray]:
    """All three predictions for one or many test points (rows), sharing the work."""
    k = np.atleast_2d(test_kernel_values(problem, x_test))
    y = problem.y_real
    K = kernel_matrix(problem) if K is None else K
    Kt = sparsified_kernel_matrix(problem, pattern, K)
    out = {
        "exact": k @ np.linalg.solve(K, y),
        "sparsified": k @ np.linalg.solve(Kt, y),
        "diagonal": k @ y,
    }
    xt = problem.x_test if x_test is None else np.asarray(x_test)
    if np.ndim(xt) == 1:
        out = {key: float(v[0]) for key, v in out.items()}
    return out


def accuracy(pred, labels) -> float:
    """Fraction of test points with ``sign(pred) == label`` (a zero prediction counts as wrong)."""
    pred = np.asarray(pred, dtype=float)
    labels = np.asarray(labels, dtype=float)
    if pred.shape != labels.shape or pred.ndim != 1 or pred.size == 0:
        raise ValueError(f"predictions {pred.shape} and labels {labels.shape} must match")
    return float(np.mean(np.sign(pred) == labels))


def condition_number(M: np.ndarray) -> float:
    """``κ = σ_max/σ_min`` (2-norm condition number; ``inf`` if singular)."""
    M = np.asarray(M, dtype=float)
    if M.ndim == 2 and M.shape[0] == M.shape[1] and np.array_equal(M, M.T):
        s = np.sort(np.abs(np.linalg.eigvalsh(M)))[::-1]  # symmetric: singular values = |λ|
    else:
        s = np.linalg.svd(M, compute_uv=False)
    return math.inf if s[-1] == 0 else float(s[0] / s[-1])


def max_nonzeros(M: np.ndarray) -> int:
    """Largest number of nonzero entries in a row of ``M``."""
    return int(np.max(np.count_nonzero(np.asarray(M), axis=1)))


def fit_power_law(ns: Sequence[float], deltas: Sequence[float]) -> dict[str, float]:
    """Least-squares fit of ``log δ = log a1 − a2·log n``; returns ``a1``, ``a2``, ``r2``
    (R² of the log-log fit), and the standard error of ``a2``."""
    ns = np.asarray(ns, dtype=float)
    ds = np.asarray(deltas, dtype=float)
    if ns.shape != ds.shape or ns.ndim != 1 or ns.size < 2:
        raise ValueError("fit_power_law needs two equal-length sequences of >= 2 values")
    if np.any(ns <= 0) or np.any(ds <= 0) or not np.all(np.isfinite(ns) & np.isfinite(ds)):
        raise ValueError("fit_power_law needs positive finite n and delta")
    if np.ptp(np.log(ns)) == 0:
        raise ValueError("fit_power_law needs at least two distinct n")
    lx, ly = np.log(ns), np.log(ds)
    A = np.vstack([np.ones_like(lx), lx]).T
    coef, *_ = np.linalg.lstsq(A, ly, rcond=None)
    resid = ly - A @ coef
    ss_tot = float(np.sum((ly - ly.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
    dof = ns.size - 2
    if dof > 0:
        s2 = float(np.sum(resid**2)) / dof
        se = math.sqrt(s2 / float(np.sum((lx - lx.mean()) ** 2)))
    else:
        se = math.nan
    return {"a1": float(math.exp(coef[0])), "a2": float(-coef[1]), "r2": r2, "a2_stderr": se}


def weighted_encoding_condition(Kt: np.ndarray) -> dict[str, float]:
    """What the QLSA sees of K̃ under the weighted sparse block encoding with s = its largest
    row count (`bloqs.block_encoding.weighted_sparse_block_encoding.block_encoding_condition`):
    κ_eff = α/λ_min(K̃), α/K̃₁₁ (largest diagonal entry), e_max = max off-diagonal / min diagonal,
    γ = (s−1)·e_max and the Gershgorin bound on κ_eff (inf when γ ≥ 1)."""
    from bloqs.block_encoding.weighted_sparse_block_encoding import block_encoding_condition

    s = max_nonzeros(Kt)
    c = block_encoding_condition(Kt, s)
    diag = np.diag(Kt)
    return {
        "kappa_eff": c.kappa_eff_weighted,
        "alpha_over_k11": c.alpha_weighted / float(np.max(np.abs(diag))),
        "e_max": c.gamma / (s - 1) if s > 1 else 0.0,
        "gamma": c.gamma,
        "kappa_eff_bound": c.kappa_eff_bound,
    }


def summarize(
    problem: Problem, X_test=None, y_test=None, patterns: Sequence[str] = ("pseudorandom",)
) -> dict[str, Any]:
    """Every number ``analyze`` reports for one problem and a set of labelled test points.

    Counts (post-selection, readout) are medians over the test points, as in Fig. 1.
    """
    out: dict[str, Any] = {"problem": problem.summary()}
    K = kernel_matrix(problem)
    off = K[~np.eye(problem.n, dtype=bool)]
    out["kappa_exact"] = condition_number(K)
    out["max_offdiag_ratio"] = float(np.max(np.abs(off))) if off.size else 0.0
    out["median_offdiag_ratio"] = float(np.median(np.abs(off))) if off.size else 0.0
    out["k_max_normalized"] = k_max_normalized(problem)
    out["k_max_raw"] = _safe(lambda: k_max(problem))
    pats = {}
    for kind in patterns:
        pat = sparsity_pattern(problem, kind)
        Kt = sparsified_kernel_matrix(problem, pat, K)
        pats[kind] = {
            "pattern": pat,
            "kappa": condition_number(Kt),
            "s_cap": int(pat.s),
            "max_nonzeros": max_nonzeros(Kt),
            **weighted_encoding_condition(Kt),
        }
    out["sparsified"] = {
        k: {kk: vv for kk, vv in v.items() if kk != "pattern"} for k, v in pats.items()
    }
    main = patterns[0]
    out["kappa_sparsified"] = pats[main]["kappa"]
    out["max_nonzeros"] = pats[main]["max_nonzeros"]
    if X_test is not None:
        X_test = np.atleast_2d(np.asarray(X_test, dtype=float))
        preds = predictions(problem, X_test, pats[main]["pattern"], K)
        if y_test is not None:
            out["accuracy"] = {k: accuracy(v, y_test) for k, v in preds.items()}
            out["agreement_with_exact"] = {
                k: float(np.mean(np.sign(v) == np.sign(preds["exact"]))) for k, v in preds.items()
            }
        counts = batch_counts(
            problem, X_test, sparsified_kernel_matrix(problem, pats[main]["pattern"], K)
        )
        out["post_selection_count_median"] = float(np.median(counts["post_selection"]))
        out["readout_count_diagonal_median"] = float(np.median(counts["readout_diagonal"]))
        out["readout_count_sparsified_median"] = float(np.median(counts["readout_sparsified"]))
        out["num_test"] = int(X_test.shape[0])
    return out


def batch_counts(problem: Problem, X_test: np.ndarray, Kt: np.ndarray) -> dict[str, np.ndarray]:
    """Per test point: ``n/P`` and ``1/⟨k*|v⟩²`` for v = y and v = K̃⁻¹y (vectorised)."""
    xt = _as_test_points(problem, np.atleast_2d(X_test))
    rho = _gram(xt, problem.X)  # (m, n_padded), padding rows included
    k = np.clip(ntk_normalized(rho, problem.depth) / k_max_normalized(problem), -1.0, 1.0)
    P = np.sum(k * k, axis=1)
    knorm = np.sqrt(P)
    y = problem.y
    vs = np.zeros(problem.n_padded)
    vs[: problem.n] = np.linalg.solve(Kt, problem.y_real)
    with np.errstate(divide="ignore", invalid="ignore"):
        od = (k @ y) / (knorm * np.linalg.norm(y))
        osp = (k @ vs) / (knorm * np.linalg.norm(vs))
        return {
            "post_selection": problem.n_padded / P,
            "readout_diagonal": 1.0 / od**2,
            "readout_sparsified": 1.0 / osp**2,
            "overlap_diagonal": od,
            "overlap_sparsified": osp,
        }


def _safe(fn):
    try:
        return float(fn())
    except ValueError:
        return None
