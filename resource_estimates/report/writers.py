"""Writers: canonical ``report.json``, ``report.md``, the call graph as DOT, QREF, and
:func:`write_report` (all files of one report directory)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sympy
from qualtran import Bloq

from resource_estimates.logical.counts import LogicalCounts
from resource_estimates.published import classical
from resource_estimates.report.data_band import band_markdown
from resource_estimates.report.error_budget_section import budget_markdown
from resource_estimates.report.headline import headline_markdown
from resource_estimates.report.optimised_markdown import optimised_markdown
from resource_estimates.report.plots import PLOT_FILES, render_plots
from resource_estimates.report.sweep import sweep_csv
from resource_estimates.variants.registry import VARIANTS, Variant

#: Significant digits of every float in ``report.json``. The numbers behind them (fits, error
#: budgets, physical models) are reproducible to ~1e-13 relative, not to the last bit: the
#: order of floating-point operations differs between a formula built afresh and one read back
#: from the on-disk cache, and between numpy/scipy versions. Ten digits are far more than any
#: figure of the report means, and make the file byte-identical across caches and installs.
FLOAT_DIGITS = 10


def rounded_floats(obj: Any, digits: int = FLOAT_DIGITS) -> Any:
    """``obj`` with every float rounded to ``digits`` significant digits (integral floats below
    2^53, ints, strings and booleans unchanged; dicts, lists and tuples recursively)."""
    if isinstance(obj, float):
        if not math.isfinite(obj) or (obj == int(obj) and abs(obj) < 2**53):
            return obj  # exact integers stay exact
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, Mapping):
        return {k: rounded_floats(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded_floats(v, digits) for v in obj]
    return obj


def report_json(report: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, two-space indent, trailing newline, floats to
    :data:`FLOAT_DIGITS` significant digits."""
    return (
        json.dumps(
            rounded_floats(report),
            sort_keys=True,
            indent=2,
            allow_nan=False,
            default=_json_default,
        )
        + "\n"
    )


def _json_default(x):
    if isinstance(x, sympy.Basic):
        return str(x)
    if isinstance(x, (set, tuple)):
        return list(x)
    raise TypeError(f"not JSON serialisable: {type(x).__name__}")


def _fmt(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}" if abs(x) < 10**15 else f"{x:.3e}"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _summary_lines(report: Mapping[str, Any]) -> list[str]:
    """The variant's summary of the parameters (generic, knobs unnamed, if it is not
    registered in this process)."""
    name = report["variant"]["name"]
    variant = VARIANTS.get(name)
    if variant is None:
        variant = Variant(name=name, build=_unregistered, steps_fn=_unregistered)
    return list(variant.summary(variant, report["parameters"]))


def _extra_markdown(report: Mapping[str, Any]) -> list[str]:
    """The variant's own sections (:attr:`Variant.extra_markdown`), when it is registered."""
    variant = VARIANTS.get(report["variant"]["name"])
    if variant is None or variant.extra_markdown is None:
        return []
    return ["", *variant.extra_markdown(report)]


def _unregistered(*args, **kwargs):
    raise ValueError("variant not registered in this process")


