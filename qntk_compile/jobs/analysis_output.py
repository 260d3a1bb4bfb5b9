"""What ``qntk-compile analyze`` shows: the table of the premises per n (:func:`format_table`)
and the 2×3 figure of the paper's quantities (:func:`plot`, when matplotlib is installed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["format_table", "plot"]


def _m1(v):
    return None if v is None else v - 1.0


def format_table(result: dict[str, Any]) -> str:
    head = (
        f"{'n':>6} {'L':>4} {'delta':>9} {'kappa(K)-1':>10} {'kappa(K~)-1':>11} "
        f"{'alpha/K11-1':>11} {'kappa_eff-1':>11} {'s':>3} "
        f"{'acc exact':>9} {'acc K~':>7} {'acc diag':>8} {'n/P':>9} {'1/<k|y>^2':>10} "
        f"{'1/<k|K~^-1y>^2':>14}"
    )
    lines = [
        f"dataset {result['dataset']}  d={result['d']}  test points={result['num_test']}",
        head,
    ]

    def f(v, fmt):
        return "-" if v is None else format(v, fmt)

    for r in result["sizes"]:
        acc = r.get("accuracy", {})
        lines.append(
            f"{r['n']:>6} {r['depth']:>4} {r['delta']:>9.3g} {f(_m1(r['kappa_exact']), '10.2e')} "
            f"{f(_m1(r['kappa_sparsified']), '11.2e')} {f(_m1(r.get('alpha_over_k11')), '11.2e')} "
            f"{f(_m1(r.get('kappa_eff')), '11.2e')} {r['max_nonzeros']:>3} "
            f"{f(acc.get('exact'), '9.3f')} {f(acc.get('sparsified'), '7.3f')} "
            f"{f(acc.get('diagonal'), '8.3f')} {f(r.get('post_selection_count_median'), '9.3g')} "
            f"{f(r.get('readout_count_diagonal_median'), '10.3g')} "
            f"{f(r.get('readout_count_sparsified_median'), '14.3g')}"
        )
    fit = result.get("delta_fit")
    if fit:
        lines.append(
            f"delta(n) fit: {fit['a1']:.3g} * n^-{fit['a2']:.3f}  (R^2 = {fit['r2']:.3f}, "
            f"a2 stderr {f(fit['a2_stderr'], '.3f')})"
        )
    return "\n".join(lines)


def plot(result: dict[str, Any], path: Path) -> bool:
    """Write a 2×3 figure of the results; False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = result["sizes"]
    ns = np.array([r["n"] for r in rows], dtype=float)
    fig, ax = plt.subplots(2, 3, figsize=(13, 7.5))
    a = ax[0, 0]
    a.loglog(ns, [r["delta"] for r in rows], "o", label="delta(n)")
    fit = result.get("delta_fit")
    if fit:
        a.loglog(ns, fit["a1"] * ns ** -fit["a2"], "-", label=f"{fit['a1']:.2f} n^-{fit['a2']:.2f}")
    a.set(xlabel="n", ylabel="separability delta", title="Fig. S1: delta(n)")
    a.legend()
    a = ax[0, 1]
    for key, mk, lab in (
        ("kappa_sparsified", "o-", "K~ pseudorandom"),
        ("kappa_circulant", "s--", "K~ circulant"),
        ("kappa_exact", "^:", "K exact"),
    ):
        vals = [max(r[key] - 1.0, 1e-16) if r[key] is not None else np.nan for r in rows]
        a.loglog(ns, vals, mk, label=lab)
    a.set(xlabel="n", ylabel="kappa - 1", title="Fig. S3a: conditioning (kappa -> 1)")
    a.legend()
    a = ax[0, 2]
    a.semilogx(ns, [r["max_nonzeros"] for r in rows], "o-", label="max nonzeros (pseudorandom)")
    a.semilogx(ns, [r["sparsity_cap"] for r in rows], "k:", label="cap s")
    a.set(xlabel="n", ylabel="nonzeros per row", title="Fig. S3b: sparsity")
    a.legend()
    a = ax[1, 0]
    a.semilogy(ns, [r["offdiag_max"] for r in rows], "o-", label="max |K_ij|/K_11")
    a.semilogy(ns, [r["offdiag_median"] for r in rows], "s--", label="median |K_ij|/K_11")
    a.set_xscale("log")
    a.set(xlabel="n", ylabel="off-diagonal ratio", title="Fig. 2a: vanishing off-diagonals")
    a.legend()
    a = ax[1, 1]
    if rows and "accuracy" in rows[0]:
        for key, mk in (("exact", "o-"), ("sparsified", "s--"), ("diagonal", "^:")):
            a.semilogx(ns, [r["accuracy"][key] for r in rows], mk, label=key)
        a.legend()
    a.set(xlabel="n", ylabel="test accuracy", title="Fig. 2b: accuracy")
    a = ax[1, 2]
    if rows and "post_selection_count_median" in rows[0]:
        a.semilogx(ns, [r["post_selection_count_median"] for r in rows], "o-", label="n/P")
        a.semilogx(
            ns, [r["readout_count_diagonal_median"] for r in rows], "s--", label="1/<k*|y>^2"
        )
        a.semilogx(
            ns, [r["readout_count_sparsified_median"] for r in rows], "^:", label="1/<k*|K~^-1 y>^2"
        )
        a.set_yscale("log")
        a.legend()
    a.set(xlabel="n", ylabel="median measurements", title="Fig. 1: post-selection / readout")
    fig.suptitle(f"qntk-compile analyze: {result['dataset']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
