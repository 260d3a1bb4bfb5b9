"""The error budget: the error model of every component (:mod:`~.model`), the run's cost as a
function of the precision knobs (:mod:`~.knob_costs`), the budget itself (:mod:`~.budget`) and
the optimiser that picks the cheapest knobs meeting a failure probability (:mod:`~.optimiser`).

May import :mod:`resource_estimates.costing` and everything below it; only the report builds on
it. The names of the module this package replaced (``resource_estimates.error_budget``, now
:mod:`resource_estimates.error_budget.budget`) still resolve here, with a ``DeprecationWarning``.
"""

from bloqs.moved import forward_to

__getattr__ = forward_to(
    "resource_estimates.error_budget", "resource_estimates.error_budget.budget"
)
