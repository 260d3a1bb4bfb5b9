"""PNG plots of a report (when matplotlib is installed)."""

from __future__ import annotations

import io

PLOT_FILES = (
    "counts_vs_n.png",
    "step_shares.png",
    "physical_qubits_vs_runtime.png",
    "quantum_vs_classical.png",
    "cost_vs_failure_probability.png",
)


def render_plots(report, sweep) -> dict[str, bytes]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}
    out = {}
    meta = {"Software": None}

    def save(fig, name):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata=meta)
        plt.close(fig)
        out[name] = buf.getvalue()

    models = list(report["logical"])
    if sweep:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for qram in models:
            rows = [r for r in sweep if r["qram_model"] == qram]
            ns = [r["n"] for r in rows]
            ax.loglog(ns, [max(r["run_toffoli"], 1) for r in rows], "-", label=f"run, {qram}")
            ax.loglog(ns, [max(r["job_toffoli"], 1) for r in rows], "--", label=f"job, {qram}")
        ax.set_xlabel("n")
        ax.set_ylabel("Toffoli-like gates")
        ax.set_title("Logical counts vs n")
        ax.legend()
        save(fig, "counts_vs_n.png")

        fig, ax = plt.subplots(figsize=(7, 4.5))
        models_of_physics = (
            ("gf", "gf_physical_qubits", "o-", "Gidney-Fowler"),
            ("beverland", "beverland_data_qubits", "s--", "Beverland (data only)"),
        )
        for qram in models:
            for key, qubits, style, label in models_of_physics:
                rows = [r for r in sweep if r["qram_model"] == qram and r[f"{key}_status"] == "ok"]
                if rows:
                    ax.loglog(
                        [r[f"{key}_run_hours"] for r in rows],
                        [r[qubits] for r in rows],
                        style,
                        label=f"{label}, {qram}",
                    )
        ax.set_xlabel("one coherent run, hours")
        ax.set_ylabel("physical qubits")
        ax.set_title("Physical qubits vs runtime over the sweep")
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
        save(fig, "physical_qubits_vs_runtime.png")

        fig, ax = plt.subplots(figsize=(7, 4.5))
        ns = sorted({r["n"] for r in sweep})
        first = [r for r in sweep if r["qram_model"] == models[0]]
        ax.loglog(
            ns, [r["classical_diagonal_seconds"] for r in first], "k-", label="classical diagonal"
        )
        ax.loglog(ns, [r["classical_exact_seconds"] for r in first], "k--", label="classical exact")
        for qram in models:
            rows = [r for r in sweep if r["qram_model"] == qram and r["job_hours_beverland"]]
            if rows:
                ax.loglog(
                    [r["n"] for r in rows],
                    [r["job_hours_beverland"] * 3600 for r in rows],
                    "o-",
                    label=f"quantum job, {qram}",
                )
        ax.set_xlabel("n")
        ax.set_ylabel("seconds")
        ax.set_title("Quantum (Beverland runtime) vs classical")
        ax.legend()
        save(fig, "quantum_vs_classical.png")

    fig, axes = plt.subplots(1, len(models), figsize=(6 * len(models), 4.5), squeeze=False)
    for ax, qram in zip(axes[0], models, strict=True):
        steps = report["logical"][qram]["steps"]
        names = list(steps)
        ax.barh(names, [steps[s]["toffoli_share"] for s in names])
        ax.set_xlim(0, 1)
        ax.set_title(f"Toffoli share per step, {qram} QRAM")
    fig.tight_layout()
    save(fig, "step_shares.png")
    budget = report.get("error_budget") or {}
    if budget.get("cost_vs_failure_probability"):
        save(_cost_vs_p_figure(plt, budget), "cost_vs_failure_probability.png")
    return out


def _cost_vs_p_figure(plt, budget):
    """Job T-count of the optimised and the uniform split vs the failure probability P, and
    the fixed defaults' (which need not meet P)."""
    rows = budget["cost_vs_failure_probability"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, style, label in (
        ("optimised", "o-", "optimised split"),
        ("uniform_split", "s--", "uniform split"),
    ):
        pts = [(r["target"], r[key]) for r in rows if r[key]]
        if pts:
            ax.loglog(*zip(*pts, strict=True), style, label=label)
    dflt = budget["fixed_defaults"]
    ax.axhline(
        dflt["job_t_count"],
        color="grey",
        linestyle=":",
        label="fixed defaults" + ("" if dflt["meets_target"] else " (do not meet P)"),
    )
    ax.invert_xaxis()
    ax.set_xlabel("failure probability P (tighter to the right)")
    ax.set_ylabel("job T-count")
    ax.set_title("Cost of a right label with probability 1 - P")
    ax.legend()
    return fig