def report_markdown(report: Mapping[str, Any]) -> str:
    """A human-readable summary of ``report.json`` (same numbers)."""
    P = report["parameters"]
    L = []
    L.append(f"# QNTK resource report: {report['variant']['name']} NTK, n = {_fmt(P['n'])}")
    L.append("")
    L.extend(headline_markdown(report))
    L.append("")
    L.append("## Parameters")
    L.append("")
    L.append(report["variant"]["description"])
    L.append("")
    L.extend(_summary_lines(report))
    git = report["tool"]["git"]
    L.append(
        f"Code: qntk-compile {report['tool']['versions']['qntk-compile']}, "
        f"Qualtran {report['tool']['versions']['qualtran']}, git {git['revision'][:12]}."
    )
    L.append("")
    L.append("## Data-dependent quantities")
    L.append("")
    L.append("| quantity | value | status | detail |")
    L.append("|---|---|---|---|")
    D = report["data"]
    for k in ("success_probability", "readout_overlap", "delta", "kappa", "kappa_eff", "e_max"):
        if k not in D:
            continue
        L.append(f"| {k} | {_fmt(D[k]['value'])} | {D[k]['status']} | {D[k]['detail']} |")
    L.append(f"| post-selection runs per success | {_fmt(D['post_selection_runs'])} | | |")
    L.append(f"| readout shots | {_fmt(D['readout_shots'])} | | |")
    L.append("")
    L.append("## Logical counts")
    for qram, block in report["logical"].items():
        L.append("")
        L.append(f"### {qram.replace('_', '-')} QRAM")
        L.append("")
        L.append(
            "| step | Toffoli | T-count | rotations | measurements | qubits | queries | "
            "Toffoli share |"
        )
        L.append("|---|---|---|---|---|---|---|---|")
        for name, c in block["steps"].items():
            L.append(
                f"| {name} | {_fmt(c['toffoli'])} | {_fmt(c['t_count'])} | {_fmt(c['rotation'])} "
                f"| {_fmt(c['measurement'])} | {_fmt(c['qubits'])} | {_fmt(c['queries'])} | "
                f"{c['toffoli_share']:.1%} |"
            )
        for label in ("run", "job"):
            c = block[label]
            L.append(
                f"| **{label}** | {_fmt(c['toffoli'])} | {_fmt(c['t_count'])} | "
                f"{_fmt(c['rotation'])} | {_fmt(c['measurement'])} | {_fmt(c['qubits'])} | "
                f"{_fmt(c['queries'])} | |"
            )
        F = report["formulas"][qram]
        L.append("")
        if F["status"] != "ok":
            L.append(f"Formulas unavailable: {F['reason']}")
            continue
        L.append("Formulas (one coherent run):")
        L.append("")
        L.append(_symbols_line(report))
        L.append("")
        if F.get("fitted_steps"):
            L.append(
                f"(steps {', '.join(F['fitted_steps'])}: exact polynomials in log2 n fitted to the "
                "concrete counts and verified up to n = 2^40, see report_fields.md)"
            )
            L.append("")
        chk = F["matches_concrete_at_parameters"]
        for f in ("toffoli", "t_count", "rotation", "queries"):
            ok = chk["run"].get(
                f, all(chk["run"].get(g, False) for g in ("toffoli", "t", "rotation"))
            )
            flag = "" if ok else " (does not equal the concrete count here: see report_fields.md)"
            L.append(f"- {f}{flag}: $${F['run'][f]['latex']}$$")
    L.extend(optimised_markdown(report))
    L.extend(_queries_lines(report.get("data_access")))
    L.append("")
    L.append("## Physical estimates (one coherent run; job = runs in job x run)")
    for qram, block in report["physical"].items():
        if qram == "assumptions":
            continue
        L.append("")
        L.append(f"### {qram.replace('_', '-')} QRAM (runs in job: {_fmt(block['runs_in_job'])})")
        L.append("")
        L.append(
            "| model | status | physical qubits | run hours | job hours | code distance | note |"
        )
        L.append("|---|---|---|---|---|---|---|")
        for m, r in block["run"].items():
            note = r.get("message") or r.get("physical_qubits_note") or ""
            L.append(
                f"| {m} | {r['status']} | {_fmt(r.get('physical_qubits'))} | "
                f"{_fmt(r.get('runtime_hours'))} | {_fmt(r.get('job_runtime_hours'))} | "
                f"{_fmt(r.get('code_distance'))} | {note} |"
            )
    A = report["physical"]["assumptions"]
    L.append("")
    L.append(
        f"Assumptions: physical error rate {A['physical_error_rate']}, cycle time "
        f"{A['cycle_time_us']} us (Gidney-Fowler), error budget {A['error_budget']} per run, "
        f"Microsoft qubit model `{A['msft_qubit']}`."
    )
    C = report["classical"]
    L.append("")
    L.append(f"## Classical baseline ({C['machine']['name']})")
    L.append("")
    L.append("| method | flops | seconds | memory bytes | fits |")
    L.append("|---|---|---|---|---|")
    for m in classical.METHODS:
        c = C[m]
        L.append(
            f"| {m} | {_fmt(c['flops'])} | {_fmt(c['seconds'])} | "
            f"{_fmt(c['memory_bytes'])} | {_fmt(c['fits_in_memory'])} |"
        )
    L.append("")
    X = C["crossover"]
    if X["status"] != "ok":
        L.append(f"Crossover: {X['status']}.")
    for qram, x in X.get("n", {}).items():
        L.append(
            f"- first n where the quantum job is faster ({qram} QRAM): vs diagonal "
            f"{_fmt(x['diagonal'])}, vs CG on the sparsified NTK {_fmt(x['cg_sparse'])}, vs exact "
            f"{_fmt(x['exact'])} (grid {X['grid']})"
        )
    L.extend(budget_markdown(report))
    L.extend(band_markdown(report))
    L.append("")
    L.append("## Conclusions and the QRAM model they survive")
    L.append("")
    L.append("| QRAM model | claim | holds | evidence | rests on data |")
    L.append("|---|---|---|---|---|")
    for c in report["conclusions"]:
        data = c.get("data") or {}
        rests = data.get("note", "")
        if data.get("extrapolated"):
            rests = f"**EXTRAPOLATED**: {rests}"
        if str(c.get("within_band", "")).startswith("changes"):
            rests = f"{rests}; **CHANGES WITHIN THE DATA BAND**: {c['within_band']}"
        L.append(
            f"| {c['qram_model']} | {c['claim']} | {_fmt(c['holds'])} | {c['evidence']} | {rests} |"
        )
    L.append("")
    L.append("## Published figures beside ours")
    L.append("")
    L.extend(_data_access_lines(report["published"].get("data_access_query_n_cells")))
    for k, v in report["published"].items():
        if k == "data_access_query_n_cells":
            continue
        L.append(f"- {k}: {json.dumps(v, sort_keys=True, default=str)}")
    L.extend(_extra_markdown(report))
    L.append("")
    L.append("## Conventions")
    L.append("")
    for k, v in report["conventions"].items():
        L.append(f"- {k}: {v}")
    L.append("")
    L.append("Every field is explained in `docs/report_fields.md`.")
    return "\n".join(L) + "\n"


