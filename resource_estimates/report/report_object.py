"""The object :func:`~resource_estimates.report.assembly.build_report` returns: :class:`Report`.

A ``dict`` (every section by key, ``json.dumps``-able, ``report_json(report)`` unchanged) with
what a notebook user expects of an estimator's result (PennyLane's ``Resources``, Microsoft's
``EstimatorResult``): a short readable ``repr`` (the headline), an HTML headline table for
Jupyter, :meth:`Report.to_json` (the canonical ``report.json`` text) and :meth:`Report.to_dataframe`
(the sweep over n as a pandas ``DataFrame``; pandas is optional).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["Report"]


class Report(dict):
    """A resource report: the sections of ``docs/report_fields.md`` by key, plus the sweep rows
    it was built with (:attr:`sweep`, not a key: ``report.json`` is unchanged)."""

    def __init__(
        self, sections: Mapping[str, Any] = (), sweep: Sequence[Mapping[str, Any]] | None = None
    ):
        super().__init__(sections)
        self.sweep = None if sweep is None else [dict(r) for r in sweep]

    def headline(self) -> list[str]:
        """The headline as text lines (``headline.headline_lines``)."""
        from resource_estimates.report.headline import headline_lines

        return headline_lines(self)

    def _title(self) -> str:
        p = self.get("parameters", {})
        variant = (self.get("variant") or {}).get("name", "?")
        n = p.get("n")
        size = f"n = 2^{int(n).bit_length() - 1}" if isinstance(n, int) and n > 0 else f"n = {n}"
        return (
            f"Report({variant} NTK, {size}, d = {p.get('d')}, data access {p.get('data_access')})"
        )

    def __repr__(self) -> str:
        try:
            lines = self.headline()
        except (KeyError, TypeError, ValueError):  # a partial report (e.g. hand-built)
            return f"Report({dict.__repr__(self)})"
        keys = ", ".join(self)
        return "\n".join([self._title(), *lines, f"sections: {keys}"])

    def _repr_html_(self) -> str:
        from resource_estimates.report.headline import headline_rows, human_duration

        def num(x):
            if x is None:
                return "–"
            x = float(x)
            return f"{x:,.0f}" if abs(x) < 1e6 else f"{x:.3g}"

        cols = (
            "QRAM",
            "knobs",
            "meets P",
            "job Toffoli",
            "job T",
            "logical qubits",
            "physical qubits",
            "job wall-clock",
            "code distance",
            "physical model",
            "verdict",
        )
        head = "".join(f"<th>{c}</th>" for c in cols)
        body = []
        for r in headline_rows(self):
            knobs = ", ".join(f"{k} = {v:g}" for k, v in r["knobs"].items())
            meets = {True: "yes", False: "no"}.get(r["meets_target"], "not computed")
            cells = (
                r["qram_model"],
                f"{r['configuration']}: {knobs}",
                meets,
                num(r["job_toffoli"]),
                num(r["job_t_count"]),
                num(r["logical_qubits"]),
                num(r["physical_qubits"]),
                human_duration(r["job_hours"]),
                num(r["code_distance"]),
                r["physical_model"] or "–",
                f"<b>{html.escape(r['verdict'])}</b>",
            )
            body.append(
                "<tr>"
                + "".join(
                    f"<td>{c if i == len(cells) - 1 else html.escape(str(c))}</td>"
                    for i, c in enumerate(cells)
                )
                + "</tr>"
            )
        return (
            f"<div><p><b>{html.escape(self._title())}</b></p><table><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    def to_json(self) -> str:
        """The canonical ``report.json`` text (``writers.report_json``)."""
        from resource_estimates.report.writers import report_json

        return report_json(self)

    def to_dataframe(self):
        """The sweep over n (one row per n and QRAM model, the columns of ``sweep.csv``) as a
        pandas ``DataFrame``. Needs pandas and a report built with ``sweep=``."""
        if self.sweep is None:
            raise ValueError(
                "this report has no sweep: build it with build_report(..., sweep=sweep_rows(...))"
            )
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "Report.to_dataframe needs pandas (pip install pandas); the rows are in "
                "Report.sweep"
            ) from None
        from resource_estimates.report.sweep import SWEEP_FIELDS

        return pd.DataFrame(self.sweep, columns=list(SWEEP_FIELDS))
