"""The summary that ``qntk-compile report`` prints: the headline first (the job at the knobs that
meet P and at the user's knobs, :func:`resource_estimates.report.headline.headline_lines`), then
what was costed, on which data, the counts under each QRAM model, the error budget and the
conclusions."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

__all__ = ["summary_lines"]


def summary_lines(report: dict[str, Any], written: list[Path], seconds: float) -> list[str]:
    """The report's summary as the command prints it."""
    from resource_estimates.report.error_budget_section import budget_summary
    from resource_estimates.report.headline import headline_lines

    lines = list(headline_lines(report))

    p = report["parameters"]
    lines.append(
        f"qntk-compile report: {report['variant']['name']} NTK, n = 2^{int(math.log2(p['n']))}, "
        f"d = {p['d']}, data access {p['data_access']}"
    )
    data = report["data"]

    def band(q):
        b = data[q].get("band")
        return f" (95% band {b['low']:.3g}..{b['high']:.3g})" if b else ""

    lines.append(
        f"  data ({data['source']}): P/n = {data['success_probability']['value']:.3g}"
        f"{band('success_probability')} [{data['success_probability']['status']}], <k*|v> = "
        f"{data['readout_overlap']['value']:.3g}{band('readout_overlap')} "
        f"[{data['readout_overlap']['status']}]"
    )
    ends = (report.get("data_band") or {}).get("ends", {})
    if ends:
        lo, hi = (ends[e]["job_factor"] for e in ("favourable", "unfavourable"))
        lines.append(f"  job runs within the data band: {lo:.3g} .. {hi:.3g}")
    for qram, block in report["logical"].items():
        run, job = block["run"], block["job"]
        gf = report["physical"][qram]["run"]["gidney_fowler"]
        phys = (
            f"{gf['physical_qubits']:,} physical qubits, {gf['runtime_hours']:.3g} h/run"
            if gf["status"] == "ok"
            else gf["status"].replace("_", " ")
        )
        lines.append(
            f"  {qram:9s} QRAM: run {float(run['toffoli']):.3e} Toffoli, {run['qubits']} qubits; "
            f"job {float(job['toffoli']):.3e} Toffoli; Gidney-Fowler: {phys}"
        )
    line = budget_summary(report.get("error_budget"))
    if line:
        lines.append(f"  {line}")
    for c in report["conclusions"]:
        extrapolated = c.get("data", {}).get("extrapolated")
        extrapolated = " [rests on extrapolated data]" if extrapolated else ""
        if str(c.get("within_band", "")).startswith("changes"):
            extrapolated += f" [{c['within_band']} within the data band]"
        lines.append(
            f"  [{'holds' if c['holds'] else 'fails'}] ({c['qram_model']}) {c['claim']}"
            f"{extrapolated}"
        )
    lines.append(f"  wrote {len(written)} files to {written[0].parent} in {seconds:.1f} s")
    names = {w.name for w in written}
    if "callgraph.dot" in names and "callgraph.svg" not in names:
        from resource_estimates.report.writers import SVG_NOTE

        lines.append(f"  note: {SVG_NOTE}")
    return lines
