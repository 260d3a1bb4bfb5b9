"""Poisson-bootstrap medians and the two growth laws (log vs power) fitted with their uncertainty.

The paper's Fig. 1 shows medians over test points with "two standard deviations estimated by
Poisson bootstrapping" (Zlokapa, Neven & Lloyd, arXiv:2107.09200). The Poisson bootstrap (Hanley &
MacGibbon, Comput. Methods Programs Biomed. 83, 57 (2006); Chamandy et al., Google tech. report
2012) gives each observation an independent Poisson(1) weight per replicate; a statistic is
recomputed with those weights. The same weights are used at every n (the test points are the same
at every n), so a replicate is a whole curve and a law can be refitted to it.

Laws, fitted to the medians ``m_n`` by weighted least squares with the bootstrap σ_n:

* log law ``y = a + b·ln n`` (the paper's O(log n));
* power law ``y = c·n^α`` (fitted as ``ln y = ln c + α ln n`` with σ_n/m_n).

Each fit reports χ² and its p-value (dof = points − 2), R² in y, and 95 % percentile intervals of
its parameters from refitting every bootstrap replicate. Pure numpy/scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "bootstrap_weights",
    "fit_laws",
    "law_value",
    "weighted_mean",
    "weighted_median",
]


def bootstrap_weights(num_points: int, num_replicates: int, seed: int = 0) -> np.ndarray:
    """``(num_replicates, num_points)`` independent Poisson(1) weights (a replicate with all
    weights zero is redrawn)."""
    rng = np.random.default_rng(seed)
    w = rng.poisson(1.0, size=(num_replicates, num_points))
    empty = w.sum(axis=1) == 0
    while np.any(empty):
        w[empty] = rng.poisson(1.0, size=(int(empty.sum()), num_points))
        empty = w.sum(axis=1) == 0
    return w


def weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Median of ``values`` (length m) with integer ``weights`` (shape ``(..., m)``): exactly
    ``np.median`` of the values each repeated ``weight`` times (mean of the two middle ones)."""
    values = np.asarray(values, float)
    order = np.argsort(values, kind="stable")
    v = values[order]
    w = np.asarray(weights)[..., order]
    cum = np.cumsum(w, axis=-1)
    total = cum[..., -1:]
    lo = np.sum(cum <= (total - 1) // 2, axis=-1)
    hi = np.sum(cum <= total // 2, axis=-1)
    return 0.5 * (v[lo] + v[hi])


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Mean of ``values`` with weights of shape ``(..., m)``."""
    w = np.asarray(weights, float)
    return (w @ np.asarray(values, float)) / w.sum(axis=-1)


def _wls(x: np.ndarray, y: np.ndarray, sigma: np.ndarray) -> tuple[float, float, float]:
    """Weighted least squares of y = p0 + p1·x; returns (p0, p1, χ²)."""
    w = 1.0 / np.maximum(sigma, 1e-300) ** 2
    A = np.vstack([np.ones_like(x), x]).T
    Aw = A * w[:, None]
    p = np.linalg.solve(A.T @ Aw, Aw.T @ y)
    chi2 = float(np.sum(w * (y - A @ p) ** 2))
    return float(p[0]), float(p[1]), chi2


def law_value(law: dict[str, Any], n: float) -> float:
    """The fitted law at ``n``."""
    if law["law"] == "log":
        return law["a"] + law["b"] * math.log(n)
    return law["c"] * float(n) ** law["alpha"]


def _r2(y: np.ndarray, pred: np.ndarray) -> float:
    ss = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - pred) ** 2)) / ss if ss > 0 else 1.0


def fit_laws(
    ns: Sequence[float],
    medians: Sequence[float],
    replicates: np.ndarray | None = None,
    sigma_floor: float = 1e-12,
) -> dict[str, dict[str, Any]]:
    """Fit the log and the power law to ``medians`` at ``ns``.

    ``replicates`` (``(B, len(ns))`` bootstrap medians) give σ_n (their standard deviation) and the
    95 % intervals of the parameters; without them the fit is unweighted and intervals come from
    the regression's standard errors (Student t). Values must be positive for the power law.
    """
    from scipy import stats

    x = np.log(np.asarray(ns, float))
    y = np.asarray(medians, float)
    if x.shape != y.shape or x.size < 2 or np.ptp(x) == 0:
        raise ValueError("fit_laws needs >= 2 distinct sizes and one value per size")
    if replicates is not None:
        reps = np.asarray(replicates, float)
        sigma = np.maximum(reps.std(axis=0, ddof=1), sigma_floor * np.maximum(np.abs(y), 1.0))
    else:
        reps, sigma = None, np.ones_like(y)
    dof = y.size - 2
    out: dict[str, dict[str, Any]] = {}
    positive = bool(np.all(y > 0)) and (reps is None or bool(np.all(reps > 0)))
    for law in ("log", "power"):
        if law == "power" and not positive:
            continue
        if law == "log":
            p0, p1, chi2 = _wls(x, y, sigma)
            fit = {"law": "log", "a": p0, "b": p1}
            pred = p0 + p1 * x
            names = ("a", "b")
        else:
            p0, p1, chi2 = _wls(x, np.log(y), sigma / y)
            fit = {"law": "power", "c": math.exp(p0), "alpha": p1}
            pred = math.exp(p0) * np.exp(x) ** p1
            names = ("c", "alpha")
        fit["r2"] = _r2(y, pred)
        fit["weighted"] = reps is not None
        if reps is not None:
            fit["chi2"] = chi2
            fit["dof"] = dof
            fit["p_value"] = float(stats.chi2.sf(chi2, dof)) if dof > 0 else None
            params = []
            for row in reps:
                if law == "log":
                    q0, q1, _ = _wls(x, row, sigma)
                    params.append((q0, q1))
                else:
                    q0, q1, _ = _wls(x, np.log(row), sigma / y)
                    params.append((math.exp(q0), q1))
            params = np.array(params)
            for k, name in enumerate(names):
                lo, hi = np.percentile(params[:, k], [2.5, 97.5])
                fit[f"{name}_ci95"] = [float(lo), float(hi)]
        elif dof > 0:
            # ordinary least squares standard errors, t interval
            xx = x if law == "log" else x
            yy = y if law == "log" else np.log(y)
            A = np.vstack([np.ones_like(xx), xx]).T
            coef, *_ = np.linalg.lstsq(A, yy, rcond=None)
            s2 = float(np.sum((yy - A @ coef) ** 2)) / dof
            cov = s2 * np.linalg.inv(A.T @ A)
            t = float(stats.t.ppf(0.975, dof))
            se = np.sqrt(np.diag(cov))
            lo0, hi0 = coef[0] - t * se[0], coef[0] + t * se[0]
            if law == "power":
                lo0, hi0 = math.exp(lo0), math.exp(hi0)
            fit[f"{names[0]}_ci95"] = [float(lo0), float(hi0)]
            fit[f"{names[1]}_ci95"] = [float(coef[1] - t * se[1]), float(coef[1] + t * se[1])]
        out[law] = fit
    return out
