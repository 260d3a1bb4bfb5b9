"""Costing: bloqs → logical counts → physical estimates → error budget → reports.

The middle floor: it may import ``bloqs`` (never ``qntk_compile``). Its subpackages, lowest first
(a subpackage imports only those below it; checked by the import contracts in ``pyproject.toml``):

* :mod:`resource_estimates.data_model` — the data-dependent quantities (P/n, ⟨k*|v⟩, δ, κ_eff) with
their provenance and extrapolation;
* :mod:`resource_estimates.logical` — logical counts of a bloq (Qualtran's ``QECGatesCost`` and
  ``QubitCount``, both QRAM models), cost keys, the on-disk formula cache, number formatting;
* :mod:`resource_estimates.physical` — surface-code and Microsoft estimates;
  :mod:`resource_estimates.published` — published figures and classical baselines to compare with;
* :mod:`resource_estimates.variants` — the variant registry (knobs, sizes-only bloq, job factor)
  and its plug-ins (diagonal, sparsified);
* :mod:`resource_estimates.costing` — a variant at given report parameters: concrete counts and
  symbolic formulas in n and the knobs;
* :mod:`resource_estimates.error_budget` — error model, run cost in the knobs, optimiser;
* :mod:`resource_estimates.report` — the report: assembly, verdicts, sweep, writers, plots.

Modules that lived at the top level before the split still import from their old paths, with a
``DeprecationWarning`` (``docs/dev/architecture.md`` lists the moves).
"""

from bloqs.moved import alias_moved_modules

#: old module path → new module path (the split into subpackages)
MOVED_MODULES = {
    "resource_estimates.bounded_call": "resource_estimates.physical.bounded_call",
    "resource_estimates.budget_optimiser": "resource_estimates.error_budget.optimiser",
    "resource_estimates.classical": "resource_estimates.published.classical",
    "resource_estimates.cost_keys": "resource_estimates.logical.cost_keys",
    "resource_estimates.diagonal_variant": "resource_estimates.variants.diagonal",
    "resource_estimates.error_budget": "resource_estimates.error_budget.budget",
    "resource_estimates.error_model": "resource_estimates.error_budget.model",
    "resource_estimates.formula_cache": "resource_estimates.logical.formula_cache",
    "resource_estimates.knob_costs": "resource_estimates.error_budget.knob_costs",
    "resource_estimates.logical": "resource_estimates.logical.counts",
    "resource_estimates.msft_range": "resource_estimates.physical.msft_range",
    "resource_estimates.physical": "resource_estimates.physical.models",
    "resource_estimates.published": "resource_estimates.published.figures",
    "resource_estimates.published_qlsa": "resource_estimates.published.qlsa",
    "resource_estimates.qram_figures": "resource_estimates.published.qram",
    "resource_estimates.report.costing": "resource_estimates.costing.concrete",
    "resource_estimates.report.formulas": "resource_estimates.costing.formulas",
    "resource_estimates.report.parameters": "resource_estimates.costing.parameters",
    "resource_estimates.report.variants": "resource_estimates.variants",
    "resource_estimates.sparsified_variant": "resource_estimates.variants.sparsified",
    "resource_estimates.variants": "resource_estimates.variants.registry",
}

alias_moved_modules(MOVED_MODULES)
