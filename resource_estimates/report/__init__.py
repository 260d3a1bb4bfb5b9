"""Resource reports: one variant of Algorithm 1 at one n, costed under both QRAM models.

:func:`build_report` computes everything in memory (no I/O): logical counts per Algorithm-1 step,
for one coherent run and for the whole job, under circuit and unit-cost QRAM; their sympy formulas
(with LaTeX) in n, d and the bit precisions; the data-dependent quantities with their provenance;
physical estimates (Gidney–Fowler, Beverland et al., Microsoft) side by side with assumptions;
the classical baselines and the crossover n; the data-access queries of one run (Toffoli-depth
and, for the bucket brigade, routers active per query); the published figures beside ours, each
form beside its own kind; and the conclusions with the QRAM model each one survives and the data
each one rests on (the polylog verdicts by fits in log n over n = 2^10 … 2^40).
:func:`sweep_rows` evaluates the same costing over n = 2^10 … 2^40. :func:`write_report` writes
``report.json`` (byte-identical for identical inputs: sorted keys, no timestamps), ``report.md``,
``sweep.csv``, PNG plots when matplotlib is installed, the call graph as DOT, a QREF export and
the Microsoft estimator's logical counts.

Costing never enumerates n: bloqs are built from sizes only (``from_sizes``), concrete counts come
from the concrete-size bloq, formulas from the same class built with sympy symbols; the sweep
costs the sizes-only bloq at each n and the polylog verdicts substitute n into the formulas (or
cost the sizes-only bloq where there are none); tests check formulas == concrete counts at
several sizes.

The package is split along its jobs: ``parameters`` (inputs and symbols), ``variants`` (the
variant registry), ``costing`` (concrete counts), ``formulas`` (symbolic counts), ``assembly``
(:func:`build_report`), ``verdicts`` (polylog fits, data provenance), ``queries`` (the run's
data-access queries), ``beside`` (published figures beside ours), ``sweep``, ``writers`` and
``plots``. The public names are re-exported here, so
``from resource_estimates.report import build_report, write_report`` keeps working.
"""

from resource_estimates.costing.concrete import concrete_costs, job_factor
from resource_estimates.costing.formulas import refitted_steps, symbolic_costs
from resource_estimates.costing.parameters import (
    BASE_SYMBOLS,
    DATA_ACCESS,
    GATE_FIELDS,
    SCHEMA,
    SYMBOL_MEANING,
    SYMBOLS,
    ReportParameters,
    symbols_of,
)
from resource_estimates.report.assembly import build_report
from resource_estimates.report.beside import data_access_query, published_beside
from resource_estimates.report.error_budget_section import BudgetRequest
from resource_estimates.report.plots import PLOT_FILES
from resource_estimates.report.queries import data_access_section, query_inventory
from resource_estimates.report.report_object import Report
from resource_estimates.report.sweep import SWEEP_FIELDS, default_sweep, sweep_csv, sweep_rows
from resource_estimates.report.verdicts import (
    data_provenance,
    polylog_fit,
    scaling_conclusions,
    verdict_grid,
)
from resource_estimates.report.writers import (
    OUTPUT_FILES,
    REPORT_FILES,
    call_graph_dot,
    qref_json,
    report_json,
    report_markdown,
    write_report,
)
from resource_estimates.variants import (
    KNOB_SPECS,
    VARIANTS,
    Knob,
    Variant,
    get_variant,
    register_variant,
    unregister_variant,
)

__all__ = [
    "BudgetRequest",
    "DATA_ACCESS",
    "GATE_FIELDS",
    "BASE_SYMBOLS",
    "KNOB_SPECS",
    "Knob",
    "job_factor",
    "symbols_of",
    "unregister_variant",
    "OUTPUT_FILES",
    "PLOT_FILES",
    "REPORT_FILES",
    "SCHEMA",
    "SWEEP_FIELDS",
    "SYMBOLS",
    "SYMBOL_MEANING",
    "VARIANTS",
    "Report",
    "ReportParameters",
    "Variant",
    "build_report",
    "call_graph_dot",
    "data_access_query",
    "data_access_section",
    "data_provenance",
    "polylog_fit",
    "published_beside",
    "query_inventory",
    "scaling_conclusions",
    "verdict_grid",
    "concrete_costs",
    "default_sweep",
    "get_variant",
    "qref_json",
    "refitted_steps",
    "register_variant",
    "report_json",
    "report_markdown",
    "sweep_csv",
    "sweep_rows",
    "symbolic_costs",
    "write_report",
]
