"""The ``## At the knobs that meet P`` part of ``report.md``: logical and physical tables of the
``optimised`` section (:mod:`resource_estimates.report.optimised`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["optimised_markdown"]


def _f(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, int) and abs(x) < 10**15:
        return f"{x:,}"
    if isinstance(x, (int, float)):
        return f"{x:.4g}"
    return str(x)


def optimised_markdown(report: Mapping[str, Any]) -> list[str]:
    O = report.get("optimised")
    if not O:
        return []
    L = ["", "## At the knobs that meet P (error budget's least-cost knobs)", ""]
    if O.get("status") != "ok":
        return L + [f"Not computed: {O.get('reason', O.get('status'))}."]
    knobs = ", ".join(f"{k} = {v}" for k, v in O["knobs"].items())
    L.append(
        f"Knobs {knobs}; readout shots {_f(O['readout_shots'])}; runs in job "
        f"{_f(O['runs_in_job'])}. Gates: {O['gates_method']}."
    )
    L += [
        "",
        "| QRAM | per | Toffoli | T | rotations | measurements | T-count (11 T/rotation) "
        "| logical qubits |",
        "|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for qram, b in O["logical"].items():
        if b.get("status") != "ok":
            L.append(f"| {qram} | – | unavailable: {b.get('reason')} | | | | | |")
            continue
        for per in ("run", "job"):
            c = b[per]
            L.append(
                f"| {qram} | {per} | {_f(c['toffoli'])} | {_f(c['t'])} | {_f(c['rotation'])} | "
                f"{_f(c['measurement'])} | {_f(c['t_count'])} | {_f(c['qubits'])} |"
            )
        q = b["qubits"]
        notes.append(f"{qram}: {q.get('method') or q.get('reason')}")
    L += ["", "Logical qubits: " + "; ".join(notes) + "."]
    L += [
        "",
        "| QRAM | model | status | physical qubits | run hours | job hours | code distance | "
        "note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for qram, b in O["physical"].items():
        if b.get("status") != "ok":
            L.append(f"| {qram} | – | unavailable | | | | | {b.get('reason')} |")
            continue
        for m, r in b["run"].items():
            note = r.get("message") or r.get("physical_qubits_note") or ""
            L.append(
                f"| {qram} | {m} | {r['status']} | {_f(r.get('physical_qubits'))} | "
                f"{_f(r.get('runtime_hours'))} | {_f(r.get('job_runtime_hours'))} | "
                f"{_f(r.get('code_distance'))} | {note} |"
            )
    return L
