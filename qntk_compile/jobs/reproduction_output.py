"""Files of ``qntk-compile reproduce``: one PNG per figure, ``reproduce.json`` and ``reproduce.md``.

:func:`write_outputs` takes the result and matrices of
:func:`qntk_compile.jobs.reproduction.reproduce`. PNGs need matplotlib (the ``plots`` extra);
without it only the JSON and the Markdown are written, and the list of files says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from resource_estimates.law_fits import law_value

__all__ = ["FIGURE_FILES", "OUTPUT_FILES", "markdown_table", "write_outputs"]

FIGURE_FILES = (
    "fig1a.png",
    "fig1b.png",
    "fig2a.png",
    "fig2b.png",
    "figS1.png",
    "figS2.png",
    "figS3.png",
)
OUTPUT_FILES = ("reproduce.json", "reproduce.md", *FIGURE_FILES)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def markdown_table(result: dict[str, Any]) -> str:
    """The claims table (Markdown), with a header line on the data and the method."""
    lines = [
        f"Data: {result['dataset']} ({result['num_test']} test points, n = "
        f"{', '.join(str(n) for n in result['sizes'])}), depth {result['depth_rule']}; "
        f"medians over test points, ±2σ from a Poisson bootstrap "
        f"({result['bootstrap']['replicates']} replicates); run time "
        f"{result['seconds']:.0f} s.",
        "",
        "| figure | quantity | paper | measured (±2σ) | fitted laws (95 % CI) | verdict | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in result["claims"]:
        lines.append(
            "| "
            + " | ".join(
                _cell(c[k])
                for k in ("figure", "quantity", "paper", "measured", "law", "verdict", "reason")
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def _plot_counts(plt, series_by_label, ylabel, title, path):
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for label, s in series_by_label.items():
        ns = np.array(s["n"], float)
        ax.errorbar(ns, s["median"], yerr=s["err2sigma"], fmt="o", capsize=3, label=label)
        grid = np.geomspace(ns.min(), ns.max(), 60)
        for law, style in (("log", "-"), ("power", "--")):
            if law in s["fits"]:
                f = s["fits"][law]
                ax.plot(grid, [law_value(f, n) for n in grid], style, lw=1, label=f"{law} law")
    ax.set_xscale("log", base=2)
    ax.set(xlabel="training set size n", ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _heatmap(ax, K, title, fig):
    with np.errstate(divide="ignore"):
        L = np.log10(np.maximum(np.abs(K), 1e-300))
    im = ax.imshow(L, cmap="viridis", vmax=0)
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, label="log10 |K_ij|/|K_11|", shrink=0.8)


def _plot_all(result, matrices, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    F = result["figures"]
    ds = result["dataset"]
    _plot_counts(
        plt,
        {"n/P (median)": F["fig1a"]},
        "measurements for post-selection",
        f"Fig. 1a ({ds})",
        out / "fig1a.png",
    )
    _plot_counts(
        plt,
        {
            "1/<k*|y>^2 (diagonal)": F["fig1b"]["diagonal"],
            "1/<k*|K~^-1 y>^2 (sparsified)": F["fig1b"]["sparsified"],
        },
        "measurements for sign estimation",
        f"Fig. 1b ({ds})",
        out / "fig1b.png",
    )
    n2a = F["fig2a"]["n"]
    fig, ax = plt.subplots(figsize=(5, 4.2))
    _heatmap(ax, matrices[n2a], f"Fig. 2a: NTK, n = {n2a}, L = {F['fig2a']['depth']}", fig)
    fig.tight_layout()
    fig.savefig(out / "fig2a.png", dpi=110)
    plt.close(fig)
    b = F["fig2b"]
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for k, dx in (("exact", 0.97), ("sparsified", 1.0), ("diagonal", 1.03)):
        ax.errorbar(
            np.array(b["n"], float) * dx,
            b["accuracy"][k],
            yerr=b["err2sigma"][k],
            fmt="o-",
            capsize=3,
            label=k,
        )
    ax.set_xscale("log", base=2)
    ax.set(xlabel="training set size n", ylabel="test accuracy", title=f"Fig. 2b ({ds})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "fig2b.png", dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for key, lab in (("mnist", ds), ("sphere", f"sphere d={F['figS1']['sphere']['d']}")):
        s = F["figS1"][key]
        ns = np.array(s["n"], float)
        ax.errorbar(ns, s["median"], yerr=s["err2sigma"], fmt="o", capsize=3, label=lab)
        f = s["fit"]
        ax.plot(
            ns,
            f["a1"] * ns ** -f["a2"],
            "-",
            lw=1,
            label=f"{f['a1']:.2f} n^-{f['a2']:.2f} (R²={f['r2']:.2f})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel="n", ylabel="separability δ(n)", title="Fig. S1")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "figS1.png", dpi=110)
    plt.close(fig)
    s2 = F["figS2"]
    picks = [n for n in s2["n"] if n in matrices]
    picks = picks if len(picks) <= 3 else [picks[0], picks[len(picks) // 2], picks[-1]]
    fig, axes = plt.subplots(1, len(picks), figsize=(4.3 * len(picks), 3.8))
    for ax, n in zip(np.atleast_1d(axes), picks, strict=True):
        depth = s2["depth"][s2["n"].index(n)]
        _heatmap(ax, matrices[n], f"n = {n}, L = {depth}", fig)
    fig.suptitle("Fig. S2: NTK at L = L_conv/10")
    fig.tight_layout()
    fig.savefig(out / "figS2.png", dpi=110)
    plt.close(fig)
    s3 = F["figS3"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    ns = np.array(s3["n"], float)
    axes[0].semilogy(ns, np.array(s3["kappa_sparsified"]) - 1, "o-", label="κ(K̃) − 1")
    axes[0].semilogy(ns, np.array(s3["kappa_exact"]) - 1, "s--", label="κ(K) − 1")
    axes[0].set_xscale("log", base=2)
    axes[0].set(xlabel="n", ylabel="κ − 1", title="Fig. S3a: condition number")
    axes[0].legend(fontsize=8)
    axes[1].plot(ns, s3["max_nonzeros"], "o-", label="max nonzeros per row")
    axes[1].plot(ns, s3["sparsity_cap"], "k:", label="cap 2⌈ln n⌉+1")
    axes[1].set_xscale("log", base=2)
    axes[1].set(xlabel="n", ylabel="s", title="Fig. S3b: sparsity")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "figS3.png", dpi=110)
    plt.close(fig)
    return list(FIGURE_FILES)


def write_outputs(result: dict[str, Any], matrices: dict, out: Path) -> list[str]:
    """Write the JSON, the Markdown table and (with matplotlib) the PNGs into ``out``; returns
    the names written."""
    out = Path(out)
    (out / "reproduce.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "reproduce.md").write_text(markdown_table(result), encoding="utf-8")
    written = ["reproduce.json", "reproduce.md"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return written
    return written + _plot_all(result, matrices, out)