def _symbols_line(report: Mapping[str, Any]) -> str:
    """The formulas' symbols defined (``formulas.symbols`` of report.json)."""
    syms = (report.get("formulas") or {}).get("symbols") or {}
    fixed = (report.get("formulas") or {}).get("fixed") or {}
    text = "; ".join(f"${k}$ = {v}" for k, v in syms.items())
    fixed_text = ", ".join(f"{k} = {v}" for k, v in fixed.items())
    return f"Symbols: {text}. Fixed at this report's values: {fixed_text}."


def _queries_lines(q: Mapping[str, Any] | None) -> list[str]:
    """The run's data-access queries by size, with the figures of one query of each size."""
    if not q:
        return []
    L = [
        "",
        "## Data-access queries of one run",
        "",
        f"{_fmt(q['queries_per_run'])} queries per run, {_fmt(q['queries_per_run_of_kind'])} "
        f"of them `{q['kind']}` (the others are fixed tables).",
    ]
    means = q.get("mean_per_query") or {}
    if means:
        L.append(
            f"Mean per `{q['kind']}` query: "
            + ", ".join(f"{k.replace('_', ' ')} {_fmt(v)}" for k, v in means.items())
            + "."
        )
    L += [
        "",
        "| kind | cells N | bits | calls per run | Toffoli-like | Toffoli-depth | routers active |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in q["by_size"]:
        depth = _fmt(r.get("toffoli_depth"))
        if "toffoli_depth" in r and not r.get("toffoli_depth_exact"):
            depth += " (serial bound)"
        L.append(
            f"| {r['kind']} | {_fmt(r['n_cells'])} | {r['bitsize']} | {_fmt(r['calls_per_run'])} "
            f"| {_fmt(r.get('toffoli_like'))} | {depth} | "
            f"{_fmt(r.get('routers_active_per_query'))} |"
        )
    return L


def _data_access_lines(q: Mapping[str, Any] | None) -> list[str]:
    """One data-access query over N = n cells: ours beside the published figure of its kind."""
    if not q:
        return []
    ours, pub = q["ours"], q.get("published") or {}
    L = [
        f"One `{q['kind']}` query over N = {_fmt(q['n_cells'])} cells of {q['bitsize']} bits "
        f"(published: {pub.get('source', 'none')}):",
        "",
        "| figure | ours | published |",
        "|---|---|---|",
        f"| Toffoli-like | {_fmt(ours.get('toffoli_like'))} | {_fmt(pub.get('toffoli'))} |",
        f"| T-count | {_fmt(ours.get('t_count'))} | {_fmt(pub.get('t_count'))} |",
    ]
    if "toffoli_depth" in ours:
        exact = "" if ours.get("toffoli_depth_exact") else " (serial upper bound)"
        L.append(
            f"| Toffoli-depth{exact} | {_fmt(ours['toffoli_depth'])} | T-depth "
            f"{_fmt(pub.get('t_depth_parallel'))} (parallel layout) |"
        )
    if "qubits" in ours:
        serial = pub.get("qubits_serial")
        layout = "" if serial is None else " (serial layout)"
        L.append(f"| qubits | {_fmt(ours['qubits'])} | {_fmt(serial)}{layout} |")
    if "routers" in ours:
        L.append(f"| routers in the tree | {_fmt(ours['routers'])} | |")
        L.append(f"| routers active per query | {_fmt(ours['routers_active_per_query'])} | |")
    L.append("")
    return L


OUTPUT_FILES = (
    "report.json",
    "report.md",
    "sweep.csv",
    "callgraph.dot",
    "qref.json",
    "qref_unit_cost.json",  # the job's QREF under the second QRAM model
    "msft_logical_counts.json",
    "msft_logical_counts_optimised.json",  # when the knobs that meet P were costed
)


def call_graph_dot(bloq: Bloq, max_depth: int = 3) -> str:
    """The call graph of ``bloq`` (to ``max_depth``) as Graphviz DOT, deterministic order."""
    from qualtran.resource_counting import get_bloq_call_graph

    g, _ = get_bloq_call_graph(bloq, max_depth=max_depth)
    names = sorted({str(b) for b in g.nodes})
    ids = {name: f"b{i}" for i, name in enumerate(names)}
    lines = ["digraph callgraph {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for name in names:
        label = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'  {ids[name]} [label="{label}"];')
    edges = sorted(
        {(str(a), str(b), str(g.edges[a, b].get("n", ""))) for a, b in g.edges},
    )
    for a, b, k in edges:
        k = k.replace('"', '\\"')
        lines.append(f'  {ids[a]} -> {ids[b]} [label="{k}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def qref_json(bloq: Bloq) -> str:
    from qualtran.qref_interop import bloq_to_qref

    return bloq_to_qref(bloq).model_dump_json(indent=1) + "\n"


def call_graph_svg(dot_text: str, timeout: float = 60.0) -> str | None:
    """The call graph rendered to SVG by Graphviz ``dot`` (``None`` when ``dot`` is not on the
    PATH or fails: :data:`SVG_NOTE` says so)."""
    import shutil
    import subprocess

    exe = shutil.which("dot")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-Tsvg"],
            input=dot_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


#: The one-line note when ``callgraph.svg`` is not written.
SVG_NOTE = "callgraph.svg not rendered: Graphviz `dot` is not on the PATH (callgraph.dot is)"


def msft_counts_json(physical_section: Mapping[str, Any]) -> str:
    """Microsoft's estimator input (``qdk.estimator.LogicalCounts``) per QRAM model: the one set
    of counts every physical model of the section was given (``physical_counts``: rotations
    already synthesised as T at the error budget's ε), so ``LogicalCounts(file[qram]).estimate(
    {"errorBudget": ..., "qubitParams": {"name": ...}})`` reproduces the report's row."""
    from resource_estimates.physical.models import msft_logical_counts

    out = {}
    for qram, block in physical_section.items():
        if qram == "assumptions" or "physical_counts" not in block:
            continue
        fields = {f.name for f in dataclasses.fields(LogicalCounts)}
        counts = LogicalCounts(**{k: v for k, v in block["physical_counts"].items() if k in fields})
        out[qram] = msft_logical_counts(counts)
    return json.dumps(out, sort_keys=True, indent=2) + "\n"


def write_report(
    report: Mapping[str, Any],
    out: str | Path,
    *,
    force: bool = False,
    sweep: Sequence[Mapping[str, Any]] | None = None,
    bloq: Bloq | None = None,
    plots: bool = True,
) -> list[Path]:
    """Write the report files into ``out``; refuses an existing ``out`` unless ``force``.

    Everything is rendered in memory first, so a failure writes nothing.
    """
    out = Path(out)
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; use --force to overwrite")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a directory")
    files: dict[str, str] = {
        "report.json": report_json(report),
        "report.md": report_markdown(report),
    }
    if sweep is not None:
        files["sweep.csv"] = sweep_csv(sweep)
    files["msft_logical_counts.json"] = msft_counts_json(report["physical"])
    opt = report.get("optimised") or {}
    if opt.get("status") == "ok" and any(b.get("status") == "ok" for b in opt["physical"].values()):
        files["msft_logical_counts_optimised.json"] = msft_counts_json(opt["physical"])
    from resource_estimates.report.qref_export import qref_files

    files.update(qref_files(report))
    if bloq is not None:
        files["callgraph.dot"] = call_graph_dot(bloq)
        svg = call_graph_svg(files["callgraph.dot"])
        if svg is not None:
            files["callgraph.svg"] = svg
        files.setdefault("qref.json", qref_json(bloq))  # flat: when there are no formulas
    images = render_plots(report, sweep) if plots else {}
    out.mkdir(parents=True, exist_ok=True)
    # --force over an earlier report: drop its outputs that this run does not rewrite (e.g. PNGs
    # after --no-plots), so the directory never mixes two reports. Other files are left alone.
    for name in REPORT_FILES:
        if name not in files and name not in images and (out / name).is_file():
            (out / name).unlink()
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    for name, data in images.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


REPORT_FILES = (
    "report.json",
    "report.md",
    "sweep.csv",
    "msft_logical_counts.json",
    "msft_logical_counts_optimised.json",
    "callgraph.dot",
    "callgraph.svg",
    "qref.json",
    "qref_circuit.json",
    "qref_unit_cost.json",
) + PLOT_FILES
