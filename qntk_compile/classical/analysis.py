"""The analysis behind ``qntk-compile analyze``: the premises of Algorithm 1 on a data set.

For every training-set size n, :func:`analyze` builds a :class:`~qntk_compile.data.problem.Problem`
(first n rows of the seeded training pool, depth ⌈L_conv/10⌉ by default) and measures, from
:mod:`qntk_compile.classical.reference`: separability δ(n) and its power-law fit (paper Fig. S1);
condition numbers κ(K), κ(K̃) and the sparsity of K̃ (Fig. S3), and κ_eff = α/λ_min(K̃) the QLSA
sees under the weighted sparse block encoding (with α/K̃₁₁, e_max, γ); off-diagonal ratios (Fig.
2a); test accuracies (Fig. 2b); post-selection and readout counts (Fig. 1). Pure computation: the
command line (:mod:`qntk_compile.cli.analyze`) parses, prints and writes.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from qntk_compile.classical import reference as R
from qntk_compile.data import datasets
from qntk_compile.data.problem import Problem
from qntk_compile.kernel.ntk import convergence_depth
from qntk_compile.progress import Progress

__all__ = ["WEIGHTED_ENCODING_KEYS", "analyze", "json_ready"]

#: Row keys of the weighted block encoding of K̃ (pseudorandom pattern, s = largest row count):
#: κ_eff = α/λ_min(K̃), α/K̃₁₁, e_max, γ = (s−1)·e_max, Gershgorin bound (1+γ)/(1−γ) on κ_eff.
WEIGHTED_ENCODING_KEYS = ("kappa_eff", "alpha_over_k11", "e_max", "gamma", "kappa_eff_bound")


def json_ready(x):
    """``x`` with numpy scalars as Python numbers and NaN/inf as ``None`` (nested dicts and
    lists), for strict JSON."""
    if isinstance(x, dict):
        return {k: json_ready(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [json_ready(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def analyze(
    dataset: datasets.Dataset,
    sizes: list[int],
    depth: int | str = "conv/10",
    sparsity: int | None = None,
    pattern_seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the analysis (pure computation; the CLI formats it). Returns a JSON-ready dict."""
    if max(sizes) > dataset.pool_size:
        raise ValueError(
            f"n={max(sizes)} exceeds the {dataset.pool_size} training rows of {dataset.name}"
        )
    X_test, y_test = np.array(dataset.X_test), np.array(dataset.y_test)
    labelled = X_test.shape[0] > 0 and np.all(np.isfinite(y_test))
    rows = []
    for n in sizes:
        t0 = time.perf_counter()
        X, y = dataset.training(n)
        x0 = X_test[0] if X_test.shape[0] else X[0]
        knobs = {"pattern_seed": pattern_seed}
        if sparsity is not None:
            knobs["sparsity"] = sparsity
        problem = Problem.from_arrays(X, y, x0, depth=depth, **knobs)
        s = R.summarize(
            problem,
            X_test if X_test.shape[0] else None,
            y_test if labelled else None,
            patterns=("pseudorandom", "circulant"),
        )
        row = {
            "n": n,
            "n_padded": problem.n_padded,
            "d": problem.d,
            "delta": problem.delta,
            "L_conv": convergence_depth(n, problem.delta),
            "depth": problem.depth,
            "sparsity_cap": problem.sparsity,
            "kappa_exact": s["kappa_exact"],
            "kappa_sparsified": s["sparsified"]["pseudorandom"]["kappa"],
            "max_nonzeros": s["sparsified"]["pseudorandom"]["max_nonzeros"],
            **{k: s["sparsified"]["pseudorandom"][k] for k in WEIGHTED_ENCODING_KEYS},
            "kappa_circulant": s["sparsified"]["circulant"]["kappa"],
            "max_nonzeros_circulant": s["sparsified"]["circulant"]["max_nonzeros"],
            "offdiag_max": s["max_offdiag_ratio"],
            "offdiag_median": s["median_offdiag_ratio"],
            "k_max_normalized": s["k_max_normalized"],
        }
        if "accuracy" in s:
            row["accuracy"] = s["accuracy"]
            row["agreement_with_exact"] = s["agreement_with_exact"]
        if "post_selection_count_median" in s:
            row["post_selection_count_median"] = s["post_selection_count_median"]
            row["readout_count_diagonal_median"] = s["readout_count_diagonal_median"]
            row["readout_count_sparsified_median"] = s["readout_count_sparsified_median"]
            row["num_test"] = s["num_test"]
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
        if progress is not None:
            progress.advance(note=f"n={n}")
    result: dict[str, Any] = {
        "dataset": dataset.name,
        "dataset_meta": dataset.meta,
        "d": dataset.d,
        "num_test": int(X_test.shape[0]),
        "depth_rule": depth,
        "conventions": {
            "kernel": "NTK of the normalised-erf network, standard recursion; K normalised by K_11",
            "post_selection_count": "n_padded/P, P = sum_i k_i^2, k_i = k(x*.x_i)/k(1-delta_hat) "
            "clipped to [-1,1], delta_hat = training delta; median over test points",
            "readout_count": "1/<k*|v>^2, v = y (diagonal) or K~^-1 y (sparsified); median",
            "sparsified": "pseudorandom pattern (paper Suppl. V), cap s; circulant also reported",
            "kappa_eff": "alpha/lambda_min(K~) of the weighted sparse block encoding, s = max "
            "row count, alpha = K~_11 + (s-1)*max|offdiag|; >= kappa(K~)",
        },
        "sizes": rows,
    }
    distinct = sorted({r["n"] for r in rows})
    if len(distinct) >= 2:
        result["delta_fit"] = R.fit_power_law([r["n"] for r in rows], [r["delta"] for r in rows])
    return json_ready(result)
